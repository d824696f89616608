"""Examples in the docs: sample values from schemas, and the curl and Python calls of each operation.

Values come from the spec's examples where it has them (parameter examples, request body examples,
field examples), else from the schema (an enum's first value, a minimum, a format's typical text).
The Python examples call the generated client exactly as a user would (keyword arguments, models from
``<package>.models``, enum members); the tests extract and run every one against a local server.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import functools
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from generator.client.emit import TEMPLATES
from generator.client.literals import py_bytes, py_literal, py_number, py_str
from generator.model import ir
from generator.contract import text_matching
from generator.contract import ClientPlan, DocsError, Keyword, Policy, SchemeArgs
from generator.output.format import FormatError, format_python

MAX_DEPTH = 6


def _builtin(template: jinja2.Template) -> bool:
    """Whether ``template`` is apigen's own (whose output black leaves unchanged), not one of ``--templates``."""
    return template.filename is not None and _under_templates(template.filename)


@functools.lru_cache(maxsize=64)
def _under_templates(filename: str) -> bool:
    # (asked for every example: each answer costs two realpath walks)
    return Path(filename).resolve().is_relative_to(TEMPLATES.resolve())

# -- JSON samples ------------------------------------------------------------------------------------

_FORMAT_SAMPLES: dict[str, Any] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "binary": "<binary data>",
    "password": "<password>",
}


class Samples:
    """JSON sample values for IR types; ``direction`` leaves out read-only (request) or write-only (response) fields."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api

    def field_value(self, f: ir.Field, direction: str, depth: int, seen: frozenset[str]) -> Any:
        for present, candidate in ((f.has_example, f.example), (f.has_default, f.default)):
            if present and (direction != "request" or self.fits(f.type, f.constraints, candidate)):
                return candidate
        return self.value(f.type, direction, depth, seen, f.constraints)

    def enum_values(self, t: ir.TypeRef | None) -> tuple[Any, ...] | None:
        """The values of the closed enum ``t`` is (through ``| None``), else ``None``."""
        t = ir.unwrap_nullable(t) if t is not None else None
        if isinstance(t, ir.ModelRef):
            model = self.api.model(t.name)
            if isinstance(model, ir.EnumModel):
                return tuple(m.value for m in model.members)
        return None

    def fits(self, t: ir.TypeRef | None, constraints: ir.Constraints, value: Any) -> bool:
        """Whether a spec's example or default for a request value passes the client's checks."""
        return _fits(constraints.as_dict(), self.enum_values(t), value)

    def value(
        self,
        t: ir.TypeRef | None,
        direction: str = "response",
        depth: int = 0,
        seen: frozenset[str] = frozenset(),
        constraints: ir.Constraints | None = None,
    ) -> Any:
        limits = constraints.as_dict() if constraints else {}
        match t:
            case None:
                return None
            case ir.Primitive():
                return _primitive_sample(t, limits)
            case ir.Nullable(inner):
                return self.value(inner, direction, depth, seen, constraints)
            case ir.ArrayType(item):
                return [] if depth >= MAX_DEPTH else [self.value(item, direction, depth + 1, seen)]
            case ir.MapType(item):
                return {} if depth >= MAX_DEPTH else {"key": self.value(item, direction, depth + 1, seen)}
            case ir.ModelRef(name):
                return self.model_value(name, direction, depth, seen)
            case _:
                ir.assert_never(t)

    def model_value(self, name: str, direction: str, depth: int, seen: frozenset[str]) -> Any:
        model = self.api.model(name)
        if isinstance(model, ir.EnumModel):
            return model.members[0].value if model.members else ""
        if isinstance(model, ir.UnionModel):
            if not model.variants:
                return {}
            value = self.value(model.variants[0], direction, depth, seen)
            if model.discriminator and isinstance(value, dict):
                first = model.variants[0]
                for wire, target in model.discriminator.mapping:
                    if isinstance(first, ir.ModelRef) and target == first.name:
                        value = {model.discriminator.property: wire, **value}
                        break
            return value
        if model.has_example and isinstance(model.example, dict):
            return model.example
        if name in seen or depth >= MAX_DEPTH:
            return {}
        inner = seen | {name}
        out: dict[str, Any] = {}
        for f in model.fields:
            if (direction == "request" and f.read_only) or (direction == "response" and f.write_only):
                continue
            if not f.required and depth >= 3:
                continue
            out[f.wire_name] = self.field_value(f, direction, depth + 1, inner)
        return out


def _primitive_sample(t: ir.Primitive, limits: dict[str, Any]) -> Any:
    if "const" in limits:
        return limits["const"]
    if isinstance(limits.get("enum"), (list, tuple)) and limits["enum"]:
        return limits["enum"][0]
    if t.kind == "str":
        text = _FORMAT_SAMPLES.get(t.format, "string")
        pattern = limits.get("pattern")
        if isinstance(pattern, str) and not _pattern_matches(pattern, text):
            minimum = limits.get("minLength")
            sampled = text_matching(pattern, minimum if isinstance(minimum, int) else 0)
            if _pattern_matches(pattern, sampled):
                return sampled
        minimum = limits.get("minLength")
        if isinstance(minimum, int) and len(text) < minimum:
            text = text + "x" * (minimum - len(text))
        maximum = limits.get("maxLength")
        if isinstance(maximum, int) and maximum >= 0 and len(text) > maximum and not t.format:
            text = text[:maximum]
        return text
    if t.kind in ("int", "float"):
        low = limits.get("minimum", limits.get("exclusiveMinimum"))
        value: int | float = 0
        if isinstance(low, (int, float)) and not isinstance(low, bool):
            value = low + (1 if "exclusiveMinimum" in limits and "minimum" not in limits else 0)
        return int(value) if t.kind == "int" else float(value)
    if t.kind == "bool":
        return True
    if t.kind == "null":
        return None
    return {}


def _pattern_matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:  # an ECMA-262 construct Python's re does not read: the client does not check it either
        return True


def _fits(limits: dict[str, Any], enum: tuple[Any, ...] | None, value: Any) -> bool:
    """Whether ``value`` passes the checks the client makes before sending (closed enums, length, pattern, range)."""
    if enum is not None and value not in enum:
        return False
    allowed = limits.get("enum")
    if isinstance(allowed, (list, tuple)) and allowed and value not in allowed:
        return False
    if isinstance(value, str):
        pattern, low, high = limits.get("pattern"), limits.get("minLength"), limits.get("maxLength")
        if isinstance(pattern, str) and not _pattern_matches(pattern, value):
            return False
        if isinstance(low, int) and len(value) < low or isinstance(high, int) and len(value) > high:
            return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = limits.get("minimum"), limits.get("maximum")
        if isinstance(low, (int, float)) and value < low or isinstance(high, (int, float)) and value > high:
            return False
    return True


def example_value(t: ir.TypeRef | None, value: Any) -> Any:
    """An example as data: a string holding JSON where the schema wants an object or array is parsed."""
    if isinstance(value, str) and t is not None and not (isinstance(t, ir.Primitive) and t.kind in ("str", "any")):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return json.loads(text)
            except ValueError:
                return value
    return value


# -- Python values -----------------------------------------------------------------------------------


@dataclass
class PyWriter:
    """Python source for example values of IR types, remembering the imports it needs."""

    api: ir.Api
    samples: Samples
    models: bool = False
    imports: set[str] = field(default_factory=set)

    def expr(self, t: ir.TypeRef | None, value: Any, depth: int = 0) -> str:
        match t:
            case None:
                return py_literal(value)
            case ir.Nullable(inner):
                return "None" if value is None else self.expr(inner, value, depth)
            case ir.Primitive():
                return self.primitive(t, value)
            case ir.ArrayType(item):
                items = value if isinstance(value, list) else [self.samples.value(item, "request")]
                return "[" + ", ".join(self.expr(item, v, depth + 1) for v in items) + "]"
            case ir.MapType(item):
                entries = value if isinstance(value, dict) else {"key": self.samples.value(item, "request")}
                return (
                    "{"
                    + ", ".join(f"{py_literal(str(k))}: {self.expr(item, v, depth + 1)}" for k, v in entries.items())
                    + "}"
                )
            case ir.ModelRef(name):
                return self.model(name, value, depth)
            case _:
                ir.assert_never(t)

    def caller_expr(self, f: ir.Field | ir.Parameter, value: Any, depth: int = 0) -> str:
        """The argument as a caller writes it: an ``x-apigen-wire`` example text as the list or value it encodes."""
        w = f.wire
        if w is None or not isinstance(value, str):
            return self.expr(f.type, value, depth)
        if w.kind == "join":
            return self.expr(w.value, value.split(w.separator) if value else [], depth)
        try:
            decoded = json.loads(value)
        except ValueError:
            return self.expr(f.type, value, depth)
        return self.expr(w.value, decoded, depth)

    def primitive(self, t: ir.Primitive, value: Any) -> str:
        if t.kind == "str":
            if t.format == "date-time":
                return self.datetime(value)
            if t.format == "date":
                return self.date(value)
            if t.format == "uuid":
                import uuid as _uuid  # imported here: it imports platform, and most specs have no uuid

                try:
                    parsed = _uuid.UUID(str(value))
                except ValueError:
                    parsed = _uuid.UUID(int=0)
                self.imports.add("import uuid")
                return f"uuid.UUID({py_literal(str(parsed))})"
            if t.format == "byte":
                try:
                    raw = base64.b64decode(str(value), validate=True)
                except (binascii.Error, ValueError):
                    raw = str(value).encode()
                return py_bytes(raw)
            if t.format == "binary":
                return py_bytes(str(value if value is not None else "").encode("utf-8"))
            return py_literal(
                value
                if isinstance(value, str)
                else ("" if value is None else json.dumps(value) if isinstance(value, (dict, list)) else str(value))
            )
        if t.kind == "int":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                value = _number(value, int)
            return repr(int(value))
        if t.kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                value = _number(value, float)
            return py_number(float(value))
        if t.kind == "bool":
            return repr(value if isinstance(value, bool) else str(value).lower() == "true")
        if t.kind == "null":
            return "None"
        return py_literal(value)

    def datetime(self, value: Any) -> str:
        try:
            text = str(value)
            parsed = _dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            parsed = _dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc)
        self.imports.add("import datetime")
        parts = [parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second]
        if parsed.microsecond:
            parts.append(parsed.microsecond)
        args = ", ".join(str(p) for p in parts)
        offset = parsed.utcoffset()
        if offset is None or offset == _dt.timedelta(0):
            return f"datetime.datetime({args}, tzinfo=datetime.timezone.utc)"
        minutes = int(offset.total_seconds() // 60)
        return f"datetime.datetime({args}, tzinfo=datetime.timezone(datetime.timedelta(minutes={minutes})))"

    def date(self, value: Any) -> str:
        try:
            parsed = _dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            parsed = _dt.date(2024, 1, 1)
        self.imports.add("import datetime")
        return f"datetime.date({parsed.year}, {parsed.month}, {parsed.day})"

    def model(self, name: str, value: Any, depth: int) -> str:
        model = self.api.model(name)
        if isinstance(model, ir.EnumModel):
            self.models = True
            for member in model.members:
                if member.value == value and type(member.value) is type(value):
                    return f"models.{model.name}.{member.name}"
            fits = (
                isinstance(value, str)
                if model.base == "str"
                else isinstance(value, int) and not isinstance(value, bool)
            )
            if fits:  # open enums accept values the API description does not list yet
                return f"models.{model.name}({py_literal(value)})"
            if model.members:
                return f"models.{model.name}.{model.members[0].name}"
            return py_literal(value)
        if isinstance(model, ir.UnionModel):
            return self.expr(self.variant(model, value), value, depth)
        if not isinstance(value, dict) or depth > MAX_DEPTH * 2:
            value = self.samples.model_value(name, "request", MAX_DEPTH, frozenset())
            if not isinstance(value, dict):
                value = {}
        self.models = True
        return f"models.{model.name}({self.keywords(model.fields, value, depth)})"

    def keywords(
        self, fields: tuple[ir.Field, ...], value: dict[str, Any], depth: int, *, extra_ok: bool = True
    ) -> str:
        """``name=value`` pairs for the fields present in ``value`` (and required ones), in field order."""
        parts: list[str] = []
        known: set[str] = set()
        for f in fields:
            known.add(f.wire_name)
            if f.wire_name in value:
                parts.append(f"{f.name}={self.caller_expr(f, value[f.wire_name], depth + 1)}")
            elif f.required:
                sample = self.samples.field_value(f, "request", MAX_DEPTH - 1, frozenset())
                parts.append(f"{f.name}={self.expr(f.type, sample, depth + 1)}")
        extra = {k: v for k, v in value.items() if k not in known}
        if extra and fields and extra_ok:
            parts.append(f"additional_properties={py_literal(extra)}")
        return ", ".join(parts)

    def variant(self, model: ir.UnionModel, value: Any) -> ir.TypeRef:
        if model.discriminator and isinstance(value, dict):
            wanted = value.get(model.discriminator.property)
            for wire, target in model.discriminator.mapping:
                if wire == wanted:
                    return ir.ModelRef(target)
        for variant in model.variants:
            if _matches(self.api, variant, value):
                return variant
        return model.variants[0] if model.variants else ir.Primitive("any")


def _matches(api: ir.Api, t: ir.TypeRef, value: Any) -> bool:
    match t:
        case ir.Nullable(inner):
            return value is None or _matches(api, inner, value)
        case ir.Primitive(kind):
            return {
                "str": isinstance(value, str),
                "int": isinstance(value, int) and not isinstance(value, bool),
                "float": isinstance(value, (int, float)) and not isinstance(value, bool),
                "bool": isinstance(value, bool),
                "null": value is None,
            }.get(kind, True)
        case ir.ArrayType():
            return isinstance(value, list)
        case ir.MapType():
            return isinstance(value, dict)
        case ir.ModelRef(name):
            return _matches_model(api, api.model(name), value)
        case _:
            ir.assert_never(t)


def _matches_model(api: ir.Api, model: ir.Model, value: Any) -> bool:
    if isinstance(model, ir.EnumModel):
        return any(m.value == value for m in model.members)
    if isinstance(model, ir.UnionModel):
        return any(_matches(api, v, value) for v in model.variants)
    if not isinstance(value, dict):
        return False
    names = {f.wire_name for f in model.fields}
    required = {f.wire_name for f in model.fields if f.required}
    if not required <= set(value):
        return False
    if model.additional is None and not set(value) <= names and names:
        return False
    # nested discriminating values (``methods: [password]``) decide between variants with the same keys
    for f in model.fields:
        if f.wire_name in value and not _matches(api, f.type, value[f.wire_name]):
            return False
    return True


def _number(value: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        return kind(0)


# -- credentials -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialDoc:
    """How a user gives the client what one security scheme needs (from the client plan of the API)."""

    arguments: tuple[tuple[str, str], ...]  # (Client keyword, placeholder)
    alternative: tuple[tuple[str, str], ...] = ()  # another way (a ready token)
    env: tuple[str, ...] = ()  # environment variables of ``arguments``
    alternative_env: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # added when needed (security_token of temporary keys)
    extra_env: tuple[str, ...] = ()
    extra_note: str = ""
    classes: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()  # runtime names the example needs
    supported: bool = True
    signed: bool = False  # curl alone cannot produce it
    example: tuple[tuple[str, str], ...] = ()  # what the examples pass (``arguments`` or ``alternative``)


def _pairs(keywords: tuple[Keyword, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((k.name, k.placeholder) for k in keywords)


def credential_doc(scheme: ir.SecurityScheme, plan: ClientPlan) -> CredentialDoc:
    args: SchemeArgs | None = plan.scheme(scheme.name)
    if args is None or not args.supported:
        return CredentialDoc((), supported=False)
    return CredentialDoc(
        _pairs(args.keywords),
        alternative=_pairs(args.alternative),
        env=tuple(k.env for k in args.keywords),
        alternative_env=tuple(k.env for k in args.alternative),
        extra=_pairs(args.extra),
        extra_env=tuple(k.env for k in args.extra),
        extra_note=args.extra_note or args.note,
        classes=args.classes,
        supported=True,
        signed=args.signed,
        example=_pairs(args.alternative if args.example_alternative else args.keywords),
    )


# -- the calls ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderRead:
    """A required header of the success response that an example reads (``X-Subject-Token``)."""

    name: str
    variable: str  # the Python variable the example stores it in
    required: bool


@dataclass(frozen=True)
class CallPlan:
    """One example call: the values every form of the example (curl, sync, async) uses."""

    alternative: tuple[ir.SecurityScheme, ...]
    client_kwargs: tuple[tuple[str, str], ...]  # keyword -> Python source
    arguments: tuple[tuple[ir.Parameter, Any], ...]
    body_value: Any
    has_body_value: bool
    server_url: str


class ExampleWriter:
    def __init__(
        self,
        api: ir.Api,
        package: ir.PackageInfo,
        policy: Policy,
        resource_attr: dict[str, str],
        client: ClientPlan,
        env: jinja2.Environment,
    ) -> None:
        self.env = env
        env.filters["shell"] = shlex.quote
        self.api = api
        self.package = package
        self.policy = policy
        self.client = client
        self.samples = Samples(api)
        self.schemes = {s.name: s for s in api.security_schemes}
        self.resource_attr = resource_attr
        self._plans: dict[int, CallPlan] = {}  # by id of the operation (the API keeps each alive)

    # -- choosing values ---------------------------------------------------------------------------------
    def parameter_value(self, p: ir.Parameter) -> Any:
        """The spec's example (or default) when it passes the client's checks, else a sample that does."""
        candidates = [*p.examples[:1], *([p.default] if p.has_default else [])]
        for candidate in candidates:
            if self.samples.fits(p.type, p.constraints, candidate):
                return candidate
        return self.samples.value(p.type, "request", 0, frozenset(), p.constraints)

    def body_value(self, op: ir.Operation) -> tuple[Any, bool]:
        body = op.body
        if body is None:
            return None, False
        media = body.chosen
        if media.examples:
            return example_value(media.type, media.examples[0].value), True
        if media.is_bytes:
            return "<file contents>", True
        return self.samples.value(media.type, "request"), True

    def alternative(self, op: ir.Operation, for_curl: bool = False) -> tuple[ir.SecurityScheme, ...]:
        alternatives = [tuple(self.schemes[n] for n in alt if n in self.schemes) for alt in op.security]
        if not alternatives:
            return ()
        if for_curl:
            for alt in alternatives:
                if not any(credential_doc(s, self.client).signed for s in alt):
                    return alt
        for alt in alternatives:
            if all(credential_doc(s, self.client).supported for s in alt):
                return alt
        return alternatives[0]

    def plan(self, op: ir.Operation) -> CallPlan:
        """What an example of ``op`` passes (credentials, client settings, arguments, body), worked out once
        for its sync, async and curl examples."""
        plan = self._plans.get(id(op))
        if plan is None:
            plan = self._plans[id(op)] = self._plan(op)
        return plan

    def _plan(self, op: ir.Operation) -> CallPlan:
        chosen = self.alternative(op)
        kwargs: list[tuple[str, str]] = []
        for scheme in chosen:
            for name, placeholder in credential_doc(scheme, self.client).example:
                if name not in dict(kwargs):
                    kwargs.append((name, py_literal(placeholder)))
        first = tuple(self.schemes[n] for n in op.security[0] if n in self.schemes) if op.security else ()
        if chosen != first:  # the client tries alternatives in order: ask for the one shown
            kwargs.append(("auth_preference", py_literal([s.name for s in chosen])))
        for p in op.parameters:
            setting = self.client.setting(p.wire_name, "client_value") if p.defaults_to_client else None
            if setting is not None and setting.name not in dict(kwargs):
                kwargs.append((setting.name, py_str(self.parameter_value(p))))
        server = op.servers[0] if op.servers else (self.api.servers[0] if self.api.servers else None)
        if server is not None:
            for variable in server.variables:
                setting = self.client.setting(variable.name)
                if setting is not None and setting.name not in dict(kwargs):
                    kwargs.append((setting.name, py_literal(variable.default)))
        for name, _ in kwargs:
            if not self.client.takes(name):
                raise DocsError(f"the generated Client takes no {name}=; the docs' examples pass it")
        arguments = [(p, self.parameter_value(p)) for p in op.required_arguments]
        # a few optional query parameters with examples show how filters are passed: pagination first
        paging = {op.pagination.offset, op.pagination.limit} if op.pagination else set()
        optional = [p for p in op.arguments if not p.required and p.location == "query" and p.examples]
        optional.sort(key=lambda p: p.wire_name not in paging)
        arguments += [(p, p.examples[0]) for p in optional[:2]]
        value, has_value = self.body_value(op)
        url = server_url(server, op) if server else op.path.split("#", 1)[0]  # a fragment is never sent
        return CallPlan(chosen, tuple(kwargs), tuple(arguments), value, has_value, url)

    # -- Python ----------------------------------------------------------------------------------------
    def python(self, op: ir.Operation, resource: ir.Resource, is_async: bool) -> str:
        plan = self.plan(op)
        writer = PyWriter(self.api, self.samples)
        args: list[str] = [f"{p.name}={writer.caller_expr(p, value)}" for p, value in plan.arguments]
        body = op.body
        if body is not None and plan.has_body_value:
            if body.flattened is not None:
                value = plan.body_value if isinstance(plan.body_value, dict) else {}
                args.append(writer.keywords(body.flattened, value, 0, extra_ok=False))
            elif body.chosen.is_bytes:
                text = plan.body_value if isinstance(plan.body_value, str) else "<file contents>"
                args.append(f"{body.body_param}={py_bytes(text.encode('utf-8'))}")
            elif body.chosen.kind == "text":
                args.append(f"{body.body_param}={py_literal(str(plan.body_value))}")
            else:
                args.append(f"{body.body_param}={writer.expr(body.chosen.type, plan.body_value)}")
        success = self.success_headers(op)
        raw = ".with_raw_response" if success else ""
        call = f"client.{self.resource_attr[resource.name]}{raw}.{op.name}({', '.join(a for a in args if a)})"
        headers = [HeaderRead(h.name, _variable(h.name), h.required) for h in success]
        return self.program(f"examples/{op.operation_id}.py", plan, writer, call, is_async=is_async,
                            headers=headers, returns=self.returns_value(op))  # fmt: skip

    def python_iterator(self, op: ir.Operation, resource: ir.Resource) -> str:
        """Every item of a paginated list operation, through its ``iter_*`` method."""
        pagination = op.pagination
        if pagination is None or not pagination.iterator:
            return ""
        plan = self.plan(op)
        writer = PyWriter(self.api, self.samples)
        skip = {pagination.offset_arg, pagination.offset}
        args = [
            f"{p.name}={writer.caller_expr(p, value)}"
            for p, value in plan.arguments
            if p.name not in skip and p.wire_name not in skip
        ]
        call = f"client.{self.resource_attr[resource.name]}.{pagination.iterator}({', '.join(args)})"
        return self.program(f"examples/{op.operation_id}_iter.py", plan, writer, call, iterate=True)

    def program(
        self,
        name: str,
        plan: CallPlan,
        writer: PyWriter,
        call: str,
        *,
        is_async: bool = False,
        iterate: bool = False,
        headers: list[HeaderRead] | None = None,
        returns: bool = False,
    ) -> str:
        """The example program around ``call`` (``templates/docs/examples/call.py.jinja``), formatted by black."""
        client_class = "AsyncClient" if is_async else "Client"
        names = [client_class, *(n for s in plan.alternative for n in credential_doc(s, self.client).imports)]
        if writer.models:
            names.append("models")
        template = self.env.get_template("docs/examples/call.py.jinja")
        source = template.render(
            imports=sorted([*writer.imports, *(["import asyncio"] if is_async else [])]),
            package=self.package.package,
            names=sorted(set(names), key=_import_order),
            client_class=client_class,
            client_args=[f"{k}={v}" for k, v in plan.client_kwargs],
            call=call,
            is_async=is_async,
            iterate=iterate,
            headers=headers or [],
            returns=returns,
        )
        try:
            return format_python(name, source, stable=_builtin(template)).rstrip("\n")
        except FormatError:  # a bug here must not hide the rest of the docs; the tests execute every example
            return source.rstrip("\n")

    def success_headers(self, op: ir.Operation) -> tuple[ir.Header, ...]:
        """Required headers of a success response (``X-Subject-Token``): the example reads them."""
        for response in op.success_responses:
            required = [h for h in response.headers if h.required]
            if required:
                return tuple(sorted(required, key=lambda h: h.name.lower()))
        return ()

    def returns_value(self, op: ir.Operation) -> bool:
        for response in op.responses:
            if response.is_success or response.status == "default":
                media = response.decoded
                if (
                    media is not None
                    and media.type is not None
                    or (media is not None and media.kind in ("text", "binary", "other"))
                ):
                    return True
        return False

    # -- curl ------------------------------------------------------------------------------------------
    def curl(self, op: ir.Operation) -> tuple[str, bool]:
        """The curl command and whether it carries a signature curl cannot compute itself."""
        plan = self.plan(op)
        alternative = self.alternative(op, for_curl=True)
        url = plan.server_url
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        cookies: list[tuple[str, str]] = []
        for p, value in plan.arguments:
            text = _wire_text(value)
            if p.location == "path":
                url = url.replace("{" + p.wire_name + "}", quote(text, safe=""))
            elif p.location == "query":
                if isinstance(value, list) and p.explode:
                    query.extend((p.wire_name, _wire_text(v)) for v in value)
                else:
                    query.append((p.wire_name, text))
            elif p.location == "header":
                headers.append((p.wire_name, text))
            elif p.location == "cookie":
                cookies.append((p.wire_name, text))
        for p in op.parameters:
            if p.defaults_to_client and p.location == "path":
                url = url.replace("{" + p.wire_name + "}", quote(str(self.parameter_value(p)), safe=""))
        signed = False
        user: str | None = None
        for scheme in alternative:
            doc = credential_doc(scheme, self.client)
            signed = signed or doc.signed
            args = self.client.scheme(scheme.name)
            if args is not None and args.curl:  # an extension's kind: samples from the runtime's catalog
                headers.extend(args.curl)
                for name, samples in args.curl_when_path:
                    if "{" + name + "}" in op.path:
                        headers.extend(samples)
            elif scheme.kind == "apiKey":
                if scheme.location == "query":
                    query.append((scheme.parameter, "<API_KEY>"))
                elif scheme.location == "cookie":
                    cookies.append((scheme.parameter, "<API_KEY>"))
                else:
                    headers.append((scheme.parameter, "<API_KEY>"))
            elif scheme.kind == "http" and scheme.scheme.lower() == "basic":
                user = "<USERNAME>:<PASSWORD>"
            elif scheme.kind == "http" and scheme.scheme.lower() not in ("bearer", ""):
                headers.append(("Authorization", f"{scheme.scheme[:1].upper()}{scheme.scheme[1:]} <CREDENTIALS>"))
            elif scheme.kind in ("http", "oauth2", "openIdConnect"):
                headers.append(("Authorization", "Bearer <TOKEN>"))
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query, quote_via=quote)
        body = op.body
        data: list[tuple[str, str]] = []  # (option, its value)
        if body is not None and plan.has_body_value:
            media = body.chosen
            value = plan.body_value
            if media.kind != "multipart":
                headers.append(
                    (
                        "Content-Type",
                        media.content_type if "*" not in media.content_type else "application/octet-stream",
                    )
                )
            if media.kind == "json":
                data.append(("--data", json.dumps(value, ensure_ascii=False, indent=2)))
            elif media.kind == "form" and isinstance(value, dict):
                for key, item in value.items():
                    data.append(("--data-urlencode", f"{key}={_wire_text(item)}"))
            elif media.kind == "multipart" and isinstance(value, dict):
                files = {f.wire_name for f in body.flattened or () if _is_binary(f.type)}
                for key, item in value.items():
                    if key in files:
                        data.append(("--form", f"{key}=@{key}.bin"))
                    else:
                        data.append(("--form-string", f"{key}={_wire_text(item)}"))
            elif media.is_bytes:
                data.append(("--data-binary", "@file.bin"))
            else:
                data.append(("--data-binary", _wire_text(value)))
        command = self.env.get_template("docs/examples/curl.sh.jinja").render(
            method=op.method,
            url=url,
            headers=headers,
            cookies="; ".join(f"{k}={v}" for k, v in cookies),
            user=user,
            data=data,
        )
        return command, signed


def server_url(server: ir.Server, op: ir.Operation) -> str:
    url = server.url
    for variable in server.variables:
        url = url.replace("{" + variable.name + "}", variable.default)
    return url.rstrip("/") + op.path.split("#", 1)[0]  # a fragment (``/files/{id}#add_link``) is never sent


def _is_binary(t: ir.TypeRef) -> bool:
    return isinstance(t, ir.Primitive) and t.format == "binary"


def _wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if value is None:
        return ""
    return str(value)


def _variable(header: str) -> str:
    name = "".join(ch if ch.isalnum() else "_" for ch in header.lower()).strip("_") or "header"
    return name if name[0].isalpha() else "h_" + name


def _import_order(name: str) -> tuple[int, str]:
    return (0 if name[0].isupper() else 1, name)
