"""Constants and typed readers of raw document values, shared by the builder layers.

The validator reports a node of the wrong type (a list where a mapping belongs, a number for a name); the
builder reads such a node as empty through these helpers instead of guarding every access, so one bad
node never stops the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeVar

from generator.model import ir

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CONSTRAINT_KEYS = (
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "const",
)  # fmt: skip
# OpenAPI says these header parameters are ignored: the transport or the auth scheme sets them
IGNORED_HEADERS: dict[str, ir.SetBy] = {"accept": "transport", "content-type": "transport", "authorization": "auth"}
# Schemas nested more deeply than this in one walk are not followed: an inline schema there is typed ``Any``
# (with a warning); a named one ($ref target or component) is built later, from the top, so a long chain of
# references never deepens the Python stack. Every IR type is therefore at most this deep, and the emit, docs
# and format stages, which recurse over types, stay far from Python's recursion limit.
MAX_SCHEMA_DEPTH = 32
STATUS = re.compile(r"[1-5](?:[0-9]{2}|XX)", re.IGNORECASE)
ANY = ir.Primitive("any")


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
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_METADATA = re.compile(r"(_at|_time|_date|_type|_id|_ids|_count|_url|_uri|_name|expires|expiry)$", re.I)


def is_sensitive(wire: str, schema: dict[str, Any]) -> bool:
    """Whether a property holds a secret: ``format: password``, or a name such as ``app_secret``/``passcode``."""
    if schema.get("format") == "password" or schema.get("x-apigen-sensitive") is True:
        return True
    if schema.get("type") not in ("string", None) or schema.get("format") in ("date-time", "date"):
        return False
    # camelCase names are matched as snake_case: ``tokenUri`` and ``secretExpiresAt`` are metadata too
    return bool(_SENSITIVE.search(wire)) and not _METADATA.search(_CAMEL_HUMP.sub("_", wire))


MAX_VALUE_DEPTH = 64
MAX_VALUE_NODES = 100_000
DROP = object()  # what the finisher returns for an element to leave out of a tuple

_T = TypeVar("_T", bound=str)


def is_plain(value: Any) -> bool:
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


def json_kind(value: Any) -> str:
    """How messages name the JSON type of a value that is not what the spec should hold there."""
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


def location_key(key: str | int | None) -> str | None:
    """A key for a location lookup: list positions have no line of their own (the list's line is used)."""
    return key if isinstance(key, str) else None


def _get(node: Any, key: str | None) -> Any:
    if key is None:
        return node
    return node.get(key) if isinstance(node, dict) else None


def mapping(node: Any, key: str | None = None) -> dict[str, Any]:
    """``node[key]`` (``node`` itself without a key) if it is a mapping; anything else reads as empty."""
    value = _get(node, key)
    return value if isinstance(value, dict) else {}


def is_mapping(node: Any, key: str | None = None) -> bool:
    """Whether ``node[key]`` (``node`` itself without a key) is a mapping."""
    return isinstance(_get(node, key), dict)


def items(node: Any, key: str | None = None) -> list[Any]:
    """``node[key]`` (``node`` itself without a key) if it is a list; anything else reads as empty."""
    value = _get(node, key)
    return value if isinstance(value, list) else []


def mappings(node: Any, key: str | None = None) -> Iterator[dict[str, Any]]:
    """The mappings in the list ``items(node, key)`` (parameters, ``allOf`` parts, ...), others left out."""
    return (value for value in items(node, key) if isinstance(value, dict))


def entries(node: Any, key: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The ``(name, mapping)`` entries of ``mapping(node, key)`` whose values are mappings, others left out."""
    return ((name, value) for name, value in mapping(node, key).items() if isinstance(value, dict))


def text(node: Any, key: str) -> str:
    """``node[key]`` as text (a description, a summary); missing, empty or null reads as ``""``."""
    value = _get(node, key)
    return str(value) if value else ""


def only_text(value: Any) -> str:
    """``value`` if it is a string; anything else (a wrong type) reads as ``""``."""
    return value if isinstance(value, str) else ""


def strings(value: Any) -> list[str]:
    """The strings (integers as text) of a list such as ``required``; anything else reads as empty."""
    return [str(v) for v in value if isinstance(v, (str, int))] if isinstance(value, list) else []


def choice(value: Any, options: tuple[_T, ...]) -> _T | None:
    """``value`` as one of ``options`` (a closed set of the IR), or None when it is none of them."""
    for option in options:
        if value == option:
            return option
    return None


def primitive_of(value: Any) -> ir.Primitive:
    """The primitive type of a JSON value (a ``const``, an enum of one kind of value)."""
    if isinstance(value, bool):
        return ir.Primitive("bool")
    if isinstance(value, int):
        return ir.Primitive("int")
    if isinstance(value, float):
        return ir.Primitive("float")
    if isinstance(value, str):
        return ir.Primitive("str")
    return ir.Primitive("any")


def first_tag(op: dict[str, Any]) -> str:
    """The tag an operation's method is grouped under: its first, or ``default``."""
    tags = items(op, "tags")
    return str(tags[0]) if tags else "default"


def param_node(item: dict[str, Any], op: dict[str, Any], wire: str, location: str) -> Any:
    """The parameter object (operation level first) that declared ``wire`` in ``location``, for its line."""
    for source in (op, item):
        for raw in mappings(source, "parameters"):
            if str(raw.get("name")) == wire and str(raw.get("in")) == location:
                return raw
    return op
