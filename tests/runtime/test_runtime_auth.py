"""Authentication chosen per operation: IAM tokens, account and application AK/SK, WSSE, generic schemes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
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

from apigen_runtime import _auth, _credentials, _signing, _wsse
from apigen_runtime._base_client import RequestData
from apigen_runtime._credentials import ApiKey, BasicAuth, BearerToken
from apigen_runtime._iam import IamPassword, IamToken
from apigen_runtime._keys import AccessKey, AppKey
from apigen_runtime._errors import (
    ApiDecodeError,
    ApiError,
    MissingCredentialsError,
    UnauthorizedError,
)
from apigen_runtime._operation import ApiInfo, Operation, SecurityScheme, Server
from apigen_runtime._retry import NO_RETRY

IAM_CREDS = dict(iam_username=FAKE_USER, iam_password=FAKE_PASSWORD, iam_domain=FAKE_DOMAIN)


def iam_client(fake: FakeHuawei, **kwargs: Any) -> rt_support.Client:
    return rt_support.Client(
        base_url=fake.url, retry=NO_RETRY, from_env=False, **{**IAM_CREDS, **kwargs}
    )


# -- IAM token --------------------------------------------------------------------------------------------


def test_token_is_fetched_once_and_reused(fake_huawei: FakeHuawei) -> None:
    with iam_client(fake_huawei) as client:
        for _ in range(3):
            client.list_apps()
        client.create_template("t")
    assert fake_huawei.count("createToken") == 1 and fake_huawei.count("listProjects") == 1
    token = fake_huawei.requests_for("createToken")[0]
    assert token.json() == {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": FAKE_USER,
                        "password": FAKE_PASSWORD,
                        "domain": {"name": FAKE_DOMAIN},
                    }
                },
            },
            "scope": {"project": {"name": "cn-north-4"}},
        }
    }
    issued = next(iter(fake_huawei.tokens))
    assert all(r.header("X-Auth-Token") == issued for r in fake_huawei.requests_for("listApps"))
    assert fake_huawei.requests_for("listProjects")[0].query == [("name", "cn-north-4")]
    assert fake_huawei.requests_for("listApps")[0].path == f"/v2/{FAKE_PROJECT_ID}/msgsms/apps"


def test_token_scope_uses_a_given_project_id_and_skips_project_lookup(
    fake_huawei: FakeHuawei,
) -> None:
    with iam_client(fake_huawei, project_id=FAKE_PROJECT_ID) as client:
        client.list_apps()
    assert fake_huawei.requests_for("createToken")[0].json()["auth"]["scope"] == {
        "project": {"id": FAKE_PROJECT_ID}
    }
    assert fake_huawei.count("listProjects") == 0


def test_domain_scoped_token_body() -> None:
    from apigen_runtime import _iam

    body = json.loads(
        _iam.token_request_body(IamPassword("u", "FAKE-pw", "acme", scope="domain"), "cn-north-4")
    )
    assert body["auth"]["scope"] == {"domain": {"name": "acme"}}


def test_expired_token_is_refreshed_once_and_the_request_retried(fake_huawei: FakeHuawei) -> None:
    with iam_client(fake_huawei, project_id=FAKE_PROJECT_ID) as client:
        client.list_apps()
        fake_huawei.expire_tokens()
        assert client.list_apps().status_code == 200
    assert fake_huawei.count("createToken") == 2
    statuses = [r.status for r in fake_huawei.requests_for("listApps")]
    assert statuses == [200, 401, 200]


def test_a_401_after_refresh_is_raised(fake_huawei: FakeHuawei) -> None:
    body = {
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information",
        "request_id": "r-1",
    }
    fake_huawei.respond("listApps", 401, body, times=2)
    with (
        iam_client(fake_huawei, project_id=FAKE_PROJECT_ID) as client,
        pytest.raises(UnauthorizedError) as info,
    ):
        client.list_apps()
    assert (info.value.error_code, info.value.operation) == ("APIGW.0301", "listApps")
    assert (
        info.value.request_id == info.value.headers["X-Request-Id"]
    )  # the header wins over the body's
    assert fake_huawei.count("listApps") == 2 and fake_huawei.count("createToken") == 2


def test_a_401_on_a_post_is_refreshed_and_sent_again(fake_huawei: FakeHuawei) -> None:
    """A 401 proves the request was rejected before any work: sending it again is safe."""
    with iam_client(fake_huawei, project_id=FAKE_PROJECT_ID) as client:
        client.create_template("one")
        fake_huawei.expire_tokens()
        client.create_template("two")
    assert [r.status for r in fake_huawei.requests_for("createTemplate")] == [200, 401, 200]


def test_wrong_password_is_an_unauthorized_error_of_the_token_operation(
    fake_huawei: FakeHuawei,
) -> None:
    with (
        iam_client(fake_huawei, iam_password="FAKE-wrong-password") as client,
        pytest.raises(UnauthorizedError) as info,
    ):
        client.list_apps()
    assert (info.value.operation, info.value.error_code) == ("createToken", "IAM.0002")
    assert "FAKE-wrong-password" not in str(info.value)
    assert fake_huawei.count("listApps") == 0


def test_ready_token_is_used_and_not_refreshed(fake_huawei: FakeHuawei) -> None:
    token = fake_huawei.issue_token(FAKE_USER, FAKE_PROJECT_ID).value
    with rt_support.Client(
        base_url=fake_huawei.url, iam_token=token, project_id=FAKE_PROJECT_ID, from_env=False
    ) as client:
        client.list_apps()
        fake_huawei.expire_tokens()
        with pytest.raises(UnauthorizedError):
            client.list_apps()
    assert fake_huawei.count("createToken") == 0 and fake_huawei.count("listApps") == 2


def test_token_response_without_the_token_header_is_a_decode_error(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond("createToken", 201, {"token": {"expires_at": "2099-01-01T00:00:00Z"}})
    with iam_client(fake_huawei) as client, pytest.raises(ApiDecodeError) as info:
        client.list_apps()
    assert info.value.operation == "createToken" and info.value.path == "headers.X-Subject-Token"


def test_token_response_with_a_bad_expiry_names_the_path(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond(
        "createToken", 201, {"token": {"expires_at": 12}}, headers={"X-Subject-Token": "FAKE-tok"}
    )
    with iam_client(fake_huawei) as client, pytest.raises(ApiDecodeError) as info:
        client.list_apps()
    assert info.value.path == "$.token.expires_at"


def test_token_lifetime_follows_the_server_clock() -> None:
    from apigen_runtime import _iam

    response = httpx.Response(
        201,
        headers={"X-Subject-Token": "FAKE-t", "Date": "Mon, 01 Jan 2024 00:00:00 GMT"},
        json={"token": {"expires_at": "2024-01-02T00:00:00.000000Z"}},
    )
    assert _iam.parse_token_response(response).lifetime == 86400.0


def test_project_lookup_failure_names_what_to_pass(fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond("listProjects", 200, {"projects": [], "links": {"self": "x"}})
    with iam_client(fake_huawei) as client, pytest.raises(ApiError) as info:
        client.list_apps()
    assert "project_id=" in str(info.value) and "cn-north-4" in str(info.value)


# -- AK/SK ---------------------------------------------------------------------------------------------


def test_account_keys_send_the_project_id(fake_huawei: FakeHuawei) -> None:
    with rt_support.Client(
        base_url=fake_huawei.url, ak=FAKE_AK, sk=FAKE_SK, project_id=FAKE_PROJECT_ID, from_env=False
    ) as c:
        c.list_apps()
    request = fake_huawei.requests_for("listApps")[0]
    assert request.status == 200 and request.header("X-Project-Id") == FAKE_PROJECT_ID
    assert "x-project-id" in (request.header("Authorization") or "")


def test_temporary_account_keys_send_the_security_token(fake_huawei: FakeHuawei) -> None:
    creds = [AccessKey(FAKE_AK, FAKE_SK, security_token="FAKE-security-token-1")]
    with rt_support.Client(
        base_url=fake_huawei.url, credentials=creds, project_id=FAKE_PROJECT_ID, from_env=False
    ) as c:
        c.list_apps()
    request = fake_huawei.requests_for("listApps")[0]
    assert request.status == 200 and request.header("X-Security-Token") == "FAKE-security-token-1"
    assert "x-security-token" in (request.header("Authorization") or "")


def test_wrong_secret_is_rejected_by_the_server(fake_huawei: FakeHuawei) -> None:
    with rt_support.Client(
        base_url=fake_huawei.url, app_key=FAKE_APP_KEY, app_secret="FAKE-wrong", from_env=False
    ) as c:
        with pytest.raises(UnauthorizedError) as info:
            c.send()
    assert info.value.error_code == "APIGW.0301" and fake_huawei.count("batchSendSms") == 1


def test_stale_signature_date_is_rejected(fake_huawei: FakeHuawei) -> None:
    stale = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=20)
    request = httpx.Request(
        "POST",
        fake_huawei.url + "/sms/batchSendSms/v1",
        content=b"from=a&to=b&templateId=c",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    signed = next(
        _signing.SdkHmacAuth(FAKE_APP_KEY, FAKE_APP_SECRET, clock=lambda: stale).sync_auth_flow(
            request
        )
    )
    response = httpx.Client().send(signed)
    assert response.status_code == 401 and response.json()["error_code"] == "APIGW.0303"
    fresh = next(_signing.SdkHmacAuth(FAKE_APP_KEY, FAKE_APP_SECRET).sync_auth_flow(request))
    assert httpx.Client().send(fresh).status_code == 200


def test_the_host_header_keeps_an_explicit_port() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"code": "000000", "result": []})

    client = rt_support.Client(
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        transport=httpx.MockTransport(handler),
        from_env=False,
    )
    client.send()
    request = seen[0]
    assert str(request.url) == "https://smsapi.cn-north-4.myhuaweicloud.com/sms/batchSendSms/v1"
    assert request.headers["Host"] == "smsapi.cn-north-4.myhuaweicloud.com:443"
    assert request.headers["User-Agent"].startswith("huawei_sms_test/0.0.1 ")
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    lower = {k: request.headers[k] for k in request.headers.keys() if _signing.is_signed_header(k)}
    expected = _signing.authorization(
        method="POST",
        raw_path=raw_path,
        raw_query=raw_query,
        headers=lower,
        body=request.content,
        access_key=FAKE_APP_KEY,
        secret_key=FAKE_APP_SECRET,
        sdk_date=request.headers["X-Sdk-Date"],
    )
    assert request.headers["Authorization"] == expected


def test_region_selects_the_server() -> None:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(
        lambda r: seen.append(r) or httpx.Response(200, json={"results": [], "total": 0})
    )
    client = rt_support.Client(
        ak="FAKEAK",
        sk="FAKE-sk",
        project_id="p1",
        region="ap-southeast-1",
        transport=transport,
        from_env=False,
    )
    client.list_apps(offset="0", limit="10")
    assert (
        str(seen[0].url)
        == "https://msgsms.ap-southeast-1.myhuaweicloud.com/v2/p1/msgsms/apps?offset=0&limit=10"
    )


# -- WSSE --------------------------------------------------------------------------------------------------


def test_wsse_digest_is_base64_of_the_hex_sha256() -> None:
    digest = _wsse.password_digest("abc123", "2024-01-02T03:04:05Z", "FAKE-secret")
    hex_digest = hashlib.sha256(b"abc1232024-01-02T03:04:05ZFAKE-secret").hexdigest()
    assert base64.b64decode(digest).decode() == hex_digest


def test_wsse_headers_and_fresh_nonces(fake_huawei: FakeHuawei) -> None:
    with rt_support.Client(
        base_url=fake_huawei.url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        auth_preference=["wsse"],
        from_env=False,
    ) as client:
        client.send()
        client.send()
    first, second = fake_huawei.requests_for("batchSendSms")
    assert first.status == second.status == 200
    assert first.header("Authorization") == 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"'
    pattern = r'UsernameToken Username="([^"]+)",PasswordDigest="([^"]+)",Nonce="([0-9a-f]{32})",Created="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"'
    m1 = re.fullmatch(pattern, first.header("X-WSSE") or "")
    m2 = re.fullmatch(pattern, second.header("X-WSSE") or "")
    assert m1 and m2 and m1[1] == FAKE_APP_KEY and m1[3] != m2[3]


def test_stale_wsse_is_rejected(fake_huawei: FakeHuawei) -> None:
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=25)
    request = httpx.Request(
        "POST",
        fake_huawei.url + "/sms/batchSendSms/v1",
        content=b"from=a&to=b&templateId=c",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    signed = next(
        _wsse.WsseAuth(FAKE_APP_KEY, FAKE_APP_SECRET, clock=lambda: old).sync_auth_flow(request)
    )
    response = httpx.Client().send(signed)
    assert response.status_code == 401 and response.json()["code"] == "E000008"


# -- choosing -----------------------------------------------------------------------------------------------


def test_first_satisfiable_alternative_wins(fake_huawei: FakeHuawei) -> None:
    both = dict(ak=FAKE_AK, sk=FAKE_SK, project_id=FAKE_PROJECT_ID, **IAM_CREDS)
    with rt_support.Client(base_url=fake_huawei.url, from_env=False, **both) as client:
        client.list_apps()
    assert fake_huawei.requests_for("listApps")[0].header(
        "X-Auth-Token"
    )  # iamToken is listed first
    with rt_support.Client(
        base_url=fake_huawei.url, from_env=False, auth_preference=["accountAkSk"], **both
    ) as client:
        client.list_apps()
    assert (fake_huawei.requests_for("listApps")[1].header("Authorization") or "").startswith(
        "SDK-HMAC-SHA256"
    )


def test_missing_credentials_name_what_to_configure() -> None:
    client = rt_support.Client(from_env=False)
    with pytest.raises(MissingCredentialsError) as info:
        client.send()
    assert str(info.value) == (
        "batchSendSms: no matching credentials; configure app_key/app_secret "
        "(environment: HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)"
    )


def test_credentials_from_the_environment(huawei_env: FakeHuawei) -> None:
    with rt_support.Client(base_url=huawei_env.url) as client:
        client.send()
        client.list_apps()
    assert [r.status for r in huawei_env.requests] == [200, 201, 200, 200]
    assert huawei_env.count("createToken") == 1


def test_explicit_arguments_come_before_the_environment(huawei_env: FakeHuawei) -> None:
    with rt_support.Client(
        base_url=huawei_env.url, app_key=FAKE_APP_KEY, app_secret="FAKE-explicit-wrong"
    ) as client:
        with pytest.raises(UnauthorizedError):
            client.send()


def test_from_env_false_ignores_the_environment(huawei_env: FakeHuawei) -> None:
    with pytest.raises(MissingCredentialsError):
        rt_support.Client(base_url=huawei_env.url, from_env=False).send()


def test_every_documented_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    client = rt_support.Client()
    assert client._credentials == ()
    for i, name in enumerate(rt_support.ENVIRONMENT_VARIABLES):
        monkeypatch.setenv(name, f"FAKE-{i}")
    found = rt_support.Client()._credentials
    assert {type(c) for c in found} == {AccessKey, AppKey, IamToken, IamPassword}
    huawei_sms = pytest.importorskip("huawei_sms", reason="generated/client is installed by `make test`")
    docstring = huawei_sms.Client.__init__.__doc__ or ""
    assert all(name in docstring for name in rt_support.ENVIRONMENT_VARIABLES)


def test_incomplete_pairs_are_rejected_early() -> None:
    with pytest.raises(ValueError, match="app_secret"):
        rt_support.Client(app_key="FAKE", from_env=False)


SCHEMES = {
    "hdr": SecurityScheme("hdr", "apiKey", "header", "X-Api-Key"),
    "qry": SecurityScheme("qry", "apiKey", "query", "api_key"),
    "ck": SecurityScheme("ck", "apiKey", "cookie", "session"),
    "bearer": SecurityScheme("bearer", "http", scheme="bearer"),
    "basic": SecurityScheme("basic", "http", scheme="basic"),
    "oauth": SecurityScheme("oauth", "oauth2"),
}
SERVER = (Server("https://api.example.com"),)


def _generic_request(
    security: tuple[tuple[str, ...], ...], credentials: list[Any]
) -> httpx.Request:
    op = Operation("op", "GET", "/things", "t", SERVER, security)
    api = ApiInfo("Generic", "1", "generic", "1.0", SCHEMES, {"op": op})
    seen: list[httpx.Request] = []

    class Generic(rt_support.Configured, rt_support.SyncAPIClient):
        _api = api

    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json={}))
    Generic(credentials=credentials, transport=transport, from_env=False)._call(
        op, RequestData(query=[("a", "1")]), rt_support.decode_json
    )
    return seen[0]


def test_generic_api_key_locations() -> None:
    assert _generic_request((("hdr",),), [ApiKey("FAKE-k")]).headers["X-Api-Key"] == "FAKE-k"
    assert _generic_request((("qry",),), [ApiKey("FAKE-k")]).url.params.multi_items() == [
        ("a", "1"),
        ("api_key", "FAKE-k"),
    ]
    assert _generic_request((("ck",),), [ApiKey("FAKE-k")]).headers["Cookie"] == "session=FAKE-k"


def test_generic_http_and_oauth_schemes() -> None:
    assert (
        _generic_request((("bearer",),), [BearerToken("FAKE-t")]).headers["Authorization"]
        == "Bearer FAKE-t"
    )
    assert (
        _generic_request((("oauth",),), [BearerToken("FAKE-t")]).headers["Authorization"]
        == "Bearer FAKE-t"
    )
    basic = _generic_request((("basic",),), [BasicAuth("u", "FAKE-p")]).headers["Authorization"]
    assert basic == "Basic " + base64.b64encode(b"u:FAKE-p").decode()


def test_all_schemes_of_an_alternative_are_applied() -> None:
    request = _generic_request((("hdr", "bearer"),), [ApiKey("FAKE-k"), BearerToken("FAKE-t")])
    assert (
        request.headers["X-Api-Key"] == "FAKE-k"
        and request.headers["Authorization"] == "Bearer FAKE-t"
    )


def test_a_credential_can_be_pinned_to_a_scheme() -> None:
    request = _generic_request((("qry",), ("hdr",)), [ApiKey("FAKE-k", scheme="hdr")])
    assert "api_key" not in str(request.url) and request.headers["X-Api-Key"] == "FAKE-k"


def test_anonymous_operations_send_no_credentials() -> None:
    request = _generic_request((), [ApiKey("FAKE-k")])
    assert "X-Api-Key" not in request.headers and "Authorization" not in request.headers


def test_choose_reports_unknown_kinds() -> None:
    op = Operation("op", "GET", "/", "t", SERVER, (("custom",),))
    api = ApiInfo("G", "1", "g", "1", {"custom": SecurityScheme("custom", "x-vendor-magic")}, {"op": op})
    assert isinstance(_auth.choose(op, api, [ApiKey("FAKE")]), str)


def test_mutual_tls_is_left_to_the_transport() -> None:
    """The client certificate is configured on the httpx client; no auth flow, no credential needed."""
    op = Operation("op", "GET", "/", "t", SERVER, (("mtls",),))
    api = ApiInfo("G", "1", "g", "1", {"mtls": SecurityScheme("mtls", "mutualTLS")}, {"op": op})
    assert _auth.choose(op, api, []) == []


def test_project_lookup_without_usable_credentials_says_what_to_pass(
    fake_huawei: FakeHuawei,
) -> None:
    with rt_support.Client(
        base_url=fake_huawei.url, ak=FAKE_AK, sk=FAKE_SK, from_env=False
    ) as client:
        with pytest.raises(MissingCredentialsError) as info:
            client.list_apps()
    assert "project_id=" in str(info.value) and "HUAWEICLOUD_SDK_PROJECT_ID" in str(info.value)
    assert fake_huawei.count() == 0


def test_project_id_from_the_environment(
    huawei_env: FakeHuawei, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", FAKE_PROJECT_ID)
    monkeypatch.delenv("HUAWEICLOUD_IAM_USERNAME")
    with rt_support.Client(base_url=huawei_env.url) as client:
        client.list_apps()
    request = huawei_env.requests_for("listApps")[0]
    assert request.status == 200 and request.header("X-Project-Id") == FAKE_PROJECT_ID


@pytest.mark.anyio
async def test_async_generic_schemes_chain() -> None:
    op = Operation("op", "GET", "/things", "t", SERVER, (("hdr", "bearer"),))
    api = ApiInfo("Generic", "1", "generic", "1.0", SCHEMES, {"op": op})
    seen: list[httpx.Request] = []

    class Generic(rt_support.Configured, rt_support.AsyncAPIClient):
        _api = api

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client = Generic(
        credentials=[ApiKey("FAKE-k"), BearerToken("FAKE-t")],
        transport=httpx.MockTransport(handler),
        from_env=False,
    )
    await client._call(op, RequestData(), rt_support.decode_json)
    assert (
        seen[0].headers["X-Api-Key"] == "FAKE-k"
        and seen[0].headers["Authorization"] == "Bearer FAKE-t"
    )
