"""Enums of parameters that several operations share are named after the parameter, not the first operation."""

from __future__ import annotations

from pathlib import Path

from generator.model import ir
from generator.pipeline import analyse
from tests.support.specs import write_tree

SPEC = """
openapi: 3.1.0
info: {title: Shared, version: '1'}
paths:
  /apps:
    get:
      operationId: listApps
      parameters:
        - $ref: '#/components/parameters/Region'
        - $ref: '#/components/parameters/SortDir'
        - $ref: '#/components/parameters/JsonType'
        - {name: state, in: query, schema: {type: string, enum: [up, down]}}
      responses: {'200': {description: ok}}
  /templates:
    get:
      operationId: listTemplates
      parameters:
        - $ref: '#/components/parameters/Region'
        - $ref: '#/components/parameters/SortDir'
        - $ref: '#/components/parameters/FormType'
        - $ref: '#/components/parameters/Once'
      responses: {'200': {description: ok}}
  /signatures:
    get:
      operationId: listSignatures
      parameters:
        - $ref: '#/components/parameters/JsonType'
      responses: {'200': {description: ok}}
  /files:
    get:
      operationId: listFiles
      parameters:
        - $ref: '#/components/parameters/FormType'
      responses: {'200': {description: ok}}
components:
  parameters:
    Region: {name: region, in: query, schema: {type: string, enum: [cn, intl]}}
    SortDir: {name: sort_dir, in: query, schema: {type: string, enum: [asc, desc]}}
    JsonType: {name: X-Kind, in: header, schema: {type: string, enum: [json]}}
    FormType: {name: X-Kind, in: header, schema: {type: string, enum: [form]}}
    Once: {name: mode, in: query, schema: {type: string, enum: [fast, slow]}}
"""


def _enum_of(api: ir.Api, op_id: str, wire: str) -> str:
    op = next(o for o in api.operations if o.operation_id == op_id)
    p = next(p for p in op.parameters if p.wire_name == wire)
    assert isinstance(p.type, ir.ModelRef)
    assert isinstance(api.model(p.type.name), ir.EnumModel)
    return p.type.name


def test_shared_parameter_enums_get_names_of_their_own(tmp_path: Path) -> None:
    result = analyse(write_tree(tmp_path, {"openapi.yaml": SPEC}))
    assert not result.errors, result.errors
    api = result.api
    for op_id in ("listApps", "listTemplates"):
        assert _enum_of(api, op_id, "region") == "Region"
        assert _enum_of(api, op_id, "sort_dir") == "SortDir"
    # two shared parameters with one wire name: each is named after its component
    assert _enum_of(api, "listApps", "X-Kind") == "JsonType"
    assert _enum_of(api, "listSignatures", "X-Kind") == "JsonType"
    assert _enum_of(api, "listTemplates", "X-Kind") == "FormType"
    assert _enum_of(api, "listFiles", "X-Kind") == "FormType"
    # used by one operation only, or written inline: named after the operation, as before
    assert _enum_of(api, "listTemplates", "mode") == "ListTemplatesMode"
    assert _enum_of(api, "listApps", "state") == "ListAppsState"
    names = [m.name for m in api.models]
    assert not any(n.startswith("ListAppsRegion") or n.startswith("ListAppsSortDir") for n in names), names
