"""Response size: ``max_response_size`` (default 32 MiB) is enforced while streaming; error bodies are cut.

A server on 127.0.0.1 streams 50 MB (chunked, or under a large ``Content-Length``); a counting transport
measures the bytes the client really pulled off the connection: at most the limit plus one read, and none
at all when the declared length is already too large. The server sees the connection closed early.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from tests.runtime import rt_support
from tests.fake_huawei import FAKE_APP_KEY, FAKE_APP_SECRET, FakeHuawei
from tests.runtime.rt_stream import StreamingServer

from apigen_runtime._base_client import (
    DEFAULT_MAX_RESPONSE_SIZE,
    AsyncAPIClient,
    RequestData,
    RequestOptions,
    SyncAPIClient,
)
from apigen_runtime._credentials import BearerToken
from apigen_runtime._iam import IamToken
from apigen_runtime._errors import (
    ApiDecodeError,
    ResponseTooLargeError,
    ServerError,
    UnauthorizedError,
    truncate_body,
)
from apigen_runtime._operation import ApiInfo, Operation, SecurityScheme, Server
from apigen_runtime._retry import NO_RETRY

BIG = 50_000_000
READ = 64 * 1024  # the most httpcore reads from the socket at once
MIB32 = 32 * 1024 * 1024

GET_BIG = Operation("getBig", "GET", "/big", "big", (Server("http://unused"),))
TOKEN_BIG = Operation(
    "getBigWithToken", "GET", "/big", "big", (Server("http://unused"),), (("iam",),)
)
API = ApiInfo(
    title="Big",
    version="1",
    package="big",
    package_version="0.0.1",
    security_schemes={"iam": SecurityScheme("iam", "iam-token", parameter="X-Auth-Token")},
    operations={"getBig": GET_BIG, "getBigWithToken": TOKEN_BIG},
)


class BigClient(rt_support.Configured, SyncAPIClient):
    _api = API


class AsyncBigClient(rt_support.Configured, AsyncAPIClient):
    _api = API


class _Counted(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, counter: list[int]) -> None:
        self._inner, self._counter = inner, counter

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._counter[0] += len(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _ACounted(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, counter: list[int]) -> None:
        self._inner, self._counter = inner, counter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._counter[0] += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class CountingTransport(httpx.HTTPTransport):
    """Counts the body bytes the client reads from the connection (``read``)."""

    def __init__(self) -> None:
        super().__init__()
        self.counter = [0]

    @property
    def read(self) -> int:
        return self.counter[0]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _Counted(response.stream, self.counter)
        return response


class AsyncCountingTransport(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.counter = [0]

    @property
    def read(self) -> int:
        return self.counter[0]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ACounted(response.stream, self.counter)
        return response


def client(server: StreamingServer, transport: Any, **kwargs: Any) -> Any:
    cls = AsyncBigClient if isinstance(transport, httpx.AsyncBaseTransport) else BigClient
    return cls(base_url=server.url, transport=transport, retry=NO_RETRY, from_env=False, **kwargs)


def message(limit: int, declared: int | None = None) -> str:
    stated = f" (Content-Length: {declared})" if declared is not None else ""
    return (
        f"getBig: the response body is larger than max_response_size ({limit} bytes){stated}; "
        "not read further"
    )


def assert_stopped_early(server: StreamingServer) -> None:
    assert server.done.wait(10), "the server is still sending"
    assert server.closed_early and server.sent < server.total


# -- sync -----------------------------------------------------------------------------------------


def test_the_default_limit_is_32_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_SIZE == MIB32


def test_a_chunked_body_stops_at_the_default_limit() -> None:
    transport = CountingTransport()
    with StreamingServer(BIG) as server, client(server, transport) as c:
        with pytest.raises(ResponseTooLargeError) as caught:
            c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value) == message(MIB32)
    assert (caught.value.limit, caught.value.declared, caught.value.status_code) == (
        MIB32,
        None,
        200,
    )
    assert caught.value.body == b""
    assert MIB32 < transport.read <= MIB32 + READ


def test_a_declared_length_above_the_limit_fails_before_reading() -> None:
    transport = CountingTransport()
    with StreamingServer(BIG, chunked=False) as server, client(server, transport) as c:
        with pytest.raises(ResponseTooLargeError) as caught:
            c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value) == message(MIB32, BIG)
    assert transport.read == 0


def test_the_limit_is_a_client_option() -> None:
    transport = CountingTransport()
    with StreamingServer(BIG) as server, client(server, transport, max_response_size=100_000) as c:
        with pytest.raises(ResponseTooLargeError) as caught:
            c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value) == message(100_000)
    assert 100_000 < transport.read <= 100_000 + READ


def test_the_limit_is_a_request_option_and_a_body_at_the_limit_is_read() -> None:
    with StreamingServer(1000, chunk=300) as server, client(server, CountingTransport()) as c:
        response = c._call(
            GET_BIG, RequestData(), lambda r: r.content, RequestOptions(max_response_size=1000)
        )
    assert response.parsed == b"x" * 1000 and response.content == b"x" * 1000
    with StreamingServer(1001, chunk=300) as server, client(server, CountingTransport()) as c:
        with pytest.raises(ResponseTooLargeError) as caught:
            c._call(
                GET_BIG, RequestData(), lambda r: r.content, RequestOptions(max_response_size=1000)
            )
    assert str(caught.value) == message(1000)


def test_an_error_status_with_a_huge_body_fails_on_size_too() -> None:
    transport = CountingTransport()
    with StreamingServer(BIG, status=500) as server, client(server, transport) as c:
        with pytest.raises(ResponseTooLargeError) as caught:
            c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert caught.value.status_code == 500
    assert transport.read <= MIB32 + READ


def test_a_huge_401_is_not_read_by_the_iam_token_refresh() -> None:
    transport = CountingTransport()
    with StreamingServer(BIG, status=401) as server:
        with client(
            server, transport, credentials=[IamToken("FAKE-token-1")], max_response_size=50_000
        ) as c:
            with pytest.raises(ResponseTooLargeError) as caught:
                c._call(TOKEN_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value).startswith("getBigWithToken: the response body is larger than")
    assert transport.read <= 50_000 + READ


@pytest.mark.parametrize("value", [0, -1])
def test_the_limit_must_be_positive(value: int) -> None:
    with pytest.raises(ValueError, match="^max_response_size must be at least 1 byte$"):
        BigClient(base_url="http://127.0.0.1:9", max_response_size=value, from_env=False)


# -- async ----------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_a_chunked_body_stops_at_the_default_limit() -> None:
    transport = AsyncCountingTransport()
    with StreamingServer(BIG) as server:
        async with client(server, transport) as c:
            with pytest.raises(ResponseTooLargeError) as caught:
                await c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value) == message(MIB32)
    assert MIB32 < transport.read <= MIB32 + READ


@pytest.mark.anyio
async def test_async_a_declared_length_above_the_limit_fails_before_reading() -> None:
    transport = AsyncCountingTransport()
    with StreamingServer(BIG, chunked=False) as server:
        async with client(server, transport, max_response_size=1_000_000) as c:
            with pytest.raises(ResponseTooLargeError) as caught:
                await c._call(GET_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert str(caught.value) == message(1_000_000, BIG)
    assert transport.read == 0


@pytest.mark.anyio
async def test_async_a_huge_401_is_not_read_by_the_iam_token_refresh() -> None:
    transport = AsyncCountingTransport()
    with StreamingServer(BIG, status=401) as server:
        async with client(
            server, transport, credentials=[IamToken("FAKE-token-1")], max_response_size=50_000
        ) as c:
            with pytest.raises(ResponseTooLargeError):
                await c._call(TOKEN_BIG, RequestData(), lambda r: r.content)
        assert_stopped_early(server)
    assert transport.read <= 50_000 + READ


# -- the body an error keeps ----------------------------------------------------------------------

MARKER = b"... [truncated: 200000 bytes in all]"


def test_truncate_body_keeps_64_kib_and_a_marker() -> None:
    body = bytes(range(256)) * 1000  # 256000 bytes
    cut = truncate_body(body)
    assert cut == body[: 64 * 1024] + b"... [truncated: 256000 bytes in all]"
    assert truncate_body(body[: 64 * 1024]) == body[: 64 * 1024]


def sms_client(fake: FakeHuawei) -> rt_support.Client:
    return rt_support.Client(
        base_url=fake.url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        retry=NO_RETRY,
        from_env=False,
    )


def test_a_status_error_keeps_a_truncated_body(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond("batchSendSms", 500, raw=b"E" * 200_000)
    with sms_client(fake_huawei) as c, pytest.raises(ServerError) as caught:
        c.send()
    assert caught.value.body == b"E" * 65536 + MARKER
    assert str(caught.value) == f"batchSendSms: HTTP 500 (request id {caught.value.request_id})"


def test_a_decode_error_keeps_a_truncated_body(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond("batchSendSms", 200, raw=b"[" * 200_000)
    with sms_client(fake_huawei) as c, pytest.raises(ApiDecodeError) as caught:
        c.send()
    assert caught.value.body == b"[" * 65536 + MARKER
    assert str(caught.value) == (
        "batchSendSms: cannot decode the response at $: malformed JSON (nested too deeply)"
    )


def test_a_small_error_body_is_kept_whole(fake_huawei: FakeHuawei) -> None:
    fake_huawei.fail("batchSendSms", 500)
    with sms_client(fake_huawei) as c, pytest.raises(ServerError) as caught:
        c.send()
    assert caught.value.body == b'{"code": "E000000", "description": "fake failure 500"}'


def test_an_unauthorized_error_is_raised_with_a_small_body() -> None:
    with StreamingServer(10, status=401) as server:
        with client(server, CountingTransport(), credentials=[BearerToken("FAKE-b")]) as c:
            with pytest.raises(UnauthorizedError) as caught:
                c._call(GET_BIG, RequestData(), lambda r: r.content)
    assert caught.value.body == b"x" * 10
