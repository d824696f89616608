"""A JSON document read by the standard JSON parser, with the line of every object, array and key.

PyYAML reads JSON too (it is YAML), but it builds a node for every value in Python first: ~25x slower than
``json.loads`` on a 2 MB spec, and several times the memory. Here ``json.loads`` builds the data and one
regular-expression pass over the text finds where each ``{``, ``[`` and key was written: the containers come
in the text in the same order as a pre-order walk of the parsed data (keys in insertion order), so the n-th
opening bracket is the n-th container of that walk.

Anything unusual (a duplicate key, ``NaN``, an integer or string over a limit, nesting deeper than the limit,
text that is not strict JSON) is not decided here: :func:`parse` returns ``None`` and the caller reads the
file with the YAML loader, which reports each of those at its line.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from generator.spec.diagnostics import Location
from generator.spec.limits import Limits, plain_string

# a string (a key when a colon follows), or a bracket; numbers, literals, commas and blanks are skipped
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[{}\[\]]', re.DOTALL)


class _NotPlain(Exception):
    """The text needs the YAML loader's located checks."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _NotPlain  # a duplicate key: the YAML loader names its line
    return data


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotPlain
    return value


def _constant(text: str) -> Any:
    raise _NotPlain  # NaN, Infinity: not JSON data


def parse(text: str, file: str, limits: Limits, nodes: dict[int, Location], keys: dict[int, dict[str, int]],
          alive: list[Any]) -> dict[str, Any] | None:  # fmt: skip
    """The document of ``text`` (a JSON object), recording each container's line in ``nodes`` and each key's in
    ``keys`` (both by ``id``; ``alive`` keeps the containers alive); ``None`` when the YAML loader should read it."""
    if not text.lstrip(" \t\r\n\ufeff").startswith("{"):
        return None

    def integer(digits: str) -> int:
        if len(digits) - digits.startswith("-") > limits.max_int_digits:
            raise _NotPlain
        return int(digits)

    try:
        data = json.loads(text.lstrip("\ufeff"), object_pairs_hook=_pairs, parse_int=integer, parse_float=_float,
                          parse_constant=_constant)  # fmt: skip
    except (_NotPlain, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not _within(data, limits):
        return None
    containers = _preorder(data)
    located: dict[int, Location] = {}
    key_lines: dict[int, dict[str, int]] = {}
    open_: list[tuple[Any, Any]] = []  # (container, iterator over its keys or None)
    line, last, index = 1, 0, 0
    count = text.count
    for match in _TOKENS.finditer(text):
        start = match.start()
        line += count("\n", last, start)
        last = start
        token = text[start]
        if token == "{" or token == "[":
            container = containers[index]
            index += 1
            located[id(container)] = Location(file, line)
            if token == "{":
                key_lines[id(container)] = {}
                open_.append((container, iter(container)))
            else:
                open_.append((container, None))
        elif token == "}" or token == "]":
            open_.pop()
        elif match.group(1) is not None:  # a key of the innermost object
            container, names = open_[-1]
            key_lines[id(container)][next(names)] = line
        # a string value: nothing to record (its newlines are escaped, so it spans no line)
    nodes.update(located)
    keys.update(key_lines)
    alive.extend(containers)
    return data


def _preorder(data: Any) -> list[Any]:
    """The objects and arrays of ``data`` in the order their opening brackets appear in the text."""
    out: list[Any] = []
    stack = [data]
    while stack:
        node = stack.pop()
        out.append(node)
        children = node.values() if isinstance(node, dict) else node
        stack.extend(reversed([c for c in children if isinstance(c, (dict, list))]))
    return out


def _within(data: Any, limits: Limits) -> bool:
    """Every string within the length limit and free of lone surrogates, and nesting within the depth limit."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            return False
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and not plain_string(key, limits):
                return False
            if isinstance(value, str):
                if not plain_string(value, limits):
                    return False
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
    return True
