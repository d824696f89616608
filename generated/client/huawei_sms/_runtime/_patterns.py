"""A text a regular expression matches, for samples (the testing kit's fake, the docs' examples).

Standard library only: the generator loads this file as well (``generator/contract.py``), so the docs show
values that pass the client's own request checks.
"""

from __future__ import annotations

from typing import Any

try:  # Python's own regular-expression parser, to write a text a pattern matches (best effort)
    import re._parser as _sre  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef,unused-ignore]


def from_pattern(pattern: str, min_length: int = 0) -> str:
    """A text ``pattern`` matches (the shortest way through it, repeats stretched towards ``min_length``)."""
    try:
        parsed = _sre.parse(pattern)
    except Exception:  # an ECMA-262 construct Python cannot parse
        return ""
    try:
        return _walk(list(parsed), min_length)
    except Exception:  # a construct the walk does not know
        return ""


def _walk(items: list[Any], min_length: int) -> str:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_in(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = arg
            once = _walk(list(body), 0)
            count = low
            if once and min_length > len(once) * low:
                count = min(
                    int(high) if high != _sre.MAXREPEAT else min_length,
                    min_length // len(once) + 1,
                )
            out.append(once * max(count, low))
        elif name == "SUBPATTERN":
            out.append(_walk(list(arg[-1]), min_length))
        elif name == "BRANCH":
            out.append(_walk(list(arg[1][0]), min_length))
        elif name == "CATEGORY":
            out.append(_category(str(arg)))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _in(arg: list[Any]) -> str:
    negated = any(str(op) == "NEGATE" for op, _ in arg)
    for op, value in arg:
        name = str(op)
        if negated:
            return "a" if not any(str(o) == "LITERAL" and v == ord("a") for o, v in arg) else "b"
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            return chr(value[0])
        if name == "CATEGORY":
            return _category(str(value))
    return "a"


def _category(name: str) -> str:
    return {
        "CATEGORY_DIGIT": "0",
        "CATEGORY_SPACE": " ",
        "CATEGORY_WORD": "a",
        "CATEGORY_NOT_DIGIT": "a",
        "CATEGORY_NOT_SPACE": "a",
        "CATEGORY_NOT_WORD": "-",
    }.get(name, "a")
