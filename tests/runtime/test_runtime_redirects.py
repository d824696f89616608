"""Redirects with a caller's ``httpx.Client(follow_redirects=True)``: two fake servers on 127.0.0.1, two origins.

Origin A answers 307 or 302 pointing at origin B (same host, another port); B records what arrives. No
credential the runtime adds (WSSE, AK/SK signature and its headers, IAM token, security token, bearer,
basic, API keys in a header, the query or a cookie) may reach B, and a body is never re-sent to B. A
redirect to A itself is followed and authenticated again (A verifies the signature, the WSSE digest, the
token).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.runtime import rt_support
from tests.fake_huawei import (
    FAKE_AK,
    FAKE_APP_KEY,
    FAKE_APP_SECRET,
    FAKE_DOMAIN,
    FAKE_PASSWORD,
    FAKE_PROJECT_ID,
    FAKE_SK,
    FAKE_USER,
    FakeHuawei,
)

from apigen_runtime._base_client import (
    AsyncAPIClient,
    RequestData,
    RequestOptions,
    SyncAPIClient,
)
from apigen_runtime._credentials import ApiKey, BasicAuth, BearerToken
from apigen_runtime._errors import ApiRedirectError
from apigen_runtime._operation import ApiInfo, Operation, SecurityScheme, Server
from apigen_runtime._retry import NO_RETRY

SEND_OK = {
    "code": "000000",
    "description": "Success",
    "result": [
        {
            "smsMsgId": "fake-1",
            "originTo": "+8613800000001",
            "status": "000000",
            "createTime": "2026-12-01T00:00:00Z",
        }
    ],
}
# what reaches B on a GET that carries nothing of ours (httpx adds accept, accept-encoding, connection)
BARE_GET = {"host", "accept", "accept-encoding", "connection", "user-agent"}


@pytest.fixture
def other_origin() -> Iterator[FakeHuawei]:
    """Origin B: records every request, answers 200 ``SEND_OK`` without checking anything."""
    with FakeHuawei(verify_auth=False) as fake:
        fake.respond(None, 200, SEND_OK, times=100)
        yield fake


def following(**kwargs: Any) -> httpx.Client:
    return httpx.Client(follow_redirects=True, timeout=5.0, **kwargs)


def sms_client(fake: FakeHuawei, http: httpx.Client, **kwargs: Any) -> rt_support.Client:
    return rt_support.Client(
        base_url=fake.url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        retry=NO_RETRY,
        from_env=False,
        http_client=http,
        **kwargs,
    )


def only(fake: FakeHuawei) -> Any:
    assert len(fake.requests) == 1, [(r.method, r.path) for r in fake.requests]
    return fake.requests[0]


# -- SMS sending (POST): WSSE and application AK/SK ------------------------------------------------------


@pytest.mark.parametrize("preference", [("wsse",), ()], ids=["wsse", "app-aksk"])
def test_a_307_to_another_origin_is_not_followed_and_the_sms_not_resent(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei, preference: tuple[str, ...]
) -> None:
    target = other_origin.url + "/sms/batchSendSms/v1"
    fake_huawei.respond("batchSendSms", 307, headers={"Location": target})
    with (
        following() as http,
        sms_client(fake_huawei, http, auth_preference=preference) as c,
    ):
        with pytest.raises(ApiRedirectError) as caught:
            c.send()
    assert str(caught.value) == (
        "batchSendSms: HTTP 307 redirect not followed: it would re-send the request body to "
        f"another origin (http://127.0.0.1:{other_origin.port})"
    )
    assert caught.value.status_code == 307
    assert other_origin.requests == []
    assert fake_huawei.count("batchSendSms") == 1


@pytest.mark.parametrize("preference", [("wsse",), ()], ids=["wsse", "app-aksk"])
def test_a_302_to_another_origin_becomes_a_bare_get(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei, preference: tuple[str, ...]
) -> None:
    fake_huawei.respond(
        "batchSendSms", 302, headers={"Location": other_origin.url + "/landing?x=1"}
    )
    with (
        following() as http,
        sms_client(fake_huawei, http, auth_preference=preference) as c,
    ):
        response = c.send()
    assert response.status_code == 200
    sent = fake_huawei.requests[0]
    assert ("x-wsse" in sent.headers) == (preference == ("wsse",))  # A did get the credentials
    got = only(other_origin)
    assert (got.method, got.path, got.query, got.body) == (
        "GET",
        "/landing",
        [("x", "1")],
        b"",
    )
    assert set(got.headers) == BARE_GET
    assert got.header("host") == f"127.0.0.1:{other_origin.port}"


@pytest.mark.parametrize("preference", [("wsse",), ()], ids=["wsse", "app-aksk"])
def test_a_307_to_the_same_origin_is_sent_again_and_authenticated(
    fake_huawei: FakeHuawei, preference: tuple[str, ...]
) -> None:
    fake_huawei.respond("batchSendSms", 307, headers={"Location": "/sms/batchSendSms/v1"})
    with (
        following() as http,
        sms_client(fake_huawei, http, auth_preference=preference) as c,
    ):
        response = c.send()
    assert response.parsed[0]["status"] == "000000"  # A verified the second request's credentials
    first, second = fake_huawei.requests_for("batchSendSms")
    assert (second.method, second.body, second.status) == ("POST", first.body, 200)
    header = "x-wsse" if preference else "x-sdk-date"
    assert first.header(header) and second.header(header)  # A rejects a replayed WSSE nonce


def test_a_redirect_back_to_the_first_origin_stays_unauthenticated(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    other_origin.clear()
    other_origin.respond(None, 302, headers={"Location": fake_huawei.url + "/v3/projects"})
    fake_huawei.respond("batchSendSms", 302, headers={"Location": other_origin.url + "/hop"})
    fake_huawei.respond("listProjects", 200, {"projects": []})
    with following() as http, sms_client(fake_huawei, http) as client:
        client.send()
    back = fake_huawei.requests_for("listProjects")[0]
    assert set(back.headers) == BARE_GET


# -- management API (GET): IAM token, account AK/SK with a security token --------------------------------


def test_an_iam_token_is_not_carried_to_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.respond("listApps", 307, headers={"Location": other_origin.url + "/apps"})
    with following() as http:
        client = rt_support.Client(
            base_url=fake_huawei.url,
            iam_username=FAKE_USER,
            iam_password=FAKE_PASSWORD,
            iam_domain=FAKE_DOMAIN,
            project_id=FAKE_PROJECT_ID,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
        )
        client.list_apps()
    assert fake_huawei.requests_for("listApps")[0].header("x-auth-token") in fake_huawei.tokens
    got = only(other_origin)
    assert (got.method, got.path) == ("GET", "/apps")
    assert set(got.headers) == BARE_GET


def test_an_iam_token_redirected_to_the_same_origin_is_sent_again(
    fake_huawei: FakeHuawei,
) -> None:
    path = f"/v2/{FAKE_PROJECT_ID}/msgsms/apps"
    fake_huawei.respond("listApps", 308, headers={"Location": path + "?offset=0"})
    with following() as http:
        client = rt_support.Client(
            base_url=fake_huawei.url,
            iam_username=FAKE_USER,
            iam_password=FAKE_PASSWORD,
            iam_domain=FAKE_DOMAIN,
            project_id=FAKE_PROJECT_ID,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
        )
        assert client.list_apps().status_code == 200
    first, second = fake_huawei.requests_for("listApps")
    assert second.query == [("offset", "0")] and second.status == 200
    assert second.header("x-auth-token") == first.header("x-auth-token")


def test_account_keys_and_security_token_are_not_carried_to_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.respond("listApps", 302, headers={"Location": other_origin.url + "/apps"})
    with following() as http:
        client = rt_support.Client(
            base_url=fake_huawei.url,
            ak=FAKE_AK,
            sk=FAKE_SK,
            security_token="FAKE-security-token-1",
            project_id=FAKE_PROJECT_ID,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
            headers={"X-Auth-Token": "FAKE-user-set-token", "X-Trace": "kept"},
        )
        client.list_apps()
    sent = fake_huawei.requests_for("listApps")[0]
    assert {"authorization", "x-sdk-date", "x-security-token", "x-project-id"} <= set(sent.headers)
    got = only(other_origin)
    assert set(got.headers) == BARE_GET | {"x-trace"}


def test_account_keys_redirected_to_the_same_origin_are_signed_again(
    fake_huawei: FakeHuawei,
) -> None:
    path = f"/v2/{FAKE_PROJECT_ID}/msgsms/apps"
    fake_huawei.respond("listApps", 301, headers={"Location": path + "?limit=5"})
    with following() as http:
        client = rt_support.Client(
            base_url=fake_huawei.url,
            ak=FAKE_AK,
            sk=FAKE_SK,
            security_token="FAKE-security-token-1",
            project_id=FAKE_PROJECT_ID,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
        )
        assert client.list_apps().status_code == 200  # A verified the new signature (new query)
    first, second = fake_huawei.requests_for("listApps")
    assert second.header("x-security-token") == "FAKE-security-token-1"
    assert second.header("authorization") != first.header("authorization")


# -- generic schemes: bearer, basic, API key in a header, the query or a cookie --------------------------

THING = Operation(
    "getThing", "GET", "/things", "things", (Server("http://unused"),), (("scheme",),)
)


def generic_client(
    cls: type[SyncAPIClient] | type[AsyncAPIClient],
    scheme: SecurityScheme,
    **kwargs: Any,
) -> Any:
    api = ApiInfo(
        title="Things",
        version="1",
        package="things",
        package_version="0.0.1",
        security_schemes={"scheme": scheme},
        operations={"getThing": THING},
    )
    return type("ThingsClient", (rt_support.Configured, cls), {"_api": api})(
        retry=NO_RETRY, from_env=False, **kwargs
    )


GENERIC = {
    "bearer": (
        SecurityScheme("scheme", "http", scheme="bearer"),
        BearerToken("FAKE-bearer-1"),
    ),
    "basic": (
        SecurityScheme("scheme", "http", scheme="basic"),
        BasicAuth("fake-user", "FAKE-basic-pw"),
    ),
    "header-key": (
        SecurityScheme("scheme", "apiKey", location="header", parameter="X-Api-Key"),
        ApiKey("FAKE-key-h"),
    ),
    "query-key": (
        SecurityScheme("scheme", "apiKey", location="query", parameter="appid"),
        ApiKey("FAKE-key-q"),
    ),
    "cookie-key": (
        SecurityScheme("scheme", "apiKey", location="cookie", parameter="session"),
        ApiKey("FAKE-key-c"),
    ),
}
# where each credential shows up at origin A
PRESENT = {
    "bearer": ("authorization", "Bearer FAKE-bearer-1"),
    "basic": ("authorization", "Basic ZmFrZS11c2VyOkZBS0UtYmFzaWMtcHc="),
    "header-key": ("x-api-key", "FAKE-key-h"),
    "query-key": ("?appid", "FAKE-key-q"),
    "cookie-key": ("cookie", "trace=on; session=FAKE-key-c"),
}


def arrived(record: Any, where: str) -> str | None:
    if where.startswith("?"):
        return dict(record.query).get(where[1:])
    return record.header(where)


def thing_data() -> RequestData:
    return RequestData(cookies=[("trace", "on")])


@pytest.mark.parametrize("status", [307, 302])
@pytest.mark.parametrize("kind", sorted(GENERIC))
def test_generic_credentials_are_not_carried_to_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei, kind: str, status: int
) -> None:
    fake_huawei.verify_auth = False
    # B's URL echoes the query key, and a token: both are removed
    echo = "appid=FAKE-key-q&" if kind == "query-key" else ""
    location = f"{other_origin.url}/b?{echo}access_token=FAKE-echo&page=2"
    fake_huawei.respond(None, status, headers={"Location": location})
    scheme, credential = GENERIC[kind]
    with following() as http:
        client = generic_client(
            SyncAPIClient,
            scheme,
            credentials=[credential],
            base_url=fake_huawei.url,
            http_client=http,
        )
        client._call(THING, thing_data(), lambda r: r.json())
    where, value = PRESENT[kind]
    assert arrived(only(fake_huawei), where) == value
    got = only(other_origin)
    assert (got.method, got.path, got.query) == ("GET", "/b", [("page", "2")])
    assert set(got.headers) == BARE_GET


@pytest.mark.parametrize("kind", sorted(GENERIC))
def test_generic_credentials_follow_a_same_origin_redirect(
    fake_huawei: FakeHuawei, kind: str
) -> None:
    fake_huawei.verify_auth = False
    fake_huawei.respond(None, 307, headers={"Location": "/things/moved"})
    fake_huawei.respond(None, 200, {"ok": True})
    scheme, credential = GENERIC[kind]
    with following() as http:
        client = generic_client(
            SyncAPIClient,
            scheme,
            credentials=[credential],
            base_url=fake_huawei.url,
            http_client=http,
        )
        assert client._call(THING, thing_data(), lambda r: r.json()).parsed == {"ok": True}
    first, second = fake_huawei.requests
    where, value = PRESENT[kind]
    assert second.path == "/things/moved"
    assert arrived(first, where) == arrived(second, where) == value


@pytest.mark.anyio
async def test_the_async_client_strips_credentials_on_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.verify_auth = False
    fake_huawei.respond(None, 307, headers={"Location": other_origin.url + "/b"})
    scheme, credential = GENERIC["header-key"]
    async with httpx.AsyncClient(follow_redirects=True, timeout=5.0) as http:
        client = generic_client(
            AsyncAPIClient,
            scheme,
            credentials=[credential],
            base_url=fake_huawei.url,
            http_client=http,
        )
        await client._call(THING, thing_data(), lambda r: r.json())
    assert set(only(other_origin).headers) == BARE_GET


@pytest.mark.anyio
async def test_the_async_client_refuses_to_resend_a_body_to_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.respond("batchSendSms", 308, headers={"Location": other_origin.url + "/x"})
    async with httpx.AsyncClient(follow_redirects=True, timeout=5.0) as http:
        client = rt_support.AsyncClient(
            base_url=fake_huawei.url,
            app_key=FAKE_APP_KEY,
            app_secret=FAKE_APP_SECRET,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
        )
        with pytest.raises(ApiRedirectError, match="HTTP 308 redirect not followed"):
            await client.send()
    assert other_origin.requests == []


# -- the caller's settings ---------------------------------------------------------------------------


def test_without_follow_redirects_the_redirect_is_not_followed(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.verify_auth = False
    fake_huawei.respond(None, 302, headers={"Location": other_origin.url + "/b"})
    scheme, credential = GENERIC["bearer"]
    with httpx.Client(timeout=5.0) as http:  # follow_redirects=False, httpx's default
        client = generic_client(
            SyncAPIClient,
            scheme,
            credentials=[credential],
            base_url=fake_huawei.url,
            http_client=http,
        )
        response = client._call(THING, thing_data(), lambda r: r.status_code)
    assert response.parsed == 302
    assert other_origin.requests == []


def test_max_redirects_is_respected(fake_huawei: FakeHuawei) -> None:
    fake_huawei.verify_auth = False
    fake_huawei.respond(None, 307, headers={"Location": "/things"}, times=5)
    scheme, credential = GENERIC["bearer"]
    with httpx.Client(follow_redirects=True, max_redirects=2, timeout=5.0) as http:
        client = generic_client(
            SyncAPIClient,
            scheme,
            credentials=[credential],
            base_url=fake_huawei.url,
            http_client=http,
        )
        with pytest.raises(ApiRedirectError) as caught:
            client._call(THING, thing_data(), lambda r: r.json(), RequestOptions())
    assert str(caught.value) == (
        "getThing: HTTP 307 redirect not followed: more than 2 redirects (max_redirects)"
    )
    assert len(fake_huawei.requests) == 3


def test_the_iam_password_is_not_resent_to_another_origin(
    fake_huawei: FakeHuawei, other_origin: FakeHuawei
) -> None:
    fake_huawei.respond("createToken", 307, headers={"Location": other_origin.url + "/tokens"})
    with following() as http:
        client = rt_support.Client(
            base_url=fake_huawei.url,
            iam_username=FAKE_USER,
            iam_password=FAKE_PASSWORD,
            iam_domain=FAKE_DOMAIN,
            project_id=FAKE_PROJECT_ID,
            retry=NO_RETRY,
            from_env=False,
            http_client=http,
        )
        with pytest.raises(ApiRedirectError) as caught:
            client.list_apps()
    assert str(caught.value) == (
        "createToken: HTTP 307 redirect not followed: it would re-send the request body to "
        f"another origin (http://127.0.0.1:{other_origin.port})"
    )
    assert other_origin.requests == []
    assert fake_huawei.count("listApps") == 0
