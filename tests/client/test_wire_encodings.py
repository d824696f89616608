"""``x-apigen-wire``: lists (or JSON values) on the caller's side, one string on the wire.

The Huawei client's ``to`` (a comma-joined list) and ``templateParas`` (a JSON array in a string) are checked
against the bytes of the spec's own request example; a small spec of its own shows that any API gains the
encodings (query, header and JSON-body fields). A value of a type the signature does not allow raises
``TypeError`` naming the argument, and the recording server then counts zero requests.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
import yaml

from generator.client.emit import ClientEmitter
from generator.model import ir
from generator.output.format import format_files
from generator.output.write import apply
from generator.pipeline import analyse
from tests.support.paths import SPEC
from tests.support.recorder import Recorder, Reply

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")

API = analyse(SPEC).api
KW = dict(app_key="fake-app-key", app_secret="fake-app-secret", from_env=False, retry=0)
ACCEPTED = {"code": "000000", "description": "Success", "result": []}


def _example(operation_id: str) -> dict[str, Any]:
    op = next(o for o in API.operations if o.operation_id == operation_id)
    assert op.body is not None
    value = op.body.chosen.examples[0].value
    assert isinstance(value, dict)
    return value


def _form(recorder: Recorder) -> list[tuple[str, str]]:
    [request] = recorder.requests
    return parse_qsl(request.body.decode("ascii"), keep_blank_values=True)


EXAMPLE = _example("batchSendSms")


def _send(recorder: Recorder, **overrides: Any) -> None:
    args: dict[str, Any] = dict(from_=EXAMPLE["from"], template_id=EXAMPLE["templateId"])
    args.update(overrides)
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        client.sms.batch_send_sms(**args)


def test_lists_are_sent_as_the_spec_example_spells_them(recorder: Recorder) -> None:
    recorder.default = Reply(200, ACCEPTED)
    numbers = EXAMPLE["to"].split(",")
    paras = json.loads(EXAMPLE["templateParas"])
    assert numbers == ["+8613800000000", "+8613800000001"] and paras == ["123456"]
    _send(recorder, to=numbers, template_paras=paras)
    sent = dict(_form(recorder))
    assert sent["to"] == EXAMPLE["to"]
    assert sent["templateParas"] == EXAMPLE["templateParas"]
    [request] = recorder.requests
    assert b"to=%2B8613800000000%2C%2B8613800000001&" in request.body
    assert b"templateParas=%5B%22123456%22%5D" in request.body
    assert [k for k, _ in _form(recorder)].count("to") == 1


def test_ready_strings_pass_through_unchanged(recorder: Recorder) -> None:
    recorder.default = Reply(200, ACCEPTED)
    _send(recorder, to=EXAMPLE["to"], template_paras=EXAMPLE["templateParas"])
    as_text = recorder.requests[0].body
    recorder.requests.clear()
    _send(recorder, to=EXAMPLE["to"].split(","), template_paras=json.loads(EXAMPLE["templateParas"]))
    assert recorder.requests[0].body == as_text


def test_the_diff_send_keeps_real_lists(recorder: Recorder) -> None:
    recorder.default = Reply(200, ACCEPTED)
    example = _example("batchSendDiffSms")
    m = huawei_sms.models
    content = [m.SmsContent.from_wire(c) for c in example["smsContent"]]
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        client.sms.batch_send_diff_sms(from_=example["from"], sms_content=content,
                                       status_callback=example["statusCallback"])  # fmt: skip
    assert json.loads(recorder.requests[0].body) == example


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"to": 8613800000000}, "to: expected a list of str or a str, got int"),
        ({"to": ("+8613800000000", 13800000001)}, "to[1]: expected str, got int"),
        ({"to": None}, "to: expected a list of str or a str, got None"),
        ({"to": ["+8613800000000"], "template_paras": [123456]}, "template_paras[0]: expected str, got int"),
        ({"to": ["+8613800000000"], "template_paras": {"code": "1"}}, "template_paras: expected a list, got dict"),
    ],
)
def test_a_wrong_type_raises_before_anything_is_sent(
    recorder: Recorder, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError) as caught:
        _send(recorder, **overrides)
    assert str(caught.value) == message
    assert recorder.requests == []


def test_the_request_model_encodes_the_same_way() -> None:
    model = huawei_sms.models.BatchSendSmsRequest(
        from_="8800000000000", to=["+8613800000000", "+8613800000001"], template_id="fake-template",
        template_paras=["1", "2"],
    )  # fmt: skip
    wire = model.to_wire()
    assert wire["to"] == "+8613800000000,+8613800000001"
    assert wire["templateParas"] == '["1","2"]'


# -- any spec ----------------------------------------------------------------------------------------

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
GENERIC = {
    "openapi": "3.1.0",
    "info": {"title": "Wire", "version": "1"},
    "servers": [{"url": "https://api.example.invalid"}],
    "paths": {
        "/search": {
            "post": {
                "operationId": "search",
                "parameters": [
                    {"name": "ids", "in": "query", "schema": {"type": "string", "x-apigen-wire": {
                        "join": "|", "items": {"type": "integer"}}}},
                    {"name": "X-Tags", "in": "header", "schema": {"type": "string", "x-apigen-wire": {
                        "join": ";", "items": {"type": "string", "enum": ["red", "blue"]}}}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}},
                "responses": OK,
            }
        }
    },
    "components": {
        "schemas": {
            "Query": {
                "type": "object",
                "properties": {
                    "filter": {"type": "string", "x-apigen-wire": "json", "contentMediaType": "application/json",
                               "contentSchema": {"type": "object", "additionalProperties": {"type": "integer"}}},
                    "raw": {"type": "string", "x-apigen-wire": "json"},
                },
            }
        }
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("wire")
    (root / "openapi.yaml").write_text(yaml.safe_dump(GENERIC, sort_keys=False), encoding="utf-8")
    result = analyse(root / "openapi.yaml")
    assert not result.errors, result.errors
    files = ClientEmitter(result.api, ir.PackageInfo("wire_client", "wire-client", "0.0.1")).emit().files
    apply(root / "out" / "client", format_files(files))
    sys.path.insert(0, str(root / "out" / "client"))
    try:
        yield importlib.import_module("wire_client")
    finally:
        sys.path.remove(str(root / "out" / "client"))


def test_generated_signatures_take_lists_or_text(pkg: ModuleType) -> None:
    source = Path(pkg.__file__).with_name("resources") / "default.py"
    text = source.read_text(encoding="utf-8")
    assert "ids: list[int] | str | Unset = UNSET," in text
    assert "x_tags: list[_m.SearchXTagsItem] | str | Unset = UNSET," in text
    assert "filter: dict[str, int] | str | Unset = UNSET" in (Path(pkg.__file__).with_name("models.py")).read_text()


def test_any_spec_gains_the_encodings(pkg: ModuleType, recorder: Recorder) -> None:
    recorder.default = Reply(200, {})
    m = pkg.models
    with pkg.Client(base_url=recorder.url, from_env=False, retry=0) as client:
        client.default.search(ids=[1, 22, 333], x_tags=[m.SearchXTagsItem.RED, m.SearchXTagsItem.BLUE],
                              filter={"a": 1}, raw=[1, "x", None])  # fmt: skip
    [request] = recorder.requests
    assert request.query == [("ids", "1|22|333")]
    assert request.headers["x-tags"] == "red;blue"
    assert json.loads(request.body) == {"filter": '{"a":1}', "raw": '[1,"x",null]'}


def test_any_spec_rejects_wrong_types_before_sending(pkg: ModuleType, recorder: Recorder) -> None:
    with pkg.Client(base_url=recorder.url, from_env=False, retry=0) as client:
        with pytest.raises(TypeError) as caught:
            client.default.search(ids=[1, True])
        assert str(caught.value) == "ids[1]: expected int, got bool"
        with pytest.raises(TypeError) as caught:
            client.default.search(filter={"a": "1"})
        assert str(caught.value) == 'filter.a: expected int, got str'
        with pytest.raises(TypeError) as caught:
            client.default.search(raw=object())
        assert str(caught.value).startswith("raw: cannot be encoded as JSON (")
    assert recorder.requests == []


def test_a_misused_extension_is_a_located_warning_and_ignored(tmp_path: Path) -> None:
    from tests.support.specs import line_of, write_tree

    spec = write_tree(tmp_path, {"openapi.yaml": """
        openapi: 3.1.0
        info: {title: Misuse, version: '1'}
        paths:
          /things:
            get:
              operationId: listThings
              parameters:
                - name: a
                  in: query
                  schema:
                    type: integer
                    x-apigen-wire: json
                - name: b
                  in: query
                  schema:
                    type: string
                    x-apigen-wire: {join: ''}
                - name: c
                  in: query
                  schema:
                    type: string
                    x-apigen-wire:
                      join: ','
                      items: {type: object}
              responses:
                '200': {description: ok}
    """})
    result = analyse(spec)
    found = sorted((d.location.line if d.location else 0, d.message) for d in result.diagnostics if "x-apigen-wire" in d.message)
    assert found == [
        (line_of(spec, "type: integer") + 1, "x-apigen-wire applies to a string schema (the text on the wire); ignored"),
        (line_of(spec, "join: ''"), "x-apigen-wire must be `json` or {join: SEPARATOR}; ignored"),
        (line_of(spec, "items: {type: object}"),
         "x-apigen-wire join items must be strings, numbers, booleans or an enum; ignored"),
    ]
    [op] = result.api.operations
    assert all(p.wire is None for p in op.parameters)
