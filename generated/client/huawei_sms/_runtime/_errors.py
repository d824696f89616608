"""Every exception the client raises, in one hierarchy.

::

    ApiError                      anything this client raises
    ├── MissingCredentialsError   no configured credentials satisfy the operation's security requirements
    ├── ApiConnectionError        the request could not be sent, or its response could not be read
    │   └── ApiTimeoutError       ... because a connect, read, write or pool timeout expired
    ├── ApiDecodeError            a response body does not have the documented shape (names the JSON path)
    ├── ResponseTooLargeError     a response body is larger than ``max_response_size``: not read further
    ├── ApiRedirectError          a redirect was not followed (body to another origin, too many, bad Location)
    └── ApiStatusError            the server answered with an error (status 4xx/5xx, or an error result code)
        ├── BadRequestError       400
        ├── UnauthorizedError     401
        ├── ForbiddenError        403
        ├── NotFoundError         404
        ├── ConflictError         409
        ├── RateLimitError        429 (``retry_after`` says how long the server asked to wait)
        ├── ServerError           5xx
        ├── ResultCodeError       HTTP 2xx whose body carries a failure code the API description declares
        └── UnexpectedStatusError a 1xx/2xx/3xx status the API description does not document

Every error carries the operation id; status errors also carry the HTTP status, the error code and
message found where the API description says (``x-apigen-error``; else the common ``code``/``message``/
``error``/``detail`` fields, ``application/problem+json`` included), the request id and the raw body (``body``: at most
:data:`MAX_ERROR_BODY` bytes, then a ``... [truncated: N bytes in all]`` marker). Messages never contain
credentials: the client never puts request headers or bodies into them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from . import _contract
from ._operation import ErrorShape

MAX_ERROR_BODY = 64 * 1024
"""How many bytes of a response body an error keeps in ``body`` (64 KiB); the rest is cut, with a marker."""


def truncate_body(body: bytes, limit: int = MAX_ERROR_BODY) -> bytes:
    """``body`` itself when it has at most ``limit`` bytes, else its first ``limit`` bytes and a marker."""
    if len(body) <= limit:
        return body
    return body[:limit] + f"... [truncated: {len(body)} bytes in all]".encode()


class ApiError(Exception):
    """Base class of every error this client raises."""

    operation: str | None = None
    status_code: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    request_id: str | None = None
    body: bytes = b""


class MissingCredentialsError(ApiError):
    """No configured credentials satisfy any of the operation's security requirements."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation


class ApiConnectionError(ApiError):
    """The request could not be sent or its response could not be read (``request_sent`` says which)."""

    def __init__(
        self, operation: str, message: str, *, attempts: int = 1, request_sent: bool = True
    ) -> None:
        super().__init__(
            f"{operation}: {message} (after {attempts} attempt{'s' if attempts != 1 else ''})"
        )
        self.operation = operation
        self.attempts = attempts
        # False only when the request provably never reached the server (connection refused, DNS, pool timeout)
        self.request_sent = request_sent


class ApiTimeoutError(ApiConnectionError):
    """A connect, read, write or pool timeout expired."""


class ResponseTooLargeError(ApiError):
    """A response body was larger than ``max_response_size``; it was not read further (nor kept)."""

    def __init__(
        self,
        operation: str,
        limit: int,
        *,
        declared: int | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        stated = (
            f" (Content-Length: {declared})" if declared is not None and declared > limit else ""
        )
        super().__init__(
            f"{operation}: the response body is larger than max_response_size ({limit} bytes){stated}; "
            "not read further"
        )
        self.operation = operation
        self.limit = limit
        self.declared = declared
        self.status_code = status_code
        self.request_id = request_id


class ApiRedirectError(ApiError):
    """A redirect was not followed: it would re-send the body to another origin, or there were too many."""

    def __init__(self, operation: str, status_code: int, reason: str) -> None:
        super().__init__(f"{operation}: HTTP {status_code} redirect not followed: {reason}")
        self.operation = operation
        self.status_code = status_code
        self.reason = reason


class ApiDecodeError(ApiError):
    """A response body did not match the API description; ``path`` names the JSON path, ``body`` keeps the bytes."""

    def __init__(
        self,
        operation: str,
        path: str,
        message: str,
        body: bytes,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{operation}: cannot decode the response at {path}: {message}")
        self.operation = operation
        self.path = path
        self.message = message
        self.body = truncate_body(body)
        self.status_code = status_code
        self.request_id = request_id


class ApiStatusError(ApiError):
    """The server answered with an error status (4xx/5xx) or an error result code."""

    operation: str
    status_code: int
    # the body decoded with the schema the API description declares for that status (a model), or None
    # when it declares none or the body does not match it
    parsed: Any = None

    def __init__(
        self,
        *,
        operation: str,
        status_code: int,
        error_code: str | None,
        error_message: str | None,
        request_id: str | None,
        body: bytes,
        response: httpx.Response | None = None,
        error_detail: str | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        self.operation = operation
        self.status_code = status_code
        self.error_code = error_code
        self.error_message = error_message
        self.error_detail = error_detail
        self.request_id = request_id
        self.body = truncate_body(body)
        self.response = response
        self.retry_after = retry_after
        self.attempts = attempts
        parts = [f"{operation}: HTTP {status_code}"]
        if error_code:
            parts.append(error_code)
        if error_message:
            parts.append(error_message)
        if request_id:
            parts.append(f"(request id {request_id})")
        super().__init__(" ".join(parts))

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (empty when the error was built without a response)."""
        return self.response.headers if self.response is not None else httpx.Headers()


class BadRequestError(ApiStatusError):
    """HTTP 400: the request was malformed or failed the server's validation."""


class UnauthorizedError(ApiStatusError):
    """HTTP 401: the credentials, signature or token were missing, wrong or expired."""


class ForbiddenError(ApiStatusError):
    """HTTP 403: authenticated, but not allowed to do this."""


class NotFoundError(ApiStatusError):
    """HTTP 404: the resource (or the endpoint) does not exist."""


class ConflictError(ApiStatusError):
    """HTTP 409: the request conflicts with the resource's current state."""


class RateLimitError(ApiStatusError):
    """HTTP 429: too many requests; ``retry_after`` holds the server's requested wait in seconds, if any."""


class ServerError(ApiStatusError):
    """HTTP 5xx: the server or the gateway in front of it failed."""


class ResultCodeError(ApiStatusError):
    """A 2xx response whose body reports failure through a result code the API description declares."""


class UnexpectedStatusError(ApiStatusError):
    """A 1xx/2xx/3xx status the API description does not document (4xx/5xx use the family classes)."""


_BY_NAME: dict[str, type[ApiStatusError]] = {
    cls.__name__: cls
    for cls in (
        ApiStatusError,
        BadRequestError,
        UnauthorizedError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
        ResultCodeError,
        UnexpectedStatusError,
    )
}
_STATUS_CLASSES: dict[int, type[ApiStatusError]] = {
    code: _BY_NAME[name] for code, name in _contract.STATUS_CLASSES.items()
}
_STATUS_RANGES: tuple[tuple[int, int, type[ApiStatusError]], ...] = tuple(
    (low, high, _BY_NAME[name]) for low, high, name in _contract.STATUS_RANGES
)
_UNEXPECTED = _BY_NAME[_contract.UNEXPECTED_STATUS_CLASS]


def error_class_for_status(status: int) -> type[ApiStatusError]:
    """The exception class raised for an error ``status`` (pure; the docs render it as a table)."""
    cls = _STATUS_CLASSES.get(status)
    if cls is not None:
        return cls
    for low, high, ranged in _STATUS_RANGES:
        if low <= status <= high:
            return ranged
    return _UNEXPECTED


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


_DEFAULT_SHAPE = ErrorShape(
    code=tuple(_contract.DEFAULT_ERROR_FIELDS["code"]),
    message=tuple(_contract.DEFAULT_ERROR_FIELDS["message"]),
    detail=tuple(_contract.DEFAULT_ERROR_FIELDS["detail"]),
    request_id=tuple(_contract.DEFAULT_ERROR_FIELDS["request_id"]),
)
DEFAULT_REQUEST_ID_HEADER = str(_contract.DEFAULT_ERROR_FIELDS["request_id_header"])

_MISSING = object()


def _pointer(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer (``/error/code``), or ``_MISSING``."""
    if not pointer.startswith("/"):
        return _MISSING
    for raw in pointer[1:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return _MISSING
    return data


def _first_text(data: Any, pointers: Sequence[str]) -> str | None:
    for pointer in pointers:
        value = _pointer(data, pointer)
        text = None if value is _MISSING else _text(value)
        if text is not None:
            return text
    return None


def error_fields(body: bytes, shapes: Sequence[ErrorShape] = ()) -> dict[str, str | None]:
    """Error code, message, detail and request id of an error body, found where ``shapes`` point.

    The first shape whose ``when`` pointer is present in the body applies (``x-apigen-error`` in the API
    description lists them); without shapes, or when none applies, the common fields are looked for
    (``code``, ``message``, ``error``, ``detail``, ``title``: ``application/problem+json`` too).
    """
    fields: dict[str, str | None] = {
        "code": None,
        "message": None,
        "detail": None,
        "request_id": None,
    }
    if not body:
        return fields
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deeply
        return fields
    if not isinstance(data, dict):
        return fields
    shape = next(
        (s for s in shapes if not s.when or _pointer(data, s.when) is not _MISSING), _DEFAULT_SHAPE
    )
    fields["code"] = _first_text(data, shape.code)
    fields["message"] = _first_text(data, shape.message)
    fields["detail"] = _first_text(data, shape.detail)
    fields["request_id"] = _first_text(data, shape.request_id)
    return fields


def status_error(
    operation: str,
    response: httpx.Response,
    cls: type[ApiStatusError] = ApiStatusError,
    *,
    retry_after: float | None = None,
    attempts: int = 1,
    shapes: Sequence[ErrorShape] = (),
    request_id_header: str = DEFAULT_REQUEST_ID_HEADER,
) -> ApiStatusError:
    """The exception for an error response of ``operation``.

    A 4xx/5xx status always gives its family class (:func:`error_class_for_status`), so ``except
    NotFoundError`` works whether or not the API description documents the 404; ``cls`` is used for
    other statuses (generated code passes :class:`UnexpectedStatusError` for undocumented ones).
    """
    if response.status_code >= 400:
        cls = error_class_for_status(response.status_code)
    body = response.content
    fields = error_fields(body, shapes)
    return cls(
        operation=operation,
        status_code=response.status_code,
        error_code=fields["code"],
        error_message=fields["message"],
        error_detail=fields["detail"],
        request_id=response.headers.get(request_id_header) or fields["request_id"],
        body=body,
        response=response,
        retry_after=retry_after,
        attempts=attempts,
    )
