"""The API reference: Markdown pages for the repository and a static HTML site, from the IR alone.

``emit_docs(api, package)`` returns ``{relative path: text}`` under the docs directory:

* ``README.md`` (servers, regions, authentication, errors, every operation), ``tags/<resource>.md`` (one
  page per tag), ``models.md`` and, when the API has webhooks, ``webhooks.md``;
* ``html/``: the same pages as a static site (``index.html``, ``tags/<resource>.html``, ``models.html``,
  ``webhooks.html``) with one stylesheet and nothing loaded from elsewhere, so it works from disk.

Templates (``templates/docs/``) see only the view built here from the IR; what the docs say about
credentials, errors and retries comes from the runtime's contract and the client plan (:mod:`generator.contract`),
and the examples call the generated client (:mod:`generator.docs_examples`). Spec text is CommonMark
rendered inert (:mod:`generator.docs_text`); everything else in HTML goes through Jinja's autoescaping.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from generator.model import ir
from generator.reference.examples import ExampleWriter, Samples, credential_doc, example_value
from generator.contract import ClientPlan, DocsError, Policy, client_plan, load_runtime
from generator.reference.text import MARKDOWN_VERSION, SpecText, code_cell, code_span, fenced, markdown_text
from generator.client.emit import TEMPLATES, environment, one_line
from generator.output.memo import Memo, fingerprint, shared_part

# -- the view the templates see ----------------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    label: str
    values: tuple[str, ...] = ()  # shown as code


@dataclass(frozen=True)
class Row:
    """A parameter, a body or model field, or a header: one line of a table."""

    name: str  # wire name
    python: str  # Python argument or attribute, "" when not one
    location: str
    type: ir.TypeRef | None
    required: bool
    default: str
    constraints: tuple[Constraint, ...]
    description: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExampleDoc:
    name: str
    summary: str
    text: str
    language: str
    generated: bool = False


@dataclass(frozen=True)
class MediaDoc:
    content_type: str
    type: ir.TypeRef | None
    model: str  # the object model whose fields are listed, or ""
    fields: tuple[Row, ...]
    required: tuple[str, ...]
    examples: tuple[ExampleDoc, ...]
    anchor: str = ""  # request bodies: one per media type
    shared: bool = False  # the model is used by several operations: its fields are on the models page only


@dataclass(frozen=True)
class ResponseDoc:
    status: str
    label: str  # "200", "2XX", "default"
    family: str  # css class: s2, s3, s4, s5, sd
    description: str
    headers: tuple[Row, ...]
    media: tuple[MediaDoc, ...]
    success: bool
    anchor: str = ""


@dataclass(frozen=True)
class ErrorRow:
    condition: str
    exceptions: tuple[str, ...]
    retried: str
    description: str
    note: str = ""  # after the exception names


@dataclass(frozen=True)
class SchemeUse:
    scheme: ir.SecurityScheme
    anchor: str
    arguments: str  # ``Client(...)`` keywords
    alternative: str
    env: tuple[str, ...]
    alternative_env: tuple[str, ...]
    supported: bool
    extra: str = ""  # keywords added in some cases
    extra_env: tuple[str, ...] = ()
    extra_note: str = ""


@dataclass(frozen=True)
class CallbackDoc:
    name: str
    anchor: str
    expression: str
    method: str
    summary: str
    description: str
    parameters: tuple[Row, ...]
    body: tuple[MediaDoc, ...]
    responses: tuple[ResponseDoc, ...]


@dataclass(frozen=True)
class SectionAnchors:
    """The ids of an operation's sections, unique on its page."""

    servers: str
    authentication: str
    parameters: str
    body: str
    responses: str
    errors: str
    callbacks: str
    examples: str
    samples: str


@dataclass(frozen=True)
class Sample:
    """A response example, shown beside the operation's text with the request examples."""

    tab: str
    label: str
    example: ExampleDoc
    content_type: str


@dataclass(frozen=True)
class OperationDoc:
    op: ir.Operation
    resource: ir.Resource
    anchor: str
    title: str  # the summary, else the path: the method is always shown beside it, never in it
    sections: SectionAnchors
    call: str  # client.<attr>.<method>
    servers: tuple[tuple[str, ir.Server], ...]  # (full URL template, server)
    parameters: tuple[Row, ...]
    automatic: tuple[Row, ...]  # headers the client sets (auth, transport)
    security: tuple[tuple[SchemeUse, ...], ...]
    anonymous: bool
    body: ir.RequestBody | None
    body_media: tuple[MediaDoc, ...]
    body_arguments: str  # how the body maps onto the method's arguments
    responses: tuple[ResponseDoc, ...]
    errors: tuple[ErrorRow, ...]
    callbacks: tuple[CallbackDoc, ...]
    curl: str
    curl_signed: bool
    python_sync: str
    python_async: str
    python_iterator: str  # paginated operations: every item through iter_<operation>
    samples: tuple[Sample, ...] = ()


@dataclass(frozen=True)
class ResourceDoc:
    resource: ir.Resource
    attr: str
    operations: tuple[OperationDoc, ...] | tuple[OperationIndex, ...]


@dataclass(frozen=True)
class OperationIndex:
    """What the index, the sidebar and the servers table read of an operation whose tag pages were kept."""

    op: ir.Operation
    resource: ir.Resource
    anchor: str
    title: str
    call: str


@dataclass(frozen=True)
class ModelDoc:
    model: ir.Model
    anchor: str
    kind: str  # object, enum, union
    fields: tuple[Row, ...]
    additional: ir.TypeRef | None
    example: str


@dataclass(frozen=True)
class ServerDoc:
    url: str
    description: str
    variables: tuple[ir.ServerVariable, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class VariableDoc:
    name: str
    values: tuple[str, ...]
    default: str
    description: str
    client: str  # how to set it


_CONSTRAINT_LABELS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
    "minLength": "min length",
    "maxLength": "max length",
    "minItems": "min items",
    "maxItems": "max items",
    "minProperties": "min properties",
    "maxProperties": "max properties",
    "pattern": "pattern",
    "multipleOf": "multiple of",
    "const": "equals",
    "enum": "one of",
    "format": "format",
}

_KIND_WORDS = {
    "iam-token": "IAM token",
    "sdk-hmac-sha256": "AK/SK signing (SDK-HMAC-SHA256)",
    "wsse": "WSSE UsernameToken",
    "apiKey": "API key",
    "http": "HTTP authentication",
    "oauth2": "OAuth 2.0",
    "openIdConnect": "OpenID Connect",
    "mutualTLS": "mutual TLS",
}

_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")

_PRIMITIVE_WORDS = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "any": "any",
    "null": "null",
}


def _anchor(text: str, used: set[str], prefix: str = "") -> str:
    base = prefix + (re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-._") or "item")
    anchor, n = base, 2
    while anchor.lower() in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor.lower())
    return anchor


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _default_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class DocsEmitter:
    def __init__(
        self, api: ir.Api, package: ir.PackageInfo, templates: Path = TEMPLATES, shared_digest: str | None = None
    ) -> None:
        self.api = api
        self.shared = shared_part(api)  # what the kept pages are rendered from besides their own resource
        self.shared_digest = shared_digest
        self.package = package
        self.templates = templates
        runtime = load_runtime(templates / "client" / "runtime")
        self.policy: Policy = runtime.policy
        self.client: ClientPlan = client_plan(api, package, runtime)
        reserved = runtime.reserved_names() | {"with_raw_response"}
        self.attrs = {
            r.name: (r.name + "_" if r.name in reserved or r.name.startswith("_") else r.name) for r in api.resources
        }
        self.env = environment(templates)
        self.text = SpecText()  # each description parsed once for both outputs
        self._md_types: dict[tuple[ir.TypeRef | None, str], str] = {}  # types recur in every table
        self._html_types: dict[tuple[ir.TypeRef | None, str], Markup] = {}
        self._md_constraints: dict[tuple[Constraint, ...], str] = {}
        self._html_constraints: dict[tuple[Constraint, ...], Markup] = {}
        self.examples = ExampleWriter(api, package, self.policy, self.attrs, self.client, self.env)
        self.samples = Samples(api)
        self.scheme_anchors: dict[str, str] = {}
        used: set[str] = {
            "servers",
            "regions",
            "authentication",
            "errors",
            "operations",
            "webhooks",
            "not-covered",
            "overview",
        }
        for scheme in api.security_schemes:
            self.scheme_anchors[scheme.name] = _anchor(scheme.name, used, "scheme-")
        self.model_uses: dict[str, int] = {}  # how many operations, callbacks and webhooks send or return it
        for op in api.operations:
            self._count_uses([*(op.body.media if op.body else ()), *(m for r in op.responses for m in r.media)])
            for cb in op.callbacks:
                self._count_uses([*cb.body, *(m for r in cb.responses for m in r.media)])
        for w in api.webhooks:
            self._count_uses([*w.body, *(m for r in w.responses for m in r.media)])
        self.model_anchors: dict[str, str] = {}
        used_models: set[str] = set()
        for model in api.models:
            self.model_anchors[model.name] = _anchor(model.name, used_models)
        # the HTML models page: one page, or (many models) one page per initial, so no page grows too big
        self.model_pages: dict[str, str] = {}
        for model in api.models:
            key = _initial(model.name) if len(api.models) > MODELS_PER_PAGE else ""
            self.model_pages[model.name] = f"models/{key}.html" if key else "models.html"
        self.env.globals.update(
            api=api,
            package=package,
            policy=self.policy,
            md_type=self.md_type,
            html_type=self.html_type,
            qualified=lambda name: self.policy.qualified(name, package.package),
            kind_words=lambda s: self.kind_words(s),
        )
        self.env.filters.update(
            md_block=self.text.block,
            md_cell=self.text.cell,
            md_text=markdown_text,
            md_constraints=self.md_constraints,
            html_constraints=self.html_constraints,
            code=code_span,
            code_cell=code_cell,
            fenced=fenced,
            html_md=self.text.html,
            html_inline=self.text.inline_html,
            code_text=_code_text,
            one_line=one_line,
            json_text=_default_text,
            sentence=lambda text: str(text)[:1].upper() + str(text)[1:],
        )

    def _count_uses(self, media: list[ir.MediaType]) -> None:
        for name in {n for m in media for n in _model_names(m.type)}:
            self.model_uses[name] = self.model_uses.get(name, 0) + 1

    # -- types ---------------------------------------------------------------------------------------
    def type_parts(self, t: ir.TypeRef | None) -> list[tuple[str, str]]:
        """(text, model name to link or "") pieces of a type's description."""
        match t:
            case None:
                return [("none", "")]
            case ir.Primitive(kind, fmt):
                word = _PRIMITIVE_WORDS.get(kind, kind)
                return [(f"{word} ({fmt})" if fmt else word, "")]
            case ir.ArrayType(item):
                return [("array of ", ""), *self.type_parts(item)]
            case ir.MapType(value):
                return [("map of ", ""), *self.type_parts(value)]
            case ir.Nullable(inner):
                return [*self.type_parts(inner), (" or null", "")]
            case ir.ModelRef(name):
                return [(name, name)]
            case _:
                ir.assert_never(t)

    def html_model_link(self, name: str, root: str) -> str:
        """``model_link`` of the HTML templates: where a model is documented."""
        return self.model_href(name, root, "html")

    def model_href(self, name: str, root: str, ext: str) -> str:
        page = self.model_pages[name] if ext == "html" else "models.md"
        return f"{root}{page}#{self.model_anchors[name]}"

    def md_type(self, t: ir.TypeRef | None, root: str) -> str:
        key = (t, root)
        hit = self._md_types.get(key)
        if hit is None:
            out = []
            for text, link in self.type_parts(t):
                out.append(
                    f"[{markdown_text(text)}]({self.model_href(link, root, 'md')})" if link else markdown_text(text, False)
                )
            hit = self._md_types[key] = "".join(out)
        return hit

    def html_type(self, t: ir.TypeRef | None, root: str) -> Markup:
        key = (t, root)
        hit = self._html_types.get(key)
        if hit is None:
            out = []
            for text, link in self.type_parts(t):
                if link:  # long model names break anywhere (the stylesheet), not only between their words
                    out.append(f'<a href="{escape(self.model_href(link, root, "html"))}">{escape(text)}</a>')
                else:
                    out.append(escape(text))
            hit = self._html_types[key] = Markup("".join(out))
        return hit

    def kind_words(self, scheme: ir.SecurityScheme) -> str:
        words = _KIND_WORDS.get(scheme.kind, scheme.kind)
        if scheme.kind == "sdk-hmac-sha256":
            keys = dict(scheme.options).get("keys", "account")
            words = f"{'application' if keys == 'application' else 'account'} {words}"
        if scheme.kind == "http" and scheme.scheme:
            words = f"HTTP {scheme.scheme}"
        if scheme.kind == "apiKey" and scheme.parameter:
            words = f"API key in the {scheme.location or 'header'} {scheme.parameter}"
        return words

    # -- rows ----------------------------------------------------------------------------------------
    def constraints(self, t: ir.TypeRef | None, constraints: ir.Constraints) -> tuple[Constraint, ...]:
        out: list[Constraint] = []
        enum = self.enum_of(t)
        for key, value in constraints.items:
            if key == "enum" and enum is not None:
                continue  # listed from the enum model below
            label = _CONSTRAINT_LABELS.get(key, key)
            if key == "enum" and isinstance(value, (list, tuple)):
                out.append(Constraint(label, tuple(_default_text(v) for v in value)))
            elif key == "uniqueItems":
                if value:
                    out.append(Constraint("unique items"))
            elif isinstance(value, str) and key in ("pattern", "format"):
                out.append(Constraint(label, (value,)))
            else:
                out.append(Constraint(label, (_default_text(value),)))
        if enum is not None:
            prefix = "items one of" if self.is_array(t) else "one of"
            out.append(Constraint(prefix, tuple(_default_text(m.value) for m in enum.members)))
        return tuple(out)

    def md_constraints(self, constraints: tuple[Constraint, ...]) -> str:
        """A row's constraints in a Markdown cell: ``label `value`, `value`; label `value` ...``."""
        hit = self._md_constraints.get(constraints)
        if hit is None:
            hit = self._md_constraints[constraints] = "; ".join(
                markdown_text(c.label) + ",".join(" " + code_cell(v) for v in c.values) for c in constraints
            )
        return hit

    def html_constraints(self, constraints: tuple[Constraint, ...]) -> Markup:
        """A row's constraints in HTML, one ``span.constraint`` each (enums recur: each list is written once)."""
        hit = self._html_constraints.get(constraints)
        if hit is None:
            hit = self._html_constraints[constraints] = Markup("").join(
                Markup('<span class="constraint">{}{}</span>').format(
                    c.label, Markup(",").join(Markup(" <code>{}</code>").format(v) for v in c.values)
                )
                for c in constraints
            )
        return hit

    def enum_of(self, t: ir.TypeRef | None) -> ir.EnumModel | None:
        while isinstance(t, (ir.Nullable, ir.ArrayType)):
            t = t.inner if isinstance(t, ir.Nullable) else t.item
        if isinstance(t, ir.ModelRef):
            model = self.api.model(t.name)
            if isinstance(model, ir.EnumModel):
                return model
        return None

    @staticmethod
    def is_array(t: ir.TypeRef | None) -> bool:
        return t is not None and isinstance(ir.unwrap_nullable(t), ir.ArrayType)

    def parameter_row(self, p: ir.Parameter, incoming: bool = False) -> Row:
        """A parameter of an operation, or (``incoming``) one the API sends with a callback or webhook."""
        notes = []
        if p.deprecated:
            notes.append("deprecated")
        if not incoming:  # what the client does with it; the API's own requests need no such note
            notes += {
                "client": ["the client fills it in when omitted"],
                "auth": ["set by the client's authentication"],
                "transport": ["set by the client"],
            }.get(p.set_by, [])
        if p.examples:
            notes.append("example: " + _default_text(p.examples[0]))
        return Row(
            name=p.wire_name,
            python=p.name if p.is_argument and not incoming else "",
            location=p.location,
            type=p.type,
            required=p.required,
            default=_default_text(p.default) if p.has_default else "",
            constraints=self.constraints(p.type, p.constraints),
            description=p.description,
            notes=tuple(notes),
        )

    def field_row(self, f: ir.Field) -> Row:
        notes = []
        if f.deprecated:
            notes.append("deprecated")
        if f.read_only:
            notes.append("read-only (responses only)")
        if f.write_only:
            notes.append("write-only (requests only)")
        if f.has_example:
            notes.append("example: " + _default_text(f.example))
        return Row(
            name=f.wire_name,
            python=f.name,
            location="",
            type=f.type,
            required=f.required,
            default=_default_text(f.default) if f.has_default else "",
            constraints=self.constraints(f.type, f.constraints),
            description=f.description,
            notes=tuple(notes),
        )

    def header_row(self, h: ir.Header) -> Row:
        return Row(
            h.name, "", "header", h.type, h.required, "", self.constraints(h.type, ir.Constraints()), h.description
        )

    def object_model(self, t: ir.TypeRef | None) -> ir.ObjectModel | None:
        t = ir.unwrap_nullable(t) if t is not None else None
        if isinstance(t, ir.ModelRef):
            model = self.api.model(t.name)
            if isinstance(model, ir.ObjectModel):
                return model
        return None

    def media_doc(self, media: ir.MediaType, direction: str, with_fields: bool = True) -> MediaDoc:
        model = self.object_model(media.type)
        # a model several operations send or return is described once, on the models page: inlining it
        # in each of them would make the site grow with operations x fields
        shared = model is not None and self.model_uses.get(model.name, 0) > 1
        fields = tuple(self.field_row(f) for f in model.fields) if model is not None and with_fields and not shared else ()
        required = tuple(f.wire_name for f in model.fields if f.required) if model is not None else ()
        examples = tuple(
            ExampleDoc(e.name, e.summary, *self.example_text(media, example_value(media.type, e.value)))
            for e in media.examples
        )
        # a sample made up from a shared model for an error response would be the same on every operation
        boilerplate = shared and not with_fields
        if not examples and not boilerplate and media.type is not None and media.kind in ("json", "form", "multipart", "text"):
            value = self.samples.value(media.type, direction)
            text, language = self.example_text(media, value)
            examples = (ExampleDoc("", "", text, language, generated=True),)
        return MediaDoc(
            media.content_type, media.type, model.name if model else "", fields, required, examples, shared=shared
        )

    def example_text(self, media: ir.MediaType, value: Any) -> tuple[str, str]:
        if media.kind == "form" and isinstance(value, dict):
            from urllib.parse import quote, urlencode

            pairs = [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in value.items()]
            return urlencode(pairs, quote_via=quote), "text"
        if media.kind in ("text", "binary", "other") and isinstance(value, str):
            return value, "text"
        return _json(value), "json"

    def response_doc(self, op_method: str, response: ir.Response, direction: str = "response") -> ResponseDoc:
        status = response.status
        family = f"s{status[0]}" if status[0] in "12345" else "sd"
        success = response.is_success
        media = tuple(self.media_doc(m, direction, with_fields=success) for m in response.media)
        return ResponseDoc(
            status=status,
            label=status,
            family=family,
            description=response.description,
            headers=tuple(self.header_row(h) for h in sorted(response.headers, key=lambda h: h.name.lower())),
            media=media,
            success=success,
        )

    def errors(self, op: ir.Operation) -> tuple[ErrorRow, ...]:
        policy = self.policy
        keyed = bool(op.idempotency_key)  # one key per call, reused on retries: repeated like an idempotent call
        documented: dict[str, ir.Response] = {}
        for r in op.responses:
            if not r.is_success and r.status[0] in "45" or r.status == "default":
                documented[r.status.upper() if r.status != "default" else r.status] = r
        statuses: set[str] = set(documented)
        statuses |= {str(s) for s in policy.retryable_statuses}
        retries = f"yes (up to {policy.max_retries} retries)"
        rows: list[ErrorRow] = []

        def order(label: str) -> tuple[int, str]:
            return (
                (int(label[0]) * 100 + (int(label[1:]) if label[1:].isdigit() else 99), label)
                if label[0].isdigit()
                else (999, label)
            )

        for label in sorted(statuses, key=order):
            response = documented.get(label)
            description = (
                response.description if response else "Not documented by the API."
            )
            note = ""
            if label.isdigit():
                status = int(label)
                exceptions: tuple[str, ...] = (policy.exception_for(status),)
                retried = retries if policy.status_retried(op.method, status, keyed) else "no"
            elif label.endswith("XX"):
                low = int(label[0]) * 100
                exact = sorted({name for code, name in policy.status_classes if low <= code < low + 100})
                exceptions = (policy.exception_for(low + 99), *exact)
                note = "by status" if exact else ""
                again = [str(s) for s in policy.retryable_statuses if low <= s < low + 100]
                repeatable = keyed or policy.is_idempotent(op.method)
                retried = f"{retries} for {', '.join(again)}" if again and repeatable else "no"
            else:
                exceptions = ()
                note = "the class of the actual status (see the API-wide table)"
                retried = "by status"
            rows.append(ErrorRow(f"HTTP {label}", exceptions, retried, description, note))
        if op.result_code is not None:
            codes = ", ".join(op.result_code.success)
            rows.append(
                ErrorRow(
                    f"HTTP 2xx with {op.result_code.field} other than {codes}",
                    ("ResultCodeError",),
                    "no",
                    f"The body's `{op.result_code.field}` reports that the request failed.",
                )
            )
        for never_sent in (True, False):
            failures = [f for f in policy.transport if f.never_sent == never_sent]
            if not failures:
                continue
            retried = retries if policy.transport_retried(op.method, failures[0], keyed) else "no"
            if never_sent:
                note = "The request provably never reached the server."
            elif keyed:
                note = f"The request may have reached the server; its {op.idempotency_key} header makes a repeat safe."
            elif policy.is_idempotent(op.method):
                note = f"The request may have reached the server; {op.method} is idempotent."
            else:
                note = f"The request may have reached the server and {op.method} is not idempotent: never repeated."
            names = tuple(sorted({f.exception for f in failures}))
            kinds = ", ".join(f.httpx_name for f in failures)  # described in full once, in the API-wide table
            condition = f"{'Not sent' if never_sent else 'Maybe sent'}: {kinds}"
            rows.append(ErrorRow(condition, names, retried, note))
        return tuple(rows)

    def scheme_use(self, scheme: ir.SecurityScheme) -> SchemeUse:
        doc = credential_doc(scheme, self.client)
        arguments = ", ".join(f'{name}="{value}"' for name, value in doc.arguments)
        alternative = ", ".join(f'{name}="{value}"' for name, value in doc.alternative)
        for name, _ in (*doc.arguments, *doc.alternative, *doc.extra):
            if not self.client.takes(name):
                raise DocsError(f"the generated Client takes no {name}=; the docs name it")
        return SchemeUse(
            scheme=scheme,
            anchor=self.scheme_anchors.get(scheme.name, ""),
            arguments=arguments,
            alternative=alternative,
            env=doc.env,
            alternative_env=doc.alternative_env,
            supported=doc.supported,
            extra=", ".join(f'{name}="{value}"' for name, value in doc.extra),
            extra_env=doc.extra_env,
            extra_note=doc.extra_note,
        )

    def callback_doc(self, cb: ir.Callback, used: set[str], prefix: str) -> CallbackDoc:
        return CallbackDoc(
            name=cb.name,
            anchor=_anchor(cb.name, used, prefix),
            expression=cb.expression,
            method=cb.method,
            summary=cb.summary,
            description=cb.description,
            parameters=tuple(self.parameter_row(p, incoming=True) for p in cb.parameters),
            body=tuple(self.media_doc(m, "response") for m in cb.body),
            responses=tuple(self.response_doc(cb.method, r) for r in cb.responses),
        )

    def operation_doc(self, op: ir.Operation, resource: ir.Resource, used: set[str]) -> OperationDoc:
        anchor = _anchor(op.operation_id, used)
        sections = SectionAnchors(
            *(
                _anchor(f"{anchor}-{part}", used)
                for part in (
                    "servers",
                    "authentication",
                    "parameters",
                    "body",
                    "responses",
                    "errors",
                    "callbacks",
                    "examples",
                    "samples",
                )
            )
        )
        servers = op.servers or self.api.servers
        arguments = [p for p in op.parameters if p.is_argument]
        automatic = [p for p in op.parameters if not p.is_argument]
        security = tuple(tuple(self.scheme_use(s) for s in self._schemes(alt)) for alt in op.security if alt)
        body_media: tuple[MediaDoc, ...] = ()
        body_arguments = ""
        if op.body is not None:
            body_media = tuple(
                replace(self.media_doc(m, "request"), anchor=_anchor(f"{sections.body}-{m.content_type}", used))
                for m in op.body.media
            )
            chosen = op.body.chosen.content_type
            if op.body.flattened is not None:
                body_arguments = f"The client sends `{chosen}`; each body field is a keyword argument of the method."
            else:
                body_arguments = f"The client sends `{chosen}`; pass the body as `{op.body.body_param}=`."
        curl, signed = self.examples.curl(op)
        call = f"client.{self.attrs[resource.name]}.{op.name}"
        callbacks_used: set[str] = set(used)
        responses = tuple(
            replace(self.response_doc(op.method, r), anchor=_anchor(f"{anchor}-response-{r.status}", used))
            for r in op.responses
        )
        callbacks = tuple(self.callback_doc(cb, callbacks_used, anchor + "-callback-") for cb in op.callbacks)
        used |= callbacks_used
        samples: list[Sample] = []
        for r in responses:
            for m in r.media:
                for n, ex in enumerate(m.examples, 1):
                    label = r.label + (f" {m.content_type}" if len(r.media) > 1 else "")
                    if len(m.examples) > 1:
                        label += f" {ex.name}" if ex.name else f" ({n})"
                    samples.append(Sample(f"s{len(samples)}", label, ex, m.content_type))
        return OperationDoc(
            op=op,
            resource=resource,
            anchor=anchor,
            title=one_line(op.summary) or op.path,
            sections=sections,
            call=call,
            servers=tuple((s.url.rstrip("/") + op.path, s) for s in servers) or (((op.path, ir.Server(""))),),
            parameters=tuple(self.parameter_row(p) for p in arguments),
            automatic=tuple(self.parameter_row(p) for p in automatic),
            security=security,
            anonymous=not op.security or any(not alt for alt in op.security),
            body=op.body,
            body_media=body_media,
            body_arguments=body_arguments,
            responses=responses,
            errors=self.errors(op),
            callbacks=callbacks,
            curl=curl,
            curl_signed=signed,
            python_sync=self.examples.python(op, resource, is_async=False),
            python_async=self.examples.python(op, resource, is_async=True),
            python_iterator=self.examples.python_iterator(op, resource),
            samples=tuple(samples),
        )

    def _schemes(self, alternative: tuple[str, ...]) -> list[ir.SecurityScheme]:
        by_name = {s.name: s for s in self.api.security_schemes}
        return [by_name[n] if n in by_name else ir.SecurityScheme(n, "unknown") for n in alternative]

    def model_doc(self, model: ir.Model) -> ModelDoc:
        if isinstance(model, ir.ObjectModel):
            kind = "object"
            fields = tuple(self.field_row(f) for f in model.fields)
            additional = model.additional
            example = _json(model.example) if model.has_example else ""
        else:
            kind = "enum" if isinstance(model, ir.EnumModel) else "union"
            fields, additional, example = (), None, ""
        return ModelDoc(model, self.model_anchors[model.name], kind, fields, additional, example)

    # -- API-wide ------------------------------------------------------------------------------------
    def servers(self, resources: tuple[ResourceDoc, ...]) -> tuple[ServerDoc, ...]:
        seen: dict[str, tuple[ir.Server, list[str]]] = {}
        for server in self.api.servers:
            seen.setdefault(server.url, (server, []))
        for r in resources:
            for d in r.operations:
                for server in d.op.servers or self.api.servers:
                    entry = seen.setdefault(server.url, (server, []))
                    if r.resource.tag not in entry[1]:
                        entry[1].append(r.resource.tag)
        return tuple(ServerDoc(s.url, s.description, s.variables, tuple(tags)) for s, tags in seen.values())

    def variables(self, servers: tuple[ServerDoc, ...]) -> tuple[VariableDoc, ...]:
        found: dict[str, tuple[list[str], str, str]] = {}
        for server in servers:
            for v in server.variables:
                values, default, description = found.setdefault(v.name, ([], v.default, v.description))
                for value in (v.default, *v.enum):
                    if value not in values:
                        values.append(value)
        out = []
        for name, (values, default, description) in found.items():
            setting = self.client.setting(name)
            if setting is not None:
                client = f'Client({setting.name}="...") or the environment variable {setting.env}'
            else:
                client = f'Client(server_variables={{"{name}": "..."}})'
            out.append(VariableDoc(name, tuple(values), default, description, client))
        return tuple(out)

    def error_tree(self) -> list[tuple[int, Any]]:
        """The exception classes depth-first from the root, with their depth."""
        classes = self.policy.classes
        names = {c.name for c in classes}
        out: list[tuple[int, Any]] = []

        def walk(parent: str, depth: int) -> None:
            for c in classes:
                if c.base == parent or (depth == 0 and c.base not in names and parent == ""):
                    out.append((depth, c))
                    walk(c.name, depth + 1)

        walk("", 0)
        return out

    # -- navigation and search, written once for the whole site ---------------------------------------
    def reachable_names(self, t: ir.TypeRef | None, direction: str, depth: int = 3) -> list[str]:
        """Wire names of the fields of ``t`` and of the object models it holds, ``depth`` levels down."""
        out: list[str] = []
        seen: set[str] = set()
        frontier = [t]
        for _ in range(depth):
            following: list[ir.TypeRef | None] = []
            for item in frontier:
                for name in _model_names(item):
                    if name in seen:
                        continue
                    seen.add(name)
                    model = self.api.model(name)
                    if isinstance(model, ir.ObjectModel):
                        for f in model.fields:
                            if (direction == "request" and f.read_only) or (direction == "response" and f.write_only):
                                continue
                            out.append(f.wire_name)
                            following.append(f.type)
                    elif isinstance(model, ir.UnionModel):
                        following.extend(model.variants)
            frontier = following
        return out

    def nav_data(self, resources: tuple[ResourceDoc, ...], webhooks: tuple[CallbackDoc, ...]) -> dict[str, Any]:
        """Every link of the sidebar; pages carry only their own part, ``nav.js`` has it all once."""
        return {
            "tags": [
                [
                    r.resource.tag,
                    f"tags/{r.resource.name}.html",
                    [[d.op.method, d.title, f"tags/{r.resource.name}.html#{d.anchor}"] for d in r.operations],
                ]
                for r in resources
            ],
            "webhooks": [[w.method, one_line(w.summary) or w.name, f"webhooks.html#{w.anchor}"] for w in webhooks],
            "models": [[m.name, self.model_href(m.name, "", "html")] for m in self.api.models],
        }

    def resource_search_entries(self, r: ResourceDoc) -> list[list[Any]]:
        """A tag's entries of the search index (``search-index.js``: one entry per tag, operation, webhook
        and model): the tag, then each of its operations.

        Each entry is ``[kind, title, href, method, keys, names, codes, words]``: ``keys`` the operation id,
        Python name and path (or the model's name), ``names`` the parameters and fields, ``codes`` the error
        codes the descriptions and error examples mention, ``words`` the words of the descriptions.
        """
        docs: list[list[Any]] = [["tag", r.resource.tag, f"tags/{r.resource.name}.html", "", [r.resource.name], [], [],
                                  _words(r.resource.description)]]  # fmt: skip
        for d in r.operations:
            op = d.op
            names = [p.wire_name for p in op.parameters]
            texts = [op.summary, op.description, *(p.description for p in op.parameters)]
            codes_from = [*texts]
            if op.body is not None:
                texts.append(op.body.description)
                for media in op.body.media:
                    names += self.reachable_names(media.type, "request")
                    texts += self.field_texts(media.type)
            for response in op.responses:
                texts.append(response.description)
                codes_from.append(response.description)
                names += [h.name for h in response.headers]
                for media in response.media:
                    if response.is_success:
                        names += self.reachable_names(media.type, "response", 2)
                    codes_from += self.field_texts(media.type, 2)
                    codes_from += [_json(e.value) for e in media.examples]
            for cb in op.callbacks:
                texts += [cb.name, cb.summary, cb.description]
            keys = [op.operation_id, op.name, op.path, d.call]
            docs.append(["operation", d.title, f"tags/{r.resource.name}.html#{d.anchor}", op.method, keys,
                         _unique(names), _codes(codes_from), _words(*texts)])  # fmt: skip
        return docs

    def other_search_entries(self, webhooks: tuple[CallbackDoc, ...]) -> list[list[Any]]:
        """The search index's entries of the webhooks and the models."""
        docs: list[list[Any]] = []
        for w in webhooks:
            names = [p.name for p in w.parameters]
            texts = [w.summary, w.description, *(p.description for p in w.parameters)]
            for m in w.body:
                names += [f.name for f in m.fields]
                texts += [f.description for f in m.fields]
            docs.append(["webhook", one_line(w.summary) or w.name, f"webhooks.html#{w.anchor}", w.method, [w.name],
                         _unique(names), _codes(texts), _words(*texts)])  # fmt: skip
        for model in self.api.models:
            texts = [model.description]
            names = []
            if isinstance(model, ir.ObjectModel):
                names = [f.wire_name for f in model.fields]
                texts += [f.description for f in model.fields]
            elif isinstance(model, ir.EnumModel):
                names = [str(m.value) for m in model.members]
            docs.append(["model", model.name, self.model_href(model.name, "", "html"), "", [model.name],
                         _unique(names), _codes(texts), _words(*texts)])  # fmt: skip
        return docs

    def field_texts(self, t: ir.TypeRef | None, depth: int = 1) -> list[str]:
        """Descriptions of the fields of ``t``'s object model (and, ``depth`` > 1, of the models they hold)."""
        out: list[str] = []
        seen: set[str] = set()
        frontier = [t]
        for _ in range(depth):
            following: list[ir.TypeRef | None] = []
            for item in frontier:
                for name in _model_names(item):
                    model = self.api.model(name)
                    if name in seen or not isinstance(model, ir.ObjectModel):
                        continue
                    seen.add(name)
                    out += [f.description for f in model.fields if f.description]
                    following += [f.type for f in model.fields]
            frontier = following
        return out

    # -- rendering -----------------------------------------------------------------------------------
    def emit(self) -> dict[str, str]:
        out = _CleanPages()
        md, html = "docs/markdown/", "docs/html/"
        used_webhooks: set[str] = set()
        webhooks = tuple(self.callback_doc(w, used_webhooks, "webhook-") for w in self.api.webhooks)
        # a tag's two pages and its part of the search index read its resource and the API outside the
        # resources only (see memo.py): kept, they are reused while both are unchanged
        memo = self.memo()
        resources: list[ResourceDoc] = []
        search: list[list[Any]] = []
        for resource in self.api.resources:
            kept = memo.texts(memo.key("tag", resource), lambda: self.tag_pages(resource, webhooks))
            index = json.loads(kept["index"])
            ops = tuple(OperationIndex(op, resource, anchor, title, call)
                        for op, (anchor, title, call) in zip(resource.operations, index["operations"]))  # fmt: skip
            resources.append(ResourceDoc(resource, self.attrs[resource.name], ops))
            out.put_clean(f"tags/{resource.name}.md", kept["md"])
            out.put_clean(f"html/tags/{resource.name}.html", kept["html"])
            search += index["search"]
        resources_t = tuple(resources)
        # the models' pages also show the tags (names, operation counts) in their sidebar
        tags = [[r.resource.name, r.resource.tag, len(r.operations)] for r in resources_t]
        model_pages = memo.texts(memo.key("models", tags), lambda: self.model_pages_texts(resources_t, webhooks))
        for name, text in model_pages.items():
            out.put_clean(name, text)
        servers = self.servers(resources_t)
        variables = self.variables(servers)
        schemes = tuple(self.scheme_use(s) for s in self.api.security_schemes)
        context = dict(
            resources=resources_t,
            webhooks=webhooks,
            models=self.api.models,  # the index shows how many
            servers=servers,
            variables=variables,
            schemes=schemes,
            model_anchors=self.model_anchors,
            model_link=self.html_model_link,
            operation_count=sum(len(r.operations) for r in resources_t),
            error_tree=self.error_tree(),
            other_methods=[m for m in _METHODS if not self.policy.is_idempotent(m)],
        )
        out["README.md"] = self.render(md + "index.md.jinja", root="", page="index", **context)
        if webhooks:
            out["webhooks.md"] = self.render(md + "webhooks.md.jinja", root="", page="webhooks", **context)
        out["html/index.html"] = self.render(html + "index.html", root="", page="index", **context)
        if webhooks:
            out["html/webhooks.html"] = self.render(html + "webhooks.html", root="", page="webhooks", **context)
        for static in ("style.css", "site.js"):
            out[f"html/{static}"] = (self.templates / "docs" / "html" / static).read_text(encoding="utf-8")
        out["html/nav.js"] = self.render(
            html + "nav.js.jinja", data=_script_json(self.nav_data(resources_t, webhooks)), **context
        )
        search += self.other_search_entries(webhooks)
        out["html/search-index.js"] = self.render(
            html + "search-index.js.jinja", data=_script_json({"version": 1, "docs": search}), **context
        )
        return dict(sorted(out.items()))

    def memo(self) -> Memo:
        """Where the tag and model pages are kept: keyed by the API outside its resources, the client plan,
        the package, the resources' attributes and how many operations use each model."""
        shared = self.shared_digest if self.shared_digest is not None else fingerprint(self.shared)
        if shared is None:
            return Memo("docs", None)
        # (and the Markdown renderer's version: the descriptions' HTML is its output)
        small = (self.package, self.client, self.attrs, sorted(self.model_uses.items()), MARKDOWN_VERSION)
        return Memo.of("docs", self.templates, shared, small=small)

    def tag_pages(self, resource: ir.Resource, webhooks: tuple[CallbackDoc, ...]) -> dict[str, str]:
        """A tag's Markdown and HTML pages (cleaned), and as JSON (``index``) its operations' anchors, titles
        and calls (for the index and the sidebar) and its entries of the search index."""
        used: set[str] = set()
        current = ResourceDoc(resource, self.attrs[resource.name],
                              tuple(self.operation_doc(op, resource, used) for op in resource.operations))  # fmt: skip
        context = dict(root="../", page=resource.name, current=current, webhooks=webhooks, api=self.shared,
                       model_link=self.html_model_link)  # fmt: skip
        return {
            "md": _clean(self.render("docs/markdown/tag.md.jinja", **context), True),
            "html": _clean(self.render("docs/html/tag.html", **context), False),
            "index": json.dumps({"operations": [[d.anchor, d.title, d.call] for d in current.operations],
                                 "search": self.resource_search_entries(current)}),  # fmt: skip
        }

    def model_pages_texts(self, resources: tuple[ResourceDoc, ...], webhooks: tuple[CallbackDoc, ...]) -> dict[str, str]:
        """``models.md`` and the HTML models page (or pages, one per initial), cleaned."""
        models = tuple(self.model_doc(m) for m in self.api.models)
        context = dict(resources=resources, webhooks=webhooks, models=models, model_anchors=self.model_anchors,
                       api=self.shared, model_link=self.html_model_link)  # fmt: skip
        md, html = "docs/markdown/", "docs/html/"
        out = {"models.md": self.render(md + "models.md.jinja", root="", page="models", **context)}
        by_page: dict[str, list[ModelDoc]] = {}
        for d in models:
            by_page.setdefault(self.model_pages[d.model.name], []).append(d)
        if list(by_page) in ([], ["models.html"]):
            out["html/models.html"] = self.render(
                html + "models.html", root="", page="models", page_models=models, groups=(), initial="", **context
            )
        else:
            groups = [(name[len("models/") : -len(".html")], name, tuple(ds)) for name, ds in sorted(by_page.items())]
            out["html/models.html"] = self.render(
                html + "models.html", root="", page="models", page_models=(), groups=groups, initial="", **context
            )
            letters = [(key, name) for key, name, _ in groups]
            for key, name, ds in groups:
                out[f"html/{name}"] = self.render(
                    html + "models.html", root="../", page="models", page_models=ds, groups=(), initial=key,
                    letters=letters, **context,
                )  # fmt: skip
        return {name: _clean(text, name.endswith(".md")) for name, text in out.items()}

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)


MODELS_PER_PAGE = 300


class _CleanPages(dict[str, str]):
    """Pages cleaned as they are added (see :func:`_clean`), so that no page is ever held twice."""

    def __setitem__(self, name: str, text: str) -> None:
        super().__setitem__(name, _clean(text, name.endswith(".md")))

    def put_clean(self, name: str, text: str) -> None:
        """A page cleaned already (kept by the memo as it was cleaned)."""
        super().__setitem__(name, text)


def _initial(name: str) -> str:
    """The page of a model when the models are split: its initial letter, digits and others together."""
    first = name[:1].lower()
    return first if "a" <= first <= "z" else "other"


def _code_text(text: str) -> Markup:
    """Text inside ``<pre><code>``: only ``&``, ``<`` and ``>`` need escaping there (quotes stay quotes)."""
    return Markup(str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _model_names(t: ir.TypeRef | None) -> list[str]:
    """The models a type refers to directly (through arrays, maps and nullable)."""
    while isinstance(t, (ir.Nullable, ir.ArrayType, ir.MapType)):
        t = t.inner if isinstance(t, ir.Nullable) else t.item if isinstance(t, ir.ArrayType) else t.value
    return [t.name] if isinstance(t, ir.ModelRef) else []


def _unique(values: list[str], limit: int = 400) -> list[str]:
    out: dict[str, None] = {}
    for value in values:
        if value and len(out) < limit:
            out.setdefault(value, None)
    return list(out)


_WORD = re.compile(r"[^\W_][\w.-]*[^\W_]|[^\W_]", re.UNICODE)
_STOP = frozenset(
    "the and for with that this are was were from into onto when then than which what who whom whose "
    "has have had not but its it's can may must will shall should would could been being also each any "
    "all one two only more most other such some their there these those them they you your our".split()
)
# an error code: letters and digits (at least three digits, at least one capital letter), maybe dotted
_CODE = re.compile(r"(?<![\w.-])(?=[A-Z0-9._-]*[A-Z])(?=(?:[^0-9\s]*[0-9]){3})[A-Z][A-Z0-9]*(?:[._-][A-Z0-9]+)*(?![\w-])")


def _words(*texts: str, limit: int = 300) -> str:
    """The distinct lower-case words (three letters and more, no stop words) of descriptions, space-separated."""
    out: dict[str, None] = {}
    for text in texts:
        if len(out) >= limit:
            break
        for word in _text_words(str(text or "")):
            if len(out) < limit:
                out.setdefault(word, None)
    return " ".join(out)


# descriptions of shared models and parameters recur in many entries of the index: each is read once
@functools.lru_cache(maxsize=1 << 16)
def _text_words(text: str) -> tuple[str, ...]:
    words = _WORD.findall(text.lower())
    return tuple(dict.fromkeys(w for w in words if 3 <= len(w) <= 40 and w not in _STOP))


def _codes(texts: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        for code in _text_codes(str(text or "")):
            if len(found) < 200:
                found.setdefault(code, None)
    return list(found)


@functools.lru_cache(maxsize=1 << 16)
def _text_codes(text: str) -> tuple[str, ...]:
    return tuple(_CODE.findall(text))


def _script_json(data: Any) -> str:
    """JSON for a ``.js`` data file: compact, deterministic, and free of ``</script`` and line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_FENCE = re.compile(r"(`{3,}|~{3,})")


def _clean(text: str, markdown: bool) -> str:
    """Trailing spaces off, exactly one final newline; in Markdown, one blank line at most outside code."""
    text = "\n".join([line.rstrip() for line in text.split("\n")])
    if not markdown:
        return text.strip("\n") + "\n"
    if "```" not in text and "~~~" not in text:  # no code: blank lines collapse everywhere
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    out: list[str] = []
    fence = ""
    previous = "x"
    for line in text.split("\n"):
        if fence:
            stripped = line.lstrip()
            if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = ""
        elif not line:
            if not previous:
                continue
        elif line.lstrip()[:1] in ("`", "~"):
            match = _FENCE.match(line.lstrip())
            if match:
                fence = match.group(1)
        out.append(line)
        previous = line
    return "\n".join(out).strip("\n") + "\n"


def emit_docs(
    api: ir.Api, package: ir.PackageInfo, templates: Path = TEMPLATES, shared_digest: str | None = None
) -> dict[str, str]:
    """The docs of ``api`` as ``{path relative to the docs directory: text}`` (``shared_digest``: see
    :func:`generator.output.memo.api_digest`, when the caller has it already)."""
    return DocsEmitter(api, package, templates, shared_digest).emit()
