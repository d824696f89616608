"""Render the IR through the Jinja templates: a pure function ``Api -> {relative path: text}``.

Templates see only the IR and the small filters defined here. Every spec string reaches generated code
through :func:`py_str` or :func:`docstring`, so quotes, backslashes, ``\"\"\"``, ``{{ }}`` and newlines in a
spec can never break out of a literal.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.client.literals import py_literal, py_str
from generator.model import ir
from generator.model.naming import snake
from generator.contract import read_policy, runtime_public_names, runtime_reserved_names
from generator.output.cache import cache_root
from generator.reference.examples import credential_doc

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


# -- literals ----------------------------------------------------------------------------------------


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring body that no text can close early."""
    cleaned = textwrap.dedent(str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()
    cleaned = "".join(ch if ch in "\n\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in cleaned)
    cleaned = cleaned.replace("\\", "\\\\").replace('"', '\\"')
    pad = " " * indent
    lines = cleaned.split("\n")
    body = "\n".join([lines[0]] + [(pad + line) if line.strip() else "" for line in lines[1:]])
    return f'"""{body}"""' if len(lines) == 1 else f'"""{body}\n{pad}"""'


def one_line(text: str, limit: int = 0) -> str:
    """The first sentence-ish line of a description."""
    first = str(text).strip().split("\n", 1)[0].strip()
    if limit and len(first) > limit:
        first = first[: limit - 1].rstrip() + "…"
    return first


# strings (docstrings first), comments and attribute names (``x.name``): text that names no module-level name
_NOT_NAMES = re.compile(
    r'"""(?:[^"\\]+|\\[\s\S]|"(?!""))*"""'
    r"|'''(?:[^'\\]+|\\[\s\S]|'(?!''))*'''"
    r'|"(?:[^"\\\n]+|\\[\s\S])*"'
    r"|'(?:[^'\\\n]+|\\[\s\S])*'"
    r"|#[^\n]*"
    r"|\.\s*[A-Za-z_]\w*"
)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def names_used(code: str, candidates: Iterable[str]) -> frozenset[str]:
    """Which of ``candidates`` generated ``code`` uses as names (outside strings and comments, not as attributes).

    How a template imports only what its module uses: it renders the module's code first, then asks.
    """
    text = _NOT_NAMES.sub(" ", code)
    used = set()
    for name in candidates:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not (start and _is_name_char(text[start - 1])) and not (end < len(text) and _is_name_char(text[end])):
                used.add(name)
                break
            start = text.find(name, start + 1)
    return frozenset(used)


# -- types -------------------------------------------------------------------------------------------


class TypeRenderer:
    """Python annotations and decode/encode expressions for IR types, knowing the models by name."""

    def __init__(self, api: ir.Api, models_prefix: str = "") -> None:
        self.api = api
        self.prefix = models_prefix

    def model(self, name: str) -> ir.Model:
        return self.api.model(name)

    def annotation(self, t: ir.TypeRef | None) -> str:
        match t:
            case None:
                return "None"
            case ir.Primitive(kind, fmt):
                return _PRIMITIVE_ANNOTATIONS.get((kind, fmt)) or _PRIMITIVE_ANNOTATIONS[(kind, "")]
            case ir.ArrayType(item):
                return f"list[{self.annotation(item)}]"
            case ir.MapType(value):
                return f"dict[str, {self.annotation(value)}]"
            case ir.Nullable(inner_type):
                inner = self.annotation(inner_type)
                return inner if inner == "Any" else f"{inner} | None"
            case ir.ModelRef(name):
                return self.prefix + name
            case _:
                ir.assert_never(t)

    def decode(self, t: ir.TypeRef | None, value: str, path: str, depth: int = 0) -> str:
        """An expression decoding JSON ``value`` (found at JSON path expression ``path``) into ``t``."""
        v, p = f"_v{depth}", f"_p{depth}"
        match t:
            case None:
                return "None"
            case ir.Primitive(kind, fmt):
                fn = _PRIMITIVE_DECODERS.get((kind, fmt)) or _PRIMITIVE_DECODERS[(kind, "")]
                if fn == "binary":
                    return f"_wire.d_str({value}, {path}).encode()"
                if fn == "any":
                    return value
                return f"_wire.{fn}({value}, {path})"
            case ir.ArrayType(item):
                return f"_wire.d_list({value}, {path}, lambda {v}, {p}: {self.decode(item, v, p, depth + 1)})"
            case ir.MapType(item):
                return f"_wire.d_map({value}, {path}, lambda {v}, {p}: {self.decode(item, v, p, depth + 1)})"
            case ir.Nullable(inner):
                return f"_wire.d_nullable({value}, {path}, lambda {v}, {p}: {self.decode(inner, v, p, depth + 1)})"
            case ir.ModelRef(name):
                match self.model(name):
                    case ir.EnumModel() as model:
                        return f"_wire.d_enum({value}, {path}, {self.prefix}{model.name})"
                    case ir.UnionModel() as model:
                        return f"{self.prefix}{model.decoder}({value}, {path})"
                    case ir.ObjectModel() as model:
                        return f"{self.prefix}{model.name}.from_wire({value}, {path})"
                    case other:
                        ir.assert_never(other)
            case _:
                ir.assert_never(t)

    def decoder_fn(self, t: ir.TypeRef) -> str:
        """A callable ``(value, path) -> T`` for ``t`` (used for union variants)."""
        if isinstance(t, ir.ModelRef):
            model = self.model(t.name)
            if isinstance(model, ir.ObjectModel):
                return f"{self.prefix}{model.name}.from_wire"
            if isinstance(model, ir.UnionModel):
                return f"{self.prefix}{model.decoder}"
        return f"lambda _v0, _p0: {self.decode(t, '_v0', '_p0', 1)}"

    def encode(self, t: ir.TypeRef | None, value: str, depth: int = 0) -> str:
        """An expression turning ``value`` of type ``t`` into plain JSON data."""
        x = f"_x{depth}"
        match t:
            case None:
                return value
            case ir.Primitive(kind, fmt):
                return _encode_primitive(kind, fmt, value)
            case ir.ArrayType(item):
                inner = self.encode(item, x, depth + 1)
                return value if inner == x else f"[{inner} for {x} in {value}]"
            case ir.MapType(item):
                inner = self.encode(item, x, depth + 1)
                return value if inner == x else f"{{_k{depth}: {inner} for _k{depth}, {x} in {value}.items()}}"
            case ir.Nullable(inner_type):
                inner = self.encode(inner_type, value, depth)
                return value if inner == value else f"(None if {value} is None else {inner})"
            case ir.ModelRef(name):
                if isinstance(self.model(name), ir.ObjectModel):
                    return f"{value}.to_wire()"
                return f"_wire.to_json_value({value})"
            case _:
                ir.assert_never(t)


# formats whose values are plain JSON already (strings, numbers) when encoded
_PLAIN_FORMATS = ("", "uri", "email", "int32", "int64", "hostname", "password", "uri-reference")


def _encode_primitive(kind: ir.PrimitiveKind, fmt: str, value: str) -> str:
    if kind in ("str", "int", "bool", "any", "null") and fmt in _PLAIN_FORMATS:
        return value
    if kind == "float":
        return value
    if fmt == "date-time":
        return f"_wire.e_datetime({value})"
    if fmt == "date":
        return f"_wire.e_date({value})"
    if fmt == "uuid":
        return f"str({value})"
    if fmt in ("byte", "binary"):
        return f"_wire.to_json_value({value})"
    return value


_PRIMITIVE_ANNOTATIONS: dict[tuple[ir.PrimitiveKind, str], str] = {
    ("str", ""): "str",
    ("str", "date-time"): "_dt.datetime",
    ("str", "date"): "_dt.date",
    ("str", "uuid"): "_uuid.UUID",
    ("str", "byte"): "bytes",
    ("str", "binary"): "bytes | FileUpload",
    ("int", ""): "int",
    ("float", ""): "float",
    ("bool", ""): "bool",
    ("any", ""): "Any",
    ("null", ""): "None",
}
_PRIMITIVE_DECODERS: dict[tuple[ir.PrimitiveKind, str], str] = {
    ("str", ""): "d_str",
    ("str", "date-time"): "d_datetime",
    ("str", "date"): "d_date",
    ("str", "uuid"): "d_uuid",
    ("str", "byte"): "d_bytes",
    ("str", "binary"): "binary",
    ("int", ""): "d_int",
    ("float", ""): "d_float",
    ("bool", ""): "d_bool",
    ("any", ""): "any",
    ("null", ""): "d_null",
}


def member_path_suffix(key: str) -> str:
    """The JSON-path suffix of a member, computed at generation time (``.smsMsgId`` or ``["a-b"]``)."""
    if key.isidentifier() and key.isascii():
        return "." + key
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


# -- environment -------------------------------------------------------------------------------------


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    directory = cache_root() / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # compiled templates are reused across runs (keyed by template source and Jinja version)
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=False),
    )
    env.filters.update(
        py_str=py_str,
        py_literal=py_literal,
        docstring=docstring,
        one_line=one_line,
        member_path=member_path_suffix,
    )
    return env



# -- the client package ------------------------------------------------------------------------------


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


@dataclass(frozen=True)
class Emitted:
    """The client package: ``{relative path: text}``, and which of those are copied unchanged from templates/."""

    files: dict[str, str]
    verbatim: frozenset[str]  # the runtime's sources: already formatted, black leaves them alone


class ClientEmitter:
    """Everything the client templates need beyond the IR: a few helpers, and where each file goes."""

    def __init__(self, api: ir.Api, package: ir.PackageInfo, templates: Path = TEMPLATES) -> None:
        self.api = api
        self.package = package
        self.templates = templates
        self.runtime_dir = templates / "client" / "runtime"
        self.env = environment(templates)
        self.env.filters["md_cell"] = md_cell
        self.types = TypeRenderer(api)
        self.reserved = runtime_reserved_names(self.runtime_dir) | {"with_raw_response"}
        self.env.globals.update(
            api=api,
            package=package,
            types=self.types,
            snake=snake,
            names_used=names_used,
            body_annotation=self.body_annotation,
            body_statements=self.body_statements,
            return_annotation=self.return_annotation,
            decoded_responses=self.decoded_responses,
            status_test=self.status_test,
            op_doc=self.op_doc,
            resource_doc=self.resource_doc,
            field_doc=self.field_doc,
            client_doc=self.client_doc,
            resource_attr=self.resource_attr,
            resource_attr_of=lambda op: self.resource_attr(next(r for r in api.resources if op in r.operations)),
        )
        # models live in the same module as their decoders; resources refer to them as ``_m.Name``
        self.resource_types = TypeRenderer(api, models_prefix="_m.")

    # -- helpers the templates call ------------------------------------------------------------------
    def resource_attr(self, resource: ir.Resource) -> str:
        return resource.name + "_" if resource.name in self.reserved or resource.name.startswith("_") else resource.name

    def body_annotation(self, body: ir.RequestBody) -> str:
        media = body.chosen
        if media.is_bytes:
            return "bytes | FileUpload"
        if media.kind == "text":
            return "str"
        return self.resource_types.annotation(media.type)

    def body_statements(self, body: ir.RequestBody) -> str:
        media, p = body.chosen, body.body_param
        ctype = py_str(media.content_type if "*" not in media.content_type else "application/octet-stream")
        if media.kind == "json":
            return (f"_data.content = _wire.json_bytes({self.resource_types.encode(media.type, p)})\n"
                    f"_data.content_type = {ctype}")  # fmt: skip
        if media.kind == "form":
            return f"_data.content = _wire.form_body(_wire.members({p}))\n_data.content_type = {ctype}"
        if media.kind == "multipart":
            return f"_data.content, _data.content_type = _wire.multipart_body(_wire.members({p}))"
        if media.kind == "text":
            return f"_data.content = {p}.encode()\n_data.content_type = {ctype}"
        return f"_data.content = {p} if isinstance({p}, bytes) else {p}.read()\n_data.content_type = {ctype}"

    def decoded_responses(self, op: ir.Operation) -> list[ir.Response]:
        """Success responses in matching order: exact codes, then ranges like ``2XX``, then ``default``."""
        exact = [r for r in op.responses if r.status.isdigit() and r.status.startswith(("1", "2", "3"))]
        ranges = [r for r in op.responses if r.status.upper().endswith("XX") and r.status[0] in "123"]
        default = [r for r in op.responses if r.status == "default"]
        if not exact and not ranges and not default:
            return [ir.Response("2XX", "")]  # undocumented success: nothing to decode
        return exact + ranges + default

    def status_test(self, status: str) -> str:
        if status.isdigit():
            return f"status == {int(status)}"
        if status.upper().endswith("XX"):
            low = int(status[0]) * 100
            return f"{low} <= status < {low + 100}"
        return "status < 400"

    def return_annotation(self, op: ir.Operation) -> str:
        annotations: list[str] = []
        for r in self.decoded_responses(op):
            media = r.decoded
            if media is None or media.type is None:
                ann = "None"
            elif media.kind == "json":
                ann = self.resource_types.annotation(media.type)
            elif media.kind == "text":
                ann = "str"
            else:
                ann = "bytes"
            for part in ann.split(" | "):
                if part not in annotations:
                    annotations.append(part)
        if "Any" in annotations:
            return "Any"
        none = "None" in annotations
        parts = [a for a in annotations if a != "None"] + (["None"] if none else [])
        return " | ".join(parts)

    def op_doc(self, op: ir.Operation) -> str:
        lines = [op.summary or f"{op.method} {op.path}"]
        if op.description and op.description.strip() != op.summary.strip():
            lines += ["", op.description.strip()]
        lines += ["", f"``{op.method} {op.path}`` (operation ``{op.operation_id}``)."]
        if op.deprecated:
            lines += ["", "Deprecated."]
        args = []
        for p in op.arguments:
            where = f"{p.location} parameter ``{p.wire_name}``"
            text = one_line(p.description) if p.description else ""
            if p.defaults_to_client:
                text = (text + " " if text else "") + "Defaults to the client's value."
            args.append(f"    {p.name}: {where}. {text}".rstrip())
        if op.body is not None:
            if op.body.flattened is not None:
                for f in op.body.flattened:
                    text = one_line(f.description) if f.description else ""
                    args.append(f"    {f.name}: body field ``{f.wire_name}``. {text}".rstrip())
            else:
                args.append(f"    {op.body.body_param}: request body ({op.body.chosen.content_type}).")
        args.append("    options: per-call overrides (timeout, extra headers, ...).")
        lines += ["", "Args:", *args]
        return "\n".join(lines)

    def resource_doc(self, resource: ir.Resource) -> str:
        return resource.description or f"Operations tagged {resource.tag}."

    def field_doc(self, f: ir.Field) -> str:
        text = f.description.strip() if f.description else ""
        if f.wire_name != f.name:
            text = (text + "\n\n" if text else "") + f"Wire name: ``{f.wire_name}``."
        return text or f.wire_name

    def client_doc(self, is_async: bool) -> str:
        kind = "asyncio client" if is_async else "Client"
        return f"{kind} for {self.api.title} {self.api.version}." + (
            "\n\nUse as ``async with AsyncClient(...) as client:``." if is_async else "\n\nUse as ``with Client(...) as client:``."
        )

    # -- rendering ------------------------------------------------------------------------------------
    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def emit(self) -> Emitted:
        pkg = self.package.package
        out: dict[str, str] = {}
        verbatim: set[str] = set()
        base = "client/package/"
        out[f"{pkg}/__init__.py"] = self.render(base + "__init__.py.jinja", public_names=runtime_public_names(self.runtime_dir))
        out[f"{pkg}/py.typed"] = ""
        out[f"{pkg}/models.py"] = self.render(base + "models.py.jinja")
        out[f"{pkg}/_api.py"] = self.render(base + "_api.py.jinja")
        out[f"{pkg}/_client.py"] = self.render(base + "_client.py.jinja")
        out[f"{pkg}/resources/__init__.py"] = self.render(base + "resources/__init__.py.jinja")
        # resource modules never start with "_" (naming.snake), so none can take this name
        out[f"{pkg}/resources/_raw.py"] = self.render(base + "resources/_raw.py.jinja")
        resource_env = {"types": self.resource_types}
        for resource in self.api.resources:
            out[f"{pkg}/resources/{resource.name}.py"] = self.render(
                base + "resources/resource.py.jinja", resource=resource, **resource_env
            )
        for source in sorted(self.runtime_dir.glob("*.py")):
            out[f"{pkg}/_runtime/{source.name}"] = source.read_text(encoding="utf-8")
            verbatim.add(f"{pkg}/_runtime/{source.name}")
        out["pyproject.toml"] = self.render(base + "pyproject.toml.jinja")
        out["README.md"] = self.render(base + "README.md.jinja", **self.readme_context())
        return Emitted(out, frozenset(verbatim))

    def readme_context(self) -> dict[str, Any]:
        """Authentication and retry facts for the package README, from the runtime sources themselves."""
        policy = read_policy(self.runtime_dir)
        auth = []
        for scheme in self.api.security_schemes:
            doc = credential_doc(scheme)
            ways = []
            if doc.arguments:
                ways.append(", ".join(f"{name}=..." for name, _ in doc.arguments))
            if doc.alternative:
                ways.append(", ".join(f"{name}=..." for name, _ in doc.alternative))
            env = [policy.env_var(e) for e in (*doc.env, *doc.alternative_env)]
            auth.append((scheme, doc.supported, ways, env, doc.extra_note if not doc.arguments else ""))
        example = next((op for op in self.api.operations if not op.arguments and op.body is None), None)
        return {
            "example_op": example or (self.api.operations[0] if self.api.operations else None),
            "auth": auth,
            "policy": policy,
        }
