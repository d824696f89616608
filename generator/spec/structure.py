"""Structural validation of an OpenAPI 3.0 / 3.1 / 3.2 document, in-process and fast (the hot path of ``generate``).

What openapi-spec-validator checks against the OpenAPI schema, written as a table: for each kind of object
its fields and what each holds, its required fields, whether ``x-`` extensions and other keys are allowed,
and its patterned maps (``paths``, ``responses``, ...), per OpenAPI version. The loaded document (``$ref``s
already replaced by their targets) is walked once, iteratively, each node once per kind (a shared node is
checked where it is defined, components first, and a cycle ends there). Each problem is a located
:class:`Finding`; ``lint`` and ``--strict`` still run openapi-spec-validator too (see ``validate.py``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.spec import lint
from generator.spec.diagnostics import Finding, Location, pointer_join
from generator.spec.load import LoadedSpec
from generator.spec.media import parameter_media_type

# -- what a field holds -------------------------------------------------------------------------------
# A field's type is a string: "string", "boolean", "integer" (>= 0 where OpenAPI says so: "count"),
# "number", "any"; a kind ("Operation"); "{T}" a map of T; "[T]" a list of T; "A|B" either.

_SCALARS = {
    "string": (str,),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
    "count": (int,),
}
_WORDS = {"string": "a string", "boolean": "a boolean", "number": "a number", "integer": "an integer",
          "count": "a non-negative integer"}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """One kind of OpenAPI object: its fields, which are required, and what other keys it may hold."""

    title: str
    fields: Mapping[str, str]
    required: tuple[str, ...] = ()
    extensions: bool = True  # `x-...` keys allowed
    closed: bool = True  # any key not in `fields` (nor an extension, nor a pattern) is unknown
    # patterned keys: (regex, type, what a key must look like)
    patterns: tuple[tuple[re.Pattern[str], str, str], ...] = ()
    # a key every value of which must be one of these
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


_CODE = re.compile(r"^([1-5](?:\d{2}|XX)|default)$")
_PATH = re.compile(r"^/")
_ANY = re.compile(r"")
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _table(version: str) -> dict[str, Kind]:
    """The kinds of object of OpenAPI ``version`` ("3.0", "3.1" or "3.2")."""
    v31 = version != "3.0"
    v32 = version == "3.2"
    example_fields = {"example": "any", "examples": "{Example}"}
    serial = {"style": "string", "explode": "boolean", "allowReserved": "boolean", "allowEmptyValue": "boolean"}
    param_fields = {"name": "string", "in": "string", "description": "string", "required": "boolean",
                    "deprecated": "boolean", **serial, "schema": "Schema", "content": "{MediaType}", **example_fields}
    header_fields = {k: v for k, v in param_fields.items() if k not in ("name", "in", "allowEmptyValue")}
    header_fields["allowEmptyValue"] = "boolean"  # allowed (and ignored) in 3.0's schema for headers
    operation = {"tags": "[string]", "summary": "string", "description": "string",
                 "externalDocs": "ExternalDocs", "operationId": "string", "parameters": "[Parameter]",
                 "requestBody": "RequestBody", "responses": "Responses", "callbacks": "{Callback}",
                 "deprecated": "boolean", "security": "[SecurityRequirement]", "servers": "[Server]"}  # fmt: skip
    path_item = {"$ref": "string", "summary": "string", "description": "string", "servers": "[Server]",
                 "parameters": "[Parameter]", **dict.fromkeys(_METHODS, "Operation")}
    if v32:
        path_item["query"] = "Operation"
        path_item["additionalOperations"] = "{Operation}"
    components = {"schemas": "{Schema}", "responses": "{Response}", "parameters": "{Parameter}",
                  "examples": "{Example}", "requestBodies": "{RequestBody}", "headers": "{Header}",
                  "securitySchemes": "{SecurityScheme}", "links": "{Link}", "callbacks": "{Callback}"}  # fmt: skip
    if v31:
        components["pathItems"] = "{PathItem}"
    if v32:
        components["mediaTypes"] = "{MediaType}"
    root = {"openapi": "string", "info": "Info", "servers": "[Server]", "paths": "Paths", "components": "Components",
            "security": "[SecurityRequirement]", "tags": "[Tag]", "externalDocs": "ExternalDocs"}  # fmt: skip
    if v31:
        root |= {"jsonSchemaDialect": "string", "webhooks": "{PathItem}"}
    if v32:
        root["$self"] = "string"
    media = {"schema": "Schema", "encoding": "{Encoding}", **example_fields}
    encoding = {"contentType": "string", "headers": "{Header}", "style": "string", "explode": "boolean",
                "allowReserved": "boolean"}  # fmt: skip
    if v32:
        media |= {"description": "string", "itemSchema": "Schema", "prefixEncoding": "[Encoding]",
                  "itemEncoding": "Encoding"}  # fmt: skip
        encoding |= {"encoding": "{Encoding}", "prefixEncoding": "[Encoding]", "itemEncoding": "Encoding"}
    flow = {"authorizationUrl": "string", "tokenUrl": "string", "refreshUrl": "string", "scopes": "{string}"}
    flows = dict.fromkeys(("implicit", "password", "clientCredentials", "authorizationCode"), "OAuthFlow")
    if v32:
        flows["deviceAuthorization"] = "OAuthFlow"
        flow["deviceAuthorizationUrl"] = "string"
    scheme = {"type": "string", "description": "string", "name": "string", "in": "string", "scheme": "string",
              "bearerFormat": "string", "flows": "OAuthFlows", "openIdConnectUrl": "string"}  # fmt: skip
    if v32:
        scheme |= {"deprecated": "boolean", "oauth2MetadataUrl": "string"}
    locations = ("query", "header", "path", "cookie", *(("querystring",) if v32 else ()))
    kinds = [
        Kind("OpenAPI Object", root, ("openapi", "info") if v31 else ("openapi", "info", "paths")),
        Kind("Info Object", {"title": "string", "description": "string", "termsOfService": "string",
                             "contact": "Contact", "license": "License", "version": "string",
                             **({"summary": "string"} if v31 else {})}, ("title", "version")),  # fmt: skip
        Kind("Contact Object", {"name": "string", "url": "string", "email": "string"}),
        Kind("License Object", {"name": "string", "url": "string", **({"identifier": "string"} if v31 else {})},
             ("name",)),
        Kind("Server Object", {"url": "string", "description": "string", "variables": "{ServerVariable}",
                               **({"name": "string"} if v32 else {})}, ("url",)),  # fmt: skip
        Kind("Server Variable Object", {"enum": "[string]", "default": "string", "description": "string"},
             ("default",)),
        Kind("Components Object", components),
        Kind("Paths Object", {}, patterns=((_PATH, "PathItem", "a path starting with '/'"),)),
        Kind("Path Item Object", path_item),
        Kind("Operation Object", operation, () if v31 else ("responses",)),
        Kind("External Documentation Object", {"description": "string", "url": "string"}, ("url",)),
        Kind("Parameter Object", param_fields, ("name", "in"), choices={"in": locations}),
        Kind("Request Body Object", {"description": "string", "content": "{MediaType}", "required": "boolean"},
             ("content",)),
        Kind("Media Type Object", media),
        Kind("Encoding Object", encoding),
        Kind("Responses Object", {"default": "Response"},
             patterns=((_CODE, "Response", "an HTTP status code (200, 4XX) or `default`"),)),
        Kind("Response Object", {"description": "string", "headers": "{Header}", "content": "{MediaType}",
                                 "links": "{Link}", **({"summary": "string"} if v32 else {})},
             () if v32 else ("description",)),  # fmt: skip
        Kind("Callback Object", {}, patterns=((_ANY, "PathItem", "a runtime expression"),)),
        Kind("Example Object", {"summary": "string", "description": "string", "value": "any", "externalValue": "string",
                                **({"dataValue": "any", "serializedValue": "string"} if v32 else {})}),  # fmt: skip
        Kind("Link Object", {"operationRef": "string", "operationId": "string",
                             "parameters": "{string}" if v31 else "{any}", "requestBody": "any",
                             "description": "string", "server": "Server"}),  # fmt: skip
        Kind("Header Object", header_fields),
        Kind("Tag Object", {"name": "string", "description": "string", "externalDocs": "ExternalDocs",
                            **({"summary": "string", "parent": "string", "kind": "string"} if v32 else {})},
             ("name",)),  # fmt: skip
        Kind("Security Scheme Object", scheme, ("type",),
             choices={"type": ("apiKey", "http", "oauth2", "openIdConnect", *(("mutualTLS",) if v31 else ())),
                      "in": ("query", "header", "cookie")}),  # fmt: skip
        Kind("OAuth Flows Object", flows),
        Kind("OAuth Flow Object", flow, ("scopes",)),
        Kind("Security Requirement Object", {}, extensions=False, patterns=((_ANY, "[string]", "a scheme name"),)),
        Kind("Discriminator Object", {"propertyName": "string", "mapping": "{string}",
                                      **({"defaultMapping": "string"} if v32 else {})}, ("propertyName",),
             extensions=v31),  # fmt: skip
        Kind("XML Object", {"name": "string", "namespace": "string", "prefix": "string", "attribute": "boolean",
                            "wrapped": "boolean", **({"nodeType": "string"} if v32 else {})}),  # fmt: skip
    ]
    names = ["OpenAPI", "Info", "Contact", "License", "Server", "ServerVariable", "Components", "Paths", "PathItem",
             "Operation", "ExternalDocs", "Parameter", "RequestBody", "MediaType", "Encoding", "Responses", "Response",
             "Callback", "Example", "Link", "Header", "Tag", "SecurityScheme", "OAuthFlows", "OAuthFlow",
             "SecurityRequirement", "Discriminator", "XML"]  # fmt: skip
    return dict(zip(names, kinds, strict=True))


# the JSON-Schema keywords OpenAPI 3.0 allows in a Schema Object (the set is closed), and what each holds
_SCHEMA_30 = {
    "title": "string", "multipleOf": "number", "maximum": "number", "exclusiveMaximum": "boolean",
    "minimum": "number", "exclusiveMinimum": "boolean", "maxLength": "count", "minLength": "count",
    "pattern": "string", "maxItems": "count", "minItems": "count", "uniqueItems": "boolean",
    "maxProperties": "count", "minProperties": "count", "required": "[string]", "enum": "[any]",
    "type": "string", "not": "Schema", "allOf": "[Schema]", "oneOf": "[Schema]", "anyOf": "[Schema]",
    "items": "Schema", "properties": "{Schema}", "additionalProperties": "boolean|Schema",
    "description": "string", "format": "string", "default": "any", "nullable": "boolean",
    "discriminator": "Discriminator", "readOnly": "boolean", "writeOnly": "boolean", "example": "any",
    "externalDocs": "ExternalDocs", "deprecated": "boolean", "xml": "XML",
}  # fmt: skip
# 3.1 and later: JSON Schema 2020-12 (open: other keywords are allowed), with the OpenAPI vocabulary
_SCHEMA_31 = {
    **{k: v for k, v in _SCHEMA_30.items() if k not in ("nullable", "exclusiveMaximum", "exclusiveMinimum")},
    "exclusiveMaximum": "number", "exclusiveMinimum": "number", "type": "string|[string]",
    "items": "Schema", "additionalProperties": "Schema", "$schema": "string", "$id": "string",
    "$anchor": "string", "$dynamicAnchor": "string", "$comment": "string", "$defs": "{Schema}",
    "const": "any", "prefixItems": "[Schema]", "contains": "Schema", "minContains": "count",
    "maxContains": "count", "patternProperties": "{Schema}", "propertyNames": "Schema",
    "unevaluatedItems": "Schema", "unevaluatedProperties": "Schema", "dependentSchemas": "{Schema}",
    "dependentRequired": "{[string]}", "if": "Schema", "then": "Schema", "else": "Schema",
    "contentMediaType": "string", "contentEncoding": "string", "contentSchema": "Schema", "examples": "[any]",
}  # fmt: skip
# `$schema` values the validator knows (any other is an unknown dialect, which it cannot check)
_DIALECTS = frozenset({
    "https://spec.openapis.org/oas/3.1/dialect/base", "https://spec.openapis.org/oas/3.1/dialect/2024-11-10",
    "https://spec.openapis.org/oas/3.2/dialect/2025-09-17", "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema", "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema#", "http://json-schema.org/draft-04/schema#",
    "http://json-schema.org/draft-03/schema#",
})  # fmt: skip
_JSON_TYPES = {"integer": (int,), "number": (int, float), "string": (str,), "boolean": (bool,), "array": (list,),
               "object": (dict,), "null": (type(None),)}  # fmt: skip


def _is_of(value: Any, json_type: str) -> bool:
    """Whether ``value`` is of JSON-Schema type ``json_type`` (``1.0`` is an integer, ``true`` no number)."""
    if isinstance(value, bool):
        return json_type == "boolean"
    if json_type == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _JSON_TYPES[json_type])
_NAMED_MAPS = frozenset({
    "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "webhooks",
    "components", "schemas", "responses", "parameters", "requestBodies", "headers", "securitySchemes",
    "links", "callbacks", "pathItems", "examples", "content", "encoding", "variables", "mapping", "mediaTypes",
    "additionalOperations", "scopes",
})  # fmt: skip

# Fields and keywords that never change the generated client (documentation, examples, JSON-Schema
# bookkeeping): a finding about one of them, or an unknown extra field, is a warning in `generate`.
COSMETIC = frozenset({
    "title", "description", "summary", "externalDocs", "example", "examples", "deprecated", "xml", "default",
    "contact", "license", "termsOfService", "$schema", "$id", "$comment", "$anchor", "jsonSchemaDialect",
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "contentMediaType", "contentEncoding", "$vocabulary", "$dynamicAnchor", "$recursiveAnchor",
})  # fmt: skip


def is_cosmetic(path: list[str], named_maps: frozenset[str] = _NAMED_MAPS) -> bool:
    """Whether a finding at ``path`` cannot change the generated client (decided by the keyword it is about)."""
    if path[:1] == ["info"]:
        return True
    tokens = path[:-1] if path and path[-1].isdigit() else path  # an entry of `examples`, `tags`, ...
    if not tokens:
        return False
    named = len(tokens) > 1 and tokens[-2] in named_maps  # `title` as a property *name* is no keyword
    return tokens[-1] in COSMETIC and not named


def in_links(path: list[str]) -> bool:
    """Whether ``path`` is inside a Link Object (a response's ``links``, or ``components/links``)."""
    if path[:2] == ["components", "links"]:
        return True
    return any(token == "links" and i >= 2 and path[i - 2] == "responses" for i, token in enumerate(path))


def _words(type_: str) -> str:
    """What a value of ``type_`` is, in words: "a string", "a list of strings", "an Encoding Object"."""
    if "|" in type_:
        return " or ".join(_words(t) for t in type_.split("|"))
    if type_[:1] in ("[", "{"):
        container = "list" if type_[0] == "[" else "map"
        inner = _words(type_[1:-1])
        return f"a {container}" if inner == "anything" else f"a {container} of {_plural(inner)}"
    if type_ == "any":
        return "anything"
    if type_ in _WORDS:
        return _WORDS[type_]
    title = "Schema Object" if type_ == "Schema" else _TITLE.get(type_, type_)
    return f"{'an' if title[0] in 'AEIOUX' else 'a'} {title}"


def _plural(words: str) -> str:
    """ "a list of strings" -> "lists of strings", "an Encoding Object" -> "Encoding Objects"."""
    bare = words.split(" ", 1)[1]
    head, _, rest = bare.partition(" of ")
    return f"{head}s of {rest}" if rest else f"{bare}s"


_TITLE = {name: kind.title for name, kind in _table("3.2").items()}


def _fits(value: Any, type_: str, schema_bool: bool) -> bool:
    """Whether ``value`` has the shape ``type_`` names (its content is checked when it is walked)."""
    for option in type_.split("|"):
        if option == "any":
            return True
        if option.startswith("["):
            if isinstance(value, list):
                return True
        elif option.startswith("{"):
            if isinstance(value, dict):
                return True
        elif option in _SCALARS:
            if isinstance(value, _SCALARS[option]) and (option in ("boolean",) or not isinstance(value, bool)):
                if option != "count" or (isinstance(value, int) and value >= 0):
                    return True
        elif option == "Schema":
            if isinstance(value, dict) or (schema_bool and isinstance(value, bool)):
                return True
        elif isinstance(value, dict):
            return True
    return False


# required fields that are only prose in the docs: a document without one still generates (with a warning;
# `lint` and --strict refuse it)
_PROSE_ONLY = frozenset({("Response", "description")})


@dataclass
class _Walk:
    loaded: LoadedSpec
    version: str  # "3.0", "3.1", "3.2"
    full: str  # as written
    kinds: dict[str, Kind]
    findings: list[Finding] = field(default_factory=list)
    seen: set[tuple[int, str]] = field(default_factory=set)
    stack: list[tuple[Any, str, str, list[str], Any, Any]] = field(default_factory=list)

    def add(self, message: str, path: list[str], parent: Any, key: Any, node: Any = None, *, blocking: bool | None = None,
            strict_error: bool = True) -> None:  # fmt: skip
        if blocking is None:
            blocking = not is_cosmetic(path) and not in_links(path)
        self.findings.append(Finding(message, self.place(parent, key, node), self.pointer(path), blocking, strict_error))

    def place(self, parent: Any, key: Any, node: Any = None) -> Location | None:
        where = None
        if isinstance(parent, dict) and key is not None:
            where = self.loaded.location(parent, str(key))
        if where is None and isinstance(node, (dict, list)):
            where = self.loaded.location(node)
        if where is None and parent is not None:
            where = self.loaded.location(parent)
        return where or self.loaded.location(self.loaded.document)

    @staticmethod
    def pointer(path: list[str]) -> str:
        return pointer_join("#", *path) if path else "#"

    def push(self, value: Any, type_: str, path: list[str], parent: Any, key: Any, field_name: str) -> None:
        """Check ``value`` has the shape ``type_``; queue what it holds to be checked in turn."""
        schema_bool = self.version != "3.0"
        if not _fits(value, type_, schema_bool):
            self.wrong_type(value, type_, path, parent, key, field_name)
            return
        for option in type_.split("|"):
            if option.startswith("[") and isinstance(value, list):
                inner = option[1:-1]
                for i, item in enumerate(value):
                    self.push(item, inner, [*path, str(i)], value, None, f"{field_name}[{i}]")
                return
            if option.startswith("{") and isinstance(value, dict):
                inner = option[1:-1]
                for k, item in value.items():
                    self.push(item, inner, [*path, str(k)], value, k, str(k))
                return
            if option in _SCALARS or option == "any":
                if _fits(value, option, schema_bool):
                    return
                continue
            if (option == "Schema" and (isinstance(value, (dict, bool)))) or (option in self.kinds and isinstance(value, dict)):
                if isinstance(value, dict):
                    self.stack.append((value, option, field_name, path, parent, key))
                return

    def wrong_type(self, value: Any, type_: str, path: list[str], parent: Any, key: Any, field_name: str) -> None:
        shown = repr(value)
        if len(shown) > 60:
            shown = f"{shown[:50]}...{shown[-1]}" if isinstance(value, (dict, list)) else f"{shown[:57]}..."
        if isinstance(value, bool) and type_ in ("integer", "number", "count"):
            shown = f"the boolean {value}"
        if path == ["info", "version"] and isinstance(value, (int, float)) and not isinstance(value, bool):
            self.add(f"`info.version` is a number ({value!r}); OpenAPI wants a string (quote it): read as {str(value)!r}",
                     path, parent, key, value)  # fmt: skip
            return
        self.add(f"`{field_name}` must be {_words(type_)}, not {shown}", path, parent, key, value)

    def run(self) -> list[Finding]:
        doc = self.loaded.document
        root = self.kinds["OpenAPI"]
        self.check_object(doc, "OpenAPI", [], None, None, "the document")
        # components first: a node shared through `$ref` is checked (and named) where it is defined
        order = sorted((k for k in doc if k in root.fields), key=lambda k: k == "components")
        for name in order:
            self.push(doc[name], root.fields[name], [name], doc, name, name)
        # each entry of components is named as itself, wherever the walk first reaches it
        components = doc.get("components")
        canonical: dict[int, tuple[list[str], Any, Any]] = {}
        if isinstance(components, dict):
            for section, entries in components.items():
                if isinstance(entries, dict):
                    for name, entry in entries.items():
                        if isinstance(entry, dict):
                            canonical.setdefault(id(entry), (["components", str(section), str(name)], entries, name))
        while self.stack:
            node, kind, field_name, path, parent, key = self.stack.pop()
            if (id(node), kind) in self.seen:
                continue
            self.seen.add((id(node), kind))
            if id(node) in canonical:
                path, parent, key = canonical[id(node)]
            if kind == "Schema":
                self.check_schema(node, path, parent, key)
            else:
                self.check_object(node, kind, path, parent, key, field_name)
        return self.findings

    def check_object(self, node: dict[str, Any], name_of_kind: str, path: list[str], parent: Any, key: Any,
                     field_name: str) -> None:  # fmt: skip
        kind = self.kinds[name_of_kind]
        for name in kind.required:
            if name not in node:
                # a field that is only prose is often left out of hand-written documents: a warning
                prose = (name_of_kind, name) in _PROSE_ONLY
                note = " (prose only: generated without it)" if prose else ""
                self.add(f"{kind.title} is missing its required field `{name}`{note}", path, parent, key, node,
                         blocking=not prose)  # fmt: skip
        if name_of_kind == "OpenAPI" and self.version != "3.0" and not any(k in node for k in ("paths", "components", "webhooks")):
            self.add("the document has none of `paths`, `components` and `webhooks` (OpenAPI 3.1 wants one)",
                     path, parent, key, node, blocking=True)  # fmt: skip
        self.check_variants(node, name_of_kind, path, parent, key, field_name)
        for name, value in node.items():
            name = str(name)
            here = [*path, name]
            type_ = kind.fields.get(name)
            if type_ is not None:
                choices = kind.choices.get(name)
                if choices and isinstance(value, str) and value not in choices:
                    listed = ", ".join(repr(c) for c in choices)
                    self.add(f"`{name}` must be one of {listed}, not {value!r}", here, node, name, value)
                    continue
                self.check_field(node, name_of_kind, name, value, type_, here)
                continue
            if name.startswith("x-") and kind.extensions:
                continue
            pattern = next((p for p in kind.patterns if p[0].search(name)), None)
            if pattern is not None:
                self.push(value, pattern[1], here, node, name, name)
                continue
            if kind.patterns:
                what = kind.patterns[0][2]
                # the builder ignores such a key, with a warning of its own
                tail = " (nor an `x-` extension)" if kind.extensions else ""
                self.add(f"key {name!r} of `{field_name}` is not {what}{tail}", here, node, name, value, blocking=False)
                continue
            if kind.closed:
                self.unknown(node, name_of_kind, name, here)

    def check_variants(self, node: dict[str, Any], kind: str, path: list[str], parent: Any, key: Any, field_name: str) -> None:
        """What depends on another field or on where the object is: a security scheme's fields by its `type`,
        an OAuth flow's URLs by the flow, `schema` or `content` in a parameter or header, `example` or
        `examples`."""
        title = self.kinds[kind].title
        wanted: tuple[str, ...] = ()
        if kind == "SecurityScheme":
            wanted = _SCHEME_NEEDS.get(str(node.get("type")), ())
            title = f"{node.get('type')} security scheme"
        elif kind == "OAuthFlow":
            wanted = _FLOW_NEEDS.get(field_name, ())
            title = f"OAuth flow `{field_name}`"
        for name in wanted:
            if name not in node:
                self.add(f"{title} is missing its required field `{name}`", path, parent, key, node, blocking=True)
        if kind == "Responses" and not any(not str(k).startswith("x-") for k in node):
            self.add("Responses Object is empty; OpenAPI wants at least one response", path, parent, key, node,
                     blocking=True)  # fmt: skip
        if kind in ("Parameter", "Header"):
            has = [k for k in ("schema", "content") if k in node]
            if len(has) > 1:
                self.add(f"{title} has both `schema` and `content`; OpenAPI wants exactly one of them", path, parent,
                         key, node, blocking=True)  # fmt: skip
            elif not has:
                # common in hand-written documents; the value is still text on the wire
                self.add(f"{title} has neither `schema` nor `content`; OpenAPI wants exactly one of them: read as a "
                         "value of any type", path, parent, key, node, blocking=False)  # fmt: skip
            content = node.get("content")
            if isinstance(content, dict) and not content:
                self.add(f"{title} has an empty `content`; OpenAPI wants exactly one media type", [*path, "content"],
                         node, "content", content, blocking=True)  # fmt: skip
        if kind in ("Parameter", "Header", "MediaType") and "example" in node and "examples" in node:
            # examples only document: the client is the same whichever one is meant
            self.add(f"{title} has both `example` and `examples`; OpenAPI allows one of them", [*path, "example"],
                     node, "example", blocking=False)  # fmt: skip

    def check_field(self, node: dict[str, Any], kind: str, name: str, value: Any, type_: str, here: list[str]) -> None:
        if kind == "Parameter" and name == "required" and node.get("in") == "path":
            return  # lint.py: a path parameter is read as required whatever this says, with its own finding
        if kind == "Parameter" and name == "content" and isinstance(value, dict) and len(value) > 1:
            chosen = parameter_media_type(value)  # the builder reads this one
            self.add(f"parameter `content` has {len(value)} media types; OpenAPI allows exactly one: read as "
                     f"{chosen!r} (the first JSON one, else the first)", here, node, name, value, blocking=False)  # fmt: skip
        if kind == "Components" and isinstance(value, dict):
            for entry in value:
                if not _COMPONENT_NAME.match(str(entry)) and not str(entry).startswith("x-"):
                    self.add(f"component name {entry!r} has characters OpenAPI does not allow there (letters, digits, "
                             "`.`, `_` and `-` only); the generated names are sanitised", [*here, str(entry)], value,
                             entry, blocking=False)  # fmt: skip
        self.push(value, type_, here, node, name, name)

    def unknown(self, node: dict[str, Any], kind: str, name: str, here: list[str]) -> None:
        known = sorted(self.kinds[kind].fields)
        elsewhere = [v for v, table in _TABLES.items() if v != self.version and name in table[kind].fields]
        if elsewhere:
            since = {("3.1", "3.2"): "OpenAPI 3.1 and later", ("3.2",): "OpenAPI 3.2", ("3.0",): "OpenAPI 3.0 only",
                     ("3.1",): "OpenAPI 3.1 only", ("3.0", "3.1"): "OpenAPI 3.0 and 3.1"}.get(tuple(elsewhere), "")
            self.add(f"unknown field {name!r} (`{name}` is {since}; this document is {self.full})", here, node, name,
                     blocking=False)  # fmt: skip
            return
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        hint = f" (did you mean {near[0]!r}?)" if near else " (the generator ignores it)"
        self.add(f"unknown field {name!r}{hint}", here, node, name, blocking=bool(near))

    def check_schema(self, node: dict[str, Any], path: list[str], parent: Any, key: Any) -> None:
        fields = _SCHEMA_30 if self.version == "3.0" else _SCHEMA_31
        for name, value in node.items():
            name = str(name)
            here = [*path, name]
            if name == "type" and lint.owns_type(value, self.full):
                continue
            if name in ("exclusiveMaximum", "exclusiveMinimum") and isinstance(value, bool) and self.version != "3.0":
                continue  # lint.py reads it as 3.0's meaning, with its own warning
            if name == "nullable" and self.version != "3.0":
                continue  # lint.py: read as nullable, with a warning
            if name == "$schema" and isinstance(value, str) and value not in _DIALECTS:
                self.add(f"Unknown JSON Schema dialect: {value!r}", here, node, name, blocking=False)
                continue
            type_ = fields.get(name)
            if type_ is None:
                if self.version == "3.0" and not name.startswith("x-"):
                    other = f" (`{name}` is JSON Schema that OpenAPI 3.1 allows)" if name in _SCHEMA_31 else ""
                    near = difflib.get_close_matches(name, sorted(fields), n=1, cutoff=0.8) if not other else []
                    hint = f" (did you mean {near[0]!r}?)" if near else other or " (the generator ignores it)"
                    self.add(f"unknown field {name!r}{hint}", here, node, name, blocking=bool(near))
                continue
            if name == "type" and isinstance(value, str):
                continue  # lint.py checks the type names themselves
            self.push(value, type_, here, node, name, name)
        required = node.get("required")
        if isinstance(required, list):
            repeated = sorted({str(r) for i, r in enumerate(required) if r in required[:i] and isinstance(r, str)})
            if repeated:  # `required: [a, a]`: the repeat changes nothing
                self.add(f"`required` names {', '.join(map(repr, repeated))} more than once", [*path, "required"], node,
                         "required", blocking=False)  # fmt: skip
        expected, default = node.get("type"), node.get("default")
        if "default" in node and isinstance(expected, str) and expected in _JSON_TYPES:
            if not _is_of(default, expected) and not (default is None and node.get("nullable") is True):
                # a default only documents (the client sends nothing it was not given): a warning, even in lint
                self.add(f"default does not match its schema: {default!r} is not of type {expected!r}",
                         [*path, "default"], node, "default", blocking=False, strict_error=False)  # fmt: skip


# the fields each kind of security scheme and each OAuth flow needs
_SCHEME_NEEDS = {"apiKey": ("name", "in"), "http": ("scheme",), "oauth2": ("flows",),
                 "openIdConnect": ("openIdConnectUrl",)}  # fmt: skip
_FLOW_NEEDS = {"implicit": ("authorizationUrl",), "password": ("tokenUrl",), "clientCredentials": ("tokenUrl",),
               "authorizationCode": ("authorizationUrl", "tokenUrl"),
               "deviceAuthorization": ("deviceAuthorizationUrl", "tokenUrl")}  # fmt: skip
_TABLES = {v: _table(v) for v in ("3.0", "3.1", "3.2")}


def check(loaded: LoadedSpec) -> list[Finding]:
    """The structural findings about ``loaded`` (none for a version this module does not know)."""
    full = loaded.document.get("openapi")
    if not isinstance(full, str) or full[:3] not in _TABLES:
        return []
    return _Walk(loaded, full[:3], full, _TABLES[full[:3]]).run()


def iter_kinds() -> Iterator[tuple[str, str]]:
    """(version, kind title) of every kind in the tables (for tests and docs)."""
    for version, table in _TABLES.items():
        for kind in table.values():
            yield version, kind.title
