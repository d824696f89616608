"""Reading a response body at most ``max_response_size`` bytes, for the request loop and the token 401 retry.

The client sends with ``stream=True`` and reads the body here, chunk by chunk (decoded bytes are
counted): a ``Content-Length`` above the limit fails before anything is read, a longer (chunked) body as
soon as it passes the limit; the connection is closed and :class:`~._errors.ResponseTooLargeError`
raised. Nothing of the body is kept in the error. A body within the limit is stored on the response, so
``response.content`` and ``response.read()`` work as usual.

Each request carries its limit and operation id in its extensions (:data:`LIMIT_EXTENSION`,
:data:`OPERATION_EXTENSION`), so an ``httpx.Auth`` that reads a response (a token's 401 refresh) applies the
same limit.
"""

from __future__ import annotations

from typing import Final

import httpx

from ._errors import ResponseTooLargeError

DEFAULT_MAX_RESPONSE_SIZE: Final = 32 * 1024 * 1024
"""The largest response body read, in bytes (32 MiB); ``max_response_size`` changes it."""

LIMIT_EXTENSION: Final = "apigen.max_response_size"
OPERATION_EXTENSION: Final = "apigen.operation"


def limit_of(request: httpx.Request) -> tuple[int, str]:
    """The size limit and operation id a request carries (the default and ``"?"`` when it carries none)."""
    limit = request.extensions.get(LIMIT_EXTENSION, DEFAULT_MAX_RESPONSE_SIZE)
    operation = request.extensions.get(OPERATION_EXTENSION, "?")
    return int(limit), str(operation)


def _too_large(response: httpx.Response, limit: int, operation: str) -> ResponseTooLargeError:
    declared = response.headers.get("Content-Length", "")
    return ResponseTooLargeError(
        operation,
        limit,
        declared=int(declared) if declared.isdigit() else None,
        status_code=response.status_code,
        request_id=response.headers.get("X-Request-Id"),
    )


def _declares_too_much(response: httpx.Response, limit: int) -> bool:
    declared = response.headers.get("Content-Length", "")
    return declared.isdigit() and int(declared) > limit


def _keep(response: httpx.Response, chunks: list[bytes]) -> httpx.Response:
    # what ``response.read()`` itself stores; reading chunk by chunk is what lets the size be checked
    response._content = b"".join(chunks)
    return response


def read_capped(response: httpx.Response, limit: int, operation: str) -> httpx.Response:
    """Read a streamed body, at most ``limit`` bytes, then close the response (also when it is too large)."""
    try:
        if _declares_too_much(response, limit):
            raise _too_large(response, limit, operation)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit, operation)
            chunks.append(chunk)
        return _keep(response, chunks)
    finally:
        response.close()


async def aread_capped(response: httpx.Response, limit: int, operation: str) -> httpx.Response:
    """:func:`read_capped` for the async client."""
    try:
        if _declares_too_much(response, limit):
            raise _too_large(response, limit, operation)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit, operation)
            chunks.append(chunk)
        return _keep(response, chunks)
    finally:
        await response.aclose()
