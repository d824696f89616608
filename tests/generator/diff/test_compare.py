"""apigen diff, one change kind at a time: a small spec, one edit, and the one change it must yield.

Each case edits a copy of ``BASE`` (a Python mapping dumped as block YAML) and names the expected change:
its kind, severity, the Python name a caller writes, and where it is in each spec. Locations are given as
key paths into the dumped YAML and found in the text independently of the loader (``_line``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import KINDS, Change, compare
from generator.model import ir
from generator.model.build import build_api
from generator.spec.load import load_spec
from tests.generator.diff.pets import base as _base
from tests.generator.diff.pets import dump as _dump


def _line(text: str, path: tuple[str, ...]) -> int:
    """The line of the last key of ``path`` (``-name`` matches the list item ``- name: <name>``, ``=text`` a
    line that is ``text``), each key
    searched below the previous one and indented deeper; ``+`` at the end: the line after it (where the
    mapping under the key starts)."""
    lines = text.splitlines()
    start, indent = 0, -1
    after = path[-1] == "+"
    keys = path[:-1] if after else path
    found = -1
    for key in keys:
        for n in range(start, len(lines)):
            row = lines[n]
            depth = len(row) - len(row.lstrip(" -"))
            if key.startswith("="):
                hit = row.strip() == key[1:]
            elif key.startswith("-"):
                hit = row.lstrip(" ").startswith("- name: ") and row.split(": ", 1)[1] == key[1:]
            else:
                hit = row.lstrip(" -").startswith((f"{key}:", f"'{key}':"))
            if hit and depth > indent:
                found, start, indent = n, n + 1, depth
                break
        else:
            raise AssertionError(f"{key!r} of {path} not in the YAML")
    return found + 1 + (1 if after else 0)


def _api(tmp: Path, name: str, doc: dict[str, Any]) -> tuple[ir.Api, str, Path]:
    path = tmp / name / "openapi.yaml"
    path.parent.mkdir()
    text = _dump(doc)
    path.write_text(text, encoding="utf-8")
    api, _ = build_api(load_spec(path))
    return api, text, path


Edit = Callable[[dict[str, Any]], None]
P = ("paths", "/pets")
S = ("components", "schemas")


def _del(*keys: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        for k in keys[:-1]:
            node = node[k]
        del node[keys[-1]]

    return edit


def _set(value: Any, *keys: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value

    return edit


def _params(edit: Callable[[list[dict[str, Any]]], None]) -> Edit:
    return lambda doc: edit(doc["paths"]["/pets"]["get"]["parameters"])


def _param(wire: str, **changes: Any) -> Edit:
    def edit(params: list[dict[str, Any]]) -> None:
        p = next(p for p in params if p["name"] == wire)
        for k, v in changes.items():
            if v is None:
                p.pop(k, None)
            else:
                p[k] = v

    return _params(edit)


def _rename_model(old: str, new: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        text = _dump(doc).replace(f"#/components/schemas/{old}'", f"#/components/schemas/{new}'")
        fresh = yaml.safe_load(text)
        schemas = fresh["components"]["schemas"]
        fresh["components"]["schemas"] = {(new if k == old else k): v for k, v in schemas.items()}
        doc.clear()
        doc.update(fresh)

    return edit


def _add_op(doc: dict[str, Any]) -> None:
    doc["paths"]["/toys"] = {"get": {"operationId": "listToys", "tags": ["pets"], "responses": {"200": {"description": "ok"}}}}


def _add_resource(doc: dict[str, Any]) -> None:
    doc["paths"]["/vets"] = {"get": {"operationId": "listVets", "tags": ["vets"], "responses": {"200": {"description": "ok"}}}}


# (id, edit, kind, severity, python name, old location, new location); a location is a key path in that
# side's YAML ("+": the mapping under the key) or None
CASES: list[tuple[str, Edit, str, str, str, tuple[str, ...] | None, tuple[str, ...] | None]] = [
    ("operation added", _add_op, "operation-added", "compatible", "client.pets.list_toys()",
     None, ("paths", "/toys", "get", "+")),
    ("operation removed", _del(*P, "post"), "operation-removed", "breaking", "client.pets.create_pet()",
     (*P, "post", "+"), None),
    ("operation renamed", _set("fetchPets", *P, "get", "operationId"), "operation-renamed", "breaking",
     "client.pets.list_pets()", (*P, "get", "+"), (*P, "get", "+")),
    ("resource added", _add_resource, "resource-added", "compatible", "client.vets", None, ("paths", "/vets", "get", "+")),
    ("resource removed", _del("paths", "/stores"), "resource-removed", "breaking", "client.stores",
     ("paths", "/stores", "get", "+"), None),
    ("parameter added optional",
     _params(lambda ps: ps.append({"name": "color", "in": "query", "schema": {"type": "string"}})),
     "argument-added", "compatible", "client.pets.list_pets(color=...)", (*P, "get", "+"),
     (*P, "get", "parameters", "-color")),
    ("parameter added required",
     _params(lambda ps: ps.append({"name": "color", "in": "query", "required": True, "schema": {"type": "string"}})),
     "argument-added", "breaking", "client.pets.list_pets(color=...)", (*P, "get", "+"),
     (*P, "get", "parameters", "-color")),
    ("parameter removed", _params(lambda ps: ps.pop(0)), "argument-removed", "breaking",
     "client.pets.list_pets(limit=...)", (*P, "get", "parameters", "-limit"), (*P, "get", "+")),
    ("parameter optional -> required", _param("limit", required=True), "argument-required", "breaking",
     "client.pets.list_pets(limit=...)", (*P, "get", "parameters", "-limit"), (*P, "get", "parameters", "-limit")),
    ("body field required -> optional", _set([], *S, "NewPet", "required"), "argument-optional",
     "compatible", "client.pets.create_pet(name=...)", (*S, "NewPet", "properties", "name"),
     (*S, "NewPet", "properties", "name")),
    ("body field added optional", _set({"type": "string"}, *S, "NewPet", "properties", "color"), "argument-added",
     "compatible", "client.pets.create_pet(color=...)", (*P, "post", "+"), (*S, "NewPet", "properties", "color")),
    ("body field removed", _del(*S, "NewPet", "properties", "age"), "argument-removed", "breaking",
     "client.pets.create_pet(age=...)", (*S, "NewPet", "properties", "age"), (*P, "post", "+")),
    ("parameter type narrowed", _param("limit", schema={"type": "boolean", "default": 10}), "argument-type-changed",
     "breaking", "client.pets.list_pets(limit=...)", (*P, "get", "parameters", "-limit"),
     (*P, "get", "parameters", "-limit")),
    ("parameter type widened", _param("limit", schema={"type": "number", "default": 10}), "argument-type-changed",
     "compatible", "client.pets.list_pets(limit=...)", (*P, "get", "parameters", "-limit"),
     (*P, "get", "parameters", "-limit")),
    ("parameter default changed", _param("limit", schema={"type": "integer", "default": 20}),
     "argument-default-changed", "breaking", "client.pets.list_pets(limit=...)",
     (*P, "get", "parameters", "-limit"), (*P, "get", "parameters", "-limit")),
    ("response field removed", _del(*S, "Pet", "properties", "weight"), "field-removed", "breaking",
     "models.Pet.weight", (*S, "Pet", "properties", "weight"), (*S, "Pet", "+")),
    ("response field added", _set({"type": "string"}, *S, "Pet", "properties", "color"), "field-added",
     "compatible", "models.Pet.color", (*S, "Pet", "+"), (*S, "Pet", "properties", "color")),
    ("response field renamed",
     lambda d: d["components"]["schemas"]["Pet"]["properties"].update(
         {"mass": d["components"]["schemas"]["Pet"]["properties"].pop("weight")}),
     "field-renamed", "breaking", "models.Pet.weight", (*S, "Pet", "properties", "weight"),
     (*S, "Pet", "properties", "mass")),
    ("response field required -> optional", _set([], *S, "Pet", "required"), "field-optional", "breaking",
     "models.Pet.id", (*S, "Pet", "properties", "id"), (*S, "Pet", "properties", "id")),
    ("response field optional -> required", _set(["id", "name"], *S, "Pet", "required"), "field-required",
     "compatible", "models.Pet.name", (*S, "Pet", "properties", "name"), (*S, "Pet", "properties", "name")),
    ("response field type widened", _set({"type": "number", "nullable": True}, *S, "Pet", "properties", "weight"),
     "field-type-changed", "breaking", "models.Pet.weight", (*S, "Pet", "properties", "weight"),
     (*S, "Pet", "properties", "weight")),
    ("response field type narrowed", _set({"type": "integer"}, *S, "Pet", "properties", "weight"),
     "field-type-changed", "compatible", "models.Pet.weight", (*S, "Pet", "properties", "weight"),
     (*S, "Pet", "properties", "weight")),
    ("request enum value removed", _set(["cat"], *S, "Kind", "enum"), "enum-value-removed", "breaking",
     "models.Kind.DOG", (*S, "Kind", "+"), (*S, "Kind", "+")),
    ("request enum value added", _set(["cat", "dog", "bird"], *S, "Kind", "enum"), "enum-value-added", "compatible",
     "models.Kind.BIRD", (*S, "Kind", "+"), (*S, "Kind", "+")),
    ("response enum value added", _set(["available", "sold", "lost"], *S, "Status", "enum"), "enum-value-added",
     "compatible", "models.Status.LOST", (*S, "Status", "+"), (*S, "Status", "+")),
    ("response enum value removed", _set(["available"], *S, "Status", "enum"), "enum-value-removed", "breaking",
     "models.Status.SOLD", (*S, "Status", "+"), (*S, "Status", "+")),
    ("model added", _set({"type": "object", "properties": {"a": {"type": "string"}}}, *S, "Toy"), "model-added",
     "compatible", "models.Toy", None, (*S, "Toy", "+")),
    ("model removed", _del(*S, "Owner"), "model-removed", "breaking", "models.Owner", (*S, "Owner", "+"), None),
    ("model renamed", _rename_model("Owner", "Keeper"), "model-renamed", "breaking", "models.Owner",
     (*S, "Owner", "+"), (*S, "Keeper", "+")),
    ("security requirement added", _set([{"key": [], "token": []}], *P, "get", "security"), "security-changed", "breaking",
     "client.pets.list_pets()", (*P, "get", "+"), (*P, "get", "+")),
    ("security alternative added", _set([{"key": []}, {"token": []}], *P, "get", "security"), "security-changed",
     "compatible", "client.pets.list_pets()", (*P, "get", "+"), (*P, "get", "+")),
    ("security scheme removed",
     _del("components", "securitySchemes", "token"), "security-scheme-removed", "breaking", "Client(...)",
     ("components", "securitySchemes", "token"), None),
    ("server added", _set([{"url": "https://api.example.com/v1"}, {"url": "https://eu.example.com/v1"}], "servers"),
     "server-added", "compatible", "Client(base_url=...)", None, ("servers", "=- url: https://eu.example.com/v1")),
    ("response status added", _set({"description": "gone"}, *P, "post", "responses", "410"), "response-status-added",
     "compatible", "client.pets.create_pet()", (*P, "post", "+"), (*P, "post", "responses", "410")),
    ("error response status removed", _del(*P, "post", "responses", "404"), "response-status-removed", "compatible",
     "client.pets.create_pet()", (*P, "post", "responses", "404"), (*P, "post", "+")),
    ("default server changed", _set([{"url": "https://api2.example.com/v2"}], "servers"), "server-default-changed",
     "breaking", "Client(base_url=...)", ("servers", "+"), ("servers", "+")),
    ("success response removed", _del(*P, "post", "responses", "201"), "response-status-removed", "breaking",
     "client.pets.create_pet()", (*P, "post", "responses", "201"), (*P, "post", "+")),
    ("return type changed", _set({"$ref": "#/components/schemas/Owner"}, *P, "get", "responses", "200", "content",
                                 "application/json", "schema"),
     "return-type-changed", "breaking", "client.pets.list_pets()", (*P, "get", "responses", "200"),
     (*P, "get", "responses", "200")),
    ("security scheme added", _set({"type": "http", "scheme": "basic"}, "components", "securitySchemes", "basic"),
     "security-scheme-added", "compatible", "Client(...)", None, ("components", "securitySchemes", "basic")),
    ("model field default changed", _set({"type": "string", "default": "x"}, *S, "Owner", "properties", "name"),
     "field-default-changed", "breaking", "models.Owner.name", (*S, "Owner", "properties", "name"),
     (*S, "Owner", "properties", "name")),
    ("operation server overridden", _set([{"url": "https://pets.example.com/v1"}], *P, "get", "servers"),
     "operation-server-changed", "breaking", "client.pets.list_pets()", (*P, "get", "+"),
     (*P, "get", "servers", "=- url: https://pets.example.com/v1")),
    ("operation server added to its own", _set([{"url": "https://api.example.com/v1"},
                                                {"url": "https://eu.example.com/v1"}], *P, "get", "servers"),
     "operation-server-changed", "compatible", "client.pets.list_pets()", (*P, "get", "+"),
     (*P, "get", "servers", "=- url: https://api.example.com/v1")),
    ("server removed", _set([], "servers"), "server-removed", "breaking", "Client(base_url=...)", ("servers", "+"),
     None),
    ("parameter renamed", _param("limit", name="max"), "argument-renamed", "breaking",
     "client.pets.list_pets(limit=...)", (*P, "get", "parameters", "-limit"), (*P, "get", "parameters", "-max")),
    ("body no longer flattened",
     _set({"type": "array", "items": {"$ref": "#/components/schemas/NewPet"}}, *P, "post", "requestBody", "content",
          "application/json", "schema"),
     "body-changed", "breaking", "client.pets.create_pet()", (*P, "post", "requestBody", "+"),
     (*P, "post", "requestBody", "+")),
    ("security scheme changed", _set("query", "components", "securitySchemes", "key", "in"), "security-scheme-changed",
     "breaking", "Client(...)", ("components", "securitySchemes", "key"), ("components", "securitySchemes", "key")),
    ("model kind changed", _set({"type": "string", "enum": ["a"]}, *S, "Owner"), "model-kind-changed", "breaking",
     "models.Owner", (*S, "Owner", "+"), (*S, "Owner", "+")),
    ("union variant added",
     _set([{"type": "string"}, {"$ref": "#/components/schemas/Tag"}, {"type": "integer"}], *S, "Shape", "oneOf"),
     "union-variant-added", "breaking", "models.Shape", (*S, "Shape", "+"), (*S, "Shape", "+")),
    ("union variant removed", _set([{"$ref": "#/components/schemas/Tag"}, {"type": "boolean"}], *S, "Shape", "oneOf"),
     "union-variant-removed", "breaking", "models.Shape", (*S, "Shape", "+"), (*S, "Shape", "+")),
]  # fmt: skip

# what else an edit yields besides its own change
ALSO = {
    "default server changed": {"server-added", "server-removed"},
    "success response removed": {"return-type-changed"},
    "body no longer flattened": {"argument-removed", "argument-added"},
    "union variant removed": {"union-variant-added"},
}


def _where(text: str, path: Path, keys: tuple[str, ...] | None) -> str | None:
    return None if keys is None else f"{path}:{_line(text, keys)}"


def _changes(tmp_path: Path, edit: Edit) -> tuple[list[Change], tuple[str, Path], tuple[str, Path]]:
    old_doc = _base()
    new_doc = copy.deepcopy(old_doc)
    edit(new_doc)
    old, old_text, old_path = _api(tmp_path, "old", old_doc)
    new, new_text, new_path = _api(tmp_path, "new", new_doc)
    return compare(old, new), (old_text, old_path), (new_text, new_path)


@pytest.mark.parametrize(("edit", "kind", "severity", "python_name", "old_at", "new_at"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])  # fmt: skip
def test_one_change_per_edit(
    tmp_path: Path, edit: Edit, kind: str, severity: str, python_name: str,
    old_at: tuple[str, ...] | None, new_at: tuple[str, ...] | None,
) -> None:  # fmt: skip
    changes, (old_text, old_path), (new_text, new_path) = _changes(tmp_path, edit)
    ours = [c for c in changes if c.kind == kind]
    assert len(ours) == 1, changes
    change = ours[0]
    assert (change.severity, change.python_name) == (severity, python_name)
    assert (str(change.old_location) if change.old_location else None) == _where(old_text, old_path, old_at)
    assert (str(change.new_location) if change.new_location else None) == _where(new_text, new_path, new_at)
    assert change.kind in KINDS


def test_every_case_yields_only_its_change(tmp_path: Path) -> None:
    """No edit yields more than its own change and those ALSO lists."""
    for name, edit, kind, *_ in CASES:
        folder = tmp_path / name.replace(" ", "_").replace(">", "")
        folder.mkdir()
        changes, _, _ = _changes(folder, edit)
        assert {c.kind for c in changes} == {kind} | ALSO.get(name, set()), (name, changes)


def test_same_spec_no_changes(tmp_path: Path) -> None:
    changes, _, _ = _changes(tmp_path, lambda doc: None)
    assert changes == []


def test_an_optional_body_with_the_same_fields_is_no_change(tmp_path: Path) -> None:
    """The generated signature follows each field's `required`, not the body's."""
    changes, _, _ = _changes(tmp_path, _set(False, *P, "post", "requestBody", "required"))
    assert changes == []


def test_unrelated_type_change_is_breaking_on_either_side(tmp_path: Path) -> None:
    changes, _, _ = _changes(tmp_path, _set({"type": "integer"}, *S, "Pet", "properties", "name"))
    assert [(c.kind, c.severity, c.python_name, c.detail) for c in changes] == [
        ("field-type-changed", "breaking", "models.Pet.name", "type of field name changed from str to int")
    ]


def test_a_return_value_widened_to_a_union_holding_it_is_breaking(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["PetOrOwner"] = {
            "oneOf": [{"$ref": "#/components/schemas/Pet"}, {"$ref": "#/components/schemas/Owner"}]
        }
        content = doc["paths"]["/pets"]["post"]["responses"]["201"]["content"]["application/json"]
        content["schema"] = {"$ref": "#/components/schemas/PetOrOwner"}

    changes, _, _ = _changes(tmp_path, edit)
    assert [(c.kind, c.severity, c.python_name, c.detail) for c in changes] == [
        ("return-type-changed", "breaking", "client.pets.create_pet()",
         "type of the return value widened from Pet to PetOrOwner"),
        ("model-added", "compatible", "models.PetOrOwner", "model PetOrOwner added"),
    ]  # fmt: skip


def test_a_second_success_response_widens_the_return_value(tmp_path: Path) -> None:
    owner = {"description": "an owner", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}}
    changes, _, _ = _changes(tmp_path, _set(owner, *P, "post", "responses", "202"))
    assert [(c.kind, c.severity, c.detail) for c in changes] == [
        ("return-type-changed", "breaking", "type of the return value widened from Pet to Pet | Owner"),
        ("response-status-added", "compatible", "success response 202 added"),
    ]


def test_a_default_written_in_another_key_order_is_no_change(tmp_path: Path) -> None:
    docs = []
    for default in ({"a": 2, "b": 1}, {"b": 1, "a": 2}):
        doc = _base()
        doc["components"]["schemas"]["Owner"]["properties"]["meta"] = {"type": "object", "default": default}
        docs.append(doc)
    (old, _, _), (new, _, _) = _api(tmp_path, "old", docs[0]), _api(tmp_path, "new", docs[1])
    assert compare(old, new) == []
    docs[1]["components"]["schemas"]["Owner"]["properties"]["meta"]["default"] = {"a": 3}
    changed, _, _ = _api(tmp_path, "changed", docs[1])
    assert [(c.kind, c.detail) for c in compare(old, changed)] == [
        ("field-default-changed", "default of field meta changed from {'a': 2, 'b': 1} to {'a': 3}")
    ]
