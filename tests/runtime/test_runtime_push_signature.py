"""verify_push_signature: what a customer's server runs on Huawei's signed callbacks."""

from __future__ import annotations

import calendar
import json
import time
from typing import Any

import httpx
import pytest

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")
from huawei_sms._runtime._signing import SdkHmacAuth  # noqa: E402

AK, SK = "FAKEPUSHACCESSKEY000", "fake-push-secret-key-not-real-0000000000"
URL = "https://callbacks.example.invalid:8443/sms/status?tenant=a%20b&x="


def _signed(body: bytes, content_type: str) -> httpx.Request:
    request = httpx.Request("POST", URL, content=body, headers={"Content-Type": content_type})
    flow = SdkHmacAuth(AK, SK).auth_flow(request)
    return next(flow)


def _verify(request: httpx.Request, **overrides: Any) -> bool:
    args: dict[str, Any] = dict(
        method=request.method, url=str(request.url), headers=dict(request.headers), body=request.content,
        access_key=AK, secret_key=SK,
    )  # fmt: skip
    args.update(overrides)
    return bool(huawei_sms.verify_push_signature(**args))


def test_a_signed_json_callback_verifies_and_every_tampering_fails() -> None:
    body = json.dumps({"statusReportList": [{"smsMsgId": "m-1", "status": "DELIVRD"}]}).encode()
    request = _signed(body, "application/json")
    assert _verify(request)
    assert not _verify(request, body=body.replace(b"DELIVRD", b"UNDELIV"))  # the JSON body is signed
    assert not _verify(request, url=URL.replace("tenant=a", "tenant=b"))
    assert not _verify(request, method="PUT")
    headers = dict(request.headers)
    assert not _verify(request, headers={**headers, "host": "evil.example.invalid:8443"})
    assert not _verify(request, secret_key="another-secret")
    assert not _verify(request, access_key="ANOTHERACCESSKEY0000")
    assert not _verify(request, headers={k: v for k, v in headers.items() if k != "authorization"})


def test_stale_and_future_dates_are_rejected() -> None:
    request = _signed(b'{"a": 1}', "application/json")
    signed_at = calendar.timegm(time.strptime(request.headers["X-Sdk-Date"], "%Y%m%dT%H%M%SZ"))
    assert _verify(request, now=signed_at + 899)
    assert not _verify(request, now=signed_at + 901)
    assert not _verify(request, now=signed_at - 901)
    assert _verify(request, now=signed_at + 3000, max_skew=3600)


def test_form_callbacks_are_unsigned_payload_and_the_declared_hash_must_be_signed() -> None:
    body = b"smsMsgId=m-1&status=DELIVRD&source=2"
    request = _signed(body, "application/x-www-form-urlencoded")
    assert request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert _verify(request)
    # an attacker cannot declare UNSIGNED-PAYLOAD on a JSON callback whose signature covered the body hash
    json_request = _signed(b'{"status": "DELIVRD"}', "application/json")
    forged = {**dict(json_request.headers), "x-sdk-content-sha256": "UNSIGNED-PAYLOAD"}
    assert not _verify(json_request, headers=forged, body=b'{"status": "UNDELIV"}')


def test_the_official_test_vector_verifies() -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Sdk-Date": "20191115T033655Z",
        "Host": "service.region.example.com",
        "Authorization": "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
        "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    }
    url = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
    when = calendar.timegm((2019, 11, 15, 3, 36, 55, 0, 0, 0))
    args = dict(method="GET", url=url, headers=headers, body=b"", access_key="QTWAOYTTINDUT2QVKYUC",
                secret_key="MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc")  # fmt: skip
    assert huawei_sms.verify_push_signature(**args, now=when)
    assert not huawei_sms.verify_push_signature(**{**args, "url": url.replace("limit=2", "limit=3")}, now=when)
