"""Differential test: our signer against Huawei's own (``huaweicloudsdkcore``) over generated requests."""

from __future__ import annotations

import datetime as dt
import string
from urllib.parse import quote

import httpx
import pytest
from tests.runtime import rt_support  # noqa: F401
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigen_runtime import _signing

from tests.fake_huawei.verify import verify_sdk_hmac

signer_module = pytest.importorskip(
    "huaweicloudsdkcore.signer.signer", reason="the official SDK is a test-only dependency"
)
sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")

DATE = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
reserved = st.text(alphabet="!#$&'()*+,/:;=?@[]% ~-._", max_size=6)
names = st.one_of(
    text, reserved, st.sampled_from(["limit", "offset", "a", "A", "name", "é", "中文"])
)
values = st.one_of(text, reserved, st.just(""))
keys = st.text(alphabet=string.ascii_letters + string.digits + "+/=-_", min_size=1, max_size=40)
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/json;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=abc",
        "text/plain",
        "application/bson",
    ]
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["empty", "json", "form", "bytes"]))
    if kind == "empty":
        return b""
    if kind == "json":
        return (
            draw(st.dictionaries(text, st.one_of(text, st.integers(), st.booleans()), max_size=4))
            .__repr__()
            .encode()
        )
    if kind == "form":
        pairs = draw(st.lists(st.tuples(names, values), max_size=4))
        return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
    return draw(st.binary(max_size=64))


@st.composite
def requests(draw: st.DrawFn) -> dict[str, object]:
    # "." and ".." segments are removed by URL normalisation (the generated code encodes them as %2E)
    segment = st.one_of(text, reserved).filter(lambda s: s not in (".", ".."))
    segments = draw(st.lists(segment, min_size=1, max_size=4).filter(lambda s: any(s)))
    path = "/" + "/".join(quote(s, safe="") for s in segments) + draw(st.sampled_from(["", "/"]))
    host = draw(
        st.sampled_from(
            [
                "smsapi.cn-north-4.myhuaweicloud.com",
                "msgsms.example.com",
                "127.0.0.1",
                "iam.example.eu",
            ]
        )
    )
    port = draw(st.sampled_from([None, 443, 8443, 80]))
    headers: dict[str, str] = {}
    content_type = draw(content_types)
    if content_type is not None:
        headers["Content-Type"] = content_type
    if draw(st.booleans()):
        headers["X-Project-Id"] = draw(st.text(alphabet=string.hexdigits, min_size=1, max_size=32))
    if draw(st.booleans()):
        headers["X-Security-Token"] = (
            " " + draw(keys) + " "
        )  # surrounding blanks are trimmed by both
    return {
        "method": draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"])),
        "path": path,
        "host": host if port is None else f"{host}:{port}",
        "query": draw(st.lists(st.tuples(names, values), max_size=6)),
        "headers": headers,
        "body": draw(bodies()),
        "ak": draw(keys),
        "sk": draw(keys),
    }


def official_authorization(case: dict[str, object]) -> tuple[str, dict[str, str]]:
    class Credentials:
        ak = case["ak"]
        sk = case["sk"]

    headers = dict(case["headers"])  # type: ignore[call-overload]
    headers["X-Sdk-Date"] = _signing.sdk_date(DATE)
    headers["Host"] = case["host"]
    request = sdk_request.SdkRequest(
        method=case["method"],
        schema="https",
        host=case["host"],
        resource_path=case["path"],
        query_params=list(case["query"]),  # type: ignore[call-overload]
        header_params=headers,
        body=case["body"],
    )
    signed = signer_module.Signer(Credentials()).sign(request)
    return signed.header_params["Authorization"], signed.header_params


def our_request(case: dict[str, object]) -> httpx.Request:
    """Built the way the client builds requests: strictly encoded query, explicit Host with the port."""
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in case["query"])  # type: ignore[attr-defined]
    url = f"https://{case['host']}{case['path']}" + (f"?{query}" if query else "")
    headers = dict(case["headers"])  # type: ignore[call-overload]
    headers["Host"] = case["host"]
    request = httpx.Request(case["method"], url, headers=headers, content=case["body"])  # type: ignore[arg-type]
    auth = _signing.SdkHmacAuth(case["ak"], case["sk"], clock=lambda: DATE)  # type: ignore[arg-type]
    return next(auth.sync_auth_flow(request))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_signature_matches_huaweicloudsdkcore(case: dict[str, object]) -> None:
    expected, official_headers = official_authorization(case)
    ours = our_request(case)
    assert ours.headers["Authorization"] == expected
    assert ours.headers.get("X-Sdk-Content-Sha256") == official_headers.get("X-Sdk-Content-Sha256")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_the_fake_servers_verifier_accepts_our_signatures(case: dict[str, object]) -> None:
    """The fake server's independent verifier agrees with the signer on the same generated requests."""
    request = our_request(case)
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    access_key = verify_sdk_hmac(
        method=request.method,
        raw_path=raw_path,
        raw_query=raw_query,
        header=request.headers.get,
        body=request.content,
        secrets={case["ak"]: case["sk"]},  # type: ignore[dict-item]
        max_skew=float("inf"),
    )
    assert access_key == case["ak"]
