"""Deterministic, collision-free Python identifiers from arbitrary spec names.

Every name the generated code uses is decided here, once; the wire name is always kept beside it.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+")

# Names a generated class body or function body refers to, so a field or argument must never be called that.
_FIELD_RESERVED = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "object", "additional_properties", "to_wire", "from_wire"}
)
_PARAM_RESERVED = frozenset(
    {"self", "cls", "options", "isinstance", "str", "int", "float", "bool", "bytes", "list", "dict", "object", "data"}
)
# Class names generated modules import or define themselves.
_CLASS_RESERVED = frozenset(
    {
        "Any", "Unset", "UNSET", "FileUpload", "OpenStrEnum", "OpenIntEnum", "Client", "AsyncClient", "Union",
        "ApiResponse", "RequestOptions", "RequestData", "Operation", "Enum", "Mapping", "Sequence", "Callable",
    }
)  # fmt: skip


def _ascii_words(text: str) -> list[str]:
    """Split a name into words: camelCase, snake_case, kebab-case, spaces, punctuation, non-ASCII."""
    folded = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    chunk: list[str] = []
    for ch in folded:
        if ch.isascii():
            chunk.append(ch if ch.isalnum() else " ")
        elif unicodedata.combining(ch):
            continue  # an accent that NFKD split off its letter
        else:
            # a character with no ASCII form keeps a stable, readable trace: its code point
            chunk.append(f" u{ord(ch):04x} ")
    for piece in "".join(chunk).split():
        out.extend(_WORD.findall(piece))
    return out


def snake(text: str) -> str:
    """``templateId`` -> ``template_id``, ``X-Auth-Token`` -> ``x_auth_token``, ``2fa`` -> ``n2fa``."""
    words = [w.lower() for w in _ascii_words(text)]
    name = "_".join(words) or "value"
    if name[0].isdigit():
        name = "n" + name
    return name


def pascal(text: str) -> str:
    """``batch_send_sms`` -> ``BatchSendSms``; keeps existing capitals of words (``SMSResult`` -> ``SMSResult``)."""
    words = _ascii_words(text)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if name[0].isdigit():
        name = "N" + name
    return name


def constant(text: str) -> str:
    """An enum member name: ``in-progress`` -> ``IN_PROGRESS``, ``1`` -> ``VALUE_1``, ``""`` -> ``EMPTY``."""
    if text == "":
        return "EMPTY"
    words = [w.upper() for w in _ascii_words(text)]
    name = "_".join(words)
    if not name:
        name = "VALUE_" + "_".join(f"{ord(c):X}" for c in text)
    if name[0].isdigit():
        name = "VALUE_" + name
    if keyword.iskeyword(name) or name in {"NAME", "VALUE"}:
        name += "_"
    return name


def field_name(wire: str) -> str:
    """A dataclass field for a JSON property: ``from`` -> ``from_``, ``list`` -> ``list_``."""
    name = snake(wire)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _FIELD_RESERVED:
        name += "_"
    return name


def param_name(wire: str) -> str:
    """A keyword-only argument for a parameter or body field."""
    name = snake(wire)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _PARAM_RESERVED:
        name += "_"
    return name


def module_name(text: str) -> str:
    """A module (and client attribute) for a tag: ``Global`` -> ``global_``."""
    name = snake(text)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def class_name(text: str) -> str:
    name = pascal(text)
    if name in _CLASS_RESERVED or keyword.iskeyword(name):
        name += "Model"
    return name


def method_name(operation_id: str) -> str:
    name = snake(operation_id)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name.startswith("with_raw_response"):
        name += "_"
    return name


class Namespace:
    """Hands out unique names in one scope; a second ``user_id`` becomes ``user_id_2``, deterministically.

    ``sep`` joins the counter: ``"_"`` for snake_case names, ``""`` for PascalCase ones (``User2``).
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset(), sep: str = "_") -> None:
        self._taken = set(taken)
        self._sep = sep

    def claim(self, name: str) -> str:
        unique, n = name, 2
        while unique in self._taken:
            unique, n = f"{name}{self._sep}{n}", n + 1
        self._taken.add(unique)
        return unique

    def __contains__(self, name: str) -> bool:
        return name in self._taken
