"""OAuth2 client credentials and password flows against a token endpoint on 127.0.0.1: one token for 50
concurrent calls (threads and tasks), a new one after expiry, and exactly one refresh after a 401."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import anyio
import pytest
from tests.runtime import rt_support
from apigen_runtime._base_client import AsyncAPIClient, RequestData, SyncAPIClient
from apigen_runtime._credentials import BearerToken, OAuth2ClientCredentials, OAuth2Password
from apigen_runtime._errors import ApiTimeoutError, UnauthorizedError
from apigen_runtime._operation import ApiInfo, OAuthFlow, Operation, SecurityScheme, Server
from apigen_runtime._retry import NO_RETRY

from tests.support.recorder import Recorded, Recorder, Reply


class TokenServer:
    """Issues ``tok-N`` tokens at ``POST /token`` and serves ``GET /things`` to the current valid tokens."""

    def __init__(self, recorder: Recorder, lifetime: int = 3600) -> None:
        self.recorder = recorder
        self.lifetime = lifetime
        self.issued: list[str] = []
        self.token_requests: list[Recorded] = []
        self.revoked: set[str] = set()
        self.reject_all = False
        self.delay = 0.05  # slow enough for concurrent callers to pile up behind the first
        self._lock = threading.Lock()
        recorder.respond = self.respond

    def respond(self, request: Recorded) -> Reply:
        if request.path == "/token":
            with self._lock:
                time.sleep(self.delay)
                token = f"tok-{len(self.issued) + 1}"
                self.issued.append(token)
                self.token_requests.append(request)
            return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime})
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.reject_all or token not in self.issued or token in self.revoked:
            return Reply(401, {"error": "invalid_token"})
        return Reply(200, {"token": token})

    def api_calls(self) -> list[Recorded]:
        return [r for r in self.recorder.requests if r.path == "/things"]


@pytest.fixture
def tokens() -> Iterator[TokenServer]:
    with Recorder() as recorder:
        yield TokenServer(recorder)


def _api(url: str) -> tuple[ApiInfo, Operation]:
    op = Operation("listThings", "GET", "/things", "things", (Server(url),), (("oauth",),))
    scheme = SecurityScheme(
        "oauth",
        "oauth2",
        flows=(
            OAuthFlow("clientCredentials", "/token", ("read", "write")),
            OAuthFlow("password", url + "/token", ("read",)),
        ),
    )
    return ApiInfo("Things", "1", "things", "0.0.1", {"oauth": scheme}, {"listThings": op}), op


def _client(tokens: TokenServer, credential: Any, is_async: bool = False) -> Any:
    api, _ = _api(tokens.recorder.url)
    base = AsyncAPIClient if is_async else SyncAPIClient
    cls = type("ThingsClient", (base,), {"_api": api})
    return cls(credentials=[credential], retry=NO_RETRY)


def _decode(response: Any) -> Any:
    return json.loads(response.content)


CLIENT = OAuth2ClientCredentials("fake-client", "FAKE-client-secret", "oauth")


def test_client_credentials_token_request_and_bearer(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    with _client(tokens, CLIENT) as client:
        assert client._call(op, RequestData(), _decode).parsed == {"token": "tok-1"}
    (request,) = tokens.token_requests
    assert request.method == "POST"
    assert dict(parse_qsl(request.body.decode())) == {"grant_type": "client_credentials", "scope": "read write"}
    expected = base64.b64encode(b"fake-client:FAKE-client-secret").decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert tokens.api_calls()[0].headers["authorization"] == "Bearer tok-1"


def test_password_flow_sends_the_owner_and_the_client(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    owner = OAuth2Password("fake-owner", "FAKE-owner-pw", "fake-client", "FAKE-client-secret", "oauth")
    with _client(tokens, owner) as client:
        client._call(op, RequestData(), _decode)
    (request,) = tokens.token_requests
    assert dict(parse_qsl(request.body.decode())) == {
        "grant_type": "password",
        "username": "fake-owner",
        "password": "FAKE-owner-pw",
        "scope": "read",
    }


def test_one_token_for_50_concurrent_threads(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    with _client(tokens, CLIENT) as client:
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda: results.append(client._call(op, RequestData(), _decode).parsed))
            for _ in range(50)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(tokens.token_requests) == 1
    assert results == [{"token": "tok-1"}] * 50


@pytest.mark.anyio
async def test_one_token_for_50_concurrent_tasks(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    results: list[Any] = []
    async with _client(tokens, CLIENT, is_async=True) as client:

        async def one() -> None:
            results.append((await client._call(op, RequestData(), _decode)).parsed)

        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(one)
    assert len(tokens.token_requests) == 1
    assert results == [{"token": "tok-1"}] * 50


def test_a_with_options_copy_fetches_with_its_timeout_into_the_shared_cache(tokens: TokenServer) -> None:
    tokens.delay = 1.5
    _, op = _api(tokens.recorder.url)
    with _client(tokens, CLIENT) as client:
        impatient = client.with_options(timeout=0.5)
        with pytest.raises(ApiTimeoutError):
            impatient._call(op, RequestData(), _decode)  # the copy's token request gave up after 0.5 s
        tokens.delay = 0.05
        assert client._call(op, RequestData(), _decode).parsed == {"token": "tok-2"}  # 30 s: it waits
        assert impatient._call(op, RequestData(), _decode).parsed == {"token": "tok-2"}  # shared
    assert len(tokens.token_requests) == 2 and len(tokens.api_calls()) == 2


@pytest.mark.anyio
async def test_async_copies_made_before_the_first_fetch_share_one_token(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    async with _client(tokens, CLIENT, is_async=True) as client:
        copies = [client, *(client.with_options(headers={"X-Copy": str(i)}) for i in range(9))]

        async def one(each: Any) -> None:
            assert (await each._call(op, RequestData(), _decode)).parsed == {"token": "tok-1"}

        async with anyio.create_task_group() as group:
            for each in copies:
                group.start_soon(one, each)
    assert len(tokens.token_requests) == 1 and len(tokens.api_calls()) == 10


def test_a_new_token_after_expiry(tokens: TokenServer) -> None:
    tokens.lifetime = 1  # kept half its life at least: valid 0.5 s here
    _, op = _api(tokens.recorder.url)
    with _client(tokens, CLIENT) as client:
        client._call(op, RequestData(), _decode)
        client._call(op, RequestData(), _decode)
        assert len(tokens.token_requests) == 1
        time.sleep(0.7)
        assert client._call(op, RequestData(), _decode).parsed == {"token": "tok-2"}
    assert len(tokens.token_requests) == 2


def test_a_rejected_token_is_refreshed_once(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    with _client(tokens, CLIENT) as client:
        client._call(op, RequestData(), _decode)
        tokens.revoked.add("tok-1")  # the server stops accepting it before it expires
        assert client._call(op, RequestData(), _decode).parsed == {"token": "tok-2"}
        assert len(tokens.token_requests) == 2
        tokens.reject_all = True  # a fresh token is refused too: one refresh, then the error
        with pytest.raises(UnauthorizedError):
            client._call(op, RequestData(), _decode)
    assert len(tokens.token_requests) == 3
    assert [r.headers["authorization"] for r in tokens.api_calls()] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
        "Bearer tok-2",
        "Bearer tok-3",
    ]


def test_a_refused_token_request_is_an_unauthorized_error(tokens: TokenServer) -> None:
    _, op = _api(tokens.recorder.url)
    tokens.recorder.respond = lambda r: Reply(401, {"error": "invalid_client"})
    with _client(tokens, CLIENT) as client:
        with pytest.raises(UnauthorizedError) as info:
            client._call(op, RequestData(), _decode)
    assert str(info.value) == "oauth token request: HTTP 401 invalid_client"
    assert "FAKE-client-secret" not in repr(info.value)


def test_a_ready_access_token_is_sent_as_is(tokens: TokenServer) -> None:
    tokens.issued.append("FAKE-ready")
    _, op = _api(tokens.recorder.url)
    with _client(tokens, BearerToken("FAKE-ready", "oauth")) as client:
        assert client._call(op, RequestData(), _decode).parsed == {"token": "FAKE-ready"}
    assert tokens.token_requests == []


def test_generated_keywords_make_the_credentials() -> None:
    found = rt_support.runtime._credentials.oauth2_credential(
        "oauth",
        {"client_id": "fake-client", "client_secret": "FAKE-s", "access_token": None},
        {"client_id": "client_id", "client_secret": "client_secret"},
        {"X_OAUTH_ACCESS_TOKEN": "FAKE-env-token"},
        {"client_id": "X_CLIENT_ID", "client_secret": "X_CLIENT_SECRET", "access_token": "X_OAUTH_ACCESS_TOKEN"},
    )
    assert [type(c).__name__ for c in found] == ["BearerToken", "OAuth2ClientCredentials"]
    with pytest.raises(ValueError, match=r"^client_secret is required with client_id$"):
        rt_support.runtime._credentials.oauth2_credential(
            "oauth", {"client_id": "fake-client"}, {"client_secret": "client_secret"}, {}, {}
        )
