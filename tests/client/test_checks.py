"""Requests are checked against the spec's constraints before sending; responses stay lenient.

Each constraint kind rejects one bad value with a ``ValueError`` naming the argument (or the path inside a
body) and the keyword, and the recording server counts zero requests. ``validate_requests=False`` sends
the same call. A small spec of its own covers the keywords the Huawei spec does not use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.client.emit import ClientEmitter
from generator.model import ir
from generator.output.format import format_files
from generator.output.write import apply
from generator.pipeline import Inputs, analyse
from tests.support.recorder import Recorder, Reply

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")

PROJECT = "0123456789abcdef0123456789abcdef"
KW: dict[str, Any] = dict(
    app_key="fake-app-key", app_secret="fake-app-secret", iam_token="fake-iam-token", project_id=PROJECT,
    from_env=False, retry=0,
)  # fmt: skip
SEND = dict(from_="8800000000000", template_id="fake0000000000000000000000000001")
ACCEPTED = {"code": "000000", "description": "Success", "result": []}
m = huawei_sms.models

Call = Callable[[Any], Any]
CASES: list[tuple[str, Call, str]] = [
    ("maxLength", lambda c: c.sms.batch_send_sms(**{**SEND, "template_id": "x" * 33}, to=["+8613800000000"]),
     "template_id: at most 32 characters allowed, got 33 (maxLength)"),
    ("minLength", lambda c: c.sms.batch_send_sms(**{**SEND, "from_": ""}, to=["+8613800000000"]),
     "from_: at least 1 characters needed, got 0 (minLength)"),
    ("maxItems of a joined list", lambda c: c.sms.batch_send_sms(**SEND, to=[f"+86138{i:08}" for i in range(501)]),
     "to: at most 500 items allowed, got 501 (maxItems)"),
    ("maxItems of the joined text", lambda c: c.sms.batch_send_sms(**SEND, to=",".join(["+8613800000000"] * 501)),
     "to: at most 500 items allowed, got 501 (maxItems)"),
    ("maxLength of a joined item", lambda c: c.sms.batch_send_sms(**SEND, to=["+8613800000000", "+" + "1" * 21]),
     "to[1]: at most 21 characters allowed, got 22 (maxLength)"),
    ("maximum", lambda c: c.templates.list_templates(limit=1000), "limit: must be <= 500, got 1000 (maximum)"),
    ("minimum", lambda c: c.templates.list_templates(offset=-1), "offset: must be >= 0, got -1 (minimum)"),
    ("pattern", lambda c: c.templates.list_templates(project_id="my-project"),
     "project_id: does not match '^[a-fA-F0-9]{1,32}$' (pattern)"),
    ("closed enum (plain text)", lambda c: c.templates.list_templates(region="mars"),
     "region: 'mars' is not one of 'cn', 'intl' (enum)"),
    ("closed enum (a value the open enum accepted)",
     lambda c: c.templates.list_templates(sort_dir=m.SortDir("sideways")),
     "sort_dir: 'sideways' is not one of 'desc', 'asc' (enum)"),
    ("inside a body model", lambda c: c.sms.batch_send_diff_sms(
        from_="8800000000000", sms_content=[m.SmsContent(to=["+8613800000000"], template_id="t1"),
                                            m.SmsContent(to=[], template_id="t2")]),
     "sms_content[1].to: at least 1 items needed, got 0 (minItems)"),
    ("maxItems of a list in a body model", lambda c: c.sms.batch_send_diff_sms(
        from_="8800000000000", sms_content=[m.SmsContent(to=["+8613800000000"], template_id="t1",
                                                         template_paras=["1"] * 21)]),
     "sms_content[0].template_paras: at most 20 items allowed, got 21 (maxItems)"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "call", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_constraint_rejects_a_bad_value_unsent(recorder: Recorder, kind: str, call: Call, message: str) -> None:
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        with pytest.raises(ValueError) as caught:
            call(client)
    assert str(caught.value) == message
    assert isinstance(caught.value, huawei_sms._runtime._checks.RequestCheckError)
    assert recorder.requests == []


@pytest.mark.anyio
async def test_the_async_client_checks_too(recorder: Recorder) -> None:
    async with huawei_sms.AsyncClient(base_url=recorder.url, **KW) as client:
        with pytest.raises(ValueError) as caught:
            await client.templates.with_raw_response.list_templates(limit=0)
    assert str(caught.value) == "limit: must be >= 1, got 0 (minimum)"
    assert recorder.requests == []


def test_validate_requests_false_sends_it_anyway(recorder: Recorder) -> None:
    recorder.default = Reply(200, {"results": [], "total": 0})
    with huawei_sms.Client(base_url=recorder.url, validate_requests=False, **KW) as client:
        client.templates.list_templates(limit=1000, region="mars")
    [request] = recorder.requests
    assert ("limit", "1000") in request.query and ("region", "mars") in request.query


def test_valid_values_pass(recorder: Recorder) -> None:
    recorder.default = Reply(200, ACCEPTED)
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        client.sms.batch_send_sms(**SEND, to=[f"+86138{i:08}" for i in range(500)], template_paras=["1"])
    assert len(recorder.requests) == 1


def test_responses_stay_lenient(recorder: Recorder) -> None:
    too_long = "x" * 100  # `code` is at most 7 characters in the spec
    recorder.default = Reply(200, {"results": [{"id": "t1", "region": "mars", "note": "kept"}], "total": 1,
                                   "extra": too_long})  # fmt: skip
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        page = client.templates.list_templates()
    assert page.additional_properties == {"extra": too_long}


# -- keywords the Huawei spec does not use ------------------------------------------------------------

GENERIC = {
    "openapi": "3.0.3",
    "info": {"title": "Checks", "version": "1"},
    "servers": [{"url": "https://api.example.invalid"}],
    "paths": {
        "/things": {
            "post": {
                "operationId": "makeThing",
                "parameters": [
                    {"name": "ratio", "in": "query",
                     "schema": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "multipleOf": 0.5}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "uniqueItems": True,
                                                                "items": {"type": "string", "enum": ["a", "b"]}}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"204": {"description": "made"}},
            }
        }
    },
    "components": {"schemas": {
        "Thing": {"type": "object", "properties": {
            "size": {"type": "integer", "maximum": 10, "exclusiveMaximum": True},
            "labels": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Label"}},
            "child": {"$ref": "#/components/schemas/Thing"},
        }},
        "Label": {"type": "object", "properties": {"text": {"type": "string", "maxLength": 3}}},
    }},
}  # fmt: skip


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("checks")
    (root / "openapi.yaml").write_text(yaml.safe_dump(GENERIC, sort_keys=False), encoding="utf-8")
    result = analyse(root / "openapi.yaml")
    assert not result.errors, result.errors
    files = ClientEmitter(result.api, ir.PackageInfo("checks_client", "checks-client", "0.0.1")).emit().files
    apply(root / "out" / "client", format_files(files))
    sys.path.insert(0, str(root / "out" / "client"))
    try:
        yield importlib.import_module("checks_client")
    finally:
        sys.path.remove(str(root / "out" / "client"))


def test_other_keywords(pkg: ModuleType, recorder: Recorder) -> None:
    t = pkg.models
    cases: list[tuple[dict[str, Any], str]] = [
        ({"ratio": 0}, "ratio: must be > 0, got 0 (exclusiveMinimum)"),
        ({"ratio": 0.75}, "ratio: must be a multiple of 0.5, got 0.75 (multipleOf)"),
        ({"tags": [t.MakeThingTagsItem.A, t.MakeThingTagsItem.A]}, "tags: 'a' appears more than once (uniqueItems)"),
        ({"tags": ["a", "c"]}, "tags[1]: 'c' is not one of 'a', 'b' (enum)"),
        ({"size": 10}, "size: must be < 10, got 10 (exclusiveMaximum)"),
        ({"labels": {"x": t.Label(text="long")}}, "labels.x.text: at most 3 characters allowed, got 4 (maxLength)"),
        ({"child": t.Thing(child=t.Thing(size=11))}, "child.child.size: must be < 10, got 11 (exclusiveMaximum)"),
    ]
    recorder.default = Reply(204)
    with pkg.Client(base_url=recorder.url, from_env=False, retry=0) as client:
        for kwargs, message in cases:
            with pytest.raises(ValueError) as caught:
                client.default.make_thing(**kwargs)
            assert str(caught.value) == message
        assert recorder.requests == []
        client.default.make_thing(ratio=1.5, tags=["a", "b"], size=9, labels={"x": t.Label(text="abc")})
    assert len(recorder.requests) == 1


def test_a_required_response_field_is_typed_without_unset_and_its_absence_named(recorder: Recorder) -> None:
    import typing

    hints = typing.get_type_hints(m.TemplateList)
    assert hints["results"] == list[m.Template] and hints["total"] is int
    recorder.default = Reply(200, {"results": []})
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        with pytest.raises(huawei_sms.ApiDecodeError) as caught:
            client.templates.list_templates()
    assert caught.value.path == "$.total"
    assert "required field is missing" in str(caught.value)


def test_the_missing_credentials_message_says_each_thing_once(recorder: Recorder) -> None:
    with huawei_sms.Client(base_url=recorder.url, from_env=False) as client:
        with pytest.raises(huawei_sms.MissingCredentialsError) as caught:
            client.sms.batch_send_sms(**SEND, to=["+8613800000000"])
        assert str(caught.value) == (
            "batchSendSms: no matching credentials; configure app_key/app_secret "
            "(environment: HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)"
        )
        with pytest.raises(huawei_sms.MissingCredentialsError) as caught:
            client.templates.list_templates()
        assert str(caught.value).count("; or ") == 1
    assert recorder.requests == []


def test_ill_typed_constraints_are_not_enforced(tmp_path_factory: pytest.TempPathFactory, recorder: Recorder) -> None:
    """Keywords of the wrong type (the validator reports them) generate neither checks nor crashes."""
    odd = {"type": "string", "maxLength": -1, "minLength": "2", "pattern": 5, "multipleOf": 0,
           "enum": ["a", {"b": 1}], "maximum": "10"}  # fmt: skip
    spec = {
        "openapi": "3.1.0", "info": {"title": "Odd", "version": "1"},
        "paths": {"/odd": {"get": {"operationId": "odd", "parameters": [{"name": "q", "in": "query", "schema": odd}],
                                   "responses": {"204": {"description": "none"}}}}},
    }  # fmt: skip
    root = tmp_path_factory.mktemp("odd")
    (root / "openapi.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = analyse(root / "openapi.yaml", Inputs())
    files = ClientEmitter(result.api, ir.PackageInfo("odd_client", "odd-client", "0.0.1")).emit().files
    assert "_checks" not in files["odd_client/resources/default.py"]
    apply(root / "out", format_files(files))
    sys.path.insert(0, str(root / "out"))
    try:
        odd_pkg = importlib.import_module("odd_client")
        testing = importlib.import_module("odd_client.testing")
    finally:
        sys.path.remove(str(root / "out"))
    fake = testing.FakeApi()
    with odd_pkg.Client(base_url="https://odd.fake.invalid", from_env=False, transport=fake) as client:
        assert client.default.odd(q="anything") is None
    assert fake.violations == []
