"""An idempotency key makes a POST safe to retry; server variables choose the server; routing typos raise.

The idempotency tests generate small specs (one with ``x-apigen-idempotency-key``, one without) and call
them against a server on 127.0.0.1 that answers 503 first; the routing tests use the Huawei client
generated from ``spec/`` with a transport that records where each request went.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client.generated_client import generate_client
from tests.support.recorder import Recorder, Reply
from tests.support.specs import write_tree

SPEC = """
    openapi: 3.1.0
    info: {title: Orders, version: '1'}
    servers: [{url: 'https://orders.example.com'}]
    %(root)s
    paths:
      /orders:
        post:
          operationId: createOrder
          %(operation)s
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {item: {type: string}}}
          responses:
            '200':
              description: created
              content:
                application/json:
                  schema: {type: object, properties: {id: {type: string}}}
"""


def _orders(tmp_path: Path, name: str, root: str = "", operation: str = "") -> Any:
    spec = write_tree(tmp_path / "spec", {"openapi.yaml": SPEC % {"root": root, "operation": operation}})
    return generate_client(spec, name, tmp_path / "out").module


def _503_then_200(server: Recorder) -> None:
    answers = [Reply(503, {"message": "busy"}, {"Retry-After": "0"}), Reply(200, {"id": "o-1"})]
    server.respond = lambda request: answers.pop(0) if answers else Reply(500, {})


@pytest.fixture
def flaky(recorder: Recorder) -> Recorder:
    _503_then_200(recorder)
    return recorder


def test_a_declared_idempotency_key_lets_a_sent_post_be_retried_with_the_same_key(
    tmp_path: Path, flaky: Recorder
) -> None:
    orders = _orders(tmp_path, "orders_keyed", root="x-apigen-idempotency-key: Idempotency-Key")
    with orders.Client(base_url=flaky.url, from_env=False) as client:
        assert client.default.create_order(item="book").id == "o-1"
    first, second = flaky.requests
    assert first.method == second.method == "POST"
    key = first.headers["idempotency-key"]
    assert len(key) == 36 and second.headers["idempotency-key"] == key
    with orders.Client(base_url=flaky.url, from_env=False) as client:
        _503_then_200(flaky)
        client.default.create_order(item="book")
    assert flaky.requests[2].headers["idempotency-key"] != key  # a new logical call, a new key


def test_an_operation_may_declare_its_own_key_header(tmp_path: Path, flaky: Recorder) -> None:
    orders = _orders(tmp_path, "orders_op_keyed", operation="x-apigen-idempotency-key: X-Request-Key")
    with orders.Client(base_url=flaky.url, from_env=False) as client:
        client.default.create_order(item="book")
    assert len(flaky.requests) == 2
    assert flaky.requests[0].headers["x-request-key"] == flaky.requests[1].headers["x-request-key"]


def test_without_an_idempotency_key_a_sent_post_is_never_retried(tmp_path: Path, flaky: Recorder) -> None:
    orders = _orders(tmp_path, "orders_plain")
    with orders.Client(base_url=flaky.url, from_env=False) as client:
        with pytest.raises(orders.ServerError) as info:
            client.default.create_order(item="book")
    assert info.value.status_code == 503
    assert len(flaky.requests) == 1 and "idempotency-key" not in flaky.requests[0].headers


def test_the_readme_says_which_header_makes_retries_safe(tmp_path: Path) -> None:
    spec = write_tree(tmp_path / "spec", {"openapi.yaml": SPEC % {"root": "x-apigen-idempotency-key: Idempotency-Key",
                                                                  "operation": ""}})
    readme = generate_client(spec, "orders_readme", tmp_path / "out").files["README.md"]
    assert "Operations the API description gives an\nidempotency key (`Idempotency-Key`)" in readme


# -- routing: the Huawei client ---------------------------------------------------------------------------

def _huawei() -> Any:
    return pytest.importorskip("huawei_sms", reason="generated/client is installed by `make test`")


SEND_OK = {"code": "000000", "description": "Success", "result": []}


def _recording(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/msgsms/apps"):
            return httpx.Response(200, json={"results": [], "total": 0})
        return httpx.Response(200, json=SEND_OK)

    return httpx.MockTransport(answer)


def _keys() -> dict[str, str]:
    return {"ak": "FAKE-AK-0001", "sk": "FAKE-SK-0001", "app_key": "FAKE-APP-KEY", "app_secret": "FAKE-APP-SECRET"}


def test_an_eu_region_reaches_the_eu_hosts() -> None:
    seen: list[httpx.Request] = []
    with _huawei().Client(
        region="eu-west-101", project_id="0" * 32, from_env=False, transport=_recording(seen), **_keys()
    ) as client:
        client.apps.list_apps()
        client.sms.batch_send_sms(from_="csms1", to="+8613800000000", template_id="fake-template")
    assert [r.url.host for r in seen] == ["msgsms.eu-west-101.myhuaweicloud.eu", "smsapi.eu-west-101.myhuaweicloud.eu"]


def test_other_regions_reach_the_first_server() -> None:
    seen: list[httpx.Request] = []
    with _huawei().Client(
        region="ap-southeast-1", project_id="0" * 32, from_env=False, transport=_recording(seen), **_keys()
    ) as client:
        client.apps.list_apps()
    with _huawei().Client(project_id="0" * 32, from_env=False, transport=_recording(seen), **_keys()) as client:
        client.apps.list_apps()
    assert [r.url.host for r in seen] == ["msgsms.ap-southeast-1.myhuaweicloud.com", "msgsms.cn-north-4.myhuaweicloud.com"]


def test_the_region_comes_from_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION", "eu-west-101")
    seen: list[httpx.Request] = []
    with _huawei().Client(project_id="0" * 32, transport=_recording(seen), **_keys()) as client:
        client.apps.list_apps()
    assert seen[0].url.host == "msgsms.eu-west-101.myhuaweicloud.eu"


def test_an_unknown_base_url_key_raises() -> None:
    with pytest.raises(ValueError) as info:
        _huawei().Client(base_url={"smsapi": "http://127.0.0.1:1"}, from_env=False, **_keys())
    assert str(info.value) == (
        "base_url names 'smsapi', which is not a tag of this API "
        "(its tags: apps, countries, projects, signatures, sms, templates, tokens)"
    )


def test_an_unknown_server_variable_raises() -> None:
    with pytest.raises(ValueError) as info:
        _huawei().Client(server_variables={"regoin": "eu-west-101"}, from_env=False, **_keys())
    assert str(info.value) == (
        "server_variables names 'regoin', which the servers of this API do not have (their variables: region)"
    )


def test_a_known_base_url_tag_is_used() -> None:
    seen: list[httpx.Request] = []
    with _huawei().Client(
        base_url={"sms": "http://127.0.0.1:1/sms-base"}, from_env=False, transport=_recording(seen), **_keys()
    ) as client:
        client.sms.batch_send_sms(from_="csms1", to="+8613800000000", template_id="fake-template")
    assert str(seen[0].url) == "http://127.0.0.1:1/sms-base/sms/batchSendSms/v1"


def test_the_docs_say_a_keyed_post_is_retried(tmp_path: Path) -> None:
    from generator.model.build import build_api
    from generator.model import ir
    from generator.reference.pages import emit_docs
    from generator.spec.load import load_spec

    for root, retried in (("x-apigen-idempotency-key: Idempotency-Key", "yes (up to 2 retries)"), ("", "no")):
        spec = write_tree(tmp_path / f"spec{bool(root)}", {"openapi.yaml": SPEC % {"root": root, "operation": ""}})
        api, _ = build_api(load_spec(spec))
        docs = emit_docs(api, ir.PackageInfo("orders", "orders", "0.0.1"))
        page = next(text for name, text in docs.items() if name.startswith("tags/") and name.endswith(".md"))
        assert f"| HTTP 503 | `ServerError` | {retried} |" in page, root


# -- errors decoded with the schemas the spec declares ------------------------------------------------------


def _failing(status: int, body: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body, headers={"X-Request-Id": "req-9"}))


def test_an_error_body_is_decoded_with_its_declared_schema() -> None:
    sms = _huawei()
    body = {"error_code": "MSGSMS.0002", "error_msg": "Invalid parameter", "error_detail": "limit"}
    with sms.Client(project_id="0" * 32, from_env=False, transport=_failing(400, body), retry=0, **_keys()) as client:
        with pytest.raises(sms.BadRequestError) as info:
            client.apps.list_apps()
    error = info.value
    assert isinstance(error.parsed, sms.models.MsgsmsError)
    assert (error.parsed.error_code, error.parsed.error_msg, error.parsed.error_detail) == (
        "MSGSMS.0002",
        "Invalid parameter",
        "limit",
    )
    assert (error.error_code, error.error_message, error.request_id) == ("MSGSMS.0002", "Invalid parameter", "req-9")


def test_an_error_body_that_does_not_match_keeps_its_fields_and_no_model() -> None:
    sms = _huawei()
    body = {"error_code": 7, "error_msg": ["not", "text"]}
    with sms.Client(project_id="0" * 32, from_env=False, transport=_failing(400, body), retry=0, **_keys()) as client:
        with pytest.raises(sms.BadRequestError) as info:
            client.apps.list_apps()
    assert info.value.parsed is None
    assert info.value.error_code == "7" and json.loads(info.value.body) == body
