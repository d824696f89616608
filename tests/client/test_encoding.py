"""Parameter styles, the six methods, and model behaviour of generated clients, on the wire.

Expected encodings are the OpenAPI 3.0.3 "style values" table (color = blue / [blue, black, brown] /
{R: 100, G: 200, B: 150}), written out here by hand.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from generator.model import ir
from generator.client.emit import ClientEmitter
from generator.output.format import format_files
from generator.pipeline import analyse
from generator.output.write import apply
from tests.support.recorder import Recorder, Reply

COLOR = {"type": "object", "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}, "B": {"type": "integer"}}}
ARRAY = {"type": "array", "items": {"type": "string"}}


def _param(name: str, where: str, schema: dict[str, Any], style: str | None = None, explode: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": where, "required": where == "path", "schema": schema}
    if style is not None:
        out["style"] = style
    if explode is not None:
        out["explode"] = explode
    return out


OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Styles", "version": "1"},
    "servers": [{"url": "https://{region}.example.invalid", "variables": {"region": {"default": "eu"}}}],
    "paths": {
        "/simple/{p1}/{p2}/{p3}/{p4}": {
            "get": {
                "operationId": "pathSimple",
                "parameters": [
                    _param("p1", "path", {"type": "string"}),
                    _param("p2", "path", ARRAY),
                    _param("p3", "path", {"$ref": "#/components/schemas/Color"}),
                    _param("p4", "path", {"$ref": "#/components/schemas/Color"}, "simple", True),
                ],
                "responses": OK,
            }
        },
        "/label/{l1}/{l2}/{l3}/matrix/{m1}/{m2}/{m3}": {
            "get": {
                "operationId": "pathLabelMatrix",
                "parameters": [
                    _param("l1", "path", ARRAY, "label", False),
                    _param("l2", "path", ARRAY, "label", True),
                    _param("l3", "path", {"$ref": "#/components/schemas/Color"}, "label", True),
                    _param("m1", "path", {"type": "string"}, "matrix"),
                    _param("m2", "path", ARRAY, "matrix", True),
                    _param("m3", "path", {"$ref": "#/components/schemas/Color"}, "matrix", False),
                ],
                "responses": OK,
            }
        },
        "/query": {
            "get": {
                "operationId": "queryStyles",
                "parameters": [
                    _param("exploded", "query", ARRAY),
                    _param("flat", "query", ARRAY, "form", False),
                    _param("spaced", "query", ARRAY, "spaceDelimited", False),
                    _param("piped", "query", ARRAY, "pipeDelimited", False),
                    _param("deep", "query", {"$ref": "#/components/schemas/Color"}, "deepObject", True),
                    _param("obj", "query", {"$ref": "#/components/schemas/Color"}, "form", False),
                    _param("flag", "query", {"type": "boolean"}),
                    _param("X-Colors", "header", ARRAY),
                    _param("X-Color", "header", {"$ref": "#/components/schemas/Color"}, "simple", True),
                    _param("session", "cookie", {"type": "string"}),
                ],
                "responses": OK,
            }
        },
        "/mtls": {
            "get": {"operationId": "mtlsOnly", "security": [{"cert": []}], "responses": OK},
        },
        "/methods/{id}": {
            "parameters": [_param("id", "path", {"type": "integer"})],
            **{
                method: {"operationId": f"{method}Thing", "responses": OK if method != "head" else {"200": {"description": "ok"}}}
                for method in ("get", "put", "post", "delete", "head", "patch")
            },
        },
    },
    "components": {
        "securitySchemes": {"cert": {"type": "mutualTLS"}},
        "schemas": {
            "Color": COLOR,
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string", "enum": ["small", "large"]},
                    "note": {"type": ["string", "null"]},
                    "when": {"type": "string", "format": "date-time"},
                    "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                },
            },
        }
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("styles")
    (root / "openapi.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    result = analyse(root / "openapi.yaml")
    assert not result.errors, result.errors
    files = ClientEmitter(result.api, ir.PackageInfo("styles_client", "styles-client", "0.0.1")).emit().files
    apply(root / "out" / "client", format_files(files))
    sys.path.insert(0, str(root / "out" / "client"))
    try:
        yield importlib.import_module("styles_client")
    finally:
        sys.path.remove(str(root / "out" / "client"))


@pytest.fixture
def recorder(recorder: Recorder) -> Recorder:
    recorder.default = Reply(200, {"id": 1})  # every operation here answers a Thing
    return recorder


def _client(pkg: ModuleType, recorder: Recorder) -> Any:
    return pkg.Client(base_url=recorder.url, from_env=False, retry=0)


def test_path_simple(pkg: ModuleType, recorder: Recorder) -> None:
    color = pkg.models.Color(r=100, g=200, b=150)
    with _client(pkg, recorder) as client:
        client.default.path_simple(p1="blue", p2=["blue", "black", "brown"], p3=color, p4=color)
    [req] = recorder.requests
    assert unquote(req.path) == "/simple/blue/blue,black,brown/R,100,G,200,B,150/R=100,G=200,B=150"


def test_path_label_and_matrix(pkg: ModuleType, recorder: Recorder) -> None:
    color = pkg.models.Color(r=100, g=200, b=150)
    arr = ["blue", "black", "brown"]
    with _client(pkg, recorder) as client:
        client.default.path_label_matrix(l1=arr, l2=arr, l3=color, m1="blue", m2=arr, m3=color)
    [req] = recorder.requests
    assert unquote(req.path) == (
        "/label/.blue,black,brown/.blue.black.brown/.R=100.G=200.B=150"
        "/matrix/;m1=blue/;m2=blue;m2=black;m2=brown/;m3=R,100,G,200,B,150"
    )


def test_path_values_are_percent_encoded(pkg: ModuleType, recorder: Recorder) -> None:
    color = pkg.models.Color(r=1, g=2, b=3)
    with _client(pkg, recorder) as client:
        client.default.path_simple(p1="a/b c?d", p2=["x"], p3=color, p4=color)
    assert recorder.requests[0].path.startswith("/simple/a%2Fb%20c%3Fd/")


def test_query_header_and_cookie_styles(pkg: ModuleType, recorder: Recorder) -> None:
    color = pkg.models.Color(r=100, g=200, b=150)
    arr = ["blue", "black", "brown"]
    with _client(pkg, recorder) as client:
        client.default.query_styles(
            exploded=arr, flat=arr, spaced=arr, piped=arr, deep=color, obj=color, flag=False,
            x_colors=arr, x_color=color, session="s1",
        )  # fmt: skip
    [req] = recorder.requests
    assert req.query == [  # parameters go out sorted by name
        ("deep[R]", "100"), ("deep[G]", "200"), ("deep[B]", "150"),
        ("exploded", "blue"), ("exploded", "black"), ("exploded", "brown"),
        ("flag", "false"),
        ("flat", "blue,black,brown"),
        ("obj", "R,100,G,200,B,150"),
        ("piped", "blue|black|brown"),
        ("spaced", "blue black brown"),
    ]  # fmt: skip
    assert req.headers["x-colors"] == "blue,black,brown"
    assert req.headers["x-color"] == "R=100,G=200,B=150"
    assert req.headers["cookie"] == "session=s1"


def test_unset_query_parameters_are_not_sent(pkg: ModuleType, recorder: Recorder) -> None:
    with _client(pkg, recorder) as client:
        client.default.query_styles(flag=True)
    assert recorder.requests[0].query == [("flag", "true")]
    assert "x-colors" not in recorder.requests[0].headers and "cookie" not in recorder.requests[0].headers


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"])
def test_all_six_methods(pkg: ModuleType, recorder: Recorder, method: str) -> None:
    with _client(pkg, recorder) as client:
        result = getattr(client.default, f"{method.lower()}_thing")(id=42)
    [req] = recorder.requests
    assert (req.method, req.path) == (method, "/methods/42")
    if method == "HEAD":
        assert result is None
    else:
        assert result == pkg.models.Thing(id=1)


def test_models_keep_unknown_fields_and_enum_values_and_tell_unset_from_none(pkg: ModuleType) -> None:
    Thing = pkg.models.Thing
    wire = {"id": 1, "kind": "medium", "note": None, "parts": [{"id": 2, "extra": [1]}], "future": {"a": 1}}
    thing = Thing.from_wire(wire)
    assert thing.kind == "medium" and thing.kind not in (pkg.models.ThingKind.SMALL, pkg.models.ThingKind.LARGE)
    assert isinstance(thing.kind, pkg.models.ThingKind)
    assert thing.note is None and isinstance(thing.when, pkg.Unset)
    assert thing.additional_properties == {"future": {"a": 1}}
    assert thing.parts[0].additional_properties == {"extra": [1]}
    assert thing.to_wire() == wire
    assert Thing(id=3).to_wire() == {"id": 3}
    assert Thing(id=3, note=None).to_wire() == {"id": 3, "note": None}


def test_decode_errors_name_the_json_path(pkg: ModuleType, recorder: Recorder) -> None:
    recorder.default = Reply(200, {"id": 1, "parts": [{"id": 2}, {"id": "three"}]})
    with _client(pkg, recorder) as client, pytest.raises(pkg.ApiDecodeError) as info:
        client.default.get_thing(id=1)
    assert info.value.path == "$.parts[1].id"
    assert b'"three"' in info.value.body
    recorder.default = Reply(200, {"parts": []})
    with _client(pkg, recorder) as client, pytest.raises(pkg.ApiDecodeError) as missing:
        client.default.get_thing(id=1)
    assert missing.value.path == "$.id" and "required" in str(missing.value)


def test_base_url_from_server_variables(pkg: ModuleType) -> None:
    op = pkg._api.GET_THING
    assert pkg.Client(from_env=False)._base_url_for(op) == "https://eu.example.invalid"
    assert pkg.Client(region="us", from_env=False)._base_url_for(op) == "https://us.example.invalid"
    assert pkg.Client(base_url="http://127.0.0.1:9/", from_env=False)._base_url_for(op) == "http://127.0.0.1:9"


def test_mutual_tls_operations_need_no_credential_of_the_client(pkg: ModuleType, recorder: Recorder) -> None:
    """The certificate belongs to the httpx client passed in (``http_client=httpx.Client(cert=...)``)."""
    with _client(pkg, recorder) as client:
        assert client.default.mtls_only() == pkg.models.Thing(id=1)
    [req] = recorder.requests
    assert req.path == "/mtls" and "authorization" not in req.headers
