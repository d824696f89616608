"""One spec holding every name that could collide with, or shadow, what the generated code itself uses.

Shared by the hostile-names tests: fields, parameters, operationIds, tags and schema names that equal the
templates' locals, imports, helpers, builtins, keywords, soft keywords and dunders, names that collide after
sanitising (``x2``/``x-2``, ``HTTPServer``/``HttpServer``, ``userId``/``user_id`` in different tags) and
names that are empty after sanitising.
"""

from __future__ import annotations

import re
from typing import Any

# every bare name the generated code uses somewhere, and the usual suspects
HOSTILE = [
    "response", "data", "client", "options", "self", "cls", "_m", "httpx", "field", "fields", "wire", "api",
    "unset", "UNSET", "Unset", "Any", "str", "int", "list", "dict", "bytes", "object", "type", "id", "json",
    "models", "resources", "_runtime", "__init__", "__class__", "__dict__", "class", "def", "None", "True",
    "match", "case", "_", "dataclass", "classmethod", "isinstance", "len", "path", "obj", "known", "extra",
    "out", "result", "status", "page", "items", "item", "to_wire", "from_wire", "additional_properties",
    "with_raw_response", "dt", "uuid", "errors", "functools", "TYPE_CHECKING", "RequestData", "v0", "p0",
    "x0", "k0", "k", "v", "$", "", "---", "Client", "Union", "annotations",
]  # fmt: skip

# a body that can be flattened into keyword arguments: none of these is an argument name the method owns
FLAT = [
    "response", "data", "client", "field", "wire", "api", "unset", "json", "id", "type", "models", "httpx",
    "_m", "page", "items", "result", "status", "path", "obj", "dt", "uuid", "errors", "functools",
]  # fmt: skip


def _props(names: list[str], fmt: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i, name in enumerate(names):
        schema: dict[str, Any] = {"type": "string"}
        if fmt and i % 3 == 1:
            schema = {"type": "string", "format": "date-time"}
        elif fmt and i % 3 == 2:
            schema = {"type": "string", "format": "uuid"}
        props[name] = schema
    return props


def _op(op_id: str | None, tag: str | None, **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"204": {"description": "done"}}}
    if op_id is not None:
        op["operationId"] = op_id
    if tag is not None:
        op["tags"] = [tag]
    op.update(extra)
    return op


def hostile_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    # operationIds: every hostile name, each its own path, in tags that are hostile too
    for i, name in enumerate(HOSTILE):
        tag = HOSTILE[(i * 7) % len(HOSTILE)]
        paths[f"/ops/{i}"] = {"get": _op(name or None, tag)}
    # a read and a write whose operationIds sanitise alike, in different tags
    paths["/pets"] = {
        "get": _op("userId", "readers", summary="GET /pets"),
        "post": _op("user_id", "writers", summary="POST /pets"),
    }
    pet_id = [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths["/pets/{petId}"] = {"parameters": pet_id, "put": _op("user-id", "x2"), "delete": _op("USER_ID", "x-2")}
    paths["/tags/a"] = {"get": _op("sameName", "Pets"), "post": _op("same_name", "pets")}
    paths["/tags/long"] = {"get": _op("long", "t" * 300)}
    paths["/tags/long2"] = {"get": _op("long2", "t" * 299 + "u")}
    # every hostile name as a parameter of one operation (path, query, header, cookie)
    params = [{"name": "self", "in": "path", "required": True, "schema": {"type": "string"}},
              {"name": "response", "in": "path", "required": True, "schema": {"type": "string"}}]
    for i, name in enumerate(HOSTILE):
        where = ("query", "header", "cookie")[i % 3]
        if where == "header" and (not name.replace("_", "").isalnum() or name.lower() in ("accept", "authorization")):
            where = "query"
        params.append({"name": name, "in": where, "schema": {"type": "string"}})
    paths["/params/{self}/{response}"] = {"post": _op("params", "params", parameters=params,
        requestBody={"content": {"application/json": {"schema": {"$ref": "#/components/schemas/field"}}}})}
    # a body flattened into keyword arguments named like the method's locals
    paths["/flat"] = {"post": _op("flat", "params",
        parameters=[{"name": "len", "in": "query", "schema": {"type": "integer"}}],
        requestBody={"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Flat"}}}})}
    paths["/form"] = {"post": _op("form", "params",
        requestBody={"content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Flat"}}}})}
    # a paged list whose arguments are named like the iterator's locals
    paths["/list"] = {"get": _op("listAll", "paging", **{
        "x-apigen-pagination": {"offset": "page", "limit": "items", "items": "item", "total": "result"},
        "parameters": [{"name": n, "in": "query", "schema": {"type": "integer"}} for n in ("page", "items", "item")],
        "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"item": {"type": "array", "items": {"$ref": "#/components/schemas/HTTPServer"}},
                                             "result": {"type": "integer"}}}}}}}})}
    paths["/servers"] = {"get": _op("servers", "unions", responses={"200": {"description": "ok", "content": {
        "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/HttpServer"}}}}}})}
    # the other body kinds, required headers and cookies, a discriminated union and typed maps
    paths["/multipart"] = {"post": _op("multipart", "bodies",
        requestBody={"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Flat"}}}})}
    paths["/binary"] = {"put": _op("binary", "bodies",
        requestBody={"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})}
    paths["/text"] = {"patch": _op("text", "bodies", parameters=[
        {"name": "response", "in": "header", "required": True, "schema": {"type": "string"}},
        {"name": "data", "in": "cookie", "required": True, "schema": {"type": "string"}},
        {"name": "client", "in": "query", "required": True, "schema": {"type": "array", "items": {"type": "string", "format": "date"}}},
    ], requestBody={"content": {"text/plain": {"schema": {"type": "string"}}}})}
    paths["/maps"] = {"post": _op("maps", "bodies", requestBody={"content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string", "format": "uuid"}}}}}},
        responses={"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tagged"}}}}})}
    variants = [{"$ref": "#/components/schemas/Flat"}, {"$ref": "#/components/schemas/field"}]
    schemas: dict[str, Any] = {
        # every hostile name as a property of a model (some dates and UUIDs, so _dt/_uuid are used)
        "field": {"type": "object", "properties": _props(HOSTILE, fmt=True)},
        "Flat": {"type": "object", "properties": _props(FLAT)},
        "HTTPServer": {"oneOf": variants},
        "HttpServer": {"anyOf": variants},
        "Http-Server": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "Tagged": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                   "discriminator": {"propertyName": "type", "mapping": {"cat": "#/components/schemas/Cat"}}},
        "Cat": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"},
                "data": {"type": "object", "additionalProperties": {"type": "string", "format": "date-time"}}}},
        "Dog": {"type": "object", "required": ["type", "path"], "properties": {"type": {"type": "string"},
                "path": {"type": ["string", "null"]}, "result": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}}},
                "additionalProperties": {"type": "integer"}},
        "Kind": {"type": "string", "enum": ["name", "value", "_", "", "mro", "a-b", "a_b", "A B", "None", "class"]},
    }
    for name in HOSTILE:
        if re.fullmatch(r"[A-Za-z0-9._-]+", name):  # the names OpenAPI allows for components
            schemas.setdefault(name, {"type": "object", "properties": {name: {"type": "integer"}}})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile names", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
