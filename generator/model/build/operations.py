"""Paths, operations, parameters, bodies, responses, callbacks and webhooks -> IR operations and resources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.model import ir, naming
from generator.model.build.extensions import frozen, idempotency_key
from generator.model.build.raw import (
    HTTP_METHODS,
    IGNORED_HEADERS,
    STATUS,
    Unsupported,
    choice,
    derive_operation_id,
    entries,
    first_tag,
    is_mapping,
    mapping,
    mappings,
    param_node,
    text,
)
from generator.model.build.security import SecurityBuilder
from generator.spec import lint
from generator.spec.diagnostics import Diagnostic, Severity, pointer_join
from generator.spec.media import media_kind, parameter_media_type


@dataclass(frozen=True)
class OperationSource:
    """One operation as the document writes it: where it is, and what it inherits from the document."""

    path: str
    method: str  # as the document spells it (lower case; a 3.2 ``additionalOperations`` key as written)
    item: dict[str, Any]  # the path item holding it
    op: dict[str, Any]
    pointer: str
    op_id: str  # the operationId (derived or made unique when the document's is missing or repeated)
    servers: tuple[ir.Server, ...]  # the document's
    security: tuple[tuple[str, ...], ...]  # the document's


class OperationBuilder(SecurityBuilder):
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
        seen_ids: dict[str, str] = {}
        built: list[ir.Operation] = []
        skipped: list[ir.Skipped] = []
        for path, method, item, op, pointer in raw_ops:
            op_id = renamed.get((path, method), op.get("operationId"))
            if not isinstance(op_id, str) or not op_id:
                op_id = derive_operation_id(method.lower(), path)
                holder = item if method in item else mapping(item.get("additionalOperations"))
                self.warn(f"operation has no operationId; using {op_id!r}", holder, method, pointer,
                          code="operation has no operationId")  # fmt: skip
            if op_id in seen_ids:  # a derived name equal to one the spec gives
                op_id = f"{op_id}_{method.lower()}"
            seen_ids[op_id] = f"{method.upper()} {path}"
            try:
                source = OperationSource(path, method, item, op, pointer, op_id, servers, root_security)
                built.append(self.operation(source))
            except Unsupported as exc:
                where = self.where(exc.node if exc.node is not None else op, exc.key)
                skipped.append(ir.Skipped(op_id, str(exc), str(where) if where else pointer))
                self.diagnostics.append(
                    Diagnostic(Severity.WARNING, f"operation {op_id} skipped: {exc}", where, pointer)
                )
        return built, skipped

    def operation(self, source: OperationSource) -> ir.Operation:
        path, method, item, op = source.path, source.method, source.item, source.op
        pointer, op_id = source.pointer, source.op_id
        resource = self.resource_of_tag[first_tag(op)]
        names = self.method_names.setdefault(resource, naming.Namespace(naming.METHOD_RESERVED))
        id_node, id_key = (op, "operationId") if "operationId" in op else (item, method)
        method_name = self.claim(names, naming.method_name(op_id), f"operationId {op_id!r}",
                                 f"in resource {resource}", "method", id_node, id_key, pointer)  # fmt: skip
        # one warning per operation: when its method had to change, its constant follows quietly
        constant = self.claim(self.constants, naming.operation_constant(op_id), f"operationId {op_id!r}",
                              "in _api.py", "its constant", id_node, id_key, pointer,
                              quiet=method_name != naming.method_name(op_id))  # fmt: skip
        base = naming.pascal(op_id)
        servers = self.servers(item.get("servers"), source.servers)
        servers = self.servers(op.get("servers"), servers)
        params = self.parameters(item, op, base, pointer)
        args = naming.Namespace(naming.PARAM_RESERVED)
        final_params = []
        for p in params:
            if not p.is_argument:
                final_params.append(p)
                continue
            name = self.claim(args, p.name, f"parameter {p.wire_name!r} ({p.location})", f"in {method_name}()",
                              "argument", param_node(item, op, p.wire_name, p.location), None, pointer)  # fmt: skip
            final_params.append(replace(p, name=name))
        body = self.request_body(op.get("requestBody"), base, pointer_join(pointer, "requestBody"), args)
        responses = self.responses(op.get("responses") or {}, base, pointer_join(pointer, "responses"))
        security = self.security(op["security"], pointer_join(pointer, "security")) if "security" in op else source.security
        pagination = self.pagination(
            op.get("x-apigen-pagination"), op, final_params, responses, pointer, names, method_name
        )
        return ir.Operation(
            operation_id=op_id,
            name=method_name,
            method=method.upper(),
            path=path,
            tag=resource,
            summary=text(op, "summary"),
            description=text(op, "description"),
            servers=servers,
            parameters=tuple(final_params),
            body=body,
            responses=responses,
            security=security,
            deprecated=bool(op.get("deprecated", False)),
            callbacks=self.callbacks(op.get("callbacks") or {}, base, pointer),
            pagination=pagination,
            result_code=self.result_code(op.get("x-apigen-result-code"), op),
            idempotency_key=idempotency_key(op, self.doc),
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
            tag = first_tag(op)
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
        if not all(isinstance(mapping(raw).get(k), str) for k in ("offset", "limit", "items", "total")):
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
        page = fields.get(raw["items"])
        if page is None or not isinstance(page.type, ir.ArrayType):
            self.warn(f"{key}: the response has no array field {raw['items']!r}; ignored", op, key, pointer)
            return None
        total = fields.get(raw["total"])
        iterator = self.claim(names, "iter_" + method_name, f"the page iterator of {method_name}",
                              f"in resource {self.resource_of_tag.get(first_tag(op), '')}", "iterator", op, key, pointer)  # fmt: skip
        return ir.Pagination(
            raw["offset"], raw["limit"], raw["items"], raw["total"],
            offset_arg=offset.name, items_field=page.name, item_type=page.type.item,
            total_field=total.name if total is not None else "",
            iterator=iterator,
        )  # fmt: skip

    def result_code(self, raw: Any, op: dict[str, Any]) -> ir.ResultCode | None:
        if raw is None:
            return None
        if not isinstance(mapping(raw).get("field"), str) or not isinstance(raw.get("success"), list):
            raise Unsupported("x-apigen-result-code needs a string 'field' and a list 'success'", op, "x-apigen-result-code")
        items_, item_field = raw.get("items", ""), raw.get("item-field", "")
        return ir.ResultCode(
            raw["field"],
            tuple(str(v) for v in raw["success"]),
            str(items_) if isinstance(items_, str) else "",
            str(item_field) if isinstance(item_field, str) else "",
        )

    def parameters(self, item: dict[str, Any], op: dict[str, Any], base: str, pointer: str) -> list[ir.Parameter]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (item, op):
            for raw in mappings(source, "parameters"):
                if "name" in raw and "in" in raw:
                    merged[(str(raw["name"]), str(raw["in"]))] = raw
        out = []
        for (name, location), raw in merged.items():
            out.append(self.parameter(raw, name, location, base, pointer_join(pointer, "parameters", name)))
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        out.sort(key=lambda p: (order.get(p.location, 4), p.wire_name))
        return out

    def parameter(self, raw: dict[str, Any], wire: str, where: str, base: str, pointer: str) -> ir.Parameter:
        if where == "querystring":
            raise Unsupported(f"parameter {wire!r} is `in: querystring` (OpenAPI 3.2: the whole query string as "
                              "one value), which the generator cannot express yet", raw, "in")  # fmt: skip
        location = choice(where, ir.PARAMETER_LOCATIONS)
        if location is None:
            raise Unsupported(f"parameter {wire!r} has unknown location {where!r}", raw, "in")
        schema = raw.get("schema")
        content_json = False
        content = mapping(raw, "content")
        if schema is None and content:
            schema = mapping(content, parameter_media_type(content)).get("schema")  # several: validate.py warns
            content_json = True
        schema = schema if schema is not None else {}
        set_by: ir.SetBy = ""
        if raw.get("x-apigen-set-by"):
            claimed = choice(raw.get("x-apigen-set-by"), ir.SET_BY)
            if claimed is None:
                self.warn(f"x-apigen-set-by must be one of {', '.join(ir.SET_BY)}; ignored", raw, "x-apigen-set-by",
                          pointer)  # fmt: skip
            set_by = claimed or ""
        if location == "header" and not set_by:
            set_by = IGNORED_HEADERS.get(wire.lower(), "")
        # a parameter that several operations share names its models itself (``Region``), not after
        # whichever operation is built first (``ListAppsRegion``)
        context = self.shared_parameters.get(id(raw)) or base + naming.pascal(wire)
        type_ = self.type_of(schema, context, pointer_join(pointer, "schema"), raw, "schema")
        default_style: ir.ParameterStyle = "simple" if location in ("path", "header") else "form"
        # an unknown style is the validator's error; the location's default stands for it meanwhile
        style = choice(raw.get("style", default_style), ir.PARAMETER_STYLES) or default_style
        explode = bool(raw.get("explode", style == "form"))
        if content_json:
            style, explode = "json", False
        examples: list[Any] = []
        if "example" in raw:
            examples.append(raw["example"])
        for _, ex in entries(raw, "examples"):
            if "value" in ex:
                examples.append(ex["value"])
        declared = mapping(schema)
        if not examples and "example" in declared:
            examples.append(declared["example"])
        required = bool(raw.get("required", False)) or location == "path"
        return ir.Parameter(
            name=naming.param_name(wire),
            wire_name=wire,
            location=location,
            type=type_,
            required=required,
            style=style,
            explode=explode,
            description=text(raw, "description"),
            default=declared.get("default"),
            has_default="default" in declared,
            constraints=self.constraints(schema),
            deprecated=bool(raw.get("deprecated", False)),
            examples=tuple(examples),
            set_by=set_by,
            lookup=tuple(sorted((str(k), frozen(v)) for k, v in mapping(raw, "x-apigen-lookup").items())),
            source=self.where(raw),
            wire=self.wire_encoding(schema, context, pointer_join(pointer, "schema")),
        )

    def media_types(self, content: Any, base: str, pointer: str) -> tuple[ir.MediaType, ...]:
        out = []
        content = mapping(content)
        for content_type in content:
            media = mapping(content[content_type])
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
        for name, ex in entries(media, "examples"):
            if "value" in ex:
                out.append(ir.Example(str(name), ex["value"], text(ex, "summary")))
        if not out and "example" in mapping(media, "schema"):
            out.append(ir.Example("example", media["schema"]["example"]))
        return tuple(out)

    def request_body(
        self, raw: Any, base: str, pointer: str, args: naming.Namespace
    ) -> ir.RequestBody | None:
        if not is_mapping(raw):
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
            description=text(raw, "description"),
            media=media,
            chosen=chosen,
            flattened=flattened,
            body_param=body_param,
            source=self.where(raw),
        )

    def responses(self, raw: Any, base: str, pointer: str) -> tuple[ir.Response, ...]:
        out = []
        raw = mapping(raw)
        statuses = []
        for status in raw:
            if status == "default" or STATUS.fullmatch(status):
                statuses.append(status)
            else:  # e.g. `2²` (a digit to str.isdigit) or `20O`
                self.warn(f"response key {status!r} is not a status code (100-599, 1XX-5XX or default); "
                          "the response is ignored", raw, status, pointer_join(pointer, status))  # fmt: skip
        success = [s for s in statuses if s.startswith("2")]
        for status in statuses:
            resp = raw[status]
            if not is_mapping(resp):
                continue
            name = base + ("Response" if len(success) <= 1 or status == success[0] else f"Response{status}")
            if not status.startswith("2"):
                name = base + naming.pascal(f"error {status}")
            rpointer = pointer_join(pointer, status)
            headers = []
            for hname, header in entries(resp, "headers"):
                hschema = header.get("schema", {})
                htype = self.type_of(hschema, base + naming.pascal(hname), pointer_join(rpointer, "headers", hname),
                                     header, "schema")  # fmt: skip
                headers.append(
                    ir.Header(str(hname), htype, bool(header.get("required", False)), text(header, "description"))
                )
            out.append(
                ir.Response(
                    status=status,
                    description=text(resp, "description"),
                    headers=tuple(headers),
                    media=self.media_types(resp.get("content"), name, rpointer),
                    source=self.where(raw, status),
                )
            )
        return tuple(sorted(out, key=lambda r: (r.status == "default", r.status)))

    def callbacks(self, raw: Any, base: str, pointer: str) -> tuple[ir.Callback, ...]:
        out = []
        raw = mapping(raw)
        for name in raw:
            for expression, item in entries(raw, name):
                cpointer = pointer_join(pointer, "callbacks", name, expression)
                out.extend(self.callback_item(str(name), str(expression), item, base + naming.pascal(name), cpointer))
        return tuple(out)

    def webhooks(self) -> tuple[ir.Callback, ...]:
        out = []
        for name, item in sorted(entries(self.doc, "webhooks"), key=lambda entry: entry[0]):
            out.extend(self.callback_item(str(name), str(name), item, naming.pascal(name), pointer_join("#/webhooks", name)))
        return tuple(out)

    def callback_item(self, name: str, expression: str, item: dict[str, Any], base: str, pointer: str) -> list[ir.Callback]:
        out = []
        for method in HTTP_METHODS:
            if not is_mapping(item, method):
                continue
            op = item[method]
            mpointer = pointer_join(pointer, method)
            try:
                params = self.parameters(item, op, base, mpointer)
                body = self.media_types(mapping(op, "requestBody").get("content"), base + "Payload",
                                        pointer_join(mpointer, "requestBody"))  # fmt: skip
                responses = self.responses(op.get("responses") or {}, base + "Reply", pointer_join(mpointer, "responses"))
            except Unsupported as exc:
                self.warn(f"callback {name} skipped: {exc}", exc.node if exc.node is not None else op, exc.key, mpointer)
                continue
            out.append(
                ir.Callback(
                    name=name,
                    expression=expression,
                    method=method.upper(),
                    summary=text(op, "summary"),
                    description=text(op, "description"),
                    parameters=tuple(params),
                    body=body,
                    responses=responses,
                )
            )
        return out

    def resources(self, operations: list[ir.Operation]) -> tuple[ir.Resource, ...]:
        tag_info = {str(t.get("name")): t for t in mappings(self.doc, "tags")}
        by_tag: dict[str, list[ir.Operation]] = {}
        for op in operations:
            by_tag.setdefault(op.tag, []).append(op)
        out = []
        for resource in sorted(by_tag):
            tag = self.tag_names.get(resource, resource)
            description = text(tag_info.get(tag), "description")
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


def _shared_parameters(
    raw_ops: list[tuple[str, str, dict[str, Any], dict[str, Any], str]], ref_targets: Mapping[int, str]
) -> dict[int, str]:
    """The naming context of each parameter object that several operations use (through ``$ref``): its
    wire name (``Region``), or its component name (``ContentTypeJson``) when shared parameters differ in
    nothing else but that name."""
    users: dict[int, set[int]] = {}
    by_id: dict[int, dict[str, Any]] = {}
    for _, _, item, op, _ in raw_ops:
        for raw in (*mappings(item, "parameters"), *mappings(op, "parameters")):
            if isinstance(raw.get("name"), str) and id(raw) in ref_targets:
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
