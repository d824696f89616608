"""The API description as data for the generated testing kit (``<package>.testing``).

The fake API in the generated package (``_runtime/_fake.py``) checks requests and makes up answers from
this: operations (method, path, parameters, bodies, responses with their first example), the models by
name, and the security schemes. It is plain JSON data, derived from the IR only.
"""

from __future__ import annotations

import json
import math
from typing import Any

from generator.model import ir

# the validation keywords the fake checks (as the client's own checks do)
_RULES = frozenset({
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maximum", "minimum",
    "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "enum",
})  # fmt: skip


def _plain(value: Any, depth: int = 0) -> bool:
    if depth > 64:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _well_typed(key: str, value: Any) -> bool:
    """Whether a keyword's value is of the type JSON Schema gives it (a wrong one is left to the validator)."""
    if key in ("maxLength", "minLength", "maxItems", "minItems"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if key in ("maximum", "minimum", "multipleOf"):
        return _number(value) and (key != "multipleOf" or value > 0)
    if key in ("exclusiveMaximum", "exclusiveMinimum"):
        return isinstance(value, bool) or _number(value)
    if key == "pattern":
        return isinstance(value, str)
    if key == "uniqueItems":
        return isinstance(value, bool)
    return isinstance(value, tuple) and _plain(value)  # enum


def _rules(constraints: ir.Constraints, drop_enum: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in constraints.items:
        if key not in _RULES or (key == "enum" and drop_enum) or not _well_typed(key, value):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


class _Contract:
    def __init__(self, api: ir.Api) -> None:
        self.api = api

    def is_enum(self, t: ir.TypeRef) -> bool:
        while isinstance(t, ir.Nullable):
            t = t.inner
        return isinstance(t, ir.ModelRef) and isinstance(self.api.model(t.name), ir.EnumModel)

    def type(self, t: ir.TypeRef | None) -> dict[str, Any] | None:
        if t is None:
            return None
        if isinstance(t, ir.Primitive):
            kind = t.kind if t.kind in ("str", "int", "float", "bool", "null") else "any"
            out: dict[str, Any] = {"t": kind}
            if kind == "str" and t.format:
                out["f"] = t.format
            return out
        if isinstance(t, ir.ArrayType):
            array: dict[str, Any] = {"t": "array", "item": self.type(t.item)}
            item_rules = _rules(t.item_constraints, self.is_enum(t.item))
            if item_rules:
                array["item_rules"] = item_rules
            return array
        if isinstance(t, ir.MapType):
            return {"t": "map", "value": self.type(t.value)}
        if isinstance(t, ir.Nullable):
            return {"t": "nullable", "inner": self.type(t.inner)}
        return {"t": "ref", "name": t.name}

    def wire(self, w: ir.WireEncoding | None) -> dict[str, Any] | None:
        if w is None:
            return None
        value = self.type(w.value)
        if isinstance(w.value, ir.ArrayType) and value is not None:
            item_rules = _rules(w.item_constraints, self.is_enum(w.value.item))
            if item_rules:
                value["item_rules"] = item_rules
        out: dict[str, Any] = {"kind": w.kind, "value": value, "rules": _rules(w.constraints)}
        if w.kind == "join":
            out["sep"] = w.separator
        return out

    def field(self, f: ir.Field) -> dict[str, Any]:
        out: dict[str, Any] = {"wire": f.wire_name, "required": f.required, "type": self.type(f.type)}
        rules = _rules(f.constraints, self.is_enum(f.type))
        if rules:
            out["rules"] = rules
        if f.read_only:
            out["read_only"] = True
        encoding = self.wire(f.wire)
        if encoding is not None:
            out["wire_encoding"] = encoding
        return out

    def model(self, m: ir.Model) -> dict[str, Any]:
        if isinstance(m, ir.EnumModel):
            return {"kind": "enum", "name": m.name, "values": [v.value for v in m.members]}
        if isinstance(m, ir.UnionModel):
            out: dict[str, Any] = {"kind": "union", "name": m.name, "variants": [self.type(v) for v in m.variants]}
            if m.discriminator is not None:
                out["discriminator"] = {"property": m.discriminator.property, "mapping": dict(m.discriminator.mapping)}
            return out
        return {
            "kind": "object",
            "name": m.name,
            "fields": [self.field(f) for f in m.fields],
            "additional": self.type(m.additional),
        }

    def parameter(self, p: ir.Parameter) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": p.wire_name, "in": p.location, "required": p.required and p.set_by != "client",
            "type": self.type(p.type), "style": p.style, "explode": p.explode,
        }  # fmt: skip
        rules = _rules(p.constraints, self.is_enum(p.type))
        if rules:
            out["rules"] = rules
        encoding = self.wire(p.wire)
        if encoding is not None:
            out["wire"] = encoding
        return out

    def media(self, m: ir.MediaType) -> dict[str, Any]:
        return {"type": m.content_type, "kind": m.kind, "schema": self.type(m.type)}

    def response(self, r: ir.Response) -> dict[str, Any]:
        out: dict[str, Any] = {"status": r.status}
        media = r.decoded
        if media is not None:
            out["content_type"] = media.content_type if "*" not in media.content_type else "application/octet-stream"
            out["schema"] = self.type(media.type) if media.kind == "json" else None
            example = next((e.value for e in media.examples if _plain(e.value)), None)
            if media.examples and example is not None:
                out["example"] = example
        out["headers"] = [{"name": h.name, "type": self.type(h.type)} for h in r.headers]
        return out

    def operation(self, op: ir.Operation) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": op.operation_id,
            "method": op.method.upper(),
            "path": op.path,
            "params": [self.parameter(p) for p in op.parameters if p.set_by not in ("transport", "auth")],
            "body": None,
            "responses": [self.response(r) for r in op.responses],
            "security": [list(alt) for alt in op.security],
        }
        if op.body is not None:
            out["body"] = {"required": op.body.required, "media": [self.media(m) for m in op.body.media]}
        if op.result_code is not None:
            out["result_code"] = {"field": op.result_code.field, "success": list(op.result_code.success)}
        return out

    def build(self) -> dict[str, Any]:
        return {
            "title": self.api.title,
            "version": self.api.version,
            "operations": [self.operation(op) for op in self.api.operations],
            "models": {m.name: self.model(m) for m in self.api.models},
            "security_schemes": {
                s.name: {"kind": s.kind, "location": s.location, "parameter": s.parameter, "scheme": s.scheme,
                         "options": {k: v for k, v in s.options if _plain(v)}}
                for s in self.api.security_schemes
            },  # fmt: skip
        }


def fake_contract(api: ir.Api) -> str:
    """The JSON text ``<package>.testing`` embeds (deterministic: sorted keys, no whitespace)."""
    return json.dumps(_Contract(api).build(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
