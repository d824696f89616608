"""The request loop against the fake server: faults, retries, and the rule that a send is never repeated.

Each case checks the exception type and fields, the number of attempts (as the server saw them, and as the
error reports them) and, for POST, that the server received the request at most once.
"""

from __future__ import annotations

import email.utils
import socket
import time
from typing import Any

import httpx
import pytest
from tests.runtime import rt_support
from tests.fake_huawei import FAKE_AK, FAKE_APP_KEY, FAKE_APP_SECRET, FAKE_PROJECT_ID, FAKE_SK, FakeHuawei

from apigen_runtime import _base_client
from apigen_runtime._base_client import RequestOptions
from apigen_runtime._errors import (
    ApiConnectionError,
    ApiDecodeError,
    ApiTimeoutError,
    BadRequestError,
    RateLimitError,
    ResultCodeError,
    ServerError,
)
from apigen_runtime._results import failed_recipients
from apigen_runtime._retry import RetryConfig

FAST = RetryConfig(max_retries=2, initial_delay=0.01, max_delay=0.02, max_retry_after=5.0)


def make_client(fake: FakeHuawei, **kwargs: Any) -> rt_support.Client:
    options: dict[str, Any] = dict(
        base_url=fake.url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        ak=FAKE_AK,
        sk=FAKE_SK,
        project_id=FAKE_PROJECT_ID,
        retry=FAST,
        timeout=httpx.Timeout(2.0),
        from_env=False,
    )
    options.update(kwargs)
    return rt_support.Client(**options)


class CountingTransport(httpx.HTTPTransport):
    """Counts attempts and raises ``errors`` (one per attempt) before passing requests on."""

    def __init__(self, errors: list[Exception] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors = list(errors or [])
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        return super().handle_request(request)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(_base_client.time, "sleep", recorded.append)
    return recorded


# -- sends (POST): never twice --------------------------------------------------------------------------


def test_send_succeeds_once(fake_huawei: FakeHuawei) -> None:
    with make_client(fake_huawei) as client:
        response = client.send()
    assert response.status_code == 200 and response.parsed[0]["status"] == "000000"
    assert fake_huawei.count("batchSendSms") == 1


def test_send_reset_before_body_is_not_retried(fake_huawei: FakeHuawei) -> None:
    fake_huawei.reset_before_body("batchSendSms")
    with make_client(fake_huawei) as client, pytest.raises(ApiConnectionError) as info:
        client.send()
    assert type(info.value) is ApiConnectionError
    assert (
        info.value.operation == "batchSendSms"
        and info.value.attempts == 1
        and info.value.request_sent
    )
    assert fake_huawei.count("batchSendSms") == 1


def test_send_reset_after_body_is_not_retried(fake_huawei: FakeHuawei) -> None:
    fake_huawei.reset_after_body("batchSendSms")
    with make_client(fake_huawei) as client, pytest.raises(ApiConnectionError) as info:
        client.send()
    assert info.value.attempts == 1 and info.value.request_sent
    sent = fake_huawei.requests_for("batchSendSms")
    assert len(sent) == 1 and sent[0].body and b"to=%2B8613800000001" in sent[0].body


def test_send_read_timeout_is_not_retried(fake_huawei: FakeHuawei) -> None:
    fake_huawei.slow("batchSendSms", 1.5)
    with make_client(fake_huawei) as client, pytest.raises(ApiTimeoutError) as info:
        client.send(options=RequestOptions(timeout=0.3))
    assert info.value.attempts == 1 and info.value.request_sent
    assert "ReadTimeout" in str(info.value)
    assert fake_huawei.count("batchSendSms") == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_send_server_errors_are_not_retried(fake_huawei: FakeHuawei, status: int) -> None:
    fake_huawei.fail("batchSendSms", status, times=3)
    with make_client(fake_huawei) as client, pytest.raises(ServerError) as info:
        client.send()
    exc = info.value
    assert (exc.status_code, exc.error_code, exc.error_message) == (
        status,
        "E000000",
        f"fake failure {status}",
    )
    assert exc.operation == "batchSendSms" and exc.attempts == 1 and exc.request_id
    assert fake_huawei.count("batchSendSms") == 1


def test_send_rate_limited_is_not_retried_and_reports_retry_after(fake_huawei: FakeHuawei) -> None:
    fake_huawei.fail("batchSendSms", 429, retry_after="2")
    with make_client(fake_huawei) as client, pytest.raises(RateLimitError) as info:
        client.send()
    assert (
        info.value.retry_after == 2.0 and info.value.status_code == 429 and info.value.attempts == 1
    )
    assert fake_huawei.count("batchSendSms") == 1


def test_send_connection_refused_is_retried(sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = CountingTransport()
    client = rt_support.Client(
        base_url=f"http://127.0.0.1:{port}",
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        retry=FAST,
        transport=transport,
        from_env=False,
    )
    with client, pytest.raises(ApiConnectionError) as info:
        client.send()
    assert type(info.value) is ApiConnectionError
    assert info.value.attempts == 3 and info.value.request_sent is False and transport.attempts == 3
    assert len(sleeps) == 2 and all(0 <= s <= 0.02 for s in sleeps)


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
)
def test_send_that_never_left_is_retried_and_sent_once(
    fake_huawei: FakeHuawei, error: Exception, sleeps: list[float]
) -> None:
    transport = CountingTransport([error])
    with make_client(fake_huawei, transport=transport) as client:
        assert client.send().status_code == 200
    assert transport.attempts == 2 and fake_huawei.count("batchSendSms") == 1 and len(sleeps) == 1


@pytest.mark.parametrize(
    "error", [httpx.ReadError("reset"), httpx.WriteError("pipe"), httpx.RemoteProtocolError("eof")]
)
def test_send_after_an_ambiguous_failure_is_not_retried(
    fake_huawei: FakeHuawei, error: Exception
) -> None:
    transport = CountingTransport([error])
    with (
        make_client(fake_huawei, transport=transport) as client,
        pytest.raises(ApiConnectionError) as info,
    ):
        client.send()
    assert transport.attempts == 1 and info.value.request_sent
    assert isinstance(info.value.__cause__, type(error))


def test_result_code_failure_on_http_200(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond(
        "batchSendSms", 200, {"code": "E000510", "description": "The SMS is rejected."}
    )
    with make_client(fake_huawei) as client, pytest.raises(ResultCodeError) as info:
        client.send()
    exc = info.value
    assert (exc.status_code, exc.error_code, exc.error_message) == (
        200,
        "E000510",
        "The SMS is rejected.",
    )
    assert fake_huawei.count("batchSendSms") == 1


def test_sms_validation_error(fake_huawei: FakeHuawei) -> None:
    with make_client(fake_huawei) as client, pytest.raises(BadRequestError) as info:
        client._call(rt_support.BATCH_SEND_SMS, rt_support.send_data(to=""), rt_support.decode_send)
    assert info.value.error_code == "E000503" and "to missing" in (info.value.error_message or "")


def test_malformed_json_names_the_root_and_keeps_the_body(fake_huawei: FakeHuawei) -> None:
    fake_huawei.malformed_json("batchSendSms")
    with make_client(fake_huawei) as client, pytest.raises(ApiDecodeError) as info:
        client.send()
    assert info.value.path == "$" and info.value.body == b'{"code": "000000", "result": ['
    assert info.value.status_code == 200 and fake_huawei.count("batchSendSms") == 1


def test_wrong_field_type_names_the_json_path(fake_huawei: FakeHuawei) -> None:
    body = {
        "code": "000000",
        "description": "Success",
        "result": [
            {
                "smsMsgId": "m1",
                "originTo": "+86138",
                "status": "000000",
                "createTime": "2024-01-01T00:00:00Z",
            },
            {
                "smsMsgId": "m2",
                "originTo": "+86139",
                "status": 123,
                "createTime": "2024-01-01T00:00:00Z",
            },
        ],
    }
    fake_huawei.respond("batchSendSms", 200, body)
    with make_client(fake_huawei) as client, pytest.raises(ApiDecodeError) as info:
        client.send()
    assert info.value.path == "$.result[1].status" and b'"status": 123' in info.value.body
    assert "expected string, got number" in str(info.value)


def test_per_recipient_failures_are_data(fake_huawei: FakeHuawei) -> None:
    fake_huawei.recipient_status["+8613800000002"] = "E200028"
    with make_client(fake_huawei) as client:
        results = client.send(to="+8613800000001,+8613800000002").parsed
    failed = failed_recipients(results)
    assert [(r["originTo"], r["status"]) for r in failed] == [("+8613800000002", "E200028")]


# -- idempotent calls: retried ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["reset_before_body", "reset_after_body"])
def test_get_is_retried_after_a_reset(
    fake_huawei: FakeHuawei, fault: str, sleeps: list[float]
) -> None:
    getattr(fake_huawei, fault)("listApps")
    with make_client(fake_huawei) as client:
        assert client.list_apps().parsed["total"] == 1
    assert fake_huawei.count("listApps") == 2 and len(sleeps) == 1


def test_get_is_retried_after_a_read_timeout(fake_huawei: FakeHuawei, sleeps: list[float]) -> None:
    fake_huawei.slow("listApps", 1.5)
    with make_client(fake_huawei) as client:
        assert client.list_apps(options=RequestOptions(timeout=0.3)).status_code == 200
    assert fake_huawei.count("listApps") == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_is_retried_on_transient_statuses(
    fake_huawei: FakeHuawei, status: int, sleeps: list[float]
) -> None:
    fake_huawei.fail("listApps", status, times=2)
    with make_client(fake_huawei) as client:
        assert client.list_apps().status_code == 200
    assert fake_huawei.count("listApps") == 3
    assert len(sleeps) == 2 and sleeps[0] <= 0.01 and sleeps[1] <= 0.02


def test_get_gives_up_after_the_budget(fake_huawei: FakeHuawei, sleeps: list[float]) -> None:
    fake_huawei.fail("listApps", 503, times=5)
    with make_client(fake_huawei) as client, pytest.raises(ServerError) as info:
        client.list_apps()
    assert (
        info.value.attempts == 3
        and info.value.status_code == 503
        and info.value.error_code == "MSGSMS.503"
    )
    assert fake_huawei.count("listApps") == 3


def test_get_500_is_not_retried(fake_huawei: FakeHuawei) -> None:
    fake_huawei.fail("listApps", 500)
    with make_client(fake_huawei) as client, pytest.raises(ServerError) as info:
        client.list_apps()
    assert info.value.attempts == 1 and fake_huawei.count("listApps") == 1


def test_retry_after_seconds_is_honoured(fake_huawei: FakeHuawei, sleeps: list[float]) -> None:
    fake_huawei.fail("listApps", 429, retry_after="3")
    with make_client(fake_huawei) as client:
        assert client.list_apps().status_code == 200
    assert sleeps == [3.0] and fake_huawei.count("listApps") == 2


def test_retry_after_http_date_is_honoured(fake_huawei: FakeHuawei, sleeps: list[float]) -> None:
    fake_huawei.fail(
        "listApps", 503, retry_after=email.utils.formatdate(time.time() + 4, usegmt=True)
    )
    with make_client(fake_huawei) as client:
        client.list_apps()
    assert len(sleeps) == 1 and 2.0 <= sleeps[0] <= 4.0


def test_retry_after_above_the_cap_is_not_waited_for(
    fake_huawei: FakeHuawei, sleeps: list[float]
) -> None:
    fake_huawei.fail("listApps", 429, retry_after="3600")
    with make_client(fake_huawei) as client, pytest.raises(RateLimitError) as info:
        client.list_apps()
    assert info.value.retry_after == 3600.0 and sleeps == [] and fake_huawei.count("listApps") == 1


def test_real_sleep_between_retries_is_short(fake_huawei: FakeHuawei) -> None:
    fake_huawei.fail("listApps", 503, retry_after="0")
    start = time.monotonic()
    with make_client(fake_huawei) as client:
        client.list_apps()
    assert time.monotonic() - start < 1.0 and fake_huawei.count("listApps") == 2


def test_per_call_retry_override(fake_huawei: FakeHuawei) -> None:
    fake_huawei.fail("listApps", 503, times=2)
    with make_client(fake_huawei) as client, pytest.raises(ServerError) as info:
        client.list_apps(options=RequestOptions(max_retries=0))
    assert info.value.attempts == 1 and fake_huawei.count("listApps") == 1


def test_per_call_headers_are_sent(fake_huawei: FakeHuawei) -> None:
    with make_client(fake_huawei) as client:
        client.list_apps(options=RequestOptions(extra_headers={"X-Trace": "t-1"}))
    assert fake_huawei.requests_for("listApps")[0].header("X-Trace") == "t-1"


def test_user_supplied_http_client_is_used_and_left_open(fake_huawei: FakeHuawei) -> None:
    http = httpx.Client(headers={"X-Mine": "1"}, timeout=3.0)
    client = make_client(fake_huawei, http_client=http, timeout=rt_support.runtime._types.UNSET)
    client.list_apps()
    client.close()
    assert not http.is_closed and fake_huawei.requests_for("listApps")[0].header("X-Mine") == "1"
    http.close()


def test_wrong_kind_of_http_client_is_refused() -> None:
    with pytest.raises(TypeError):
        rt_support.Client(http_client=httpx.AsyncClient(), from_env=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rt_support.AsyncClient(transport=httpx.HTTPTransport(), from_env=False)


def test_default_timeouts_are_on() -> None:
    client = rt_support.Client(from_env=False)
    timeout = client._http.timeout
    assert (
        timeout.connect == 5.0
        and timeout.read == 30.0
        and timeout.write == 30.0
        and timeout.pool == 10.0
    )


# -- async: the same loop, driven by the async client ------------------------------------------------------


def make_async(fake: FakeHuawei, **kwargs: Any) -> rt_support.AsyncClient:
    options: dict[str, Any] = dict(
        base_url=fake.url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        ak=FAKE_AK,
        sk=FAKE_SK,
        project_id=FAKE_PROJECT_ID,
        retry=FAST,
        from_env=False,
    )
    options.update(kwargs)
    return rt_support.AsyncClient(**options)


@pytest.mark.anyio
async def test_async_send_and_list(fake_huawei: FakeHuawei) -> None:
    async with make_async(fake_huawei) as client:
        assert (await client.send()).parsed[0]["status"] == "000000"
        assert (await client.list_apps()).parsed["total"] == 1


@pytest.mark.anyio
async def test_async_send_is_never_retried_after_reaching_the_server(
    fake_huawei: FakeHuawei,
) -> None:
    fake_huawei.reset_after_body("batchSendSms")
    fake_huawei.fail("batchSendSms", 503)
    async with make_async(fake_huawei) as client:
        with pytest.raises(ApiConnectionError):
            await client.send()
        with pytest.raises(ServerError):
            await client.send()
    assert fake_huawei.count("batchSendSms") == 2


@pytest.mark.anyio
async def test_async_get_is_retried(fake_huawei: FakeHuawei) -> None:
    fake_huawei.reset_after_body("listApps")
    fake_huawei.fail("listApps", 502)
    async with make_async(fake_huawei) as client:
        assert (await client.list_apps()).status_code == 200
    assert fake_huawei.count("listApps") == 3


@pytest.mark.anyio
async def test_async_timeout(fake_huawei: FakeHuawei) -> None:
    fake_huawei.slow("batchSendSms", 1.5)
    async with make_async(fake_huawei) as client:
        with pytest.raises(ApiTimeoutError) as info:
            await client.send(options=RequestOptions(timeout=0.3))
    assert info.value.attempts == 1 and fake_huawei.count("batchSendSms") == 1
