"""The IR's derived predicates and closed sets, and the builder's reads of raw values of the wrong type."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from generator.model import ir
from generator.model.build import raw
from generator.pipeline import analyse

SPEC_TEXT = """\
openapi: 3.0.3
info: {title: Args, version: "1"}
paths:
  /projects/{project_id}/things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: project_id, in: path, required: true, x-apigen-set-by: client, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: q, in: query, required: true, style: notAStyle, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: X-Auth-Token, in: header, required: true, x-apigen-set-by: auth, schema: {type: string}}
        - {name: X-Who, in: header, x-apigen-set-by: somebody, schema: {type: string}}
      responses:
        "200": {description: ok}
"""


@pytest.fixture(scope="module")
def operation(tmp_path_factory: pytest.TempPathFactory) -> ir.Operation:
    spec = tmp_path_factory.mktemp("ir") / "openapi.yaml"
    spec.write_text(SPEC_TEXT, encoding="utf-8")
    return analyse(spec).api.operations[0]


def _param(op: ir.Operation, wire: str) -> ir.Parameter:
    return next(p for p in op.parameters if p.wire_name == wire)


def test_who_sets_a_parameter_decides_whether_it_is_an_argument(operation: ir.Operation) -> None:
    flags = {p.wire_name: (p.set_by, p.is_argument, p.is_required_argument, p.defaults_to_client) for p in operation.parameters}
    assert flags == {
        "project_id": ("client", True, False, True),  # required by the API, defaulted by the client
        "id": ("", True, True, False),
        "limit": ("", True, False, False),
        "q": ("", True, True, False),
        "Accept": ("transport", False, False, False),  # OpenAPI: ignored, the transport sets it
        "X-Auth-Token": ("auth", False, False, False),
        "X-Who": ("", True, False, False),  # an unknown x-apigen-set-by is ignored (with a warning)
    }


def test_arguments_put_what_the_caller_must_pass_first(operation: ir.Operation) -> None:
    assert [p.wire_name for p in operation.required_arguments] == ["id", "q"]
    assert [p.wire_name for p in operation.optional_arguments] == ["project_id", "limit", "X-Who"]
    assert operation.arguments == operation.required_arguments + operation.optional_arguments


def test_an_unknown_style_reads_as_the_locations_default(operation: ir.Operation) -> None:
    assert (_param(operation, "q").style, _param(operation, "q").explode) == ("form", True)
    assert _param(operation, "id").style == "simple"


def test_the_closed_sets_list_every_value_of_their_literal() -> None:
    assert ir.PARAMETER_LOCATIONS == get_args(ir.ParameterLocation)
    assert ir.PARAMETER_STYLES == get_args(ir.ParameterStyle)
    assert ("", *ir.SET_BY) == get_args(ir.SetBy)


def test_unwrap_nullable_removes_every_wrapper() -> None:
    inner = ir.ArrayType(ir.Primitive("int"))
    assert ir.unwrap_nullable(ir.Nullable(ir.Nullable(inner))) is inner
    assert ir.unwrap_nullable(inner) is inner


def test_assert_never_names_the_value_it_did_not_expect() -> None:
    with pytest.raises(AssertionError, match=r"^unhandled IR value 'oops'$"):
        ir.assert_never("oops")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("node", "mapping", "items"),
    [
        ({"k": {"a": 1}}, {"a": 1}, []),
        ({"k": [1, 2]}, {}, [1, 2]),
        ({"k": "words"}, {}, []),
        ({"k": None}, {}, []),
        ({}, {}, []),
        (["k"], {}, []),  # not a mapping at all: every read is empty
        ("k", {}, []),
    ],
)
def test_raw_reads_of_the_wrong_type_are_empty(node: object, mapping: object, items: object) -> None:
    assert raw.mapping(node, "k") == mapping
    assert raw.is_mapping(node, "k") is bool(mapping)
    assert raw.items(node, "k") == items


@pytest.mark.parametrize(
    ("node", "text"),
    [({"k": "words"}, "words"), ({"k": 5}, "5"), ({"k": None}, ""), ({"k": ""}, ""), ({}, ""), (["k"], ""), ("k", "")],
)
def test_raw_text_reads_missing_and_null_as_empty(node: object, text: str) -> None:
    assert raw.text(node, "k") == text


def test_raw_mappings_and_entries_leave_out_what_is_not_a_mapping() -> None:
    node = {"list": [{"a": 1}, 2, "x", {"b": 2}], "map": {"one": {"v": 1}, "two": 2, "three": {"v": 3}}}
    assert list(raw.mappings(node, "list")) == [{"a": 1}, {"b": 2}]
    assert list(raw.entries(node, "map")) == [("one", {"v": 1}), ("three", {"v": 3})]
    assert list(raw.mappings(node, "map")) == [] and list(raw.entries(node, "list")) == []


def test_raw_choice_returns_a_member_of_the_closed_set_or_none() -> None:
    assert raw.choice("query", ir.PARAMETER_LOCATIONS) == "query"
    assert raw.choice("querystring", ir.PARAMETER_LOCATIONS) is None
    assert raw.choice(["query"], ir.PARAMETER_LOCATIONS) is None


def test_raw_first_tag_and_strings() -> None:
    assert raw.first_tag({"tags": ["b", "a"]}) == "b"
    assert raw.first_tag({"tags": []}) == raw.first_tag({"tags": "b"}) == raw.first_tag({}) == "default"
    assert raw.strings(["a", 1, None, {"x": 1}, True]) == ["a", "1", "True"]
    assert raw.strings("a") == []


def test_no_builder_layer_imports_another_modules_private_names() -> None:
    """The layers of model/build/ share what they need through raw.py's public names."""
    offenders = []
    for path in sorted(Path(raw.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
                offenders += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert offenders == []
