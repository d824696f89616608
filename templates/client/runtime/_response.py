"""The raw HTTP response alongside the parsed value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """What ``client.<resource>.with_raw_response.<operation>(...)`` returns."""

    status_code: int
    headers: httpx.Headers
    parsed: T
    content: bytes
    http_response: httpx.Response
