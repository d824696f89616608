"""Python source for values: the one way a spec string or a JSON value becomes a literal in generated code.

``repr`` escapes quotes, backslashes and control characters, so no spec text can break out of a literal.
"""

from __future__ import annotations

from typing import Any


def py_str(value: Any) -> str:
    """A Python string literal for any text."""
    return repr(str(value))


def py_literal(value: Any) -> str:
    """A Python literal for a JSON value (examples, defaults); anything else becomes a string literal."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(py_literal(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_str(value)
