"""Schemas -> IR types: objects, unions, enums and references, bounded in depth, named once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from generator.model import ir, naming
from generator.model.build.base import BuilderBase
from generator.model.build.raw import (
    ANY,
    CONSTRAINT_KEYS,
    DROP,
    MAX_SCHEMA_DEPTH,
    MAX_VALUE_DEPTH,
    MAX_VALUE_NODES,
    Unsupported,
    is_mapping,
    is_plain,
    is_sensitive,
    json_kind,
    location_key,
    mapping,
    mappings,
    only_text,
    primitive_of,
    strings,
    text,
)
from generator.spec.diagnostics import Diagnostic, Location, Severity, pointer_join


_PRIMITIVE_KINDS: dict[str, ir.PrimitiveKind] = {
    "string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "null",
}  # fmt: skip


class SchemaBuilder(BuilderBase):
    def claim_component_classes(self, schemas: Mapping[str, Any]) -> None:
        """Classes of the named schemas, first and in name order: an inline model never takes a schema's name."""
        for name in sorted(schemas, key=str):
            schema = schemas[name]
            if isinstance(schema, dict) and self.component_names.get(id(schema)) == name:
                claimed = self.claim(self.classes, naming.class_name(str(name)), f"schema {name}", "in models.py",
                                     "its class", schemas, name, pointer_join("#/components/schemas", name))  # fmt: skip
                self.component_classes[id(schema)] = claimed
                self.model_keys[claimed] = str(name)

    def name_decoders(self) -> None:
        """Each union model's module-level decoder in models.py (``decode_http_server``), unique there."""
        for name in sorted(self.models):
            model = self.models[name]
            if isinstance(model, ir.UnionModel):
                self.models[name] = replace(model, decoder=self._claim_decoder(model))

    def _claim_decoder(self, model: ir.UnionModel) -> str:
        wanted = "decode_" + naming.snake(model.name)
        key = self.model_keys.get(model.name)
        components = mapping(self.doc, "components")
        if key is not None and is_mapping(components, "schemas"):  # a named schema: its key's line
            schemas = components["schemas"]
            return self.claim(self.decoders, wanted, f"schema {key}", "in models.py", "its decoder", schemas, key,
                              pointer_join("#/components/schemas", key))  # fmt: skip
        return self.claim(self.decoders, wanted, f"schema {model.name}", "in models.py", "its decoder", at=model.location)

    def constraints(self, schema: Any) -> ir.Constraints:
        schema = mapping(schema)
        found = [(k, schema[k]) for k in CONSTRAINT_KEYS if k in schema]
        if "enum" in schema and isinstance(schema["enum"], list):
            found.append(("enum", tuple(schema["enum"])))
        return ir.Constraints(tuple(found))

    # -- schemas -----------------------------------------------------------------------------------
    def type_of(
        self, schema: Any, context: str, pointer: str, owner: Any = None, key: str | int | None = None
    ) -> ir.TypeRef:
        """The type of ``schema``; objects, enums and unions become named models (``context`` suggests a name).

        ``owner[key]`` is where the schema is written (for messages about the referrer). A named schema
        (component or ``$ref`` target) that cannot be built is skipped alone: its referrers get ``Any`` and
        a warning naming both places. The walk is bounded (:data:`MAX_SCHEMA_DEPTH`), never by Python's stack.
        """
        if schema is True or schema is None or (isinstance(schema, dict) and not schema):
            return ANY
        if not isinstance(schema, dict):
            what = "`false` (no value allowed)" if schema is False else f"a {json_kind(schema)}, not an object"
            self.warn(f"schema is {what}; typed Any", owner, location_key(key), pointer)
            return ANY
        sid = id(schema)
        known = self.model_of.get(sid)
        if known is not None:
            return ir.ModelRef(known)
        done = self.done.get(sid)
        if done is not None:
            return done
        failed = self.failed.get(sid)
        if failed is not None:
            self.warn(f"refers to skipped schema {failed}; typed Any", owner, location_key(key), pointer)
            return ANY
        if sid in self.active:  # e.g. an array of itself: only models can contain themselves
            self.warn(f"schema contains itself through something that is not an object (from {self.active[sid]}); "
                      "the inner occurrence is typed Any", owner, location_key(key), pointer)  # fmt: skip
            return ANY
        label = self._label(schema)
        component = self.component_names.get(sid)
        if component is not None:  # messages about a component's insides point into the component itself
            pointer = pointer_join("#/components/schemas", component)
        if self.depth >= MAX_SCHEMA_DEPTH:
            if label is not None:  # built later, from the top; a placeholder name stands for it meanwhile
                return ir.ModelRef(self._defer(schema, context, pointer))
            self.warn(f"schema nested more than {MAX_SCHEMA_DEPTH} levels deep; typed Any", schema, None, pointer)
            return ANY
        self.active[sid] = pointer
        self.depth += 1
        try:
            result = self._checked_type_of(schema, context, pointer)
        except Unsupported as exc:
            if label is None:
                raise
            where = self.where(exc.node if exc.node is not None else schema, exc.key)
            own = pointer_join("#/components/schemas", label) if sid in self.component_names else label
            self.failed[sid] = f"{label} ({where or own}: {exc})"
            self.skip_schema(label, str(exc), where, own)
            if owner is not None:  # a component built for itself has no referrer to warn about
                self.warn(f"refers to skipped schema {self.failed[sid]}; typed Any", owner, location_key(key), pointer)
            return ANY
        finally:
            self.depth -= 1
            del self.active[sid]
        if label is not None:
            self.done[sid] = result
        return result

    def _checked_type_of(self, schema: dict[str, Any], context: str, pointer: str) -> ir.TypeRef:
        for key in ("$dynamicRef", "$recursiveRef"):
            if key in schema:
                raise Unsupported(f"{key} is not supported", schema, key)
        nullable = schema.get("nullable", False) is True
        types = schema.get("type")
        if isinstance(types, list):
            if "null" in types:
                nullable = True
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else (types or None)
        inner = self._type_of(schema, types, context, pointer)
        if "enum" in schema and isinstance(schema["enum"], list) and None in schema["enum"]:
            nullable = True
        if nullable and not isinstance(inner, ir.Nullable) and inner != ANY:
            return ir.Nullable(inner)
        return inner

    def _label(self, schema: dict[str, Any]) -> str | None:
        """How messages name a named schema (a component or a ``$ref`` target); None for an inline one."""
        component = self.component_names.get(id(schema))
        if component is not None:
            return component
        return self.loaded.source_map.ref_targets.get(id(schema))

    def _defer(self, schema: dict[str, Any], context: str, pointer: str) -> str:
        name = self.placeholder_of.get(id(schema))
        if name is None:
            name = f"<deferred {len(self.placeholders) + 1}>"  # never a class name
            self.placeholders[name] = id(schema)
            self.placeholder_of[id(schema)] = name
            self.deferred.append((schema, context, pointer))
        return name

    def _build_deferred(self) -> None:
        """Build the named schemas that were reached too deep, each from the top (this may defer more)."""
        while self.deferred:
            schema, context, pointer = self.deferred.pop(0)
            self.type_of(schema, context, pointer)

    def _name_for(self, schema: dict[str, Any], context: str) -> str:
        claimed = self.component_classes.get(id(schema))
        if claimed is not None:
            return claimed
        target = self.loaded.source_map.ref_targets.get(id(schema))
        if target is not None:
            file, _, fragment = target.partition("#")
            stem = fragment.rsplit("/", 1)[-1] if fragment.strip("/") else file.rsplit("/", 1)[-1].split(".")[0]
            return self.classes.claim(naming.class_name(stem))
        return self.classes.claim(naming.class_name(context))

    def _type_of(self, schema: dict[str, Any], types: Any, context: str, pointer: str) -> ir.TypeRef:
        if "allOf" in schema and isinstance(schema["allOf"], list):
            return self._all_of(schema, context, pointer)
        for key in ("oneOf", "anyOf"):
            if key in schema and isinstance(schema[key], list):
                return self._union(schema, key, context, pointer)
        if "enum" in schema and isinstance(schema["enum"], list):
            return self._enum(schema, types, context)
        if "const" in schema:
            return primitive_of(schema["const"])
        if isinstance(types, list):
            return ANY  # several JSON types: the value is kept as decoded
        if types == "array" or (types is None and ("items" in schema or "prefixItems" in schema)):
            item_schema = schema.get("items")
            if isinstance(item_schema, list) or "prefixItems" in schema:  # tuple typing (3.0 lists, 3.1 prefixItems)
                return ir.ArrayType(ANY)
            item = self.type_of(item_schema if item_schema is not None else {}, context + "Item", pointer_join(pointer, "items"),
                                schema, "items")  # fmt: skip
            return ir.ArrayType(item)
        if types == "object" or (types is None and ("properties" in schema or "additionalProperties" in schema)):
            return self._object(schema, context, pointer)
        if types in ("string", "integer", "number", "boolean", "null"):
            kind = _PRIMITIVE_KINDS[types]
            fmt = schema.get("format", "")
            fmt = fmt if isinstance(fmt, str) else ""
            if types == "string" and schema.get("contentEncoding") == "base64":
                fmt = "byte"
            if types == "string" and schema.get("contentMediaType") == "application/octet-stream":
                fmt = "binary"
            return ir.Primitive(kind, fmt)
        if types is None:
            if "not" in schema:
                self.warn("`not` is not enforced; the value is kept as decoded", schema, "not", pointer)
            return ANY
        raise Unsupported(f"unknown schema type {types!r}", schema, "type")

    def _model(self, schema: dict[str, Any], context: str, build: Any) -> ir.TypeRef:
        """Claim a model name for ``schema``, then build the model (``build(name)``), children included.

        The name is handed out before the model is finished (a model may contain itself); if building fails,
        the name is recorded as dropped, so that whatever already refers to it degrades instead of dangling.
        """
        name = self._name_for(schema, context)
        self.model_of[id(schema)] = name
        try:
            self.models[name] = build(name)
        except Unsupported as exc:
            del self.model_of[id(schema)]
            where = self.where(exc.node if exc.node is not None else schema, exc.key)
            self.dropped[name] = f"{name} ({where or self.where(schema) or '?'}: {exc})"
            raise
        return ir.ModelRef(name)

    def _object(self, schema: dict[str, Any], context: str, pointer: str) -> ir.TypeRef:
        properties = mapping(schema, "properties")
        additional = schema.get("additionalProperties")
        if not properties and id(schema) not in self.component_names:
            if additional is None or additional is True or additional == {} or not isinstance(additional, (dict, bool)):
                return ir.MapType(ANY)
            if isinstance(additional, dict):
                value = self.type_of(additional, context + "Value", pointer_join(pointer, "additionalProperties"),
                                     schema, "additionalProperties")  # fmt: skip
                return ir.MapType(value)
        return self._model(
            schema, context,
            lambda name: self._object_model(name, properties, strings(schema.get("required")), additional, schema, pointer),
        )  # fmt: skip

    def _object_model(
        self,
        name: str,
        properties: Mapping[str, Any],
        required: Iterable[str],
        additional: Any,
        schema: dict[str, Any],
        pointer: str,
    ) -> ir.ObjectModel:
        required_set = {str(r) for r in required}
        fields = []
        # names are claimed in the order of the wire names, so the order of the properties never changes them
        attrs = naming.Namespace(naming.FIELD_RESERVED)
        attr_of: dict[str, str] = {}
        own = mapping(schema, "properties")
        for wire in sorted(properties, key=str):
            attr_of[str(wire)] = self.claim(
                attrs, naming.field_name(str(wire)), f"property {str(wire)!r}", f"in {name}", "field",
                own if wire in own else properties, wire, pointer_join(pointer, "properties", wire),
            )
        for wire in properties:
            prop = properties[wire]
            ppointer = pointer_join(pointer, "properties", wire)
            ptype = self.type_of(prop, name + naming.pascal(wire), ppointer, properties, wire)
            attr = attr_of[str(wire)]
            p = mapping(prop)
            fields.append(
                ir.Field(
                    name=attr,
                    wire_name=str(wire),
                    type=ptype,
                    required=str(wire) in required_set,
                    description=text(p, "description"),
                    default=p.get("default"),
                    has_default="default" in p,
                    constraints=self.constraints(p),
                    read_only=bool(p.get("readOnly", False)),
                    write_only=bool(p.get("writeOnly", False)),
                    deprecated=bool(p.get("deprecated", False)),
                    example=p.get("example", (p.get("examples") or [None])[0] if isinstance(p.get("examples"), list) else None),
                    has_example="example" in p or bool(p.get("examples")),
                    sensitive=is_sensitive(str(wire), p),
                    source=self.where(own if wire in own else properties, wire),
                )
            )
        additional_type: ir.TypeRef | None = None
        if isinstance(additional, dict) and additional:
            additional_type = self.type_of(
                additional, name + "Value", pointer_join(pointer, "additionalProperties"), schema, "additionalProperties"
            )
        example = schema.get("example")
        return ir.ObjectModel(
            name=name,
            fields=tuple(fields),
            additional=additional_type,
            description=text(schema, "description"),
            location=self.where(schema),
            example=example,
            has_example="example" in schema,
        )

    def _all_of(self, schema: dict[str, Any], context: str, pointer: str) -> ir.TypeRef:
        parts = list(mappings(schema, "allOf"))
        own = {k: v for k, v in schema.items() if k != "allOf"}
        has_own_shape = any(k in own for k in ("properties", "required", "additionalProperties", "type"))
        if len(parts) == 1 and not has_own_shape:
            return self.type_of(parts[0], context, pointer_join(pointer, "allOf", 0), schema["allOf"], 0)
        properties: dict[str, Any] = {}
        required: list[str] = []
        additional: Any = None
        # each part after the parts of its own allOf (depth first, each node once): iteratively, cycles allowed
        order: list[dict[str, Any]] = []
        seen: set[int] = set()
        for root in [*parts, own]:
            stack: list[tuple[dict[str, Any], bool]] = [(root, False)]
            while stack:
                node, expanded = stack.pop()
                if expanded:
                    order.append(node)
                    continue
                if id(node) in seen:
                    continue
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((sub, False) for sub in reversed(list(mappings(node, "allOf"))))
        for node in order:
            if any(k in node for k in ("oneOf", "anyOf")) and node is not schema:
                self.warn("oneOf/anyOf inside allOf is merged as its common fields only", node, None, pointer)
            properties.update(mapping(node, "properties"))
            required.extend(strings(node.get("required")))
            if "additionalProperties" in node:
                additional = node["additionalProperties"]
        if not properties and not any(p.get("type") == "object" for p in parts):
            kinds = {self.type_of(p, context, pointer_join(pointer, "allOf", i), schema["allOf"], i)
                     for i, p in enumerate(parts)}  # fmt: skip
            if len(kinds) == 1:
                return kinds.pop()
        return self._model(
            schema, context, lambda name: self._object_model(name, properties, required, additional, schema, pointer)
        )

    def _union(self, schema: dict[str, Any], key: str, context: str, pointer: str) -> ir.TypeRef:
        raw_variants = schema[key]
        nullable = False
        variants: list[tuple[int, dict[str, Any]]] = []
        for i, v in enumerate(raw_variants):
            if isinstance(v, dict) and (v.get("type") == "null" or v.get("enum") == [None]):
                nullable = True
            elif isinstance(v, dict):
                variants.append((i, v))
            elif v is not True:
                self.warn(f"{key} variant is a {json_kind(v)}, not a schema object; left out", raw_variants, None,
                          pointer_join(pointer, key, i))  # fmt: skip
        name = self._name_for(schema, context) if len(variants) > 1 else ""
        if name:
            self.model_of[id(schema)] = name
        types: list[ir.TypeRef] = []
        try:
            for j, (i, v) in enumerate(variants):
                vcontext = f"{name or context}Variant{j + 1}" if len(variants) > 1 else context
                t = self.type_of(v, vcontext, pointer_join(pointer, key, i), raw_variants, i)
                if t not in types:
                    types.append(t)
        except Unsupported as exc:
            if name:
                del self.model_of[id(schema)]
                where = self.where(exc.node if exc.node is not None else schema, exc.key)
                self.dropped[name] = f"{name} ({where or self.where(schema) or '?'}: {exc})"
            raise
        result: ir.TypeRef
        if not types:
            result = ANY
        elif len(types) == 1:
            if name:  # the name may already be in use (a variant containing the union): it stands for the variant
                del self.model_of[id(schema)]
                self.aliases[name] = types[0]
            result = types[0]
        else:
            disc = None
            raw_disc = mapping(schema, "discriminator")
            if isinstance(raw_disc.get("propertyName"), str):
                disc = self._discriminator(raw_disc, [v for _, v in variants], types)
            self.models[name] = ir.UnionModel(
                name, tuple(types), disc, only_text(schema.get("description")), self.where(schema)
            )
            result = ir.ModelRef(name)
        return ir.Nullable(result) if nullable and not isinstance(result, ir.Nullable) else result

    def _discriminator(
        self, raw: dict[str, Any], variants: list[dict[str, Any]], types: list[ir.TypeRef]
    ) -> ir.Discriminator:
        by_value: dict[str, str] = {}
        explicit = mapping(raw, "mapping")
        by_target: dict[str, str] = {}
        for wire, ref in explicit.items():
            by_target[str(ref).rsplit("/", 1)[-1].split(".")[0]] = str(wire)
        for variant, type_ in zip(variants, types):
            if not isinstance(type_, ir.ModelRef):
                continue
            component = self.component_names.get(id(variant))
            target = self.loaded.source_map.ref_targets.get(id(variant), "")
            stem = target.rsplit("/", 1)[-1].split(".")[0] if target else ""
            keys = [k for k in (component, stem, type_.name) if k]
            value = next((by_target[k] for k in keys if k in by_target), None)
            if value is None:
                value = component or stem or type_.name
            by_value[value] = type_.name
        return ir.Discriminator(str(raw["propertyName"]), tuple(sorted(by_value.items())))

    def _enum(self, schema: dict[str, Any], types: Any, context: str) -> ir.TypeRef:
        values = [v for v in schema["enum"] if v is not None]
        if not values:
            return ir.Primitive("null")
        base: ir.EnumBase
        if all(isinstance(v, str) for v in values):
            base = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            base = "int"
        else:
            return primitive_of(values[0]) if len({type(v) for v in values}) == 1 else ir.Primitive("any")
        name = self._name_for(schema, context)
        self.model_of[id(schema)] = name
        members = naming.Namespace({"name", "value"})
        label_of: dict[str | int, str] = {}
        unique = list(dict.fromkeys(values))  # keep order, drop duplicates
        # labels are claimed in value order, so the order of the enum never changes them
        for value in sorted(unique, key=lambda v: (str(v), type(v).__name__)):
            label = naming.constant(str(value)) if base == "str" else naming.constant(f"value_{value}".replace("-", "minus_"))
            label_of[value] = members.claim(label)
        out = [ir.EnumMember(label_of[value], value) for value in unique]
        self.models[name] = ir.EnumModel(name, base, tuple(out), text(schema, "description"), self.where(schema))
        return ir.ModelRef(name)



class Finisher:
    """The last pass over the IR: every ``ModelRef`` resolves to a model, and no union contains itself.

    While building, a model name is handed out before the model is finished (models may contain themselves),
    and a placeholder stands for a named schema reached too deep. Here each name that is not a model is
    replaced: a placeholder or a union reduced to one variant by the type it stands for, the name of a skipped
    schema by ``Any`` with a warning naming the referrer and the skipped schema. A union whose variants lead
    back to itself (``A = B | str``, ``B = A | int``) loses the variant that closes the cycle (with a warning):
    Python cannot express it and a decoder would loop.
    """

    def __init__(self, builder: SchemaBuilder) -> None:
        self.b = builder
        self.warned: set[tuple[str, str]] = set()

    def run(self, operations: list[ir.Operation], webhooks: tuple[ir.Callback, ...]) -> tuple[
        list[ir.Operation], tuple[ir.Callback, ...]
    ]:
        b = self.b
        for name in sorted(b.models):
            model = b.models[name]
            b.models[name] = self.walk(model, f"model {name}", model.location, "")
        self.break_union_cycles()
        ops = [self.walk(op, f"operation {op.operation_id}", op.location, op.pointer) for op in operations]
        hooks = tuple(self.walk(cb, f"webhook {cb.name}", None, pointer_join("#/webhooks", cb.name)) for cb in webhooks)
        return ops, hooks

    def walk(self, node: Any, referrer: str, where: Location | None, pointer: str) -> Any:
        """``node`` (an IR dataclass, a tuple of them or a type) with every type fixed; the same object if unchanged."""
        if isinstance(node, ir.TYPES):
            return self.fix(node, referrer, where, pointer, 0, frozenset())
        if isinstance(node, tuple):
            walked = tuple(x for x in (self.walk(v, referrer, where, pointer) for v in node) if x is not DROP)
            return node if len(walked) == len(node) and all(a is b for a, b in zip(walked, node)) else walked
        if isinstance(node, ir.Discriminator):
            return self.discriminator(node)
        if isinstance(node, ir.Constraints):
            kept = tuple(item for item in node.items if self.plain(item[1], f"{referrer}: constraint {item[0]}", where, pointer))
            return node if len(kept) == len(node.items) else ir.Constraints(kept)
        if isinstance(node, ir.Example):
            return node if self.plain(node.value, f"{referrer}: example {node.name!r}", where, pointer) else DROP
        if not hasattr(node, "__dataclass_fields__") or isinstance(node, ir.Server):
            return node
        if isinstance(node, (ir.Field, ir.Parameter, ir.Header)):
            referrer = f"{referrer}, {type(node).__name__.lower()} {getattr(node, 'wire_name', getattr(node, 'name', ''))!r}"
        changes: dict[str, Any] = {}
        for name, flag in (("default", "has_default"), ("example", "has_example")):
            if getattr(node, flag, False) and not self.plain(getattr(node, name), f"{referrer}: {name}", where, pointer):
                changes[name], changes[flag] = None, False
        if isinstance(node, ir.Parameter):
            kept = tuple(v for v in node.examples if self.plain(v, f"{referrer}: example", where, pointer))
            if len(kept) != len(node.examples):
                changes["examples"] = kept
        for name, spec in node.__dataclass_fields__.items():
            if not spec.init or name in changes:
                continue
            value = getattr(node, name)
            if isinstance(value, (tuple, ir.Discriminator)) or hasattr(value, "__dataclass_fields__"):
                fixed = self.walk(value, referrer, where, pointer)
                if fixed is not value:
                    changes[name] = fixed
        return replace(node, **changes) if changes else node

    def plain(self, value: Any, what: str, where: Location | None, pointer: str) -> bool:
        """Whether ``value`` (an example, default, ...) is plain data that can be printed; warns when not."""
        if is_plain(value):
            return True
        self.warn(f"{what.lstrip(': ')} contains itself, is nested more than {MAX_VALUE_DEPTH} levels deep or holds more "
                  f"than {MAX_VALUE_NODES} values; left out", where, pointer)  # fmt: skip
        return False

    def fix(
        self, t: ir.TypeRef, referrer: str, where: Location | None, pointer: str, depth: int, trail: frozenset[str]
    ) -> ir.TypeRef:
        if depth > MAX_SCHEMA_DEPTH:
            self.warn(f"{referrer}: a type nested more than {MAX_SCHEMA_DEPTH} levels deep is typed Any", where, pointer)
            return ANY
        match t:
            case ir.Primitive():
                return t
            case ir.ArrayType(item):
                fixed = self.fix(item, referrer, where, pointer, depth + 1, trail)
                return t if fixed is item else ir.ArrayType(fixed)
            case ir.MapType(value):
                fixed = self.fix(value, referrer, where, pointer, depth + 1, trail)
                return t if fixed is value else ir.MapType(fixed)
            case ir.Nullable(inner):
                fixed = self.fix(inner, referrer, where, pointer, depth + 1, trail)
                if fixed is inner:
                    return t
                return fixed if isinstance(fixed, ir.Nullable) or fixed == ANY else ir.Nullable(fixed)
            case ir.ModelRef():
                return self.resolve(t, referrer, where, pointer, depth, trail)
            case _:
                ir.assert_never(t)

    def resolve(
        self, t: ir.ModelRef, referrer: str, where: Location | None, pointer: str, depth: int, trail: frozenset[str]
    ) -> ir.TypeRef:
        """A model name that is a model stays; a placeholder or an alias becomes what it stands for; else ``Any``."""
        b = self.b
        if t.name in b.models:
            return t
        target = b.aliases.get(t.name)
        sid = b.placeholders.get(t.name)
        if sid is not None:
            target = b.done.get(sid)
        if target is not None and t.name not in trail:
            return self.fix(target, referrer, where, pointer, depth, trail | {t.name})
        if target is not None:
            self.warn(f"{referrer}: a schema contains itself through something that is not an object; "
                      "the inner occurrence is typed Any", where, pointer)  # fmt: skip
            return ANY
        why = b.dropped.get(t.name) or (b.failed.get(sid) if sid is not None else None) or f"{t.name} (not built)"
        self.warn(f"{referrer} refers to skipped schema {why}; typed Any", where, pointer)
        return ANY

    def discriminator(self, disc: ir.Discriminator) -> ir.Discriminator:
        """Mapping entries name object models only (a name that stands for another type is resolved or left out)."""
        kept = []
        for value, name in disc.mapping:
            resolved = self.fix(ir.ModelRef(name), "", None, "", 0, frozenset()) if name not in self.b.models else None
            target = resolved.name if isinstance(resolved, ir.ModelRef) else name
            if isinstance(self.b.models.get(target), ir.ObjectModel):
                kept.append((value, target))
        out = tuple(kept)
        return disc if out == disc.mapping else replace(disc, mapping=out)

    def break_union_cycles(self) -> None:
        models = self.b.models

        def union_target(t: ir.TypeRef) -> str | None:
            t = ir.unwrap_nullable(t)
            if isinstance(t, ir.ModelRef) and isinstance(models.get(t.name), ir.UnionModel):
                return t.name
            return None

        state: dict[str, int] = {}  # 1: on the path, 2: finished
        removed: dict[str, set[int]] = {}
        for start in sorted(n for n, m in models.items() if isinstance(m, ir.UnionModel)):
            if start in state:
                continue
            state[start] = 1
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                name, i = stack.pop()
                model = models[name]
                assert isinstance(model, ir.UnionModel)
                if i >= len(model.variants):
                    state[name] = 2
                    continue
                stack.append((name, i + 1))
                target = union_target(model.variants[i])
                if target is None:
                    continue
                if state.get(target) == 1:
                    removed.setdefault(name, set()).add(i)
                    self.warn(f"union {name}: variant {i + 1} leads back to {target}, which contains it; the variant "
                              "is left out", model.location, "")  # fmt: skip
                elif target not in state:
                    state[target] = 1
                    stack.append((target, 0))
        for name, indexes in removed.items():
            model = models[name]
            assert isinstance(model, ir.UnionModel)
            variants = tuple(v for i, v in enumerate(model.variants) if i not in indexes) or (ANY,)
            models[name] = replace(model, variants=variants)

    def warn(self, message: str, where: Location | None, pointer: str) -> None:
        if (message, str(where)) not in self.warned:
            self.warned.add((message, str(where)))
            self.b.diagnostics.append(Diagnostic(Severity.WARNING, message, where, pointer))

