"""The retry policy and the error classification: pure functions, checked exhaustively."""

from __future__ import annotations

import email.utils
import json

import httpx
import pytest
from tests.runtime import rt_support  # noqa: F401

from apigen_runtime import _errors, _retry
from apigen_runtime._errors import (
    ApiConnectionError,
    ApiStatusError,
    ApiTimeoutError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ResultCodeError,
    ServerError,
    UnauthorizedError,
    UnexpectedStatusError,
)

IDEMPOTENT = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"]
NON_IDEMPOTENT = ["POST", "PATCH", "post"]


@pytest.mark.parametrize("method", IDEMPOTENT)
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_idempotent_methods_retry_transient_statuses(method: str, status: int) -> None:
    assert _retry.should_retry(method, status)


@pytest.mark.parametrize("method", IDEMPOTENT + NON_IDEMPOTENT)
@pytest.mark.parametrize("status", [200, 201, 400, 401, 403, 404, 409, 500, 501])
def test_other_statuses_are_never_retried(method: str, status: int) -> None:
    assert not _retry.should_retry(method, status)


@pytest.mark.parametrize("method", NON_IDEMPOTENT)
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_sends_are_never_retried_after_a_response(method: str, status: int) -> None:
    assert not _retry.should_retry(method, status)


NEVER_SENT = [httpx.ConnectError("refused"), httpx.ConnectTimeout("t"), httpx.PoolTimeout("p")]
MAYBE_SENT = [
    httpx.ReadError("reset"),
    httpx.WriteError("reset"),
    httpx.ReadTimeout("t"),
    httpx.WriteTimeout("t"),
    httpx.RemoteProtocolError("closed"),
    httpx.CloseError("c"),
]


@pytest.mark.parametrize("method", IDEMPOTENT + NON_IDEMPOTENT)
@pytest.mark.parametrize("error", NEVER_SENT, ids=lambda e: type(e).__name__)
def test_never_sent_errors_are_retried_for_every_method(method: str, error: Exception) -> None:
    assert _retry.should_retry(method, error)
    assert _retry.never_sent(error)


@pytest.mark.parametrize("error", MAYBE_SENT, ids=lambda e: type(e).__name__)
def test_maybe_sent_errors_retry_only_idempotent_methods(error: Exception) -> None:
    assert not _retry.never_sent(error)
    for method in IDEMPOTENT:
        assert _retry.should_retry(method, error)
    for method in NON_IDEMPOTENT:
        assert not _retry.should_retry(method, error)


@pytest.mark.parametrize(
    "error",
    [
        httpx.UnsupportedProtocol("x"),
        httpx.LocalProtocolError("x"),
        ValueError("x"),
        _errors.ApiError("x"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_permanent_and_foreign_errors_are_not_retried(error: Exception) -> None:
    assert not _retry.should_retry("GET", error)


def test_policy_constants() -> None:
    assert _retry.IDEMPOTENT_METHODS == {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "QUERY"}
    assert _retry.RETRYABLE_STATUSES == {429, 502, 503, 504}


def test_policy_table_is_consistent() -> None:
    rows = {row.condition: row for row in _retry.policy_table()}
    assert rows["HTTP 503"].exception is ServerError and rows["HTTP 503"].retried_idempotent
    assert not rows["HTTP 503"].retried_non_idempotent
    assert rows["HTTP 429"].exception is RateLimitError
    assert rows["HTTP 500"].exception is ServerError and not rows["HTTP 500"].retried_idempotent
    assert rows["connection refused / DNS failure"].retried_non_idempotent
    assert (
        rows["read timeout"].exception is ApiTimeoutError
        and not rows["read timeout"].retried_non_idempotent
    )
    assert not any(
        row.retried_non_idempotent for row in rows.values() if row.condition.startswith("HTTP")
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("3", 3.0),
        (" 0 ", 0.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("soon", None),
        ("nan", None),
    ],
)
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert _retry.parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert _retry.parse_retry_after(header, now=now) == pytest.approx(30.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert _retry.parse_retry_after(past, now=now) == 0.0


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    config = _retry.RetryConfig(max_retries=10, initial_delay=0.5, max_delay=4.0)
    assert [_retry.backoff_delay(n, config, rand=1.0) for n in range(1, 6)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        4.0,
    ]
    assert _retry.backoff_delay(3, config, rand=0.0) == 0.0
    for retry in range(1, 8):
        delay = _retry.backoff_delay(retry, config)
        assert 0.0 <= delay <= min(4.0, 0.5 * 2 ** (retry - 1))


def test_retry_delay_budget_and_retry_after_cap() -> None:
    config = _retry.RetryConfig(max_retries=2, max_retry_after=10.0)
    assert _retry.retry_delay(1, config, 3.0) == 3.0  # honoured exactly
    assert (
        _retry.retry_delay(1, config, 11.0) is None
    )  # asks too much: give up, the error carries it
    assert _retry.retry_delay(3, config, None) is None  # budget spent
    assert _retry.retry_delay(2, config, None) is not None
    assert _retry.retry_delay(1, _retry.NO_RETRY, None) is None


def test_retry_config_validates() -> None:
    with pytest.raises(ValueError):
        _retry.RetryConfig(max_retries=-1)
    with pytest.raises(ValueError):
        _retry.RetryConfig(initial_delay=-1)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
        (405, ApiStatusError),
        (418, ApiStatusError),
        (202, UnexpectedStatusError),
        (302, UnexpectedStatusError),
    ],
)
def test_error_class_for_status(status: int, cls: type[Exception]) -> None:
    assert _errors.error_class_for_status(status) is cls


def _response(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers or {})


def test_msgsms_error_shape() -> None:
    body = {
        "error_code": "MSGSMS.0002",
        "error_msg": "Invalid parameter",
        "error_detail": "limit too large",
    }
    exc = _errors.status_error("listApps", _response(400, body, {"X-Request-Id": "req-1"}))
    assert isinstance(exc, BadRequestError)
    assert (exc.operation, exc.status_code, exc.error_code) == ("listApps", 400, "MSGSMS.0002")
    assert (exc.error_message, exc.error_detail, exc.request_id) == (
        "Invalid parameter",
        "limit too large",
        "req-1",
    )
    assert exc.body == json.dumps(body).encode()
    assert str(exc) == "listApps: HTTP 400 MSGSMS.0002 Invalid parameter (request id req-1)"


def test_sms_error_shape() -> None:
    exc = _errors.status_error(
        "batchSendSms", _response(401, {"code": "E000004", "description": "type is wrong"})
    )
    assert isinstance(exc, UnauthorizedError)
    assert (exc.error_code, exc.error_message, exc.request_id) == ("E000004", "type is wrong", None)


def test_gateway_error_shape_carries_its_request_id() -> None:
    body = {
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information",
        "request_id": "gw-9",
    }
    exc = _errors.status_error("listApps", _response(401, body))
    assert (exc.error_code, exc.request_id) == ("APIGW.0301", "gw-9")


def test_keystone_error_shape() -> None:
    body = {
        "error": {
            "code": 401,
            "message": "The request you have made requires authentication.",
            "title": "Unauthorized",
        }
    }
    exc = _errors.status_error("listProjects", _response(401, body))
    assert (exc.error_code, exc.error_message) == (
        "401",
        "The request you have made requires authentication.",
    )


@pytest.mark.parametrize(
    "body", [b"", b"<html>502 Bad Gateway</html>", b"[1,2]", b"\xff\xfe", b"null"]
)
def test_non_json_error_bodies_keep_the_raw_body(body: bytes) -> None:
    exc = _errors.status_error("listApps", _response(502, body))
    assert isinstance(exc, ServerError)
    assert exc.error_code is None and exc.error_message is None and exc.body == body


def test_status_error_prefers_the_family_over_unexpected_for_error_statuses() -> None:
    assert (
        type(_errors.status_error("x", _response(404, {}), UnexpectedStatusError)) is NotFoundError
    )
    assert (
        type(_errors.status_error("x", _response(202, {}), UnexpectedStatusError))
        is UnexpectedStatusError
    )
    result = _errors.status_error(
        "x", _response(200, {"code": "E000000", "description": "System error"}), ResultCodeError
    )
    assert isinstance(result, ResultCodeError) and result.error_code == "E000000"


def test_every_error_class_has_a_one_line_docstring() -> None:
    classes = [
        c for c in vars(_errors).values() if isinstance(c, type) and issubclass(c, Exception)
    ]
    assert len(classes) >= 15
    for cls in classes:
        assert cls.__doc__ and "\n" not in cls.__doc__.strip(), cls


def test_connection_errors_say_whether_the_request_was_sent() -> None:
    exc = ApiConnectionError(
        "batchSendSms", "ConnectError: refused", attempts=3, request_sent=False
    )
    assert exc.attempts == 3 and exc.request_sent is False
    assert str(exc) == "batchSendSms: ConnectError: refused (after 3 attempts)"
    assert issubclass(ApiTimeoutError, ApiConnectionError)
