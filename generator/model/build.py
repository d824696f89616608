"""Build the IR from a loaded document: the only module that reads the raw OpenAPI structure.

One bad operation or schema does not stop the rest: it is skipped, and the reason and its location are
reported as a diagnostic (and in ``--report``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from generator.model import ir
from generator.spec import lint
from generator.model import naming
from generator.spec.diagnostics import Diagnostic, Location, Severity, pointer_join
from generator.spec.load import LoadedSpec
from generator.spec.media import media_kind, parameter_media_type

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_CONSTRAINT_KEYS = (
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "const",
)  # fmt: skip
# OpenAPI says these header parameters are ignored: the transport or the auth scheme sets them
_IGNORED_HEADERS = {"accept": "transport", "content-type": "transport", "authorization": "auth"}
_SET_BY = ("transport", "auth", "client")
# Schemas nested more deeply than this in one walk are not followed: an inline schema there is typed ``Any``
# (with a warning); a named one ($ref target or component) is built later, from the top, so a long chain of
# references never deepens the Python stack. Every IR type is therefore at most this deep, and the emit, docs
# and format stages, which recurse over types, stay far from Python's recursion limit.
MAX_SCHEMA_DEPTH = 32
_STATUS = re.compile(r"[1-5](?:[0-9]{2}|XX)", re.IGNORECASE)
_ANY = ir.Primitive("any")


class Unsupported(Exception):
    """A construct the generator cannot express yet; the operation or schema holding it is skipped."""

    def __init__(self, message: str, node: Any = None, key: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.key = key


def derive_operation_id(method: str, path: str) -> str:
    """A stable operationId for an operation that has none: ``get /pets/{petId}`` -> ``getPetsPetId``."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w]
    return method.lower() + "".join(w[:1].upper() + w[1:] for w in words)


class Builder:
    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.doc = loaded.document
        self.diagnostics: list[Diagnostic] = []
        self.classes = naming.Namespace(sep="")
        self.models: dict[str, ir.Model] = {}
        self.model_of: dict[int, str] = {}  # id(schema) -> model name (named schemas and inline models)
        self.done: dict[int, ir.TypeRef] = {}  # id(named schema) -> its finished type
        self.failed: dict[int, str] = {}  # id(named schema) -> "Name (file:line): reason" of a skipped schema
        self.active: dict[int, str] = {}  # id(schema) being built -> its pointer (a schema reached inside itself)
        self.depth = 0
        self.deferred: list[tuple[dict[str, Any], str, str]] = []  # named schemas reached too deep, built later
        self.placeholders: dict[str, int] = {}  # name handed out for a deferred schema -> id(schema)
        self.placeholder_of: dict[int, str] = {}
        self.aliases: dict[str, ir.TypeRef] = {}  # model name handed out, then not a model: what it stands for
        self.dropped: dict[str, str] = {}  # model name handed out whose schema was skipped -> why
        self.component_names: dict[int, str] = {}
        self.shared_parameters: dict[int, str] = {}  # id(parameter object) -> naming context (see _shared_parameters)
        self.component_classes: dict[int, str] = {}  # id(schema) -> its class, claimed before any inline model
        self.model_keys: dict[str, str] = {}  # class -> the components/schemas key it is named after
        self.alias_names: dict[int, str] = {}
        self.skipped_schemas: list[ir.Skipped] = []
        self.tag_names: dict[str, str] = {}  # resource (module) name -> the tag it is for
        # package-wide scopes: operation constants of _api.py, resource modules, resource classes, decoders
        self.constants = naming.Namespace(naming.CONSTANT_RESERVED)
        self.modules = naming.Namespace(naming.MODULE_RESERVED, fold=True)
        self.resource_classes = naming.Namespace(sep="")
        self.decoders = naming.Namespace(naming.DECODER_RESERVED)
        self.resource_of_tag: dict[str, str] = {}  # tag -> resource (module) name
        self.tag_nodes: dict[str, tuple[Any, str]] = {}  # tag -> where it is first used (node, key)
        version = str(self.doc.get("openapi", ""))
        self.is_31 = version.startswith("3.1") or version.startswith("3.2")

    # -- diagnostics -------------------------------------------------------------------------------
    def where(self, node: Any, key: str | None = None) -> Location | None:
        return self.loaded.location(node, key)

    def warn(self, message: str, node: Any = None, key: str | None = None, pointer: str = "", code: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, self.where(node, key), pointer, code))

    def error(self, message: str, node: Any = None, key: str | None = None, pointer: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, self.where(node, key), pointer))

    def claim(
        self,
        names: naming.Namespace,
        wanted: str,
        what: str,
        scope: str,
        kind: str,
        node: Any = None,
        key: str | None = None,
        pointer: str = "",
        variants: tuple[str, ...] = (),
        at: Location | None = None,
        quiet: bool = False,
    ) -> str:
        """Claim ``wanted`` in ``names`` for ``what`` (found at ``node``/``key``, or ``at``).

        A collision is resolved with a counter and a warning (unless ``quiet``) naming both sources:
        ``operationId 'user_id' collides with operationId 'userId' (spec/openapi.yaml:12) after sanitising``.
        """
        where = at or self.where(node, key)
        source = f"{what} ({where or pointer})" if where or pointer else what
        got = names.claim_for(wanted, source, *variants)
        if not got.collided or quiet:
            return got.name
        if got.holder:
            message = f"{what} collides with {got.holder} after sanitising: both are {wanted} {scope}; {kind} is {got.name}"
        else:
            message = f"{what} would be {wanted}, a name the generated code uses {scope}; {kind} is {got.name}"
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, where, pointer))
        return got.name

    # -- entry -------------------------------------------------------------------------------------
    def build(self) -> ir.Api:
        doc = self.doc
        info = _mapping(doc.get("info"))
        components = _mapping(doc.get("components"))
        schemas = _mapping(components.get("schemas"))
        for name in sorted(schemas):
            schema = schemas[name]
            if isinstance(schema, dict) and id(schema) not in self.component_names:
                self.component_names[id(schema)] = name
        self.claim_component_classes(schemas)
        for name in sorted(schemas):
            schema = schemas[name]
            pointer = pointer_join("#/components/schemas", name)
            if schema is False or not isinstance(schema, (dict, bool)):
                what = "is `false` (no value allowed)" if schema is False else f"is a {_json_kind(schema)}, not an object"
                self.skip_schema(name, f"the schema {what}", self.where(schemas, name), pointer)
                continue
            if id(schema) in self.failed:  # skipped already, when something that refers to it was built
                continue
            try:
                self.type_of(schema, name, pointer)
            except Unsupported as exc:  # pragma: no cover - a named schema is skipped by type_of itself
                self.skip_schema(name, str(exc), self.where(exc.node if exc.node is not None else schemas, exc.key or name), pointer)
        self._build_deferred()

        servers = self.servers(doc.get("servers"), ())
        root_security = self.security(doc.get("security"))
        operations, skipped_ops = self.operations(servers, root_security)
        webhooks = self.webhooks()
        self._build_deferred()
        operations, webhooks = _Finisher(self).run(operations, webhooks)
        resources = self.resources(operations)
        self.name_decoders()
        return ir.Api(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "")),
            description=str(info.get("description", "") or ""),
            openapi=str(doc.get("openapi", "")),
            servers=servers,
            resources=resources,
            models=tuple(self.models[name] for name in sorted(self.models)),
            security_schemes=self.security_schemes(_mapping(components.get("securitySchemes"))),
            security=root_security,
            webhooks=webhooks,
            skipped_operations=tuple(skipped_ops),
            skipped_schemas=tuple(self.skipped_schemas),
        )

    def skip_schema(self, name: str, reason: str, where: Location | None, pointer: str) -> None:
        self.skipped_schemas.append(ir.Skipped(name, reason, str(where) if where else pointer))
        self.diagnostics.append(Diagnostic(Severity.WARNING, f"schema {name} skipped: {reason}", where, pointer))

    # -- servers and security ----------------------------------------------------------------------
    def servers(self, raw: Any, inherited: tuple[ir.Server, ...]) -> tuple[ir.Server, ...]:
        if not raw:
            return inherited
        out = []
        for server in _items(raw):
            if not isinstance(server, dict) or "url" not in server:
                continue
            variables = []
            for name, var in _mapping(server.get("variables")).items():
                var = _mapping(var)
                enum = tuple(str(v) for v in _items(var.get("enum")))
                variables.append(
                    ir.ServerVariable(name, str(var.get("default", "")), enum, str(var.get("description", "") or ""))
                )
            out.append(ir.Server(str(server["url"]), tuple(variables), str(server.get("description", "") or "")))
        return tuple(out)

    def security(self, raw: Any) -> tuple[tuple[str, ...], ...]:
        if raw is None:
            return ()
        return tuple(tuple(req) for req in _items(raw) if isinstance(req, dict))

    def security_schemes(self, raw: Mapping[str, Any]) -> tuple[ir.SecurityScheme, ...]:
        out = []
        for name in sorted(raw):
            scheme = _mapping(raw[name])
            ext = scheme.get("x-apigen-auth")
            options: dict[str, Any] = {}
            kind = str(scheme.get("type", ""))
            if isinstance(ext, dict):
                options = {k: v for k, v in ext.items() if k != "kind" and _plain(v)}
                kind = str(ext.get("kind", kind))
            if scheme.get("type") == "oauth2":
                options.setdefault("flows", sorted(_mapping(scheme.get("flows")).keys()))
            if scheme.get("type") == "openIdConnect":
                options.setdefault("openIdConnectUrl", scheme.get("openIdConnectUrl", ""))
            out.append(
                ir.SecurityScheme(
                    name=name,
                    kind=kind,
                    description=str(scheme.get("description", "") or ""),
                    location=str(scheme.get("in", "")),
                    parameter=str(scheme.get("name", "")),
                    scheme=str(scheme.get("scheme", "")).lower(),
                    options=tuple(sorted(options.items())),
                )
            )
        return tuple(out)

    # -- operations --------------------------------------------------------------------------------
    def operations(
        self, servers: tuple[ir.Server, ...], root_security: tuple[tuple[str, ...], ...]
    ) -> tuple[list[ir.Operation], list[ir.Skipped]]:
        # every operation (3.2: `query` and `additionalOperations` too), sorted by path, then method: the order
        # of the document never matters
        raw_ops = [(path, method, item, op, f"{pointer_join('#/paths', path)}/{suffix}")
                   for path, method, item, op, suffix in lint.every_operation(self.doc)]  # fmt: skip
        self.claim_resources(raw_ops)
        self.shared_parameters = _shared_parameters(raw_ops, self.loaded.source_map.ref_targets)
        renamed = lint.operation_ids(self.doc)  # a repeated operationId: lint.py warns with the new name
        method_names: dict[str, naming.Namespace] = {}
        seen_ids: dict[str, str] = {}
        built: list[ir.Operation] = []
        skipped: list[ir.Skipped] = []
        for path, method, item, op, pointer in raw_ops:
            op_id = renamed.get((path, method), op.get("operationId"))
            if not isinstance(op_id, str) or not op_id:
                op_id = derive_operation_id(method.lower(), path)
                holder = item if method in item else _mapping(item.get("additionalOperations"))
                self.warn(f"operation has no operationId; using {op_id!r}", holder, method, pointer,
                          code="operation has no operationId")  # fmt: skip
            if op_id in seen_ids:  # a derived name equal to one the spec gives
                op_id = f"{op_id}_{method.lower()}"
            seen_ids[op_id] = f"{method.upper()} {path}"
            try:
                built.append(self.operation(path, method, item, op, op_id, pointer, servers, root_security, method_names))
            except Unsupported as exc:
                where = self.where(exc.node if exc.node is not None else op, exc.key)
                skipped.append(ir.Skipped(op_id, str(exc), str(where) if where else pointer))
                self.diagnostics.append(
                    Diagnostic(Severity.WARNING, f"operation {op_id} skipped: {exc}", where, pointer)
                )
        return built, skipped

    def operation(
        self,
        path: str,
        method: str,
        item: dict[str, Any],
        op: dict[str, Any],
        op_id: str,
        pointer: str,
        root_servers: tuple[ir.Server, ...],
        root_security: tuple[tuple[str, ...], ...],
        method_names: dict[str, naming.Namespace],
    ) -> ir.Operation:
        resource = self.resource_of_tag[_first_tag(op)]
        names = method_names.setdefault(resource, naming.Namespace(naming.METHOD_RESERVED))
        id_node, id_key = (op, "operationId") if "operationId" in op else (item, method)
        method_name = self.claim(names, naming.method_name(op_id), f"operationId {op_id!r}",
                                 f"in resource {resource}", "method", id_node, id_key, pointer)  # fmt: skip
        # one warning per operation: when its method had to change, its constant follows quietly
        constant = self.claim(self.constants, naming.operation_constant(op_id), f"operationId {op_id!r}",
                              "in _api.py", "its constant", id_node, id_key, pointer,
                              quiet=method_name != naming.method_name(op_id))  # fmt: skip
        base = naming.pascal(op_id)
        servers = self.servers(item.get("servers"), root_servers)
        servers = self.servers(op.get("servers"), servers)
        params = self.parameters(item, op, base, pointer)
        args = naming.Namespace(naming.PARAM_RESERVED)
        final_params = []
        for p in params:
            if p.set_by in ("transport", "auth"):
                final_params.append(p)
                continue
            name = self.claim(args, p.name, f"parameter {p.wire_name!r} ({p.location})", f"in {method_name}()",
                              "argument", _param_node(item, op, p.wire_name, p.location), None, pointer)  # fmt: skip
            final_params.append(replace(p, name=name))
        body = self.request_body(op.get("requestBody"), base, pointer_join(pointer, "requestBody"), args)
        responses = self.responses(op.get("responses") or {}, base, pointer_join(pointer, "responses"))
        security = self.security(op["security"]) if "security" in op else root_security
        pagination = self.pagination(
            op.get("x-apigen-pagination"), op, final_params, responses, pointer, names, method_name
        )
        return ir.Operation(
            operation_id=op_id,
            name=method_name,
            method=method.upper(),
            path=path,
            tag=resource,
            summary=str(op.get("summary", "") or ""),
            description=str(op.get("description", "") or ""),
            servers=servers,
            parameters=tuple(final_params),
            body=body,
            responses=responses,
            security=security,
            deprecated=bool(op.get("deprecated", False)),
            callbacks=self.callbacks(op.get("callbacks") or {}, base, pointer),
            pagination=pagination,
            result_code=self.result_code(op.get("x-apigen-result-code"), op),
            location=self.where(op),
            pointer=pointer,
            constant=constant,
        )

    def claim_resources(self, raw_ops: list[tuple[str, str, dict[str, Any], dict[str, Any], str]]) -> None:
        """One resource (module, client attribute) per tag, claimed in the order of the tags' spellings.

        Two tags that sanitise alike (``Pets``/``pets``, ``x2``/``x_2``) get two resources and a warning,
        whatever the order of the document.
        """
        for _, _, item, op, _ in raw_ops:
            tag = _first_tag(op)
            if tag not in self.tag_nodes:
                self.tag_nodes[tag] = (op, "tags") if "tags" in op else (item, "")
        for tag in sorted(self.tag_nodes):
            node, key = self.tag_nodes[tag]
            wanted = naming.module_name(tag)
            if len(naming.snake(tag)) > naming.MAX_MODULE:
                self.warn(f"tag {tag!r} is too long for a module name; module is {wanted}", node, key or None)
            module = self.claim(self.modules, wanted, f"tag {tag!r}", "in resources/ (file names ignore case)",
                                "module", node, key or None)  # fmt: skip
            self.resource_of_tag[tag] = module
            self.tag_names[module] = tag  # the spec's own spelling, for the docs

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
        schemas = (self.doc.get("components") or {}).get("schemas") if isinstance(self.doc.get("components"), dict) else None
        if key is not None and isinstance(schemas, dict):  # a named schema: its key's line
            return self.claim(self.decoders, wanted, f"schema {key}", "in models.py", "its decoder", schemas, key,
                              pointer_join("#/components/schemas", key))  # fmt: skip
        return self.claim(self.decoders, wanted, f"schema {model.name}", "in models.py", "its decoder", at=model.location)

    def pagination(
        self,
        raw: Any,
        op: dict[str, Any],
        params: list[ir.Parameter],
        responses: tuple[ir.Response, ...],
        pointer: str,
        names: naming.Namespace,
        method_name: str,
    ) -> ir.Pagination | None:
        """Resolve ``x-apigen-pagination`` against the operation; a mismatch is a warning, not a failure."""
        if raw is None:
            return None
        key = "x-apigen-pagination"
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("offset", "limit", "items", "total")):
            self.warn(f"{key} needs string fields offset, limit, items and total; ignored", op, key, pointer)
            return None
        offset = next((p for p in params if p.wire_name == raw["offset"] and p.location == "query"), None)
        if offset is None:
            self.warn(f"{key}: no query parameter {raw['offset']!r}; ignored", op, key, pointer)
            return None
        successes = [r for r in responses if r.is_success]
        decoded = successes[0].decoded if len(successes) == 1 else None
        model = self.models.get(decoded.type.name) if decoded and isinstance(decoded.type, ir.ModelRef) else None
        fields = {f.wire_name: f for f in model.fields} if isinstance(model, ir.ObjectModel) else {}
        items = fields.get(raw["items"])
        if items is None or not isinstance(items.type, ir.ArrayType):
            self.warn(f"{key}: the response has no array field {raw['items']!r}; ignored", op, key, pointer)
            return None
        total = fields.get(raw["total"])
        iterator = self.claim(names, "iter_" + method_name, f"the page iterator of {method_name}",
                              f"in resource {self.resource_of_tag.get(_first_tag(op), '')}", "iterator", op, key, pointer)  # fmt: skip
        return ir.Pagination(
            raw["offset"], raw["limit"], raw["items"], raw["total"],
            offset_arg=offset.name, items_field=items.name, item_type=items.type.item,
            total_field=total.name if total is not None else "",
            iterator=iterator,
        )  # fmt: skip

    def result_code(self, raw: Any, op: dict[str, Any]) -> ir.ResultCode | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("field"), str) or not isinstance(raw.get("success"), list):
            raise Unsupported("x-apigen-result-code needs a string 'field' and a list 'success'", op, "x-apigen-result-code")
        return ir.ResultCode(raw["field"], tuple(str(v) for v in raw["success"]))

    def parameters(self, item: dict[str, Any], op: dict[str, Any], base: str, pointer: str) -> list[ir.Parameter]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (_items(item.get("parameters")), _items(op.get("parameters"))):
            for raw in source:
                if isinstance(raw, dict) and "name" in raw and "in" in raw:
                    merged[(str(raw["name"]), str(raw["in"]))] = raw
        out = []
        for (name, location), raw in merged.items():
            out.append(self.parameter(raw, name, location, base, pointer_join(pointer, "parameters", name)))
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        out.sort(key=lambda p: (order.get(p.location, 4), p.wire_name))
        return out

    def parameter(self, raw: dict[str, Any], wire: str, location: str, base: str, pointer: str) -> ir.Parameter:
        if location == "querystring":
            raise Unsupported(f"parameter {wire!r} is `in: querystring` (OpenAPI 3.2: the whole query string as "
                              "one value), which the generator cannot express yet", raw, "in")  # fmt: skip
        if location not in ("path", "query", "header", "cookie"):
            raise Unsupported(f"parameter {wire!r} has unknown location {location!r}", raw, "in")
        schema = raw.get("schema")
        content_json = False
        if schema is None and isinstance(raw.get("content"), dict) and raw["content"]:
            media = raw["content"][parameter_media_type(raw["content"])]  # several: validate.py warns
            schema = media.get("schema") if isinstance(media, dict) else None
            content_json = True
        schema = schema if schema is not None else {}
        set_by = raw.get("x-apigen-set-by", "")
        if set_by and set_by not in _SET_BY:
            self.warn(f"x-apigen-set-by must be one of {', '.join(_SET_BY)}; ignored", raw, "x-apigen-set-by", pointer)
            set_by = ""
        if location == "header" and not set_by:
            set_by = _IGNORED_HEADERS.get(wire.lower(), "")
        # a parameter that several operations share names its models itself (``Region``), not after
        # whichever operation is built first (``ListAppsRegion``)
        context = self.shared_parameters.get(id(raw)) or base + naming.pascal(wire)
        type_ = self.type_of(schema, context, pointer_join(pointer, "schema"), raw, "schema")
        default_style = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}[location]
        style = str(raw.get("style", default_style))
        explode = bool(raw.get("explode", style == "form"))
        if content_json:
            style, explode = "json", False
        examples: list[Any] = []
        if "example" in raw:
            examples.append(raw["example"])
        for ex in _mapping(raw.get("examples")).values():
            if isinstance(ex, dict) and "value" in ex:
                examples.append(ex["value"])
        if not examples and isinstance(schema, dict) and "example" in schema:
            examples.append(schema["example"])
        required = bool(raw.get("required", False)) or location == "path"
        return ir.Parameter(
            name=naming.param_name(wire),
            wire_name=wire,
            location=location,
            type=type_,
            required=required,
            style=style,
            explode=explode,
            description=str(raw.get("description", "") or ""),
            default=schema.get("default") if isinstance(schema, dict) else None,
            has_default=isinstance(schema, dict) and "default" in schema,
            constraints=self.constraints(schema),
            deprecated=bool(raw.get("deprecated", False)),
            examples=tuple(examples),
            set_by=str(set_by),
            wire=self.wire_encoding(schema, context, pointer_join(pointer, "schema")),
        )

    def wire_encoding(self, schema: Any, context: str, pointer: str) -> ir.WireEncoding | None:
        """``x-apigen-wire`` on a string schema: ``json`` (the value JSON-encoded, typed by ``contentSchema``)
        or ``{join: SEPARATOR, items: SCHEMA, minItems: N, maxItems: N}`` (a list joined into the string)."""
        key = "x-apigen-wire"
        if not isinstance(schema, dict) or key not in schema:
            return None
        raw = schema[key]
        if schema.get("type") != "string":
            self.warn(f"{key} applies to a string schema (the text on the wire); ignored", schema, key, pointer)
            return None
        if raw == "json":
            content = schema.get("contentSchema")
            if content is None:
                return ir.WireEncoding("json", _ANY)
            cpointer = pointer_join(pointer, "contentSchema")
            value = self.type_of(content, context, cpointer, schema, "contentSchema")
            items = content.get("items") if isinstance(content, dict) else None
            return ir.WireEncoding("json", value, "", self.constraints(content), self.constraints(items))
        if isinstance(raw, dict) and isinstance(raw.get("join"), str) and raw["join"]:
            items = raw.get("items", {"type": "string"})
            item = self.type_of(items, context + "Item", pointer_join(pointer, key, "items"), raw, "items")
            model = self.models.get(item.name) if isinstance(item, ir.ModelRef) else None
            if not (isinstance(item, ir.Primitive) and item.kind in ("str", "int", "float", "bool")) and not isinstance(
                model, ir.EnumModel
            ):
                self.warn(f"{key} join items must be strings, numbers, booleans or an enum; ignored", raw, "items", pointer)
                return None
            return ir.WireEncoding("join", ir.ArrayType(item), raw["join"], self.constraints(raw), self.constraints(items))
        self.warn(f"{key} must be `json` or {{join: SEPARATOR}}; ignored", schema, key, pointer)
        return None

    def constraints(self, schema: Any) -> ir.Constraints:
        if not isinstance(schema, dict):
            return ir.Constraints()
        items = [(k, schema[k]) for k in _CONSTRAINT_KEYS if k in schema]
        if "enum" in schema and isinstance(schema["enum"], list):
            items.append(("enum", tuple(schema["enum"])))
        return ir.Constraints(tuple(items))

    def media_types(self, content: Any, base: str, pointer: str) -> tuple[ir.MediaType, ...]:
        if not isinstance(content, dict):
            return ()
        out = []
        for content_type in content:
            media = content[content_type]
            if not isinstance(media, dict):
                media = {}
            kind = media_kind(content_type)
            schema = media.get("schema")
            mpointer = pointer_join(pointer, "content", content_type, "schema")
            type_: ir.TypeRef | None
            if kind in ("binary",) or (kind == "other" and not schema):
                type_ = ir.Primitive("str", "binary")
            elif schema is None:
                type_ = None if kind == "json" else ir.Primitive("str")
            else:
                type_ = self.type_of(schema, base, mpointer, media, "schema")
            out.append(ir.MediaType(content_type, kind, type_, self.examples(media)))
        return tuple(out)

    def examples(self, media: dict[str, Any]) -> tuple[ir.Example, ...]:
        out = []
        if "example" in media:
            out.append(ir.Example("example", media["example"]))
        for name, ex in _mapping(media.get("examples")).items():
            if isinstance(ex, dict) and "value" in ex:
                out.append(ir.Example(str(name), ex["value"], str(ex.get("summary", "") or "")))
        if not out:
            schema = media.get("schema")
            if isinstance(schema, dict) and "example" in schema:
                out.append(ir.Example("example", schema["example"]))
        return tuple(out)

    def request_body(
        self, raw: Any, base: str, pointer: str, args: naming.Namespace
    ) -> ir.RequestBody | None:
        if not isinstance(raw, dict):
            return None
        media = self.media_types(raw.get("content"), base + "Request", pointer)
        if not media:
            return None
        preference = ("json", "form", "multipart", "binary", "text", "other")
        chosen = min(media, key=lambda m: preference.index(m.kind))
        required = bool(raw.get("required", False))
        flattened: tuple[ir.Field, ...] | None = None
        model = self.models.get(chosen.type.name) if isinstance(chosen.type, ir.ModelRef) else None
        if isinstance(model, ir.ObjectModel) and chosen.kind in ("json", "form", "multipart") and model.additional is None:
            fields = [f for f in model.fields if not f.read_only]
            # a JSON body is built as the model, which a required read-only field would leave incomplete
            complete = chosen.kind != "json" or not any(f.read_only and f.required for f in model.fields)
            if complete and all(f.name not in args for f in fields) and "body" not in {f.name for f in fields}:
                for f in fields:
                    args.claim(f.name)
                flattened = tuple(fields)
        body_param = args.claim("body") if flattened is None else "body"
        return ir.RequestBody(
            required=required,
            description=str(raw.get("description", "") or ""),
            media=media,
            chosen=chosen,
            flattened=flattened,
            body_param=body_param,
        )

    def responses(self, raw: Any, base: str, pointer: str) -> tuple[ir.Response, ...]:
        out = []
        raw = _mapping(raw)
        statuses = []
        for status in raw:
            if status == "default" or _STATUS.fullmatch(status):
                statuses.append(status)
            else:  # e.g. `2²` (a digit to str.isdigit) or `20O`
                self.warn(f"response key {status!r} is not a status code (100-599, 1XX-5XX or default); "
                          "the response is ignored", raw, status, pointer_join(pointer, status))  # fmt: skip
        success = [s for s in statuses if s.startswith("2")]
        for status in statuses:
            resp = raw[status]
            if not isinstance(resp, dict):
                continue
            name = base + ("Response" if len(success) <= 1 or status == success[0] else f"Response{status}")
            if not status.startswith("2"):
                name = base + naming.pascal(f"error {status}")
            rpointer = pointer_join(pointer, status)
            headers = []
            for hname, header in _mapping(resp.get("headers")).items():
                if not isinstance(header, dict):
                    continue
                hschema = header.get("schema", {})
                htype = self.type_of(hschema, base + naming.pascal(hname), pointer_join(rpointer, "headers", hname),
                                     header, "schema")  # fmt: skip
                headers.append(
                    ir.Header(str(hname), htype, bool(header.get("required", False)), str(header.get("description", "") or ""))
                )
            out.append(
                ir.Response(
                    status=status,
                    description=str(resp.get("description", "") or ""),
                    headers=tuple(headers),
                    media=self.media_types(resp.get("content"), name, rpointer),
                )
            )
        return tuple(sorted(out, key=lambda r: (r.status == "default", r.status)))

    def callbacks(self, raw: Any, base: str, pointer: str) -> tuple[ir.Callback, ...]:
        out = []
        raw = _mapping(raw)
        for name in raw:
            for expression, item in _mapping(raw[name]).items():
                if isinstance(item, dict):
                    cpointer = pointer_join(pointer, "callbacks", name, expression)
                    out.extend(self.callback_item(str(name), str(expression), item, base + naming.pascal(name), cpointer))
        return tuple(out)

    def webhooks(self) -> tuple[ir.Callback, ...]:
        raw = _mapping(self.doc.get("webhooks"))
        out = []
        for name in sorted(raw):
            item = raw[name]
            if isinstance(item, dict):
                out.extend(self.callback_item(str(name), str(name), item, naming.pascal(name), pointer_join("#/webhooks", name)))
        return tuple(out)

    def callback_item(self, name: str, expression: str, item: dict[str, Any], base: str, pointer: str) -> list[ir.Callback]:
        out = []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            mpointer = pointer_join(pointer, method)
            try:
                params = self.parameters(item, op, base, mpointer)
                body_raw = op.get("requestBody")
                body = self.media_types(body_raw.get("content"), base + "Payload", pointer_join(mpointer, "requestBody")) if isinstance(body_raw, dict) else ()
                responses = self.responses(op.get("responses") or {}, base + "Reply", pointer_join(mpointer, "responses"))
            except Unsupported as exc:
                self.warn(f"callback {name} skipped: {exc}", exc.node if exc.node is not None else op, exc.key, mpointer)
                continue
            out.append(
                ir.Callback(
                    name=name,
                    expression=expression,
                    method=method.upper(),
                    summary=str(op.get("summary", "") or ""),
                    description=str(op.get("description", "") or ""),
                    parameters=tuple(params),
                    body=body,
                    responses=responses,
                )
            )
        return out

    def resources(self, operations: list[ir.Operation]) -> tuple[ir.Resource, ...]:
        tag_info = {str(t.get("name")): t for t in _items(self.doc.get("tags")) if isinstance(t, dict)}
        by_tag: dict[str, list[ir.Operation]] = {}
        for op in operations:
            by_tag.setdefault(op.tag, []).append(op)
        out = []
        for resource in sorted(by_tag):
            tag = self.tag_names.get(resource, resource)
            description = str((tag_info.get(tag) or {}).get("description", "") or "")
            node, key = self.tag_nodes.get(tag, (None, ""))
            class_name = self.claim(
                self.resource_classes, naming.pascal(resource) + "Resource", f"tag {tag!r}", "in _client.py",
                "its class", node, key or None, "", ("Async{}",),
            )
            out.append(
                ir.Resource(
                    name=resource,
                    class_name=class_name,
                    tag=tag,
                    description=description,
                    operations=tuple(by_tag[resource]),
                )
            )
        return tuple(out)

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
            return _ANY
        if not isinstance(schema, dict):
            what = "`false` (no value allowed)" if schema is False else f"a {_json_kind(schema)}, not an object"
            self.warn(f"schema is {what}; typed Any", owner, _key(key), pointer)
            return _ANY
        sid = id(schema)
        known = self.model_of.get(sid)
        if known is not None:
            return ir.ModelRef(known)
        done = self.done.get(sid)
        if done is not None:
            return done
        failed = self.failed.get(sid)
        if failed is not None:
            self.warn(f"refers to skipped schema {failed}; typed Any", owner, _key(key), pointer)
            return _ANY
        if sid in self.active:  # e.g. an array of itself: only models can contain themselves
            self.warn(f"schema contains itself through something that is not an object (from {self.active[sid]}); "
                      "the inner occurrence is typed Any", owner, _key(key), pointer)  # fmt: skip
            return _ANY
        label = self._label(schema)
        component = self.component_names.get(sid)
        if component is not None:  # messages about a component's insides point into the component itself
            pointer = pointer_join("#/components/schemas", component)
        if self.depth >= MAX_SCHEMA_DEPTH:
            if label is not None:  # built later, from the top; a placeholder name stands for it meanwhile
                return ir.ModelRef(self._defer(schema, context, pointer))
            self.warn(f"schema nested more than {MAX_SCHEMA_DEPTH} levels deep; typed Any", schema, None, pointer)
            return _ANY
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
                self.warn(f"refers to skipped schema {self.failed[sid]}; typed Any", owner, _key(key), pointer)
            return _ANY
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
        if nullable and not isinstance(inner, ir.Nullable) and inner != _ANY:
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
            return _primitive_of(schema["const"])
        if isinstance(types, list):
            return _ANY  # several JSON types: the value is kept as decoded
        if types == "array" or (types is None and ("items" in schema or "prefixItems" in schema)):
            items = schema.get("items")
            if isinstance(items, list) or "prefixItems" in schema:  # tuple typing (3.0 lists, 3.1 prefixItems)
                return ir.ArrayType(_ANY)
            item = self.type_of(items if items is not None else {}, context + "Item", pointer_join(pointer, "items"),
                                schema, "items")  # fmt: skip
            return ir.ArrayType(item, self.constraints(items))
        if types == "object" or (types is None and ("properties" in schema or "additionalProperties" in schema)):
            return self._object(schema, context, pointer)
        if types in ("string", "integer", "number", "boolean", "null"):
            kind = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "null"}[types]
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
            return _ANY
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
        properties = _mapping(schema.get("properties"))
        additional = schema.get("additionalProperties")
        if not properties and id(schema) not in self.component_names:
            if additional is None or additional is True or additional == {} or not isinstance(additional, (dict, bool)):
                return ir.MapType(_ANY)
            if isinstance(additional, dict):
                value = self.type_of(additional, context + "Value", pointer_join(pointer, "additionalProperties"),
                                     schema, "additionalProperties")  # fmt: skip
                return ir.MapType(value)
        return self._model(
            schema, context,
            lambda name: self._object_model(name, properties, _strings(schema.get("required")), additional, schema, pointer),
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
        raw_own = schema.get("properties")
        own: dict[str, Any] = raw_own if isinstance(raw_own, dict) else {}
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
            p = prop if isinstance(prop, dict) else {}
            fields.append(
                ir.Field(
                    name=attr,
                    wire_name=str(wire),
                    type=ptype,
                    required=str(wire) in required_set,
                    description=str(p.get("description", "") or ""),
                    default=p.get("default"),
                    has_default="default" in p,
                    constraints=self.constraints(p),
                    read_only=bool(p.get("readOnly", False)),
                    write_only=bool(p.get("writeOnly", False)),
                    deprecated=bool(p.get("deprecated", False)),
                    example=p.get("example", (p.get("examples") or [None])[0] if isinstance(p.get("examples"), list) else None),
                    has_example="example" in p or bool(p.get("examples")),
                    sensitive=_is_sensitive(str(wire), p),
                    wire=self.wire_encoding(p, name + naming.pascal(wire), ppointer),
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
            description=str(schema.get("description", "") or ""),
            location=self.where(schema),
            example=example,
            has_example="example" in schema,
        )

    def _all_of(self, schema: dict[str, Any], context: str, pointer: str) -> ir.TypeRef:
        parts = [p for p in schema["allOf"] if isinstance(p, dict)]
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
                nested = node.get("allOf")
                if isinstance(nested, list):
                    stack.extend((sub, False) for sub in reversed(nested) if isinstance(sub, dict))
        for node in order:
            if any(k in node for k in ("oneOf", "anyOf")) and node is not schema:
                self.warn("oneOf/anyOf inside allOf is merged as its common fields only", node, None, pointer)
            properties.update(_mapping(node.get("properties")))
            required.extend(_strings(node.get("required")))
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
                self.warn(f"{key} variant is a {_json_kind(v)}, not a schema object; left out", raw_variants, None,
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
            result = _ANY
        elif len(types) == 1:
            if name:  # the name may already be in use (a variant containing the union): it stands for the variant
                del self.model_of[id(schema)]
                self.aliases[name] = types[0]
            result = types[0]
        else:
            disc = None
            raw_disc = schema.get("discriminator")
            if isinstance(raw_disc, dict) and isinstance(raw_disc.get("propertyName"), str):
                disc = self._discriminator(raw_disc, [v for _, v in variants], types)
            self.models[name] = ir.UnionModel(
                name, tuple(types), disc, _text(schema.get("description")), self.where(schema)
            )
            result = ir.ModelRef(name)
        return ir.Nullable(result) if nullable and not isinstance(result, ir.Nullable) else result

    def _discriminator(
        self, raw: dict[str, Any], variants: list[dict[str, Any]], types: list[ir.TypeRef]
    ) -> ir.Discriminator:
        mapping: dict[str, str] = {}
        explicit = _mapping(raw.get("mapping"))
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
            mapping[value] = type_.name
        return ir.Discriminator(str(raw["propertyName"]), tuple(sorted(mapping.items())))

    def _enum(self, schema: dict[str, Any], types: Any, context: str) -> ir.TypeRef:
        values = [v for v in schema["enum"] if v is not None]
        if not values:
            return ir.Primitive("null")
        if all(isinstance(v, str) for v in values):
            base = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            base = "int"
        else:
            return _primitive_of(values[0]) if len({type(v) for v in values}) == 1 else ir.Primitive("any")
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
        self.models[name] = ir.EnumModel(name, base, tuple(out), str(schema.get("description", "") or ""), self.where(schema))
        return ir.ModelRef(name)


class _Finisher:
    """The last pass over the IR: every ``ModelRef`` resolves to a model, and no union contains itself.

    While building, a model name is handed out before the model is finished (models may contain themselves),
    and a placeholder stands for a named schema reached too deep. Here each name that is not a model is
    replaced: a placeholder or a union reduced to one variant by the type it stands for, the name of a skipped
    schema by ``Any`` with a warning naming the referrer and the skipped schema. A union whose variants lead
    back to itself (``A = B | str``, ``B = A | int``) loses the variant that closes the cycle (with a warning):
    Python cannot express it and a decoder would loop.
    """

    def __init__(self, builder: Builder) -> None:
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
        if isinstance(node, (ir.Primitive, ir.ArrayType, ir.MapType, ir.ModelRef, ir.Nullable)):
            return self.fix(node, referrer, where, pointer, 0, frozenset())
        if isinstance(node, tuple):
            items = tuple(x for x in (self.walk(v, referrer, where, pointer) for v in node) if x is not _DROP)
            return node if len(items) == len(node) and all(a is b for a, b in zip(items, node)) else items
        if isinstance(node, ir.Discriminator):
            return self.discriminator(node)
        if isinstance(node, ir.Constraints):
            kept = tuple(item for item in node.items if self.plain(item[1], f"{referrer}: constraint {item[0]}", where, pointer))
            return node if len(kept) == len(node.items) else ir.Constraints(kept)
        if isinstance(node, ir.Example):
            return node if self.plain(node.value, f"{referrer}: example {node.name!r}", where, pointer) else _DROP
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
        if _plain(value):
            return True
        self.warn(f"{what.lstrip(': ')} contains itself, is nested more than {MAX_VALUE_DEPTH} levels deep or holds more "
                  f"than {MAX_VALUE_NODES} values; left out", where, pointer)  # fmt: skip
        return False

    def fix(
        self, t: ir.TypeRef, referrer: str, where: Location | None, pointer: str, depth: int, trail: frozenset[str]
    ) -> ir.TypeRef:
        if depth > MAX_SCHEMA_DEPTH:
            self.warn(f"{referrer}: a type nested more than {MAX_SCHEMA_DEPTH} levels deep is typed Any", where, pointer)
            return _ANY
        if isinstance(t, ir.Primitive):
            return t
        if isinstance(t, ir.ArrayType):
            item = self.fix(t.item, referrer, where, pointer, depth + 1, trail)
            return t if item is t.item else replace(t, item=item)
        if isinstance(t, ir.MapType):
            value = self.fix(t.value, referrer, where, pointer, depth + 1, trail)
            return t if value is t.value else ir.MapType(value)
        if isinstance(t, ir.Nullable):
            inner = self.fix(t.inner, referrer, where, pointer, depth + 1, trail)
            if inner is t.inner:
                return t
            return inner if isinstance(inner, ir.Nullable) or inner == _ANY else ir.Nullable(inner)
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
            return _ANY
        why = b.dropped.get(t.name) or (b.failed.get(sid) if sid is not None else None) or f"{t.name} (not built)"
        self.warn(f"{referrer} refers to skipped schema {why}; typed Any", where, pointer)
        return _ANY

    def discriminator(self, disc: ir.Discriminator) -> ir.Discriminator:
        """Mapping entries name object models only (a name that stands for another type is resolved or left out)."""
        mapping = []
        for value, name in disc.mapping:
            resolved = self.fix(ir.ModelRef(name), "", None, "", 0, frozenset()) if name not in self.b.models else None
            target = resolved.name if isinstance(resolved, ir.ModelRef) else name
            if isinstance(self.b.models.get(target), ir.ObjectModel):
                mapping.append((value, target))
        out = tuple(mapping)
        return disc if out == disc.mapping else replace(disc, mapping=out)

    def break_union_cycles(self) -> None:
        models = self.b.models

        def union_target(t: ir.TypeRef) -> str | None:
            while isinstance(t, ir.Nullable):
                t = t.inner
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
            variants = tuple(v for i, v in enumerate(model.variants) if i not in indexes) or (_ANY,)
            models[name] = replace(model, variants=variants)

    def warn(self, message: str, where: Location | None, pointer: str) -> None:
        if (message, str(where)) not in self.warned:
            self.warned.add((message, str(where)))
            self.b.diagnostics.append(Diagnostic(Severity.WARNING, message, where, pointer))


_SENSITIVE = re.compile(r"pass(word|wd|code)|secret|token|credential|private_?key|api_?key|signature_?key", re.I)
_METADATA = re.compile(r"(_at|_time|_date|_type|_id|_ids|_count|_url|_uri|_name|expires|expiry)$", re.I)


def _shared_parameters(
    raw_ops: list[tuple[str, str, dict[str, Any], dict[str, Any], str]], ref_targets: Mapping[int, str]
) -> dict[int, str]:
    """The naming context of each parameter object that several operations use (through ``$ref``): its
    wire name (``Region``), or its component name (``ContentTypeJson``) when shared parameters differ in
    nothing else but that name."""
    users: dict[int, set[int]] = {}
    by_id: dict[int, dict[str, Any]] = {}
    for _, _, item, op, _ in raw_ops:
        for raw in (*_items(item.get("parameters")), *_items(op.get("parameters"))):
            if isinstance(raw, dict) and isinstance(raw.get("name"), str) and id(raw) in ref_targets:
                users.setdefault(id(raw), set()).add(id(op))
                by_id[id(raw)] = raw
    shared = {pid: by_id[pid] for pid, ops in users.items() if len(ops) > 1}
    wires: dict[str, int] = {}
    for raw in shared.values():
        wire = naming.pascal(raw["name"])
        wires[wire] = wires.get(wire, 0) + 1
    out = {}
    for pid, raw in shared.items():
        wire = naming.pascal(raw["name"])
        stem = ref_targets[pid].rsplit("#", 1)[-1].rsplit("/", 1)[-1] or wire
        out[pid] = wire if wires[wire] == 1 else naming.pascal(stem)
    return out


def _is_sensitive(wire: str, schema: dict[str, Any]) -> bool:
    """Whether a property holds a secret: ``format: password``, or a name such as ``app_secret``/``passcode``."""
    if schema.get("format") == "password" or schema.get("x-apigen-sensitive") is True:
        return True
    if schema.get("type") not in ("string", None) or schema.get("format") in ("date-time", "date"):
        return False
    return bool(_SENSITIVE.search(wire)) and not _METADATA.search(wire)


MAX_VALUE_DEPTH = 64
MAX_VALUE_NODES = 100_000
_DROP = object()  # what the finisher returns for an element to leave out of a tuple


def _plain(value: Any) -> bool:
    """Whether a spec value (example, default) is a tree of bounded depth and size: no cycle, no alias bomb."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_VALUE_DEPTH or count > MAX_VALUE_NODES:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, depth + 1) for v in node)
    return True


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping" if isinstance(value, dict) else type(value).__name__


def _key(key: str | int | None) -> str | None:
    """A key for a location lookup: list positions have no line of their own (the list's line is used)."""
    return key if isinstance(key, str) else None


def _mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping; anything else (a wrong type the validator reports) reads as empty."""
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, (str, int))] if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A description-like field as text: anything but a string (a wrong type) reads as empty."""
    return value if isinstance(value, str) else ""


def _primitive_of(value: Any) -> ir.Primitive:
    if isinstance(value, bool):
        return ir.Primitive("bool")
    if isinstance(value, int):
        return ir.Primitive("int")
    if isinstance(value, float):
        return ir.Primitive("float")
    if isinstance(value, str):
        return ir.Primitive("str")
    return ir.Primitive("any")


def _first_tag(op: dict[str, Any]) -> str:
    """The tag an operation's method is grouped under: its first, or ``default``."""
    tags = op.get("tags")
    return str(tags[0]) if isinstance(tags, list) and tags else "default"


def _param_node(item: dict[str, Any], op: dict[str, Any], wire: str, location: str) -> Any:
    """The parameter object (operation level first) that declared ``wire`` in ``location``, for its line."""
    for source in (op.get("parameters"), item.get("parameters")):
        for raw in source if isinstance(source, list) else ():
            if isinstance(raw, dict) and str(raw.get("name")) == wire and str(raw.get("in")) == location:
                return raw
    return op


def build_api(loaded: LoadedSpec) -> tuple[ir.Api, list[Diagnostic]]:
    builder = Builder(loaded)
    api = builder.build()
    return api, builder.diagnostics
