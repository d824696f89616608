"""When a failed call is retried, and how long the client waits first: pure functions and data.

The policy, which never performs a non-idempotent operation twice unless the API says it is safe:

* Idempotent methods (``GET``, ``HEAD``, ``PUT``, ``DELETE``, ``OPTIONS``, ``TRACE``) are retried after a
  connection error, a timeout, or a ``429``, ``502``, ``503`` or ``504`` response.
* Other methods (``POST``, ``PATCH``: sends, token requests, creations) are retried **only when
  the request provably never reached the server**: the connection was refused, the host name did not
  resolve, the connection (TCP or TLS) could not be set up in time, or no pooled connection became free.
  After anything that may have reached the server (a reset connection, a read timeout, any response,
  including 429 and 503) they are never retried: the error is raised and the caller decides.
* An operation whose API description declares an idempotency key (``x-apigen-idempotency-key``) is
  sent with one generated key per logical call, the same on every retry, so the server can recognise a
  repeat: such a call is retried like an idempotent one, whatever its method.
* ``500`` and the other 4xx statuses are never retried.
* Waits grow exponentially (``initial_delay * 2 ** (retry - 1)``, capped at ``max_delay``) with full
  jitter (a uniformly random wait between 0 and that bound). A ``Retry-After`` header (seconds or an HTTP
  date) is honoured exactly when it asks for at most ``max_retry_after`` seconds; when it asks for more the
  call is not retried and the error's ``retry_after`` tells the caller how long the server wants.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import Final

import httpx

from . import _contract
from ._errors import ApiConnectionError, ApiTimeoutError, ResultCodeError, error_class_for_status

IDEMPOTENT_METHODS: Final = frozenset(_contract.IDEMPOTENT_METHODS)
"""Methods that may be retried after the request may have reached the server."""

RETRYABLE_STATUSES: Final = frozenset(_contract.RETRYABLE_STATUSES)
"""Response statuses retried for idempotent methods (never for POST/PATCH without an idempotency key)."""

# connection refused, DNS failure, TLS handshake failure; TCP/TLS setup not finished; no free pooled
# connection: no request byte was written
NEVER_SENT_ERRORS: Final[tuple[type[httpx.TransportError], ...]] = tuple(
    getattr(httpx, name) for name in _contract.NEVER_SENT_ERRORS
)
"""Transport errors that prove the request never reached the server: retried for every method."""

_PERMANENT_ERRORS: Final[tuple[type[httpx.TransportError], ...]] = (
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.ProxyError,
)


@dataclass(frozen=True)
class RetryConfig:
    """How many times and how patiently to retry (see the module docstring for *which* failures).

    ``max_retries`` counts retries after the first attempt (``0`` disables retrying). Delays are in seconds.
    """

    max_retries: int = int(_contract.RETRY_DEFAULTS["max_retries"])
    initial_delay: float = float(_contract.RETRY_DEFAULTS["initial_delay"])
    max_delay: float = float(_contract.RETRY_DEFAULTS["max_delay"])
    max_retry_after: float = float(_contract.RETRY_DEFAULTS["max_retry_after"])

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("retry delays must be >= 0")


DEFAULT_RETRY: Final = RetryConfig()
NO_RETRY: Final = RetryConfig(max_retries=0)


def is_idempotent(method: str) -> bool:
    return method.upper() in IDEMPOTENT_METHODS


def never_sent(error: BaseException) -> bool:
    """True when ``error`` proves the request never reached the server."""
    return isinstance(error, NEVER_SENT_ERRORS)


def should_retry(method: str, outcome: int | BaseException, idempotency_key: bool = False) -> bool:
    """Whether a call with ``method`` that ended in ``outcome`` (a status or an exception) may be retried.

    ``idempotency_key``: the call carries one (the same on every attempt), so a repeat is harmless.
    Pure: the attempt budget and ``Retry-After`` are checked separately (:func:`retry_delay`).
    """
    repeatable = idempotency_key or is_idempotent(method)
    if isinstance(outcome, int):
        return outcome in RETRYABLE_STATUSES and repeatable
    if never_sent(outcome):
        return True
    if isinstance(outcome, _PERMANENT_ERRORS) or not isinstance(outcome, httpx.TransportError):
        return False
    return repeatable


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent or invalid."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff_delay(retry: int, config: RetryConfig, rand: float | None = None) -> float:
    """Full-jitter exponential backoff before retry number ``retry`` (1-based): uniform in [0, bound]."""
    bound = min(config.max_delay, config.initial_delay * 2.0 ** (retry - 1))
    return bound * (random.random() if rand is None else rand)


def retry_delay(retry: int, config: RetryConfig, retry_after: float | None) -> float | None:
    """The wait before retry number ``retry``, or None when the call must not be retried.

    None when the budget is spent or ``Retry-After`` asks for more than ``config.max_retry_after``.
    """
    if retry > config.max_retries:
        return None
    if retry_after is not None:
        return retry_after if retry_after <= config.max_retry_after else None
    return backoff_delay(retry, config)


@dataclass(frozen=True)
class PolicyRow:
    """One row of the errors table: a condition, the exception raised, and whether each kind of call retries."""

    condition: str
    exception: type[Exception]
    retried_idempotent: bool
    retried_non_idempotent: bool


def policy_table() -> tuple[PolicyRow, ...]:
    """The error/retry policy as data, for documentation: status or failure -> exception -> retried?"""
    rows: list[PolicyRow] = []
    for status in (400, 401, 403, 404, 409, 429, 500, 502, 503, 504):
        rows.append(
            PolicyRow(
                f"HTTP {status}",
                error_class_for_status(status),
                should_retry("GET", status),
                should_retry("POST", status),
            )
        )
    rows.append(PolicyRow("HTTP 2xx with an error result code", ResultCodeError, False, False))
    failures: tuple[tuple[str, BaseException, type[Exception]], ...] = (
        ("connection refused / DNS failure", httpx.ConnectError("refused"), ApiConnectionError),
        ("connect timeout", httpx.ConnectTimeout("connect"), ApiTimeoutError),
        ("pool timeout", httpx.PoolTimeout("pool"), ApiTimeoutError),
        ("connection reset or closed after sending", httpx.ReadError("reset"), ApiConnectionError),
        (
            "server closed without a response",
            httpx.RemoteProtocolError("closed"),
            ApiConnectionError,
        ),
        ("write timeout", httpx.WriteTimeout("write"), ApiTimeoutError),
        ("read timeout", httpx.ReadTimeout("read"), ApiTimeoutError),
    )
    for condition, error, exc_class in failures:
        rows.append(
            PolicyRow(condition, exc_class, should_retry("GET", error), should_retry("POST", error))
        )
    return tuple(rows)
