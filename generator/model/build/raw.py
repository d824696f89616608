"""Constants and typed readers of raw document values, shared by the builder layers."""

from __future__ import annotations

import re
from typing import Any

from generator.model import ir

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


_SENSITIVE = re.compile(r"pass(word|wd|code)|secret|token|credential|private_?key|api_?key|signature_?key", re.I)


_METADATA = re.compile(r"(_at|_time|_date|_type|_id|_ids|_count|_url|_uri|_name|expires|expiry)$", re.I)


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
