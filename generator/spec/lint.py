"""Checks the OpenAPI validator does not make, each at the line it is about.

Path templates against path parameters, unknown ``type`` values, duplicate parameters, optional path
parameters, and the real-world patterns the generator reads with their one obvious meaning (a ``$ref``
standing for a properties map, ``nullable`` and boolean ``exclusiveMaximum`` in 3.1). Each result is a
:class:`~generator.diagnostics.Finding`: ``blocking`` when the generated client would be wrong.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from generator.spec.diagnostics import Finding, pointer_join

if TYPE_CHECKING:
    from generator.spec.diagnostics import Location
    from generator.spec.load import LoadedSpec
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TYPES_30 = ("array", "boolean", "integer", "number", "object", "string")
_TYPES_31 = (*_TYPES_30, "null")
_TEMPLATE = re.compile(r"\{([^{}]*)\}")
# where a schema holds other schemas: keyword -> how (one schema, a list, a map of them)
_ONE = ("items", "not", "additionalProperties", "unevaluatedProperties", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def unknown_types(value: Any, version: str) -> list[str]:
    """The entries of a schema's ``type`` that are no JSON-Schema type (3.1 ``null`` is one in 3.0 too)."""
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if isinstance(v, str) and v not in _TYPES_31]


def owns_type(value: Any, version: str) -> bool:
    """Whether this module reports on a schema's ``type`` value (the validator's finding is then left out)."""
    if unknown_types(value, version):
        return True
    return version.startswith("3.0") and (isinstance(value, list) or value == "null")


def check(loaded: LoadedSpec) -> list[Finding]:
    doc = loaded.document
    version = str(doc.get("openapi", ""))
    return [*_paths(loaded), *_operation_ids(loaded), *_schemas(loaded, version), *_ref_siblings(loaded, version),
            *_item_schemas(loaded)]  # fmt: skip


def every_operation(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any], str]]:
    """(path, method, path item, operation, suffix) of every operation, by path then method (the builder's order)."""
    version = str(doc.get("openapi", ""))
    paths = doc.get("paths")
    out: list[tuple[str, str, dict[str, Any], dict[str, Any], str]] = []
    for template, item in (paths.items() if isinstance(paths, dict) else ()):
        if isinstance(item, dict) and not str(template).startswith("x-"):  # `x-...`: an extension, no path
            out.extend((str(template), m, item, op, suffix) for m, op, suffix in operations(item, version))
    order = {m: i for i, m in enumerate((*_METHODS, "query"))}
    out.sort(key=lambda t: (t[0], order.get(t[1], len(order)), t[1]))
    return out


def operation_ids(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The operationId each operation is generated with, keyed by (path, method), where the spec's own is
    repeated: the first (by path, then method) keeps it, each later one becomes ``{id}_{method}`` (then
    ``_2``, ``_3``, ... while that is taken too)."""
    ops = every_operation(doc)
    written = [op.get("operationId") for _, _, _, op, _ in ops]
    taken = {i for i in written if isinstance(i, str) and i}
    seen: set[str] = set()
    out: dict[tuple[str, str], str] = {}
    for (path, method, _, _, _), op_id in zip(ops, written):
        if not isinstance(op_id, str) or not op_id:
            continue
        if op_id not in seen:
            seen.add(op_id)
            continue
        candidate, n = f"{op_id}_{method.lower()}", 1
        while candidate in taken:
            n += 1
            candidate = f"{op_id}_{method.lower()}_{n}"
        taken.add(candidate)
        out[(path, method)] = candidate
    return out


def _operation_ids(loaded: LoadedSpec) -> Iterator[Finding]:
    """A repeated operationId: the later operation is generated under another name (an error for `--strict`)."""
    renamed = operation_ids(loaded.document)
    first: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, method, _, op, suffix in every_operation(loaded.document):
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            continue
        new = renamed.get((path, method))
        if new is None:
            first.setdefault(op_id, (path, method, op))
            continue
        other_path, other_method, other = first[op_id]
        earlier = loaded.location(other, "operationId")
        here = loaded.location(op, "operationId") or loaded.location(op)
        if earlier is None:
            at = ""
        else:
            at = f" at line {earlier.line}" if here is not None and here.file == earlier.file else f" at {earlier}"
        yield Finding(
            f"duplicate operationId {op_id!r} (also {other_method.upper()} {other_path}{at}): "
            f"{method.upper()} {path} is generated as {new!r}",
            here,
            pointer_join("#/paths", path) + "/" + suffix,
            blocking=False,
        )


def operations(item: dict[str, Any], version: str) -> list[tuple[str, dict[str, Any], str]]:
    """The operations of a path item: (method as written, operation, JSON-pointer suffix), fixed fields first.

    OpenAPI 3.2 adds the ``query`` method and ``additionalOperations`` (any other method, e.g. ``LINK``).
    """
    is_32 = version.startswith("3.2")
    out = [(m, item[m], m) for m in (*_METHODS, "query") if isinstance(item.get(m), dict) and (m != "query" or is_32)]
    extra = item.get("additionalOperations")
    if is_32 and isinstance(extra, dict):
        for method, op in extra.items():
            if isinstance(op, dict):
                out.append((str(method), op, f"additionalOperations/{_escape(str(method))}"))
    return out


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _item_schemas(loaded: LoadedSpec) -> Iterator[Finding]:
    """``itemSchema`` (OpenAPI 3.2, a stream of items: JSON Lines, JSON sequences, server-sent events) without
    a ``schema``: the generated method returns the body as it came, not the items."""
    stack: list[Any] = [loaded.document.get(k) for k in ("paths", "components", "webhooks")]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            content = node.get("content")
            if isinstance(content, dict):
                for media_type, media in content.items():
                    if isinstance(media, dict) and "itemSchema" in media and "schema" not in media:
                        yield Finding(
                            f"`itemSchema` of {media_type!r} (a stream of items, OpenAPI 3.2): the generated method "
                            "returns the body as it came, not decoded items",
                            loaded.location(media, "itemSchema") or loaded.location(media),
                            "",
                            blocking=False,
                            strict_error=False,
                        )
            stack.extend(v for k, v in node.items() if k not in ("schema", "itemSchema", "example", "examples"))
        else:
            stack.extend(node)


def _ref_siblings(loaded: LoadedSpec, version: str) -> Iterator[Finding]:
    """``$ref`` with schema keywords beside it: standard in a 3.1 schema; elsewhere read as it is obviously meant."""
    for node, siblings, applied in loaded.source_map.ref_siblings:
        if applied and not version.startswith("3.0"):
            continue
        names = ", ".join(f"`{k}`" for k in siblings)
        if applied:
            message = (f"{names} beside a `$ref`: OpenAPI 3.0 ignores keywords beside a `$ref`; read as applying "
                       "alongside the referenced schema (as 3.1 does)")  # fmt: skip
        else:
            message = f"{names} beside a `$ref` that is not a schema: ignored"
        where = loaded.location(node, siblings[0]) or loaded.location(node)
        yield Finding(message, where, "", blocking=False, strict_error=False)


# -- paths and parameters ---------------------------------------------------------------------------


def _params(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, p) for i, p in enumerate(value) if isinstance(p, dict)] if isinstance(value, list) else []


Skips = tuple[tuple[str, str], ...]  # (path template, method) of each operation a finding skips
_SKIPPED = "; the operation is skipped (`--strict` refuses the spec)"


def _paths(loaded: LoadedSpec) -> Iterator[Finding]:
    """Path templates against path parameters, and duplicate parameters.

    A generated method would be wrong for each (an argument left out of the URL, a variable never filled
    in, a parameter sent twice), so the operation is skipped: ``skips`` names it; ``--strict`` refuses.
    """
    paths = loaded.document.get("paths")
    version = str(loaded.document.get("openapi", ""))
    if not isinstance(paths, dict):
        return
    for template, item in paths.items():
        if not isinstance(item, dict) or str(template).startswith("x-"):
            continue
        item_pointer = pointer_join("#/paths", template)
        variables = list(dict.fromkeys(_TEMPLATE.findall(str(template))))
        ops = operations(item, version)
        every = tuple((str(template), m) for m, _, _ in ops)
        shared = _params(item.get("parameters"))
        for finding in _duplicates(loaded, shared, pointer_join(item_pointer, "parameters")):
            yield replace(finding, skips=every)
        declared_here = {str(p.get("name")) for _, p in shared if p.get("in") == "path"}
        for index, param in shared:
            yield from _path_parameter(loaded, param, str(template), variables, pointer_join(item_pointer, "parameters", index), every)
        for method, op, suffix in ops:
            this = ((str(template), method),)
            op_pointer = f"{item_pointer}/{suffix}"
            op_holder, op_key = (item, method) if "/" not in suffix else (item["additionalOperations"], method)
            own = _params(op.get("parameters"))
            for finding in _duplicates(loaded, own, pointer_join(op_pointer, "parameters")):
                yield replace(finding, skips=this)
            declared = declared_here | {str(p.get("name")) for _, p in own if p.get("in") == "path"}
            for index, param in own:
                yield from _path_parameter(loaded, param, str(template), variables, pointer_join(op_pointer, "parameters", index), this)
            for variable in variables:
                if not variable.strip():
                    yield Finding(
                        f"path template {template} has an empty variable `{{{variable}}}`{_SKIPPED}",
                        loaded.location(op_holder, op_key) or loaded.location(op),
                        op_pointer,
                        blocking=False,
                        skips=this,
                    )
                elif variable not in declared:
                    near = difflib.get_close_matches(variable, sorted(declared), n=1)
                    hint = f" (did you mean {near[0]!r}?)" if near else ""
                    yield Finding(
                        f"path template variable {{{variable}}} of {template} has no path parameter in `{method}`{hint}: "
                        f"declare `- {{name: {variable}, in: path, required: true, schema: {{type: string}}}}`{_SKIPPED}",
                        loaded.location(op_holder, op_key) or loaded.location(op),
                        op_pointer,
                        blocking=False,
                        skips=this,
                    )


def _path_parameter(
    loaded: LoadedSpec, param: dict[str, Any], template: str, variables: list[str], pointer: str, skips: Skips
) -> Iterator[Finding]:
    """A path parameter missing from the template (the operations ``skips`` are skipped), or not required."""
    if param.get("in") != "path":
        return
    name = str(param.get("name"))
    if name not in variables:
        near = difflib.get_close_matches(name, variables, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        yield Finding(
            f"path parameter {name!r} is not in the path template {template}{hint}: "
            f"a method would require it and leave it out of the URL{_SKIPPED}",
            loaded.location(param, "name") or loaded.location(param),
            pointer,
            blocking=False,
            skips=skips,
        )
    if param.get("required") is not True:
        stated = "required: false" if "required" in param else "no `required: true`"
        yield Finding(
            f"path parameter {name!r} has {stated}; path parameters are always required (read as required)",
            loaded.location(param, "required") or loaded.location(param),
            pointer,
            blocking=False,
        )


def _duplicates(loaded: LoadedSpec, params: list[tuple[int, dict[str, Any]]], pointer: str) -> Iterator[Finding]:
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for index, param in params:
        where = str(param.get("in"))
        name = str(param.get("name"))
        key = (name.lower() if where == "header" else name, where)
        if key in first:
            earlier = loaded.location(first[key])
            at = f" (first at line {earlier.line})" if earlier is not None else ""
            yield Finding(
                f"duplicate parameter {name!r} in {where}{at}: a method would send it twice{_SKIPPED}",
                loaded.location(param, "name") or loaded.location(param),
                pointer_join(pointer, index),
                blocking=False,
            )
        else:
            first[key] = param


# -- schemas ----------------------------------------------------------------------------------------


def _relative(target: str, where: Location | None) -> str:
    """``file#pointer`` as a ``$ref`` written in ``where``'s file would spell it."""
    file, _, fragment = target.partition("#")
    if where is None:
        return target
    start = Path(where.file).resolve().parent
    return f"{Path(os.path.relpath(Path(file).resolve(), start)).as_posix()}#{fragment}"


def _schema_roots(doc: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """Every schema the document names directly, components first (so a shared schema is seen there)."""
    components = doc.get("components")
    if isinstance(components, dict):
        schemas = components.get("schemas")
        if isinstance(schemas, dict):
            for name, schema in schemas.items():
                yield schema, pointer_join("#/components/schemas", name)
    # every `schema` under paths, components, webhooks: parameters, media types, headers
    stack: list[tuple[Any, str]] = [(doc.get(k), f"#/{k}") for k in ("components", "paths", "webhooks")]
    seen: set[int] = set()
    while stack:
        node, pointer = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            child_pointer = pointer_join(pointer, key)
            if key == "schema" and isinstance(node, dict):
                yield child, child_pointer
            elif key != "schemas" and not str(key).startswith("x-"):
                stack.append((child, child_pointer))


def _schemas(loaded: LoadedSpec, version: str) -> Iterator[Finding]:
    is_30 = version.startswith("3.0")
    seen: set[int] = set()
    stack = list(_schema_roots(loaded.document))
    stack.reverse()
    ref_targets = loaded.source_map.ref_targets
    while stack:
        schema, pointer = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        wrong = unknown_types(schema.get("type"), version)
        for name in wrong:
            near = difflib.get_close_matches(name, _TYPES_30 if is_30 else _TYPES_31, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            yield Finding(
                f"unknown type {name!r}{hint}; the schema holding it is skipped and what refers to that is typed Any",
                loaded.location(schema, "type"),
                pointer_join(pointer, "type"),
                blocking=False,  # the builder skips that schema (reason in --report); referrers are typed Any
            )
        types = schema.get("type")
        if is_30 and not wrong and (isinstance(types, list) or types == "null"):
            yield Finding(
                f"`type: {types!r}` is OpenAPI 3.1 (3.0 writes one type, with `nullable: true`); read as in 3.1",
                loaded.location(schema, "type"),
                pointer_join(pointer, "type"),
                blocking=False,
            )
        props = schema.get("properties")
        if isinstance(props, dict) and id(props) in ref_targets:
            where = loaded.location(schema, "properties")
            yield Finding(
                f"`properties: {{$ref: {_relative(ref_targets[id(props)], where)}}}`: a $ref cannot stand for a "
                "properties map in OpenAPI; read as the properties it points at",
                where,
                pointer_join(pointer, "properties"),
                blocking=False,
            )
        if not is_30 and "nullable" in schema:
            yield Finding(
                "`nullable` is OpenAPI 3.0; 3.1 writes `type: [..., 'null']` (read as nullable)",
                loaded.location(schema, "nullable"),
                pointer_join(pointer, "nullable"),
                blocking=False,
                strict_error=False,
            )
        for keyword, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
            if not is_30 and isinstance(schema.get(keyword), bool):
                yield Finding(
                    f"`{keyword}: {str(schema[keyword]).lower()}` is OpenAPI 3.0; in 3.1 it is the bound itself "
                    f"(read as {'an exclusive' if schema[keyword] else 'an inclusive'} `{bound}`)",
                    loaded.location(schema, keyword),
                    pointer_join(pointer, keyword),
                    blocking=False,
                )
        children: list[tuple[Any, str]] = []
        for keyword in _ONE:
            if isinstance(schema.get(keyword), dict):
                children.append((schema[keyword], pointer_join(pointer, keyword)))
        for keyword in _LIST:
            value = schema.get(keyword)
            if isinstance(value, list):
                children.extend((v, pointer_join(pointer, keyword, i)) for i, v in enumerate(value))
        for keyword in _MAP:
            value = schema.get(keyword)
            if isinstance(value, dict):
                children.extend((v, pointer_join(pointer, keyword, k)) for k, v in value.items())
        stack.extend(reversed(children))
