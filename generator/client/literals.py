"""Python source for values: the one way a spec string or a JSON value becomes a literal in generated code.

``repr`` escapes backslashes and control characters, so no spec text can break out of a literal. The
quotes are then chosen as black chooses them (double quotes unless the text holds more ``"`` than ``'``),
and numbers are written as black writes them, so that black leaves every literal unchanged: the formatter
skips black for the built-in templates' output (``generator/output/format.py``).
"""

from __future__ import annotations

import math
from typing import Any


def _quoted(literal: str, doubles: int, singles: int) -> str:
    """``repr``'s literal (``'...'`` or ``"..."``) in black's quotes: double unless that needs more escapes."""
    body = literal[1:-1]  # repr escapes the quote it chose (the single one unless the text holds only ')
    if literal[0] == '"':  # the text has ' and no ": repr's double quotes are black's choice
        return literal
    body = body.replace("\\'", "'")  # now no quote is escaped
    if doubles <= singles:
        return '"' + body.replace('"', '\\"') + '"'
    return "'" + body.replace("'", "\\'") + "'"


def py_str(value: Any) -> str:
    """A Python string literal for any text, in black's quote style."""
    text = str(value)
    return _quoted(repr(text), text.count('"'), text.count("'"))


def py_bytes(value: bytes) -> str:
    """A bytes literal (``b"..."``), in black's quote style."""
    return "b" + _quoted(repr(value)[1:], value.count(b'"'), value.count(b"'"))


def py_number(value: int | float) -> str:
    """An int or a finite float as black writes it (``1e16``, not ``1e+16``); a non-finite float as text."""
    if isinstance(value, bool) or isinstance(value, int):
        return repr(value)
    if not math.isfinite(value):
        return py_str(repr(value))
    return repr(value).replace("e+", "e")


def py_literal(value: Any) -> str:
    """A Python literal for a JSON value (examples, defaults); anything else becomes a string literal."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return py_number(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(py_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_str(value)
