"""Two IRs in, the changes a caller of the generated client can observe out.

The comparison is between what the generated package exposes (resources, methods and their keyword
arguments, return types, model classes, fields and enum members, servers and credentials), so each change
is named the way a caller writes it (``client.sms.batch_send_sms(to=...)``, ``models.SmsResult.status``) and
carries the spec location of the node on both sides (for an addition, the old side is where the enclosing
node was; for a removal, the new side).

Classification (the README's ``apigen diff`` section gives the reasoning for each):

- What a caller sends (arguments, request-body models, request-side types): removing something, making it
  required, narrowing its type or changing its default is breaking; adding an optional argument or field,
  making one optional and widening a type are compatible.
- What a caller receives (return types, response models): removing a field, making a field optional and
  widening a type are breaking; adding a field, making it required and narrowing a type are compatible.
- Enum members: an added value is compatible on either side (decoding accepts unknown values); a removed one
  is breaking on either side, since its member (``models.Status.FAILED``) disappears from the class.
- A model used on both sides follows the stricter rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from generator.model import ir
from generator.spec.diagnostics import Location

Severity = Literal["breaking", "compatible"]

# every kind of change, in the order the README lists them
KINDS = (
    "resource-added", "resource-removed",
    "operation-added", "operation-removed", "operation-renamed",
    "argument-added", "argument-removed", "argument-renamed", "argument-required", "argument-optional",
    "argument-type-changed", "argument-default-changed", "body-changed",
    "return-type-changed", "pager-added", "pager-removed",
    "field-added", "field-removed", "field-renamed", "field-required", "field-optional",
    "field-type-changed", "field-default-changed",
    "enum-value-added", "enum-value-removed",
    "union-variant-added", "union-variant-removed",
    "model-added", "model-removed", "model-renamed", "model-kind-changed",
    "security-changed", "security-scheme-added", "security-scheme-removed", "security-scheme-changed",
    "server-added", "server-removed", "server-default-changed", "operation-server-changed",
    "response-status-added", "response-status-removed",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Change:
    severity: Severity
    python_name: str
    kind: str
    detail: str
    old_location: Location | None = None
    new_location: Location | None = None

    @property
    def breaking(self) -> bool:
        return self.severity == "breaking"


Side = frozenset[str]  # {"in"}: sent by the caller; {"out"}: received; both
IN, OUT, BOTH = frozenset({"in"}), frozenset({"out"}), frozenset({"in", "out"})


def _sev(breaking: bool) -> Severity:
    return "breaking" if breaking else "compatible"


# -- types -------------------------------------------------------------------------------------------

_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "uuid": "uuid.UUID", "byte": "bytes",
            "binary": "bytes"}  # fmt: skip
_KINDS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any", "null": "None"}


def type_text(t: ir.TypeRef | None) -> str:
    """``t`` as the generated annotation reads (``list[SmsResult] | None``)."""
    if t is None:
        return "None"
    if isinstance(t, ir.Primitive):
        if t.kind == "str" and t.format in _FORMATS:
            return _FORMATS[t.format]
        return _KINDS.get(t.kind, t.kind)
    if isinstance(t, ir.ArrayType):
        return f"list[{type_text(t.item)}]"
    if isinstance(t, ir.MapType):
        return f"dict[str, {type_text(t.value)}]"
    if isinstance(t, ir.Nullable):
        inner = type_text(t.inner)
        return inner if inner == "Any" else f"{inner} | None"
    return t.name


class _Types:
    """Type relations across the two IRs, with old model names mapped through the renames found."""

    def __init__(self, old: ir.Api, new: ir.Api, renames: dict[str, str]) -> None:
        self.renames = renames
        self.old = {m.name: m for m in old.models}
        self.new = {m.name: m for m in new.models}

    def same(self, a: ir.TypeRef | None, b: ir.TypeRef | None) -> bool:
        return self.within(a, b) and self.within_rev(a, b)

    def within_rev(self, a: ir.TypeRef | None, b: ir.TypeRef | None) -> bool:
        """Whether new ``b`` is within old ``a`` (no value of ``b`` that ``a`` does not hold)."""
        return self._sub(b, a, reverse=True)

    def within(self, a: ir.TypeRef | None, b: ir.TypeRef | None) -> bool:
        """Whether every value of old ``a`` is a value of new ``b`` (``b`` is ``a`` or wider)."""
        return self._sub(a, b, reverse=False)

    def _name(self, t: ir.ModelRef, from_old: bool) -> str:
        return self.renames.get(t.name, t.name) if from_old else t.name

    def _sub(self, a: ir.TypeRef | None, b: ir.TypeRef | None, reverse: bool) -> bool:
        """``a`` <= ``b``; ``a`` is from the old IR unless ``reverse`` (then ``b`` is)."""
        if a is None or b is None:
            return a is None and b is None
        if isinstance(b, ir.Primitive) and b.kind == "any":
            return True
        if isinstance(a, ir.Nullable):
            return isinstance(b, ir.Nullable) and self._sub(a.inner, b.inner, reverse)
        if isinstance(b, ir.Nullable):
            return self._sub(a, b.inner, reverse)
        if isinstance(a, ir.Primitive) and isinstance(b, ir.Primitive):
            if type_text(a) == type_text(b):
                return True
            return type_text(a) == "int" and type_text(b) == "float"
        if isinstance(a, ir.ArrayType) and isinstance(b, ir.ArrayType):
            return self._sub(a.item, b.item, reverse)
        if isinstance(a, ir.MapType) and isinstance(b, ir.MapType):
            return self._sub(a.value, b.value, reverse)
        if isinstance(a, ir.ModelRef) and isinstance(b, ir.ModelRef) and self._name(a, not reverse) == self._name(b, reverse):
            return True
        if isinstance(b, ir.ModelRef):  # a type among a union's variants (the union is the wider type)
            union = (self.old if reverse else self.new).get(b.name)
            if isinstance(union, ir.UnionModel):
                return any(self._sub(a, v, reverse) for v in union.variants)
        return False


# -- where each model is used -------------------------------------------------------------------------


def _refs(t: ir.TypeRef | None) -> Iterator[str]:
    if isinstance(t, ir.ModelRef):
        yield t.name
    elif isinstance(t, ir.ArrayType):
        yield from _refs(t.item)
    elif isinstance(t, ir.MapType):
        yield from _refs(t.value)
    elif isinstance(t, ir.Nullable):
        yield from _refs(t.inner)


def _model_refs(model: ir.Model) -> Iterator[str]:
    if isinstance(model, ir.ObjectModel):
        for f in model.fields:
            yield from _refs(f.type)
        yield from _refs(model.additional)
    elif isinstance(model, ir.UnionModel):
        for v in model.variants:
            yield from _refs(v)


def sides(api: ir.Api) -> dict[str, Side]:
    """For each model, whether callers send it (``in``), receive it (``out``) or both. A model only used as a
    flattened body (its fields are the method's arguments) is not itself sent; one no operation reaches is
    counted as both (a caller may use it either way). A flattened body's model has no side: its fields are
    compared as the method's arguments."""
    seen: dict[str, set[str]] = {}
    by_name = {m.name: m for m in api.models}

    def mark(names: Iterable[str], side: str) -> None:
        todo = list(names)
        while todo:
            name = todo.pop()
            got = seen.setdefault(name, set())
            if side in got or name not in by_name:
                continue
            got.add(side)
            todo.extend(_model_refs(by_name[name]))

    flat: set[str] = set()
    for op in api.operations:
        for p in op.parameters:
            mark(_refs(p.type), "in")
        if op.body is not None:
            if op.body.flattened is not None:
                flat.update(_refs(op.body.chosen.type))
                mark((n for f in op.body.flattened for n in _refs(f.type)), "in")
            else:
                mark(_refs(op.body.chosen.type), "in")
        for r in op.responses:
            for m in r.media:
                mark(_refs(m.type), "out")
    for hook in api.webhooks:  # a webhook's body is what the caller receives
        for m in hook.body:
            mark(_refs(m.type), "out")
    return {m.name: frozenset(seen.get(m.name) or (() if m.name in flat else {"in", "out"})) for m in api.models}


# -- the comparison ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arg:
    name: str
    kind: str  # "parameter", "body field", "body"
    type: ir.TypeRef | None
    required: bool
    has_default: bool
    default: Any
    source: Location | None


def _arguments(op: ir.Operation) -> dict[str, _Arg]:
    out: dict[str, _Arg] = {}
    for p in op.arguments:
        required = p.required and p.set_by != "client"
        out[p.name] = _Arg(p.name, "parameter", p.type, required, p.has_default, p.default, p.source)
    if op.body is not None:
        if op.body.flattened is not None:
            for f in op.body.flattened:
                # the signature follows the field alone (an optional body's required fields stay required)
                out[f.name] = _Arg(f.name, "body field", f.type, f.required, f.has_default, f.default,
                                   f.source or op.body.source)  # fmt: skip
        else:
            out[op.body.body_param] = _Arg(op.body.body_param, "body", op.body.chosen.type, op.body.required,
                                           False, None, op.body.source)  # fmt: skip
    return out


def _returns(op: ir.Operation) -> tuple[ir.TypeRef | None, ...]:
    """What the method may return, as the generated client decodes it: the body of each 1XX-3XX or
    ``default`` response (JSON as its type, text as ``str``, anything else as ``bytes``; none: ``None``)."""
    out: list[ir.TypeRef | None] = []
    picked: list[ir.Response | None] = [r for r in op.responses if r.status == "default" or r.status[:1] in "123"]
    for r in picked or [None]:
        media = r.decoded if r is not None else None
        t: ir.TypeRef | None
        if media is None or media.type is None:
            t = None
        elif media.kind == "json":
            t = media.type
        else:
            t = ir.Primitive("str") if media.kind == "text" else ir.Primitive("str", "binary")
        if t not in out:
            out.append(t)
    return tuple(out)


def _method(op: ir.Operation) -> str:
    return f"client.{op.tag}.{op.name}"


def _shape(model: ir.Model) -> tuple[str, int]:
    """A cheap part of the fingerprint: the kind of model and how many fields, members or variants."""
    if isinstance(model, ir.ObjectModel):
        return ("object", len(model.fields))
    if isinstance(model, ir.EnumModel):
        return ("enum", len(model.members))
    return ("union", len(model.variants))


def _fingerprint(model: ir.Model) -> tuple[Any, ...]:
    """What a model holds, without its name: two models alike here are one model renamed."""
    if isinstance(model, ir.ObjectModel):
        return ("object", tuple(sorted((f.wire_name, type_text(f.type), f.required) for f in model.fields)))
    if isinstance(model, ir.EnumModel):
        return ("enum", model.base, tuple(sorted(str(m.value) for m in model.members)))
    return ("union", tuple(sorted(type_text(v) for v in model.variants)))


class _Comparer:
    def __init__(self, old: ir.Api, new: ir.Api) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.renames = self._model_renames()
        self.types = _Types(old, new, self.renames)
        self._side: dict[str, Side] | None = None

    def side_of(self, name: str) -> Side:
        """Where either version uses the model (worked out on first use: specs with no model in common never
        need it)."""
        if self._side is None:
            self._side = {}
            for old_name, side in sides(self.old).items():
                self._side[self.renames.get(old_name, old_name)] = side
            for new_name, side in sides(self.new).items():
                self._side[new_name] = self._side.get(new_name, frozenset()) | side
        return self._side.get(name, BOTH)

    def add(self, kind: str, breaking: bool, python_name: str, detail: str,
            old: Location | None, new: Location | None) -> None:  # fmt: skip
        self.changes.append(Change(_sev(breaking), python_name, kind, detail, old, new))

    # -- models ------------------------------------------------------------------------------------
    def _model_renames(self) -> dict[str, str]:
        """Old name -> new name of each model that is gone and has exactly one new look-alike."""
        new_names = {m.name for m in self.new.models}
        old_names = {m.name for m in self.old.models}
        gone = [m for m in self.old.models if m.name not in new_names]
        added = [m for m in self.new.models if m.name not in old_names]
        # full fingerprints only where a cheap one matches on both sides
        both = {_shape(m) for m in gone} & {_shape(m) for m in added}
        fresh: dict[tuple[Any, ...], list[ir.Model]] = {}
        for m in added:
            if _shape(m) in both:
                fresh.setdefault(_fingerprint(m), []).append(m)
        by_print: dict[tuple[Any, ...], list[ir.Model]] = {}
        for m in gone:
            if _shape(m) in both:
                by_print.setdefault(_fingerprint(m), []).append(m)
        renames = {}
        for key, olds in by_print.items():
            news = fresh.get(key, [])
            if len(olds) == 1 and len(news) == 1:
                renames[olds[0].name] = news[0].name
        return renames

    def models(self) -> None:
        new_by = {m.name: m for m in self.new.models}
        renamed_to = set(self.renames.values())
        for old in self.old.models:
            target = self.renames.get(old.name, old.name)
            new = new_by.get(target)
            if new is None:
                self.add("model-removed", True, f"models.{old.name}", f"model {old.name} removed", old.location, None)
                continue
            if target != old.name:
                self.add("model-renamed", True, f"models.{old.name}", f"model {old.name} renamed to {new.name}",
                         old.location, new.location)  # fmt: skip
            self.model(old, new)
        old_names = {m.name for m in self.old.models}
        for new in self.new.models:
            if new.name not in old_names and new.name not in renamed_to:
                self.add("model-added", False, f"models.{new.name}", f"model {new.name} added", None, new.location)

    def model(self, old: ir.Model, new: ir.Model) -> None:
        side = self.side_of(new.name)
        if type(old) is not type(new):
            self.add("model-kind-changed", True, f"models.{new.name}",
                     f"model {new.name} was {_model_kind(old)}, is now {_model_kind(new)}", old.location, new.location)  # fmt: skip
        elif isinstance(old, ir.ObjectModel) and isinstance(new, ir.ObjectModel):
            if side:  # else only a flattened body, compared as arguments
                self.fields(old, new, side)
        elif isinstance(old, ir.EnumModel) and isinstance(new, ir.EnumModel):
            self.enum(old, new)
        elif isinstance(old, ir.UnionModel) and isinstance(new, ir.UnionModel):
            self.union(old, new, side)

    def fields(self, old: ir.ObjectModel, new: ir.ObjectModel, side: Side) -> None:
        sends, receives = "in" in side, "out" in side
        olds = {f.name: f for f in old.fields}
        news = {f.name: f for f in new.fields}
        base = f"models.{new.name}"
        removed = [olds[n] for n in sorted(olds) if n not in news]
        added = [news[n] for n in sorted(news) if n not in olds]
        if len(removed) == 1 and len(added) == 1 and self.types.same(removed[0].type, added[0].type):
            a, b = removed[0], added[0]
            self.add("field-renamed", True, f"{base}.{a.name}", f"field {a.name} renamed to {b.name}",
                     a.source or old.location, b.source or new.location)  # fmt: skip
            removed, added = [], []
        for f in removed:
            self.add("field-removed", True, f"{base}.{f.name}", f"field {f.name} removed",
                     f.source or old.location, new.location)  # fmt: skip
        for f in added:
            required = f.required and not f.read_only
            self.add("field-added", sends and required, f"{base}.{f.name}",
                     f"{'required' if f.required else 'optional'} field {f.name}: {type_text(f.type)} added",
                     old.location, f.source or new.location)  # fmt: skip
        for name in sorted(set(olds) & set(news)):
            a, b = olds[name], news[name]
            where = (a.source or old.location, b.source or new.location)
            if a.required != b.required:
                if b.required:  # a caller must now pass it; a reader no longer sees UNSET
                    self.add("field-required", sends, f"{base}.{name}", f"field {name} is now required", *where)
                else:
                    self.add("field-optional", receives, f"{base}.{name}", f"field {name} is now optional", *where)
            self.type_change("field-type-changed", f"{base}.{name}", f"field {name}", a.type, b.type, side, where)
            if (a.has_default, _plain(a.default)) != (b.has_default, _plain(b.default)):
                self.add("field-default-changed", sends, f"{base}.{name}",
                         f"default of field {name} changed from {_default(a)} to {_default(b)}", *where)  # fmt: skip

    def enum(self, old: ir.EnumModel, new: ir.EnumModel) -> None:
        olds = {m.value: m for m in old.members}
        news = {m.value: m for m in new.members}
        for value in sorted(olds, key=str):
            if value not in news:
                self.add("enum-value-removed", True, f"models.{new.name}.{olds[value].name}",
                         f"enum value {value!r} removed", old.location, new.location)  # fmt: skip
        for value in sorted(news, key=str):
            if value not in olds:
                self.add("enum-value-added", False, f"models.{new.name}.{news[value].name}",
                         f"enum value {value!r} added", old.location, new.location)  # fmt: skip

    def union(self, old: ir.UnionModel, new: ir.UnionModel, side: Side) -> None:
        for v in old.variants:
            if not any(self.types.same(v, w) for w in new.variants):
                self.add("union-variant-removed", "in" in side, f"models.{new.name}",
                         f"variant {type_text(v)} removed", old.location, new.location)  # fmt: skip
        for w in new.variants:
            if not any(self.types.same(v, w) for v in old.variants):
                self.add("union-variant-added", "out" in side, f"models.{new.name}",
                         f"variant {type_text(w)} added", old.location, new.location)  # fmt: skip

    def type_change(self, kind: str, python_name: str, what: str, a: ir.TypeRef | None, b: ir.TypeRef | None,
                    side: Side, where: tuple[Location | None, Location | None]) -> None:  # fmt: skip
        self.alternatives_change(kind, python_name, what, (a,), (b,), side, where)

    def alternatives_change(self, kind: str, python_name: str, what: str, a: tuple[ir.TypeRef | None, ...],
                            b: tuple[ir.TypeRef | None, ...], side: Side,
                            where: tuple[Location | None, Location | None]) -> None:  # fmt: skip
        """A type that is one of ``a`` (old) becoming one of ``b`` (new): a union when more than one."""
        wider = all(any(self.types.within(x, y) for y in b) for x in a)
        narrower = all(any(self.types.within_rev(x, y) for x in a) for y in b)
        if wider and narrower:
            return
        if wider:  # fine for what is sent, not for what is received
            breaking, how = "out" in side, "widened"
        elif narrower:
            breaking, how = "in" in side, "narrowed"
        else:
            breaking, how = True, "changed"
        before, after = " | ".join(map(type_text, a)), " | ".join(map(type_text, b))
        self.add(kind, breaking, python_name, f"type of {what} {how} from {before} to {after}", *where)

    # -- resources and operations ---------------------------------------------------------------------
    def operations(self) -> None:
        old_res = {r.name: r for r in self.old.resources}
        new_res = {r.name: r for r in self.new.resources}
        old_ops = {(op.method, op.path): op for op in self.old.operations}
        new_ops = {(op.method, op.path): op for op in self.new.operations}
        gone = {n for n in old_res if n not in new_res}
        fresh = {n for n in new_res if n not in old_res}
        for name in sorted(gone):
            r = old_res[name]
            self.add("resource-removed", True, f"client.{name}",
                     f"resource {name} removed with its {len(r.operations)} method(s)",
                     _first(op.location for op in r.operations), None)  # fmt: skip
        for name in sorted(fresh):
            r = new_res[name]
            self.add("resource-added", False, f"client.{name}",
                     f"resource {name} added with {len(r.operations)} method(s)",
                     None, _first(op.location for op in r.operations))  # fmt: skip
        for key in sorted(old_ops):
            old = old_ops[key]
            new = new_ops.get(key)
            if new is None:
                if old.tag not in gone:
                    self.add("operation-removed", True, f"{_method(old)}()", f"{old.method} {old.path} removed",
                             old.location, None)  # fmt: skip
                continue
            if (old.tag, old.name) != (new.tag, new.name):
                self.add("operation-renamed", True, f"{_method(old)}()",
                         f"{old.method} {old.path} is now {_method(new)}() (operationId {old.operation_id!r} -> "
                         f"{new.operation_id!r})", old.location, new.location)  # fmt: skip
            self.operation(old, new)
        for key in sorted(new_ops):
            if key not in old_ops and new_ops[key].tag not in fresh:
                new = new_ops[key]
                self.add("operation-added", False, f"{_method(new)}()", f"{new.method} {new.path} added",
                         None, new.location)  # fmt: skip

    def operation(self, old: ir.Operation, new: ir.Operation) -> None:
        method = _method(new)
        self.operation_servers(old, new)
        olds, news = _arguments(old), _arguments(new)
        if old.body is not None and new.body is not None and (old.body.flattened is None) != (new.body.flattened is None):
            how = "one `body` argument" if new.body.flattened is None else "one argument per field"
            self.add("body-changed", True, f"{method}()", f"the request body is now passed as {how}",
                     old.body.source or old.location, new.body.source or new.location)  # fmt: skip
        removed = [olds[n] for n in sorted(olds) if n not in news]
        added = [news[n] for n in sorted(news) if n not in olds]
        if len(removed) == 1 and len(added) == 1 and self.types.same(removed[0].type, added[0].type):
            a, b = removed[0], added[0]
            self.add("argument-renamed", True, f"{method}({a.name}=...)", f"argument {a.name} renamed to {b.name}",
                     a.source or old.location, b.source or new.location)  # fmt: skip
            removed, added = [], []
        for a in removed:
            self.add("argument-removed", True, f"{method}({a.name}=...)", f"{a.kind} argument {a.name} removed",
                     a.source or old.location, new.location)  # fmt: skip
        for b in added:
            self.add("argument-added", b.required, f"{method}({b.name}=...)",
                     f"{'required' if b.required else 'optional'} {b.kind} argument {b.name}: {type_text(b.type)} added",
                     old.location, b.source or new.location)  # fmt: skip
        for name in sorted(set(olds) & set(news)):
            a, b = olds[name], news[name]
            where = (a.source or old.location, b.source or new.location)
            python = f"{method}({name}=...)"
            if a.required != b.required:
                if b.required:
                    self.add("argument-required", True, python, f"argument {name} is now required", *where)
                else:
                    self.add("argument-optional", False, python, f"argument {name} is now optional", *where)
            self.type_change("argument-type-changed", python, f"argument {name}", a.type, b.type, IN, where)
            if (a.has_default, _plain(a.default)) != (b.has_default, _plain(b.default)):
                self.add("argument-default-changed", True, python,
                         f"default of argument {name} changed from {_default(a)} to {_default(b)}", *where)  # fmt: skip
        self.alternatives_change("return-type-changed", f"{method}()", "the return value", _returns(old),
                                 _returns(new), OUT, (_success_source(old), _success_source(new)))  # fmt: skip
        self.pager(old, new)
        self.responses(old, new)
        self.security(old, new)

    def pager(self, old: ir.Operation, new: ir.Operation) -> None:
        """The method walking every page of a list operation (``x-apigen-pagination``)."""
        a = old.pagination.iterator if old.pagination is not None else ""
        b = new.pagination.iterator if new.pagination is not None else ""
        if a and a != b:
            self.add("pager-removed", True, f"client.{old.tag}.{a}()", f"page iterator {a}() removed",
                     old.location, new.location)  # fmt: skip
        if b and a != b:
            self.add("pager-added", False, f"client.{new.tag}.{b}()", f"page iterator {b}() added",
                     old.location, new.location)  # fmt: skip

    def responses(self, old: ir.Operation, new: ir.Operation) -> None:
        olds = {r.status: r for r in old.responses}
        news = {r.status: r for r in new.responses}
        method = f"{_method(new)}()"
        for status in sorted(olds):
            if status not in news:
                success = olds[status].is_success
                self.add("response-status-removed", success, method,
                         f"{'success' if success else 'error'} response {status} removed",
                         olds[status].source or old.location, new.location)  # fmt: skip
        for status in sorted(news):
            if status not in olds:
                kind = "success" if news[status].is_success else "error"
                self.add("response-status-added", False, method, f"{kind} response {status} added",
                         old.location, news[status].source or new.location)  # fmt: skip

    def security(self, old: ir.Operation, new: ir.Operation) -> None:
        before = {frozenset(req) for req in old.security}
        after = {frozenset(req) for req in new.security}
        if before == after:
            return
        lost = before - after
        # a caller whose credentials met a requirement that is gone now fails; anonymous access lost too
        breaking = bool(lost) and not (frozenset() in after)
        self.add("security-changed", breaking, f"{_method(new)}()",
                 f"security requirements changed from {_requirements(old.security)} to {_requirements(new.security)}",
                 old.location, new.location)  # fmt: skip

    # -- the client as a whole -----------------------------------------------------------------------
    def schemes(self) -> None:
        olds = {s.name: s for s in self.old.security_schemes}
        news = {s.name: s for s in self.new.security_schemes}
        for name in sorted(olds):
            if name not in news:
                self.add("security-scheme-removed", True, "Client(...)", f"security scheme {name} removed",
                         olds[name].source, None)  # fmt: skip
            elif _scheme_key(olds[name]) != _scheme_key(news[name]):
                self.add("security-scheme-changed", True, "Client(...)", f"security scheme {name} changed",
                         olds[name].source, news[name].source)  # fmt: skip
        for name in sorted(news):
            if name not in olds:
                self.add("security-scheme-added", False, "Client(...)", f"security scheme {name} added",
                         None, news[name].source)  # fmt: skip

    def servers(self) -> None:
        olds = {s.url: s for s in self.old.servers}
        news = {s.url: s for s in self.new.servers}
        for url in olds:
            if url not in news:
                self.add("server-removed", True, "Client(base_url=...)", f"server {url} removed", olds[url].source, None)
        for url in news:
            if url not in olds:
                self.add("server-added", False, "Client(base_url=...)", f"server {url} added", None, news[url].source)
        if self.old.servers and self.new.servers and _server_key(self.old.servers[0]) != _server_key(self.new.servers[0]):
            a, b = self.old.servers[0], self.new.servers[0]
            self.add("server-default-changed", True, "Client(base_url=...)",
                     f"default server changed from {_server_text(a)} to {_server_text(b)}", a.source, b.source)  # fmt: skip

    def operation_servers(self, old: ir.Operation, new: ir.Operation) -> None:
        """Servers an operation (or its path) declares of its own; a change of the API's servers is reported once."""
        overridden = old.servers != self.old.servers or new.servers != self.new.servers
        if not overridden or [_server_key(s) for s in old.servers] == [_server_key(s) for s in new.servers]:
            return
        before, after = {s.url for s in old.servers}, {s.url for s in new.servers}
        moved = bool(old.servers and new.servers) and _server_key(old.servers[0]) != _server_key(new.servers[0])
        breaking = moved or bool(before - after)
        where_old = old.servers[0].source if old.servers and old.servers != self.old.servers else old.location
        where_new = new.servers[0].source if new.servers and new.servers != self.new.servers else new.location
        self.add("operation-server-changed", breaking, f"{_method(new)}()",
                 f"servers changed from {_servers_text(old.servers)} to {_servers_text(new.servers)}",
                 where_old or old.location, where_new or new.location)  # fmt: skip

    def run(self) -> list[Change]:
        self.servers()
        self.schemes()
        self.operations()
        self.models()
        return sorted(set(self.changes), key=_order)


def _order(c: Change) -> tuple[Any, ...]:
    return (c.severity != "breaking", c.python_name, KINDS.index(c.kind), c.detail)


def compare(old: ir.Api, new: ir.Api) -> list[Change]:
    """Every change between ``old`` and ``new`` a caller of the generated client can observe, breaking first."""
    return _Comparer(old, new).run()


# -- small helpers -----------------------------------------------------------------------------------


def _first(locations: Iterable[Location | None]) -> Location | None:
    return min((loc for loc in locations if loc is not None), default=None)


def _success_source(op: ir.Operation) -> Location | None:
    return next((r.source for r in op.success_responses if r.source is not None), op.location)


def _model_kind(model: ir.Model) -> str:
    return {ir.ObjectModel: "an object", ir.EnumModel: "an enum", ir.UnionModel: "a union"}[type(model)]


def _requirements(security: tuple[tuple[str, ...], ...]) -> str:
    if not security:
        return "none"
    return " or ".join("+".join(req) if req else "anonymous" for req in security)


def _scheme_key(s: ir.SecurityScheme) -> tuple[Any, ...]:
    return (s.kind, s.location, s.parameter, s.scheme)


def _server_key(s: ir.Server) -> tuple[Any, ...]:
    return (s.url, tuple((v.name, v.default) for v in s.variables))


def _servers_text(servers: tuple[ir.Server, ...]) -> str:
    return ", ".join(_server_text(s) for s in servers) if servers else "none"


def _server_text(s: ir.Server) -> str:
    variables = ", ".join(f"{v.name}={v.default}" for v in s.variables)
    return f"{s.url} ({variables})" if variables else s.url


def _plain(value: Any) -> str:
    """A default as comparable text (defaults may be lists or mappings, in any key order)."""
    try:
        return json.dumps(value, sort_keys=True, default=repr)
    except (TypeError, ValueError):  # keys of mixed types
        return repr(value)


def _default(item: Any) -> str:
    return repr(item.default) if item.has_default else "none"
