"""Per-recipient results are data, not exceptions: a helper to find the recipients whose send failed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ._types import Unset

R = TypeVar("R")

SUCCESS_STATUS = "000000"


def _status(result: Any) -> Any:
    if isinstance(result, Mapping):
        return result.get("status")
    return getattr(result, "status", None)


def failed_recipients(
    results: Iterable[R] | Unset | None, success: str = SUCCESS_STATUS
) -> list[R]:
    """The results (decoded models or plain dicts with a ``status``) whose status is not ``success``.

    A batch send succeeds as a request (``code`` ``000000``) while single recipients may fail
    (``E200028`` template variables, ``E200041`` duplicate number, ...): check each result, e.g.
    ``for r in failed_recipients(response.result): retry_later(r.origin_to, r.status)``. An absent
    ``result`` (``UNSET``) has no failed recipient.
    """
    failed: list[R] = []
    if results is None or isinstance(results, Unset):
        return failed
    for result in results:
        status = _status(result)
        value = getattr(status, "value", status)  # an enum member compares by its value
        if value != success:
            failed.append(result)
    return failed
