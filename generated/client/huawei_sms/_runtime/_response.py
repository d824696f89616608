"""The raw HTTP response alongside the parsed value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """What ``client.<resource>.with_raw_response.<operation>(...)`` returns.

    Its ``repr`` shows the status and the parsed value only: headers such as ``X-Subject-Token`` carry
    credentials, so print ``headers`` deliberately if you need them.
    """

    status_code: int
    headers: httpx.Headers = field(repr=False)
    parsed: T
    content: bytes = field(repr=False)
    http_response: httpx.Response = field(repr=False)

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` response header: quote it to the API's support."""
        value: str | None = self.headers.get("X-Request-Id")
        return value
