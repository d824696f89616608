"""The spec against Huawei's own API Explorer definitions (Swagger 2.0, one file per operation).

For every reference operation (matched through `x-huawei-operation`) this compares the method and path,
the host, every parameter (name, location, required flag, type, format, constraints, default), the
request body and every response body that has a schema (field names recursively, required flags, types,
formats and constraints) and the response headers. Each difference becomes a `Difference`; the intended
ones are listed, with a reason, in `reference-allowlist.yaml`. Anything not listed fails, and so does an
allowlist entry that no longer matches a real difference.

Header parameters the client supplies itself (`x-apigen-set-by`) are not compared; each one, on either
side, is still reported as a `set-by` difference, so the allowlist says which headers are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from .helpers import REFERENCE_DIR, loaded_spec, merged_parameters, operations, where

ALLOWLIST = Path(__file__).with_name("reference-allowlist.yaml")
CONSTRAINTS = ("format", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "enum", "pattern")
MISSING = object()

pytestmark = pytest.mark.skipif(
    not REFERENCE_DIR.is_dir(), reason=f"Huawei reference definitions not found at {REFERENCE_DIR}"
)


@dataclass(frozen=True)
class Difference:
    operation: str  # reference file stem, or operationId of a spec operation without a reference
    where: str  # operation | server | <in>:<name> | body[.field...] | response:<status>[.field...] [header:<name>]
    aspect: str  # missing | extra | required | type | set-by | media-type | path | <constraint keyword>
    reference: Any = None
    spec: Any = None
    source: str = ""  # spec file:line, for the message only

    def __str__(self) -> str:
        return (f"{self.operation} {self.where}: {self.aspect} "
                f"(reference {json.dumps(self.reference)}, spec {json.dumps(self.spec)}){self.source}")


# -- the reference files ------------------------------------------------------------------------------------


@dataclass
class ReferenceOperation:
    name: str
    method: str
    path: str
    host: str
    parameters: list[dict[str, Any]]
    consumes: list[str]
    responses: dict[str, dict[str, Any]]
    definitions: dict[str, Any]

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.definitions[node["$ref"].removeprefix("#/definitions/")]
        return node


def load_reference(path: Path) -> ReferenceOperation:
    data = json.loads(path.read_text(encoding="utf-8"))
    shared = data.get("parameters") or {}

    def parameter(p: dict[str, Any]) -> dict[str, Any]:
        return shared[p["$ref"].removeprefix("#/parameters/")] if "$ref" in p else p

    [(api_path, item)] = data["paths"].items()
    [method] = [m for m in item if m != "parameters"]
    op = item[method]
    # SMSApi files declare their headers on the path item; IAM and MSGSMS files on the operation.
    parameters = [parameter(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
    consumes = op.get("consumes") or json.loads(data.get("consumes") or "[]")
    return ReferenceOperation(path.stem, method, api_path, data["host"], parameters, consumes,
                              op.get("responses", {}), data.get("definitions", {}))


def reference_operations() -> list[ReferenceOperation]:
    return [load_reference(p) for p in sorted(REFERENCE_DIR.glob("*/*.json"))]


# -- comparing -------------------------------------------------------------------------------------------------


def _type(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind is None and "properties" in schema:
        return "object"
    return kind


def _reference_values(schema: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    found = {k: schema[k] for k in keys if k in schema}
    if schema.get("type") == "file":  # Swagger 2 upload field = OpenAPI 3 binary string
        found["format"] = "binary"
    return found


class Comparison:
    def __init__(self, ref: ReferenceOperation) -> None:
        self.ref = ref
        self.found: list[Difference] = []

    def add(self, where_: str, aspect: str, reference: Any = None, spec: Any = None, node: Any = None) -> None:
        self.found.append(Difference(self.ref.name, where_, aspect, reference, spec, where(node) if node else ""))

    def values(self, where_: str, ref: dict[str, Any], spec: dict[str, Any], keys: tuple[str, ...]) -> None:
        ref_type = "string" if ref.get("type") == "file" else _type(ref)
        if ref_type != _type(spec):
            self.add(where_, "type", ref_type, _type(spec), spec)
        ref_values, spec_values = _reference_values(ref, keys), {k: spec[k] for k in keys if k in spec}
        for key in keys:
            if ref_values.get(key, MISSING) != spec_values.get(key, MISSING):
                self.add(where_, key, ref_values.get(key), spec_values.get(key), spec)

    def schema(self, where_: str, ref: dict[str, Any], spec: dict[str, Any]) -> None:
        ref = self.ref.deref(ref)
        if "oneOf" in spec:  # a union in the spec: compare the variant made from this reference operation
            chosen = [v for v in spec["oneOf"] if v.get("x-huawei-operation") == self.ref.name]
            if len(chosen) != 1:
                self.add(where_, "union", self.ref.name, [v.get("x-huawei-operation") for v in spec["oneOf"]], spec)
                return
            spec = chosen[0]
        self.values(where_, ref, spec, CONSTRAINTS)
        ref_props, spec_props = ref.get("properties", {}), spec.get("properties", {})
        ref_required, spec_required = set(ref.get("required", [])), set(spec.get("required", []))
        for name in sorted(set(ref_props) | set(spec_props)):
            field = f"{where_}.{name}"
            if name not in spec_props:
                self.add(field, "missing", node=spec)
            elif name not in ref_props:
                self.add(field, "extra", node=spec_props[name])
            else:
                if (name in ref_required) != (name in spec_required):
                    self.add(field, "required", name in ref_required, name in spec_required, spec)
                self.schema(field, ref_props[name], spec_props[name])
        if "items" in ref or "items" in spec:
            if "items" in ref and "items" in spec:
                self.schema(f"{where_}[]", ref["items"], spec["items"])
            else:
                self.add(f"{where_}[]", "missing" if "items" in ref else "extra", node=spec)

    def run(self, path: str, method: str, item: dict[str, Any], op: dict[str, Any], servers: list[dict]) -> None:
        ref = self.ref
        if (ref.method, ref.path) != (method, path):
            self.add("operation", "path", f"{ref.method.upper()} {ref.path}", f"{method.upper()} {path}", op)
        hosts = {urlsplit(_expand(s)).hostname for s in servers}
        if ref.host not in hosts:
            self.add("server", "host", ref.host, sorted(h or "" for h in hosts), op)
        self.parameters(item, op)
        self.request_body(op)
        self.responses(op)

    def parameters(self, item: dict[str, Any], op: dict[str, Any]) -> None:
        spec_parameters = merged_parameters(item, op)
        compared = set()
        for p in self.ref.parameters:
            if p["in"] in ("body", "formData"):
                continue
            key = (p["in"], p["name"].lower() if p["in"] == "header" else p["name"])
            compared.add(key)
            label = f"{p['in']}:{p['name']}"
            spec = spec_parameters.get(key)
            if spec is None:
                self.add(label, "missing")
            elif "x-apigen-set-by" in spec and p["in"] == "header":
                self.add(label, "set-by", True, spec["x-apigen-set-by"], spec)
            else:
                if p.get("required", False) != spec.get("required", False):
                    self.add(label, "required", p.get("required", False), spec.get("required", False), spec)
                self.values(label, p, spec["schema"], (*CONSTRAINTS, "default"))
        for key, spec in spec_parameters.items():
            if key not in compared:
                label = f"{spec['in']}:{spec['name']}"
                if "x-apigen-set-by" in spec and spec["in"] == "header":
                    self.add(label, "set-by", False, spec["x-apigen-set-by"], spec)
                else:
                    self.add(label, "extra", node=spec)

    def request_body(self, op: dict[str, Any]) -> None:
        body = [p for p in self.ref.parameters if p["in"] == "body"]
        form = [p for p in self.ref.parameters if p["in"] == "formData"]
        spec_body = op.get("requestBody")
        if not body and not form:
            if spec_body is not None:
                self.add("body", "extra", node=spec_body)
            return
        if spec_body is None:
            self.add("body", "missing", node=op)
            return
        ref_types = sorted({c.split(";")[0].strip() for c in self.ref.consumes})
        spec_types = sorted({c.split(";")[0].strip() for c in spec_body["content"]})
        if ref_types != spec_types:
            self.add("body", "media-type", ref_types, spec_types, spec_body)
        # Swagger 2 marks a body parameter required; form fields are each optional, the form itself is always sent.
        ref_required = body[0].get("required", False) if body else True
        if ref_required != spec_body.get("required", False):
            self.add("body", "required", ref_required, spec_body.get("required", False), spec_body)
        [media] = spec_body["content"].values()
        if body:
            self.schema("body", body[0]["schema"], media["schema"])
        else:  # form fields become the properties of an object
            as_schema = {
                "type": "object",
                "properties": {p["name"]: {k: v for k, v in p.items() if k not in ("name", "in", "required")} for p in form},
                "required": [p["name"] for p in form if p.get("required")],
            }
            self.schema("body", as_schema, media["schema"])

    def responses(self, op: dict[str, Any]) -> None:
        for status, response in self.ref.responses.items():
            spec = op["responses"].get(status)
            # The Explorer lists generic statuses (201 Created, 401, ...) without bodies: compare those with a body or headers.
            if "schema" not in response and "headers" not in response:
                continue
            label = f"response:{status}"
            if spec is None:
                self.add(label, "missing", node=op)
                continue
            if "schema" in response:
                media = spec.get("content", {}).get("application/json")
                if media is None:
                    self.add(label, "missing", node=spec)
                else:
                    self.schema(label, response["schema"], media["schema"])
            for name, header in response.get("headers", {}).items():
                spec_header = spec.get("headers", {}).get(name)
                if spec_header is None:
                    self.add(f"{label} header:{name}", "missing", node=spec)
                else:
                    self.values(f"{label} header:{name}", header, spec_header["schema"], CONSTRAINTS)


def _expand(server: dict[str, Any]) -> str:
    url = server["url"]
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", variable["default"])
    return url


def compute_differences() -> list[Difference]:
    document = loaded_spec().document
    by_reference: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {}
    found: list[Difference] = []
    for path, method, item, op in operations(document):
        names = op.get("x-huawei-operation", [])
        names = [names] if isinstance(names, str) else names
        if not names:
            found.append(Difference(op["operationId"], "operation", "not-in-reference", source=where(op)))
        for name in names:
            assert name not in by_reference, f"{name} is claimed by two operations"
            by_reference[name] = (path, method, item, op)
    references = reference_operations()
    assert references, f"no reference files under {REFERENCE_DIR}"
    for ref in references:
        if ref.name not in by_reference:
            found.append(Difference(ref.name, "operation", "missing", f"{ref.method.upper()} {ref.path}"))
            continue
        path, method, item, op = by_reference[ref.name]
        comparison = Comparison(ref)
        comparison.run(path, method, item, op, op.get("servers") or item.get("servers") or document["servers"])
        found.extend(comparison.found)
    unknown = set(by_reference) - {r.name for r in references}
    assert not unknown, f"x-huawei-operation names without a reference file: {sorted(unknown)}"
    return found


# -- the allowlist ---------------------------------------------------------------------------------------------


def load_allowlist() -> list[dict[str, Any]]:
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8"))["differences"]
    for entry in entries:
        assert set(entry) <= {"operations", "where", "aspect", "reference", "spec", "reason"}, entry
        assert entry.get("reason", "").strip(), f"allowlist entry without a reason: {entry}"
        assert entry["operations"] and entry["where"] and entry["aspect"], entry
    return entries


def _matches(entry: dict[str, Any], difference: Difference) -> bool:
    return (
        difference.operation in entry["operations"]
        and difference.where in entry["where"]
        and difference.aspect == entry["aspect"]
        and ("reference" not in entry or entry["reference"] == difference.reference)
        and ("spec" not in entry or entry["spec"] == difference.spec)
    )


DIFFERENCES = compute_differences() if REFERENCE_DIR.is_dir() else []


def test_every_difference_from_the_reference_is_intended() -> None:
    allowlist = load_allowlist()
    unexpected = [d for d in DIFFERENCES if not any(_matches(e, d) for e in allowlist)]
    assert not unexpected, (
        f"{len(unexpected)} difference(s) from Huawei's definitions not in {ALLOWLIST.name}:\n"
        + "\n".join(map(str, unexpected))
    )


def test_the_allowlist_has_no_stale_entries() -> None:
    stale = []
    for entry in load_allowlist():
        for operation in entry["operations"]:
            for where_ in entry["where"]:
                probe = {**entry, "operations": [operation], "where": [where_]}
                if not any(_matches(probe, d) for d in DIFFERENCES):
                    stale.append(f"{operation} {where_}: {entry['aspect']} ({entry['reason'].strip()[:60]}...)")
    assert not stale, "allowlist entries that match no real difference:\n" + "\n".join(stale)


def test_every_reference_file_was_compared() -> None:
    names = {p.stem for p in REFERENCE_DIR.glob("*/*.json")}
    assert len(names) == 29
    assert not [d for d in DIFFERENCES if d.where == "operation" and d.aspect == "missing"]
