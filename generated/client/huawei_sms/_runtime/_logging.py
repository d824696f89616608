"""Logging through :mod:`logging`, to the logger named after the generated package, with secrets redacted.

``DEBUG`` records each request (method, URL, headers) and response (status, elapsed time, request id);
``INFO`` records each retry with its reason and wait. Bodies are never logged (they carry passwords,
personal data and message text); only their sizes are. The values of ``Authorization``, cookies, every
header or query parameter a security scheme of the API uses (its ``apiKey`` name, the headers an
extension's scheme sets or reads), and every name mentioning a password, secret, token, key or signature,
are replaced by ``<redacted>``.

httpcore's own DEBUG trace prints raw headers (a token in a response header); the client adds a filter to
the ``httpcore.http11`` and ``httpcore.http2`` loggers that redacts those values too.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import unquote
from collections.abc import Iterable
from typing import Final

import httpx

REDACTED: Final = "<redacted>"

SENSITIVE_HEADERS: Final = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    }
)
_SENSITIVE_WORDS: Final = ("password", "secret", "token", "key", "signature", "credential", "auth")


def is_sensitive(name: str, extra: frozenset[str] = frozenset()) -> bool:
    lower = name.lower()
    return (
        lower in SENSITIVE_HEADERS
        or lower in extra
        or any(word in lower for word in _SENSITIVE_WORDS)
    )


def redact_headers(headers: httpx.Headers, extra: frozenset[str] = frozenset()) -> dict[str, str]:
    return {
        name: REDACTED if is_sensitive(name, extra) else value for name, value in headers.items()
    }


def redact_url(url: httpx.URL, extra: frozenset[str] = frozenset()) -> str:
    """The URL without user info, with the values of sensitive query parameters redacted."""
    path, _, query = url.raw_path.decode("ascii").partition("?")
    text = f"{url.scheme}://{url.netloc.decode('ascii')}{path}"
    if not query:
        return text
    parts = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        parts.append(
            f"{name}{eq}{REDACTED if eq and is_sensitive(unquote(name), extra) else value}"
        )
    return text + "?" + "&".join(parts)


def sensitive_names(parameters: Iterable[str]) -> frozenset[str]:
    return frozenset(p.lower() for p in parameters if p)


_registered: set[str] = set()


def register_sensitive(names: Iterable[str]) -> None:
    """Names (lower case) that httpcore's trace redacts too, for every client of this process."""
    with _installed:
        _registered.update(names)


def log_exchange(
    logger: logging.Logger,
    operation: str,
    attempt: int,
    response: httpx.Response,
    extra: frozenset[str],
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


_HEADER_PAIR = re.compile(r"\(b'([A-Za-z0-9-]+)', b'[^']*'\)")
_installed = threading.Lock()
_httpcore_filtered = False


class _HttpcoreRedactor(logging.Filter):
    """Redacts sensitive header values in httpcore's trace records (``(b'Name', b'value')`` pairs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "b'" in message:
            redacted = _HEADER_PAIR.sub(_redact_pair, message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


def _redact_pair(match: re.Match[str]) -> str:
    if is_sensitive(match[1]) or match[1].lower() in _registered:
        return f"(b'{match[1]}', b'{REDACTED}')"
    return match[0]


def install_httpcore_redaction() -> None:
    """Add the redacting filter to httpcore's loggers once per process."""
    global _httpcore_filtered
    with _installed:
        if not _httpcore_filtered:
            for name in ("httpcore.http11", "httpcore.http2"):
                logging.getLogger(name).addFilter(_HttpcoreRedactor())
            _httpcore_filtered = True
