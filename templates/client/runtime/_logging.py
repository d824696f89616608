"""Logging through :mod:`logging`, to the logger named after the generated package, with secrets redacted.

``DEBUG`` records each request (method, URL, headers) and response (status, elapsed time, request id);
``INFO`` records each retry with its reason and wait. Bodies are never logged (they carry passwords,
phone numbers and message text); only their sizes are. The values of ``Authorization``, ``X-Auth-Token``,
``X-Subject-Token``, ``X-WSSE``, ``X-Security-Token``, cookies and every header or query parameter that an
``apiKey`` scheme uses, or whose name mentions a password, secret, token, key or signature, are replaced
by ``<redacted>``.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote
from collections.abc import Iterable
from typing import Final

import httpx

REDACTED: Final = "<redacted>"

SENSITIVE_HEADERS: Final = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-auth-token",
        "x-subject-token",
        "x-wsse",
        "x-security-token",
        "cookie",
        "set-cookie",
    }
)
_SENSITIVE_WORDS: Final = ("password", "secret", "token", "key", "signature", "credential", "auth")


def is_sensitive(name: str, extra: frozenset[str] = frozenset()) -> bool:
    lower = name.lower()
    return lower in SENSITIVE_HEADERS or lower in extra or any(word in lower for word in _SENSITIVE_WORDS)


def redact_headers(headers: httpx.Headers, extra: frozenset[str] = frozenset()) -> dict[str, str]:
    return {name: REDACTED if is_sensitive(name, extra) else value for name, value in headers.items()}


def redact_url(url: httpx.URL, extra: frozenset[str] = frozenset()) -> str:
    """The URL without user info, with the values of sensitive query parameters redacted."""
    path, _, query = url.raw_path.decode("ascii").partition("?")
    text = f"{url.scheme}://{url.netloc.decode('ascii')}{path}"
    if not query:
        return text
    parts = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        parts.append(f"{name}{eq}{REDACTED if eq and is_sensitive(unquote(name), extra) else value}")
    return text + "?" + "&".join(parts)


def sensitive_names(parameters: Iterable[str]) -> frozenset[str]:
    return frozenset(p.lower() for p in parameters if p)


def log_exchange(
    logger: logging.Logger, operation: str, attempt: int, response: httpx.Response, extra: frozenset[str]
) -> None:
    """One DEBUG record for a request and its response (call only when DEBUG is enabled)."""
    request = response.request
    logger.debug(
        "%s attempt %d: %s %s headers=%s body=%d bytes -> HTTP %d in %.1f ms, %d bytes, request id %s",
        operation,
        attempt,
        request.method,
        redact_url(request.url, extra),
        redact_headers(request.headers, extra),
        _size(request),
        response.status_code,
        response.elapsed.total_seconds() * 1000 if hasattr(response, "_elapsed") else 0.0,
        len(response.content),
        response.headers.get("X-Request-Id", "-"),
    )
    logger.debug("%s response headers=%s", operation, redact_headers(response.headers, extra))


def _size(request: httpx.Request) -> int:
    try:
        return len(request.content)
    except httpx.RequestNotRead:
        return 0
