"""SDK-HMAC-SHA256 signing: Huawei's official test vector, canonical forms, and the httpx Auth."""

from __future__ import annotations

import datetime as dt
import hashlib

import httpx
import pytest
from tests.runtime import rt_support  # noqa: F401  (loads apigen_runtime)

from apigen_runtime import _signing

VECTOR_AK = "QTWAOYTTINDUT2QVKYUC"
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VECTOR_URL = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
VECTOR_AUTH = (
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
    "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
)


def _vector_headers() -> dict[str, str]:
    return {
        "content-type": "application/json",
        "host": "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
    }


def test_official_vector_canonical_request_hash() -> None:
    raw_path, _, raw_query = VECTOR_URL.split("example.com", 1)[1].partition("?")
    signed = ["content-type", "host", "x-sdk-date"]
    canonical = _signing.canonical_request(
        "GET", raw_path, raw_query, _vector_headers(), signed, b""
    )
    assert (
        hashlib.sha256(canonical.encode()).hexdigest()
        == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    )
    assert canonical.split("\n")[1] == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/"


def test_official_vector_authorization() -> None:
    raw_path, _, raw_query = VECTOR_URL.split("example.com", 1)[1].partition("?")
    auth = _signing.authorization(
        method="GET",
        raw_path=raw_path,
        raw_query=raw_query,
        headers=_vector_headers(),
        body=b"",
        access_key=VECTOR_AK,
        secret_key=VECTOR_SK,
        sdk_date="20191115T033655Z",
    )
    assert auth == VECTOR_AUTH


def test_official_vector_through_httpx_auth() -> None:
    clock = lambda: dt.datetime(2019, 11, 15, 3, 36, 55, tzinfo=dt.timezone.utc)  # noqa: E731
    request = httpx.Request("GET", VECTOR_URL, headers={"Content-Type": "application/json"})
    flow = _signing.SdkHmacAuth(VECTOR_AK, VECTOR_SK, clock=clock).sync_auth_flow(request)
    signed = next(flow)
    assert signed.headers["X-Sdk-Date"] == "20191115T033655Z"
    assert signed.headers["Authorization"] == VECTOR_AUTH
    assert str(signed.url) == VECTOR_URL  # the URL itself is unchanged


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/", "/"),
        ("/v1/apps", "/v1/apps/"),
        ("/v1/apps/", "/v1/apps/"),
        ("/v1/a%20b/%E4%B8%AD", "/v1/a%20b/%E4%B8%AD/"),
        ("/v1/a b/中", "/v1/a%20b/%E4%B8%AD/"),
        ("/v1/x%2Fy", "/v1/x/y/"),  # decoded first, then split: what Huawei's signer does
        ("/v1/~-_.!*'()", "/v1/~-_.%21%2A%27%28%29/"),
        ("/v1/a%7eb", "/v1/a~b/"),
    ],
)
def test_canonical_uri(raw_path: str, expected: str) -> None:
    assert _signing.canonical_uri(raw_path) == expected


@pytest.mark.parametrize(
    ("raw_query", "expected"),
    [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1&a=", "a=&a=1&a=2"),  # repeated names once per value, values sorted, empty kept
        ("flag", "flag="),
        ("k=%20%2B%2F", "k=%20%2B%2F"),
        ("%C3%A9=%E4%B8%AD&z=1", "z=1&%C3%A9=%E4%B8%AD"),  # sorted by the decoded name
        ("name=~a.b-c_d", "name=~a.b-c_d"),
    ],
)
def test_canonical_query(raw_query: str, expected: str) -> None:
    assert _signing.canonical_query(_signing.parse_query(raw_query)) == expected


@pytest.mark.parametrize(
    ("content_type", "unsigned"),
    [
        (None, False),
        ("application/json", False),
        ("application/json;charset=UTF-8", False),
        ("application/bson", False),
        ("application/x-www-form-urlencoded", True),
        ("multipart/form-data; boundary=x", True),
        ("text/plain", True),
    ],
)
def test_unsigned_payload_rule(content_type: str | None, unsigned: bool) -> None:
    assert _signing.needs_unsigned_payload(content_type) is unsigned


def _sign(request: httpx.Request) -> httpx.Request:
    clock = lambda: dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)  # noqa: E731
    auth = _signing.SdkHmacAuth(
        "FAKEAK0001", "FAKE-sk-0001", {"X-Project-Id": "fake-project"}, clock=clock
    )
    return next(auth.sync_auth_flow(request))


def test_form_body_is_signed_as_unsigned_payload() -> None:
    request = _sign(
        httpx.Request(
            "POST",
            "https://smsapi.example.com:443/sms/batchSendSms/v1",
            content=b"from=a&to=b",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "smsapi.example.com:443",
            },
        )
    )
    assert request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert (
        "SignedHeaders=content-type;host;x-project-id;x-sdk-content-sha256;x-sdk-date,"
        in request.headers["Authorization"]
    )
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    headers = {
        k: request.headers[k]
        for k in ("content-type", "host", "x-project-id", "x-sdk-content-sha256", "x-sdk-date")
    }
    canonical = _signing.canonical_request(
        "POST", raw_path, raw_query, headers, sorted(headers), request.content
    )
    assert canonical.endswith("\nUNSIGNED-PAYLOAD")
    assert "host:smsapi.example.com:443\n" in canonical  # the port is part of the signed host


def test_json_body_is_hashed_and_transport_headers_are_not_signed() -> None:
    body = b'{"a":1}'
    request = _sign(
        httpx.Request(
            "PUT",
            "https://msgsms.example.com/v2/p/msgsms/apps/1",
            content=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "x",
                "Accept-Encoding": "gzip",
            },
        )
    )
    assert "X-Sdk-Content-Sha256" not in request.headers
    signed = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed == "content-type;host;x-project-id;x-sdk-date"


def test_resigning_replaces_the_previous_signature() -> None:
    request = httpx.Request("GET", "https://a.example.com/x")
    first = _sign(request).headers["Authorization"]
    second = _sign(request).headers["Authorization"]
    assert first == second and request.headers.get_list("Authorization") == [first]
