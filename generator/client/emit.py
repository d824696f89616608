"""Render the IR through the Jinja templates: a pure function ``Api -> {relative path: text}``.

Templates see only the IR and the small filters defined here. Every spec string reaches generated code
through :func:`py_str` or :func:`docstring`, so quotes, backslashes, ``\"\"\"``, ``{{ }}`` and newlines in a
spec can never break out of a literal.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.client.fake import fake_contract
from generator.client.literals import py_literal, py_str
from generator.model import ir
from generator.model.naming import snake
from generator.contract import ClientPlan, client_plan, load_runtime
from generator.output.cache import cache_root
from generator.output.memo import Memo, fingerprint, shared_part
from generator.output.format import DOTTED, FOR_CLAUSE, LINE_LENGTH, NAME_ALONE, NAME_ITEM, STRING

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


# -- literals ----------------------------------------------------------------------------------------




def _escape(ch: str) -> str:
    """A character a docstring cannot hold as itself (a control character, a tab, a line separator)."""
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring that no text can close early, already in the form black gives it.

    Backslashes and quotes are escaped, tabs and other non-printable characters written as escapes (so
    the only whitespace left is spaces and newlines); then black's docstring rules: the first line
    stripped, the later lines rid of their common indentation, re-indented by ``indent`` and stripped at
    the end, and a space before the closing quotes after a text ending in a quote.
    """
    cleaned = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\").replace('"', '\\"')
    if not cleaned.replace("\n", " ").isprintable():  # a tab or another character written as an escape
        cleaned = "".join(ch if ch.isprintable() or ch == "\n" else "\\t" if ch == "\t" else _escape(ch) for ch in cleaned)
    lines = [line.rstrip(" ") for line in cleaned.split("\n")]
    while lines and not lines[0].strip(" "):
        lines.pop(0)
    while lines and not lines[-1].strip(" "):
        lines.pop()
    if not lines:
        return '""" """'
    first, rest = lines[0].strip(" "), lines[1:]
    common = min((len(line) - len(line.lstrip(" ")) for line in rest if line), default=0)
    pad = " " * indent
    if not rest:
        return f'"""{first}{" " if first.endswith(chr(34)) else ""}"""'
    body = "\n".join([first] + [(pad + line[common:]) if line else "" for line in rest])
    return f'"""{body}\n{pad}"""'


def wrap_lines(text: str, width: int) -> str:
    """Each line of ``text`` wrapped to ``width`` columns, keeping its indent (and a bullet's hanging indent)."""
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        lead = line[: len(line) - len(body)]
        hang = lead + ("  " if body.startswith("* ") else "")
        out += textwrap.wrap(body, width - len(lead), initial_indent=lead, subsequent_indent=hang,
                             break_long_words=False, break_on_hyphens=False) or [""]  # fmt: skip
    return "\n".join(out)


def one_line(text: str, limit: int = 0) -> str:
    """The first sentence-ish line of a description."""
    first = str(text).strip().split("\n", 1)[0].strip()
    if limit and len(first) > limit:
        first = first[: limit - 1].rstrip() + "…"
    return first


# strings (docstrings first), comments and attribute names (``x.name``): text that names no module-level name
_NOT_NAMES = re.compile(
    r'"""(?:[^"\\]+|\\[\s\S]|"(?!""))*"""'
    r"|'''(?:[^'\\]+|\\[\s\S]|'(?!''))*'''"
    r'|"(?:[^"\\\n]+|\\[\s\S])*"'
    r"|'(?:[^'\\\n]+|\\[\s\S])*'"
    r"|#[^\n]*"
    r"|\.\s*[A-Za-z_]\w*"
)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def names_used(code: str, candidates: Iterable[str]) -> frozenset[str]:
    """Which of ``candidates`` generated ``code`` uses as names (outside strings and comments, not as attributes).

    How a template imports only what its module uses: it renders the module's code first, then asks.
    """
    text = _NOT_NAMES.sub(" ", code)
    used = set()
    for name in candidates:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not (start and _is_name_char(text[start - 1])) and not (end < len(text) and _is_name_char(text[end])):
                used.add(name)
                break
            start = text.find(name, start + 1)
    return frozenset(used)




def width(text: str) -> int:
    """Columns ``text`` takes as black counts them (East Asian wide and full-width characters count two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(indent: int, head: str, items: Iterable[str], tail: str, one_tuple: bool = False) -> str:
    """``head`` + ``items`` + ``tail`` laid out as black keeps it: on one line when it fits in 100 columns
    (starting at column ``indent``), else one item per line with a trailing comma (black keeps a "magic"
    trailing comma). ``one_tuple``: the brackets make a tuple, so one item takes a comma (``(x,)``). A single
    item of a list or dict display that does not fit goes alone on a line of its own, without a comma; of
    anything else it stays on one line: black splits it its own way (the formatter hands such a line to
    black)."""
    items = list(items)
    line = head + ", ".join(items) + ("," if one_tuple and len(items) == 1 else "") + tail
    pad = " " * (indent + 4)
    if one_tuple and len(items) == 1 and indent + width(line) > LINE_LENGTH and "\n" not in line:
        # a one-tuple's comma is not "magic", but black splits a line too long the same way
        if indent + width(head) <= LINE_LENGTH:
            return f"{head}\n{pad}{statement(indent + 4, '', items[0], ',')}\n{' ' * indent}{tail}"
        return line
    if indent + width(line) <= LINE_LENGTH or "\n" in line:
        return line
    if len(items) == 1:
        if head[-1:] in ("{", "[") and tail[:1] == _CLOSE[_OPEN.index(head[-1])]:
            # one item in a display: black's right-hand split puts it alone on a line (no trailing comma),
            # however long it is there
            return f"{head}\n{pad}{statement(indent + 4, *_named(items[0]))}\n{' ' * indent}{tail}"
        return line
    body = "".join(f"{pad}{statement(indent + 4, *_named(item), ',')}\n" for item in items)
    return head + "\n" + body + " " * indent + tail


# an argument so far that is a lambda's parameters (its commas do not end the argument)
_LAMBDA_PARAMS = re.compile(r"\s*(?:\w+\s*=\s*)?lambda\b[^:]*$")
_OPEN, _CLOSE = "([{", ")]}"
_LAMBDA_HEAD = re.compile(r"lambda\b[^:()\[\]{}'\"]*: ")


# what :func:`_scan` stops at: a bracket, a comma, colon, equals sign or space, or a whole string literal
# (a backslash escaping the character after it), or a quote that opens a string never closed
_SCAN_TOKEN = re.compile(r"""[()\[\]{},:= ]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|["']""", re.DOTALL)


def _scan(expr: str) -> list[tuple[int, str, int]]:
    """Brackets, commas, colons, equals signs and spaces of ``expr`` outside string literals, as (index,
    character, bracket depth outside it); [] when a string or bracket is left open."""
    out: list[tuple[int, str, int]] = []
    depth = 0
    for match in _SCAN_TOKEN.finditer(expr):
        token = match.group()
        if len(token) > 1:
            continue  # a string literal
        j = match.start()
        if token in _OPEN:
            out.append((j, token, depth))
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            out.append((j, token, depth))
        elif token in "\"'":
            return []  # a string left open
        else:
            out.append((j, token, depth))
    return out if depth == 0 else []


def split_call(expr: str) -> tuple[str, list[str]] | None:
    """``callee(a, b)``, ``[a, b]``, ``(a, b)`` or ``{a: b}`` that is the whole of ``expr``, as ("callee(", [a, b]): its
    top-level items, found by scanning brackets and string literals; None for anything else (a
    comprehension, a subscript, a call followed by more)."""
    i = 0
    while i < len(expr) and (expr[i].isalnum() or expr[i] in "_."):
        i += 1
    if i >= len(expr) or expr[i] not in _OPEN or (i > 0 and expr[i] in "[{"):
        return None
    close = _CLOSE[_OPEN.index(expr[i])]
    marks = _scan(expr)
    if not marks or not expr.endswith(close):
        return None
    items: list[str] = []
    start = i + 1
    for j, ch, depth in marks:
        if j <= i:
            continue
        if ch in _CLOSE and depth == 0:
            if j != len(expr) - 1:
                return None
            items.append(expr[start:j].strip())
        elif ch == "," and depth == 1 and not _LAMBDA_PARAMS.match(expr, start, j):
            items.append(expr[start:j].strip())
            start = j + 1
    if not items or "" in items or any(_comprehension(item) for item in items):
        return None  # empty, or a comprehension (black splits those its own way)
    if i == 0 and expr[0] == "(" and len(items) < 2:
        return None  # parentheses around one expression, not a tuple display
    return expr[: i + 1], items


def _comprehension(item: str) -> bool:
    if " for " not in item:
        return False
    return bool(_top_level(item, " for "))


def _named(item: str) -> tuple[str, str]:
    """``name=value`` or ``"key": value`` as (prefix, value); ("", item) for a plain expression or a lambda."""
    if item.startswith("lambda") or ("=" not in item and ": " not in item):
        return "", item
    keyword = re.match(r"\w+=(?=lambda\b)", item)
    if keyword is not None:
        return keyword.group(), item[keyword.end() :]
    for j, ch, depth in _scan(item):
        if depth != 0:
            continue
        if ch == "=" and item[j + 1 : j + 2] != "=" and item[j - 1 : j] not in ("=", "!", "<", ">"):
            return item[: j + 1], item[j + 1 :]
        if ch == ":" and item[j + 1 : j + 2] == " ":
            return item[: j + 2], item[j + 2 :]
    return "", item


def _top_level(expr: str, *words: str) -> list[int]:
    """Where ``expr`` has one of ``words`` (each starting with a space) outside brackets and strings."""
    return [j for j, ch, depth in _scan(expr) if depth == 0 and ch == " " and expr.startswith(words, j)]


def _ternary(expr: str) -> list[str] | None:
    """``a if b else c`` as ["a", "if b", "else c"] (its top-level keywords only), or None."""
    if "lambda" in expr:
        return None
    ifs, elses = _top_level(expr, " if "), _top_level(expr, " else ")
    if not ifs or not elses:
        return None
    a, b = ifs[0], elses[0]
    if not 0 < a < b:
        return None
    return [expr[:a], expr[a + 1 : b], expr[b + 1 :]]


_PLAIN_VALUE = re.compile(rf"{DOTTED}(?:\(\))?")
_SUBSCRIPTED = re.compile(rf"{DOTTED}\[")  # ``name[`` / ``a.b[`` opening a subscript
_STRING_KEY = re.compile(STRING)  # one string literal, nothing else


_KEYED_TARGET = re.compile(rf"([A-Za-z_]\w*)\[({STRING})\] = ")  # ``name["key"] = ``
_SUM_TERM = re.compile(f"{DOTTED}|{STRING}")


def _sum(expr: str) -> list[str] | None:
    """``a + "b"`` as ["a", '"b"']: operands that are names or string literals only (nothing black would
    split first), or None."""
    cuts = _top_level(expr, " + ")
    terms = [expr[a:b] for a, b in zip([0, *(j + 3 for j in cuts)], [*cuts, len(expr)])]
    if not cuts or not all(_SUM_TERM.fullmatch(t) for t in terms):
        return None
    return terms


_TRAILER = re.compile(r"\)\.[A-Za-z_]\w*\(\)$")  # ``).name()`` ending an expression


def _clauses(inner: str) -> list[str] | None:
    """A comprehension's element and its ``for`` and ``if`` clauses (top level only), or None."""
    cuts = _top_level(inner, " for ", " if ")
    # (a lambda at the top level may hold an ``if`` of its own; one inside brackets is no clause's)
    if not cuts or not inner.startswith(" for ", cuts[0]) or _top_level(inner, " lambda ") or "lambda " == inner[:7]:
        return None
    bounds = [0, *(j + 1 for j in cuts)]
    ends = [*cuts, len(inner)]
    return [inner[a:b] for a, b in zip(bounds, ends)]


def _operands(expr: str) -> list[str] | None:
    """``a | b | c`` as ["a", "b", "c"] (split at its top-level ``|`` only), or None when it has none."""
    cuts = _top_level(expr, " | ")
    if not cuts:
        return None
    bounds = [0, *(j + 3 for j in cuts)]
    ends = [*cuts, len(expr)]
    return [expr[a:b] for a, b in zip(bounds, ends)]


def _subscript(indent: int, expr: str) -> str:
    """``name[a, b]`` at column ``indent`` as black splits it: the items on a line of their own when they fit
    there, else one per line with a trailing comma; anything else (or what does not fit) as it is."""
    match = _SUBSCRIPTED.match(expr)
    if match is None or not expr.endswith("]") or not _closes_at_end(expr[match.end() - 1 :]):
        return expr
    inner = expr[match.end() : -1]
    pad = " " * (indent + 4)
    if indent + 4 + width(inner) <= LINE_LENGTH:
        return f"{match.group()}\n{pad}{inner}\n{' ' * indent}]"
    parts = split_call("(" + inner + ")")
    if parts is None:  # one item (``list[dict[...]]``): split in turn, no comma added
        return f"{match.group()}\n{pad}{_subscript(indent + 4, inner)}\n{' ' * indent}]"
    items = [item if indent + 4 + width(item) + 1 <= LINE_LENGTH else _subscript(indent + 4, item) for item in parts[1]]
    return match.group() + "\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + "]"


def _all_fit(indent: int, text: str, names: bool = False) -> bool:
    """Whether every line of ``text`` (its first at column ``indent``, the others indented) is within 100;
    with ``names``, a line that is only a (dotted) name, with or without a comma, may be longer: black cannot
    split it either, and lays the annotation around it out the same way."""
    first, _, rest = text.partition("\n")
    return indent + width(first) <= LINE_LENGTH and all(
        width(line) <= LINE_LENGTH or (names and (NAME_ITEM.fullmatch(line) or NAME_ALONE.fullmatch(line)) is not None)
        for line in rest.split("\n")
    )


def _type_lines(indent: int, annotation: str) -> str:
    """An annotation too long for a line of its own at column ``indent``, inside parentheses, as black lays it
    out: a union one operand per line (``| B`` leading the lines after the first), each operand too long
    split at its subscript's brackets; the first line unindented, the others at their columns."""
    if indent + width(annotation) <= LINE_LENGTH:
        return annotation
    operands = _operands(annotation)
    if operands is None:
        return _subscript(indent, annotation)
    lines = []
    for n, operand in enumerate(operands):
        lead = "" if n == 0 else "| "
        text = lead + operand
        if indent + width(text) > LINE_LENGTH and not lead:
            text = _subscript(indent, operand)
        lines.append(text)
    return f"\n{' ' * indent}".join(lines)


def statement(indent: int, prefix: str, expr: str, suffix: str = "") -> str:
    """``prefix`` + ``expr`` + ``suffix`` (one statement or item at column ``indent``) as black keeps it: on
    one line when it fits; else a call, list or dict display exploded one item per line with a trailing
    comma (each item laid out in turn), or its one argument alone on a line; a parenthesized expression
    with its content on a line of its own, or a conditional one on three lines. Anything else stays on
    one line, for black (the formatter hands such a line over)."""
    if prefix.endswith(("= ", "return ")) and expr.startswith("(") and _closes_at_end(expr) and _ternary(expr[1:-1]):
        # black drops redundant parentheses around a right-hand side (and adds them back to split it)
        bare = prefix + expr[1:-1] + suffix
        if indent + width(bare) <= LINE_LENGTH:
            return bare
    line = prefix + expr + suffix
    if indent + width(line) <= LINE_LENGTH:
        return line
    pad = " " * (indent + 4)
    # a value after ``x = `` or ``return `` (``await`` included): black may wrap it in parentheses
    awaited = "await " if prefix.endswith("await ") else ""
    lhs = prefix[: len(prefix) - len(awaited)]
    rhs = not suffix and (lhs.endswith(" = ") or lhs == "return ")
    if rhs and _PLAIN_VALUE.fullmatch(expr):
        # a dotted name (or an argument-less call of one): black has nothing else to split, so it wraps
        # the value in parentheses on a line of its own, however long the lines stay
        return f"{lhs}(\n{pad}{awaited}{expr}\n{' ' * indent})"
    lam = _LAMBDA_HEAD.match(expr)
    if lam is not None:  # black splits a lambda's body only: a call there, its arguments on one line if they fit
        parts = split_call(expr[lam.end() :])
        if parts is None or not parts[0].endswith("("):
            return line
        head, items = parts
        joined = ", ".join(items)
        if indent + 4 + width(joined) <= LINE_LENGTH:
            return f"{prefix}{lam.group()}{head}\n{pad}{joined}\n{' ' * indent}){suffix}"
        return statement(indent, prefix + lam.group(), expr[lam.end() :], suffix)
    parts = split_call(expr)
    if parts is None:
        subscript = _SUBSCRIPTED.match(expr)
        if subscript is not None and expr.endswith("]") and _closes_at_end(expr[subscript.end() - 1 :]):
            # ``name[key]``: black splits at the subscript's brackets, the key alone on a line
            inner = expr[subscript.end() : -1]
            # (a string key too long for its own line stays there: black cannot split it)
            if indent + width(prefix + subscript.group()) <= LINE_LENGTH and _STRING_KEY.fullmatch(inner):
                return f"{prefix}{_subscript(indent, expr)}{suffix}"
            return line
        if expr[:1] in "[{" and _closes_at_end(expr) and _comprehension(expr[1:-1]):
            inner = expr[1:-1]  # a comprehension: its brackets split, the rest on a line if it fits
            if indent + width(prefix) + 1 > LINE_LENGTH:
                target = _KEYED_TARGET.fullmatch(prefix)
                if target is None:
                    return line
                # ``name["key"] = {`` too long: black splits the target's brackets too, the key alone
                prefix = f"{target.group(1)}[\n{pad}{target.group(2)}\n{' ' * indent}] = "
            if indent + 4 + width(inner) <= LINE_LENGTH:
                return f"{prefix}{expr[0]}\n{pad}{inner}\n{' ' * indent}{expr[-1]}{suffix}"
            clauses = _clauses(inner)  # else one line each for the element and its ``for``/``if`` clauses
            if clauses is None:
                return line
            # (the element split in turn when it does not fit; a ``for`` clause black cannot split may stay
            # too long)
            clauses[0] = statement(indent + 4, *_named(clauses[0]))
            if all(_all_fit(indent + 4, c) or FOR_CLAUSE.fullmatch(c) for c in clauses):
                return f"{prefix}{expr[0]}\n" + "".join(f"{pad}{c}\n" for c in clauses) + f"{' ' * indent}{expr[-1]}{suffix}"
            return line
        terms = _sum(expr) if not prefix and suffix == "," else None
        if terms is not None:
            # an item ``a + "b"``: black splits before its ``+``, each operand on a line of its own
            return f"\n{' ' * indent}+ ".join(terms) + suffix
        trailer = _TRAILER.search(expr)
        if trailer is not None and split_call(expr[: trailer.start() + 1]) is not None:
            # ``f(a, b).encode()``: black splits the call before the trailer, which follows its bracket
            out = statement(indent, prefix, expr[: trailer.start() + 1], expr[trailer.start() + 1 :] + suffix)
            return out if "\n" in out and _all_fit(indent, out) else line
        if expr.startswith("(") and _closes_at_end(expr):  # a parenthesized expression
            inner = expr[1:-1]
            if indent + 4 + width(inner) <= LINE_LENGTH:
                return f"{prefix}(\n{pad}{inner}\n{' ' * indent}){suffix}"
            branches = _ternary(inner)
            if branches is not None:
                return f"{prefix}(\n" + "".join(f"{pad}{b}\n" for b in branches) + f"{' ' * indent}){suffix}"
        return line
    head, items = parts
    if rhs and indent + width(prefix + head) > LINE_LENGTH:
        # black does not split a value at a call's brackets when the line up to them is too long: it
        # wraps the value in parentheses on a line of its own, split there in turn when it does not fit
        # (black's "second opinion": taken only when every line of it fits; else the split at the call's
        # bracket below stands, its first line too long)
        # (when ``target = (`` itself does not fit, the second opinion fails at once: the split stands)
        wrapped = f"{lhs}(\n{pad}{statement(indent + 4, awaited, expr)}\n{' ' * indent})"
        if indent + width(lhs) + 1 <= LINE_LENGTH and _all_fit(indent, wrapped):
            return wrapped
    if len(items) == 1 and head.endswith("(") and (
        indent + 4 + width(items[0]) <= LINE_LENGTH or NAME_ALONE.fullmatch(" " + items[0])
    ):
        # one argument alone on its own line (black's right-hand split: no trailing comma), a name there
        # however long
        return f"{prefix}{head}\n{pad}{items[0]}\n{' ' * indent}{expr[-1]}{suffix}"
    body = "".join(f"{pad}{statement(indent + 4, *_named(item), ',')}\n" for item in items)
    return f"{prefix}{head}\n{body}{' ' * indent}{expr[-1]}{suffix}"


_MEMBER_TEST = re.compile(rf"({STRING}) (in [A-Za-z_]\w*)")  # ``"key" in name``


def if_line(indent: int, condition: str) -> str:
    """``if condition:`` as black keeps it: a ``"key" in name`` test too long (and so too long for a line of its
    own in parentheses, as wide as ``if `` and ``:``) split in parentheses before its ``in``; anything else
    stays on one line, for black."""
    line = f"if {condition}:"
    if indent + width(line) <= LINE_LENGTH:
        return line
    pad = " " * (indent + 4)
    test = _MEMBER_TEST.fullmatch(condition)
    if test is None:
        return line
    return f"if (\n{pad}{test.group(1)}\n{pad}{test.group(2)}\n{' ' * indent}):"


def assign(indent: int, target: str, value: str) -> str:
    """``target = value`` as black keeps it: a value that makes the line too long but fits a line of its own
    in parentheses (black's invisible parentheses made visible)."""
    line = f"{target} = {value}"
    if indent + width(line) <= LINE_LENGTH or indent + 4 + width(value) > LINE_LENGTH:
        return line
    return f"{target} = (\n{' ' * (indent + 4)}{value}\n{' ' * indent})"


def param(indent: int, name: str, annotation: str, default: str = "") -> str:
    """One parameter line of an exploded signature (``name: annotation = default,``) as black keeps it: an
    annotation that makes it too long split at its brackets when it is a subscript alone, else in
    parentheses (a union one operand per line when it does not fit a line of its own). Lines after the
    first are indented relative to the first (the template indents the whole signature)."""
    tail = f" = {default}," if default else ","
    line = f"{name}: {annotation}{tail}"
    if indent + width(line) <= LINE_LENGTH or indent + width(name) + 3 > LINE_LENGTH or _lone_name(indent, annotation):
        return line
    if _operands(annotation) is None and annotation.endswith("]"):
        out = f"{name}: {_subscript(indent, annotation)}{tail}"
    else:
        out = f"{name}: (\n{' ' * (indent + 4)}{_type_lines(indent + 4, annotation)}\n{' ' * indent}){tail}"
    if "\n" not in out or not _all_fit(indent, out, names=True):
        return line  # black's to lay out
    return out.replace("\n" + " " * indent, "\n")  # relative to the first line


def annotated(indent: int, name: str, annotation: str, value: str) -> str:
    """``name: annotation = value`` as black keeps it when too long: the value split (a call's arguments, or
    an atom in parentheses) when the line up to it fits, else the annotation in parentheses on a line of
    its own."""
    line = f"{name}: {annotation} = {value}"
    if indent + width(line) <= LINE_LENGTH:
        return line
    head = f"{name}: {annotation} = "
    if indent + width(head) + 1 <= LINE_LENGTH:
        parts = split_call(value)
        if parts is not None:  # split at the call's brackets when its head fits, else left to black
            return statement(indent, head, value) if indent + width(head + parts[0]) <= LINE_LENGTH else line
        if indent + 4 + width(value) <= LINE_LENGTH:
            return f"{head}(\n{' ' * (indent + 4)}{value}\n{' ' * indent})"
        return line
    if _lone_name(indent, annotation):
        return line
    if _operands(annotation) is None and annotation.endswith("]"):  # a subscript alone: split at its brackets
        out = f"{name}: {_subscript(indent, annotation)} = {value}"
    else:
        out = f"{name}: (\n{' ' * (indent + 4)}{_type_lines(indent + 4, annotation)}\n{' ' * indent}) = {value}"
    return out if "\n" in out and _all_fit(indent, out, names=True) else line


def _lone_name(indent: int, annotation: str) -> bool:
    """Whether ``annotation`` is one (dotted) name too long for a line of its own in parentheses: black
    leaves the line as it is (parentheses around what cannot be split would not help)."""
    return indent + 4 + width(annotation) > LINE_LENGTH and NAME_ALONE.fullmatch(" " + annotation) is not None


def bare_annotation(indent: int, name: str, annotation: str) -> str:
    """``name: annotation`` (no value) as black keeps it: an annotation too long in parentheses, on a line of
    its own or laid out there as :func:`annotated` lays it out."""
    line = f"{name}: {annotation}"
    if indent + width(line) <= LINE_LENGTH or indent + width(name) + 3 > LINE_LENGTH or _lone_name(indent, annotation):
        return line
    if _operands(annotation) is None and annotation.endswith("]"):
        # a subscript alone: split at its brackets, no parentheses (black omits optional ones there)
        out = f"{name}: {_subscript(indent, annotation)}"
    else:
        out = f"{name}: (\n{' ' * (indent + 4)}{_type_lines(indent + 4, annotation)}\n{' ' * indent})"
    return out if "\n" in out and _all_fit(indent, out, names=True) else line  # what still does not fit is black's


def _closes_at_end(expr: str) -> bool:
    """Whether the bracket ``expr`` opens with closes at its end (string literals skipped)."""
    for j, ch, depth in _scan(expr):
        if ch in _CLOSE and depth == 0:
            return j == len(expr) - 1
    return False


def def_line(indent: int, head: str, params: list[str], tail: str) -> str:
    """A ``def`` line as black keeps it: on one line when it fits, else one parameter per line with a
    trailing comma (which black adds to a split signature even for one parameter)."""
    line = head + ", ".join(params) + tail
    if indent + width(line) <= LINE_LENGTH:
        return line
    pad = " " * (indent + 4)
    return head + "\n" + "".join(f"{pad}{p},\n" for p in params) + " " * indent + tail


def import_line(module: str, names: list[str]) -> str:
    """``from module import a, b``, or parenthesized one name per line when that is over 100 columns."""
    line = f"from {module} import {', '.join(names)}"
    if width(line) <= LINE_LENGTH:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"


def wrap_call(indent: int, head: str, inner: str, tail: str) -> str:
    """A call of one argument that is itself a call (``f(g(a, b))``) as black lays it out: on one line when it
    fits, else the argument on a line of its own (exploded in turn when it does not fit there)."""
    line = head + inner + tail
    if indent + width(line) <= LINE_LENGTH:
        return line
    pad = " " * (indent + 4)
    return f"{head}\n{pad}{statement(indent + 4, '', inner)}\n{' ' * indent}{tail}"


def dict_entry(indent: int, key: str, value: str) -> str:
    """``key: value,`` in an exploded dict display; a value too long for the line (a conditional expression)
    in parentheses on a line of its own, as black puts it."""
    line = f"{key}: {value},"
    if indent + width(line) <= LINE_LENGTH:
        return line
    return f"{key}: (\n{' ' * (indent + 4)}{value}\n{' ' * indent}),"


# -- types -------------------------------------------------------------------------------------------


class TypeRenderer:
    """Python annotations and decode/encode expressions for IR types, knowing the models by name."""

    def __init__(self, api: ir.Api, models_prefix: str = "", base: TypeRenderer | None = None) -> None:
        self.api = api
        self.prefix = models_prefix
        self.base = base  # another renderer of the same API, whose results do not depend on the prefix
        self._checkable: frozenset[str] | None = None

    def model(self, name: str) -> ir.Model:
        return self.api.model(name)

    def annotation(self, t: ir.TypeRef | None) -> str:
        match t:
            case None:
                return "None"
            case ir.Primitive(kind, fmt):
                return _PRIMITIVE_ANNOTATIONS.get((kind, fmt)) or _PRIMITIVE_ANNOTATIONS[(kind, "")]
            case ir.ArrayType(item):
                return f"list[{self.annotation(item)}]"
            case ir.MapType(value):
                return f"dict[str, {self.annotation(value)}]"
            case ir.Nullable(inner_type):
                inner = self.annotation(inner_type)
                return inner if inner == "Any" else f"{inner} | None"
            case ir.ModelRef(name):
                return self.prefix + name
            case _:
                ir.assert_never(t)

    def caller(self, value: ir.Field | ir.Parameter) -> str:
        """The annotation of what the caller passes: the type, or for ``x-apigen-wire`` its value or the text."""
        if value.wire is None:
            return self.annotation(value.type)
        inner = self.annotation(value.wire.value)
        return inner if inner == "Any" else f"{inner} | str"

    def shape(self, t: ir.TypeRef) -> str:
        """The run-time shape ``_wire`` checks a wire-encoded value against (``list[str]``; ``any``: not checked)."""
        if isinstance(t, ir.Primitive):
            return t.kind if t.kind in ("str", "int", "float", "bool") and t.format in ("", "int32", "int64") else "any"
        if isinstance(t, ir.ArrayType):
            return f"list[{self.shape(t.item)}]"
        if isinstance(t, ir.MapType):
            return f"dict[{self.shape(t.value)}]"
        if isinstance(t, ir.ModelRef):
            model = self.model(t.name)
            if isinstance(model, ir.EnumModel):
                return model.base
        return "any"

    def wire_encode(self, value: ir.Field | ir.Parameter, expr: str, name: str) -> str:
        """``expr`` encoded per its ``x-apigen-wire`` (unchanged without one); ``name`` is what errors call it."""
        w = value.wire
        if w is None:
            return expr
        if w.kind == "join":
            item = w.value.item if isinstance(w.value, ir.ArrayType) else w.value
            return f"_wire.e_join({expr}, {py_str(w.separator)}, {py_str(name)}, {py_str(self.shape(item))})"
        return f"_wire.e_json({expr}, {py_str(name)}, {py_str(self.shape(w.value))})"

    # -- request checks (``_checks``) -------------------------------------------------------------------
    def rules(self, constraints: ir.Constraints, skip: tuple[str, ...] = ()) -> str:
        """The checked keywords of ``constraints`` as keyword arguments of ``_checks.check`` (", max_length=21")."""
        given = {k: v for k, v in constraints.items if k in _CHECKED and k not in skip}
        for bound in ("Maximum", "Minimum"):  # OpenAPI 3.0's boolean exclusiveMaximum/Minimum modify the bound
            flag, plain = "exclusive" + bound, bound.lower()
            if given.get(flag) is True and plain in given:
                given[flag] = given.pop(plain)
            elif isinstance(given.get(flag), bool):
                del given[flag]
        out = []
        for key, value in given.items():
            if key == "enum":
                if isinstance(value, tuple) and value and all(_scalar(v) for v in value):
                    out.append(f", enum=({', '.join(py_literal(v) for v in value)}{',' if len(value) == 1 else ''})")
            elif key == "uniqueItems":
                if value is True:
                    out.append(", unique_items=True")
            elif key == "pattern":
                if isinstance(value, str):
                    out.append(f", pattern={py_str(value)}")
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and _scalar(value):
                if key in ("maxLength", "minLength", "maxItems", "minItems") and (not isinstance(value, int) or value < 0):
                    continue
                if key == "multipleOf" and value <= 0:
                    continue
                out.append(f", {_CHECKED[key]}={py_literal(value)}")
        return "".join(out)

    def check(self, t: ir.TypeRef | None, constraints: ir.Constraints, value: str, path: str, depth: int = 0) -> str:
        """An expression checking ``value`` (found at path expression ``path``) before sending; "" when nothing applies."""
        x, q = f"_c{depth}", f"_q{depth}"
        if t is None:
            return ""
        if isinstance(t, ir.Nullable):
            return self.check(t.inner, constraints, value, path, depth)
        extra = ""
        skip: tuple[str, ...] = ()
        if isinstance(t, ir.ArrayType):
            inner = self.check(t.item, t.item_constraints, x, q, depth + 1)
            extra = f", items=lambda {x}, {q}: {inner}" if inner else ""
        elif isinstance(t, ir.MapType):
            inner = self.check(t.value, ir.Constraints(), x, q, depth + 1)
            extra = f", values=lambda {x}, {q}: {inner}" if inner else ""
        elif isinstance(t, ir.ModelRef):
            model = self.model(t.name)
            if isinstance(model, ir.EnumModel):
                extra, skip = f", members={self.prefix}{model.name}", ("enum",)
            elif isinstance(model, ir.ObjectModel):
                return f"_checks.model({value}, {path})" if model.name in self.checkable() else ""
        rules = self.rules(constraints, skip)
        if not rules and not extra:
            return ""
        return f"_checks.check({value}, {path}{rules}{extra})"

    def field_checks(self, f: ir.Field | ir.Parameter, value: str, path: str) -> list[str]:
        """Checks of one argument or field: its value, and for ``x-apigen-wire`` the list and the text."""
        w = f.wire
        if w is None:
            own = self.check(f.type, f.constraints, value, path)
            return [own] if own else []
        out = []
        if w.kind == "join" and isinstance(w.value, ir.ArrayType):
            inner = self.check(w.value.item, w.item_constraints, "_c0", "_q0", 1)
            counts = ir.Constraints(tuple((k, v) for k, v in w.constraints.items if k in ("minItems", "maxItems")))
            rules = self.rules(counts)
            if inner or rules:
                items = f", items=lambda _c0, _q0: {inner}" if inner else ""
                out.append(f"_checks.joined({value}, {path}, {py_str(w.separator)}{rules}{items})")
        else:
            t = w.value
            if isinstance(t, ir.ArrayType):
                t = ir.ArrayType(t.item, w.item_constraints)
            own = self.check(t, w.constraints, value, path)
            if own:
                out.append(own)
        text = self.check(f.type, f.constraints, self.wire_encode(f, value, f.name), path)
        if text:
            out.append(text)
        return out

    def has_checks(self, model: ir.ObjectModel) -> bool:
        """Whether a field the model sends has a check (the ``model_checks`` macro of models.py.jinja writes them)."""
        return any(self.field_checks(f, "self." + f.name, "path") for f in model.fields if not f.read_only)

    def checkable(self) -> frozenset[str]:
        """Object models with something to check, directly or in a model they contain (a least fixed point)."""
        if self.base is not None:
            return self.base.checkable()
        if self._checkable is None:
            self._checkable = frozenset()
            objects = [m for m in self.api.models if isinstance(m, ir.ObjectModel)]
            while True:
                found = frozenset(m.name for m in objects if m.name in self._checkable or self.has_checks(m))
                if found == self._checkable:
                    break
                self._checkable = found
        return self._checkable

    def decode(self, t: ir.TypeRef | None, value: str, path: str, depth: int = 0) -> str:
        """An expression decoding JSON ``value`` (found at JSON path expression ``path``) into ``t``."""
        v, p = f"_v{depth}", f"_p{depth}"
        match t:
            case None:
                return "None"
            case ir.Primitive(kind, fmt):
                fn = _PRIMITIVE_DECODERS.get((kind, fmt)) or _PRIMITIVE_DECODERS[(kind, "")]
                if fn == "binary":
                    return f"_wire.d_str({value}, {path}).encode()"
                if fn == "any":
                    return value
                return f"_wire.{fn}({value}, {path})"
            case ir.ArrayType(item):
                return f"_wire.d_list({value}, {path}, lambda {v}, {p}: {self.decode(item, v, p, depth + 1)})"
            case ir.MapType(item):
                return f"_wire.d_map({value}, {path}, lambda {v}, {p}: {self.decode(item, v, p, depth + 1)})"
            case ir.Nullable(inner):
                return f"_wire.d_nullable({value}, {path}, lambda {v}, {p}: {self.decode(inner, v, p, depth + 1)})"
            case ir.ModelRef(name):
                match self.model(name):
                    case ir.EnumModel() as model:
                        return f"_wire.d_enum({value}, {path}, {self.prefix}{model.name})"
                    case ir.UnionModel() as model:
                        return f"{self.prefix}{model.decoder}({value}, {path})"
                    case ir.ObjectModel() as model:
                        return f"{self.prefix}{model.name}.from_wire({value}, {path})"
                    case other:
                        ir.assert_never(other)
            case _:
                ir.assert_never(t)

    def decoder_fn(self, t: ir.TypeRef) -> str:
        """A callable ``(value, path) -> T`` for ``t`` (used for union variants)."""
        if isinstance(t, ir.ModelRef):
            model = self.model(t.name)
            if isinstance(model, ir.ObjectModel):
                return f"{self.prefix}{model.name}.from_wire"
            if isinstance(model, ir.UnionModel):
                return f"{self.prefix}{model.decoder}"
        return f"lambda _v0, _p0: {self.decode(t, '_v0', '_p0', 1)}"

    def encode(self, t: ir.TypeRef | None, value: str, depth: int = 0) -> str:
        """An expression turning ``value`` of type ``t`` into plain JSON data."""
        x = f"_x{depth}"
        match t:
            case None:
                return value
            case ir.Primitive(kind, fmt):
                return _encode_primitive(kind, fmt, value)
            case ir.ArrayType(item):
                inner = self.encode(item, x, depth + 1)
                return value if inner == x else f"[{inner} for {x} in {value}]"
            case ir.MapType(item):
                inner = self.encode(item, x, depth + 1)
                return value if inner == x else f"{{_k{depth}: {inner} for _k{depth}, {x} in {value}.items()}}"
            case ir.Nullable(inner_type):
                inner = self.encode(inner_type, value, depth)
                return value if inner == value else f"(None if {value} is None else {inner})"
            case ir.ModelRef(name):
                if isinstance(self.model(name), ir.ObjectModel):
                    return f"{value}.to_wire()"
                return f"_wire.to_json_value({value})"
            case _:
                ir.assert_never(t)


# formats whose values are plain JSON already (strings, numbers) when encoded
_PLAIN_FORMATS = ("", "uri", "email", "int32", "int64", "hostname", "password", "uri-reference")


def _encode_primitive(kind: ir.PrimitiveKind, fmt: str, value: str) -> str:
    if kind in ("str", "int", "bool", "any", "null") and fmt in _PLAIN_FORMATS:
        return value
    if kind == "float":
        return value
    if fmt == "date-time":
        return f"_wire.e_datetime({value})"
    if fmt == "date":
        return f"_wire.e_date({value})"
    if fmt == "uuid":
        return f"str({value})"
    if fmt in ("byte", "binary"):
        return f"_wire.to_json_value({value})"
    return value


# the validation keywords ``_checks`` enforces on requests
_CHECKED = {
    "maxLength": "max_length", "minLength": "min_length", "pattern": "pattern", "maxItems": "max_items",
    "minItems": "min_items", "uniqueItems": "unique_items", "maximum": "maximum", "minimum": "minimum",
    "exclusiveMaximum": "exclusive_maximum", "exclusiveMinimum": "exclusive_minimum", "multipleOf": "multiple_of",
    "enum": "enum",
}  # fmt: skip


def _scalar(value: Any) -> bool:
    """A value a rule can hold in generated code: text, a bool, or a finite number."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, bool, int))


_PRIMITIVE_ANNOTATIONS: dict[tuple[ir.PrimitiveKind, str], str] = {
    ("str", ""): "str",
    ("str", "date-time"): "_dt.datetime",
    ("str", "date"): "_dt.date",
    ("str", "uuid"): "_uuid.UUID",
    ("str", "byte"): "bytes",
    ("str", "binary"): "bytes | FileUpload",
    ("int", ""): "int",
    ("float", ""): "float",
    ("bool", ""): "bool",
    ("any", ""): "Any",
    ("null", ""): "None",
}
_PRIMITIVE_DECODERS: dict[tuple[ir.PrimitiveKind, str], str] = {
    ("str", ""): "d_str",
    ("str", "date-time"): "d_datetime",
    ("str", "date"): "d_date",
    ("str", "uuid"): "d_uuid",
    ("str", "byte"): "d_bytes",
    ("str", "binary"): "binary",
    ("int", ""): "d_int",
    ("float", ""): "d_float",
    ("bool", ""): "d_bool",
    ("any", ""): "any",
    ("null", ""): "d_null",
}


def member_path_suffix(key: str) -> str:
    """The JSON-path suffix of a member, computed at generation time (``.smsMsgId`` or ``["a-b"]``)."""
    if key.isidentifier() and key.isascii():
        return "." + key
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


# -- environment -------------------------------------------------------------------------------------


def _bytecode_cache(templates: Path) -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept between runs (Jinja checks each entry against its template's
    source and its own and Python's versions). The built-in templates are compiled once per installation
    and kept beside them in ``__pycache__``, as Python keeps a module's bytecode: they do not depend on any
    spec. Templates given with ``--templates``, or an installation that cannot be written, use the cache
    folder."""
    folders = [templates / "__pycache__"] if templates == TEMPLATES else []
    for directory in [*folders, cache_root() / "jinja"]:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(directory, os.W_OK | os.X_OK):
            return jinja2.FileSystemBytecodeCache(str(directory))
    return None


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # compiled templates are reused across runs (keyed by template source and Jinja version)
        bytecode_cache=_bytecode_cache(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=False),
    )
    # layout helpers for generated Python: black keeps what they write (see generator/output/format.py)
    env.globals.update(
        fit=fit, statement=statement, wrap_call=wrap_call, dict_entry=dict_entry, def_line=def_line, import_line=import_line,
        annotated=annotated,
        bare_annotation=bare_annotation,
        assign=assign,
        if_line=if_line,
        param=param,
    )
    env.filters.update(
        py_str=py_str,
        py_literal=py_literal,
        docstring=docstring,
        one_line=one_line,
        wrap_lines=wrap_lines,
        member_path=member_path_suffix,
    )
    return env



# -- the client package ------------------------------------------------------------------------------


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


@dataclass(frozen=True)
class Emitted:
    """The client package: ``{relative path: text}``, and which of those are copied unchanged from templates/."""

    files: dict[str, str]
    verbatim: frozenset[str]  # the runtime's sources: already formatted, black leaves them alone
    stable: frozenset[str] = frozenset()  # rendered from the built-in templates: written as black writes them
    # kept texts (memo.py) the format check vouched for whole when they were rendered: nothing to check
    final: frozenset[str] = frozenset()
    # the texts rendered this time that are to be kept for next time (name -> key), in ``memo``: kept once
    # the format check has said whether it vouches for each whole
    keys: dict[str, str] = dataclasses.field(default_factory=dict)
    memo: Memo | None = dataclasses.field(default=None, compare=False)


class ClientEmitter:
    """Everything the client templates need beyond the IR: a few helpers, and where each file goes."""

    def __init__(
        self, api: ir.Api, package: ir.PackageInfo, templates: Path = TEMPLATES, shared_digest: str | None = None
    ) -> None:
        self.api = api
        self.package = package
        self.templates = templates
        self.shared = shared_part(api)  # what the kept modules are rendered from besides their own resource
        self.shared_digest = shared_digest
        self.runtime_dir = templates / "client" / "runtime"
        self.runtime = load_runtime(self.runtime_dir)
        self.plan: ClientPlan = client_plan(api, package, self.runtime)
        self.env = environment(templates)
        self.env.filters["md_cell"] = md_cell
        self.types = TypeRenderer(api)
        self.reserved = self.runtime.reserved_names() | {"with_raw_response"}
        self.env.globals.update(
            api=api,
            package=package,
            types=self.types,
            snake=snake,
            names_used=names_used,
            dict_items=lambda mapping: [f"{py_str(k)}: {py_literal(v)}" for k, v in dict(mapping).items()],
            each=lambda fn, items: [fn(item) for item in items],
            pairs_of=lambda keys, values: [f"{k}: {v}" for k, v in zip(keys, values)],
            py_tuple=lambda values: py_literal(tuple(values)),
            dotted=lambda pair: ".".join(pair),
            py_str=py_str,
            server_expr=self.server_expr,
            flow_expr=lambda f: f"OAuthFlow({py_str(f.kind)}, {py_str(f.token_url)}, {py_literal(f.scopes)})",
            error_shape_expr=lambda e: (
                f"ErrorShape(code={py_literal(e.code)}, message={py_literal(e.message)}, detail={py_literal(e.detail)}, "
                f"request_id={py_literal(e.request_id)}, when={py_str(e.when)})"
            ),
            body_annotation=self.body_annotation,
            return_annotation=self.return_annotation,
            decoded_responses=self.decoded_responses,
            status_test=self.status_test,
            resource_doc=self.resource_doc,
            plan=self.plan,
            empty_constraints=ir.Constraints(),
            lookups=self.lookups,
            api_imports=self.api_imports,
            error_decoders=self.error_decoders,
            error_decoders_used=lambda: " ".join(e for op in api.operations for _, e in self.error_decoders(op)),
            server_choices=server_choices,
            resource_attr=self.resource_attr,
            resource_attr_of=lambda op: self.resource_attr(next(r for r in api.resources if op in r.operations)),
        )
        # the docstring macros of _client.py.jinja, as globals (that template calls them by these names)
        macros = self.env.get_template("client/package/_macros.jinja").module
        self.env.globals.update({name: getattr(macros, name) for name in ("client_doc", "init_doc")})
        # models live in the same module as their decoders; resources refer to them as ``_m.Name``
        self.resource_types = TypeRenderer(api, models_prefix="_m.", base=self.types)

    # -- helpers the templates call ------------------------------------------------------------------
    def server_expr(self, server: ir.Server) -> str:
        """``Server(url, {variable: default}, choices=...)`` for ``_api.py``."""
        variables = "{" + ", ".join(f"{py_str(v.name)}: {py_str(v.default)}" for v in server.variables) + "}"
        choices = server_choices(server)
        return f"Server({py_str(server.url)}, {variables}" + (f", choices={py_literal(choices)})" if choices else ")")

    def resource_attr(self, resource: ir.Resource) -> str:
        return resource.name + "_" if resource.name in self.reserved or resource.name.startswith("_") else resource.name

    def body_annotation(self, body: ir.RequestBody) -> str:
        media = body.chosen
        if media.is_bytes:
            return "bytes | FileUpload"
        if media.kind == "text":
            return "str"
        return self.resource_types.annotation(media.type)

    def decoded_responses(self, op: ir.Operation) -> list[ir.Response]:
        """Success responses in matching order: exact codes, then ranges like ``2XX``, then ``default``."""
        exact = [r for r in op.responses if r.status.isdigit() and r.status.startswith(("1", "2", "3"))]
        ranges = [r for r in op.responses if r.status.upper().endswith("XX") and r.status[0] in "123"]
        default = [r for r in op.responses if r.status == "default"]
        if not exact and not ranges and not default:
            return [ir.Response("2XX", "")]  # undocumented success: nothing to decode
        return exact + ranges + default

    def status_test(self, status: str) -> str:
        if status.isdigit():
            return f"status == {int(status)}"
        if status.upper().endswith("XX"):
            low = int(status[0]) * 100
            return f"{low} <= status < {low + 100}"
        return "status < 400"

    def return_annotation(self, op: ir.Operation) -> str:
        annotations: list[str] = []
        for r in self.decoded_responses(op):
            media = r.decoded
            if media is None or media.type is None:
                ann = "None"
            elif media.kind == "json":
                ann = self.resource_types.annotation(media.type)
            elif media.kind == "text":
                ann = "str"
            else:
                ann = "bytes"
            for part in ann.split(" | "):
                if part not in annotations:
                    annotations.append(part)
        if "Any" in annotations:
            return "Any"
        none = "None" in annotations
        parts = [a for a in annotations if a != "None"] + (["None"] if none else [])
        return " | ".join(parts)

    def resource_doc(self, resource: ir.Resource) -> str:
        return resource.description or f"Operations tagged {resource.tag}."

    def error_decoders(self, op: ir.Operation) -> list[tuple[str, str]]:
        """(status, decode expression) of the JSON error bodies an operation declares (``404``, ``4XX``, ``default``)."""
        out = []
        for r in op.responses:
            status = r.status.upper() if r.status != "default" else r.status
            if not (status == "default" or status[0] in "45"):
                continue
            media = r.decoded
            if media is None or media.kind != "json" or media.type is None:
                continue
            if isinstance(media.type, ir.Primitive) and media.type.kind == "any":
                continue
            out.append((status, self.resource_types.decode(media.type, "_v0", "_p0", 1)))
        return out

    def api_imports(self) -> list[str]:
        """The runtime names ``_api.py`` uses (ApiInfo, Operation, ...), sorted."""
        ops = self.api.operations
        names = {"ApiInfo"}
        if ops:
            names.add("Operation")
        if any(op.result_code for op in ops):
            names.add("ResultCode")
        if self.api.security_schemes:
            names.add("SecurityScheme")
        if any(op.servers for op in ops):
            names.add("Server")
        if self.api.errors:
            names.add("ErrorShape")
        if self.lookups():
            names.add("Lookup")
        if any(s.flows for s in self.api.security_schemes):
            names.add("OAuthFlow")
        return sorted(names)

    def lookups(self) -> list[tuple[str, dict[str, Any]]]:
        """The client parameters found through an operation (``x-apigen-lookup``), as runtime literals."""
        ops = {op.operation_id for op in self.api.operations}
        found: dict[str, dict[str, Any]] = {}
        for op in self.api.operations:
            for p in op.parameters:
                if p.set_by != "client" or not p.lookup or p.wire_name in found:
                    continue
                raw = dict(p.lookup)
                if raw.get("operation") not in ops:
                    continue
                found[p.wire_name] = {
                    "operation": str(raw.get("operation", "")),
                    "items": str(raw.get("items", "")),
                    "value": str(raw.get("value", "")),
                    "query": tuple((str(k), str(v)) for k, v in raw.get("query", ()) if isinstance(k, str)),
                    "match": tuple((str(k), str(v)) for k, v in raw.get("match", ()) if isinstance(k, str)),
                }
        return sorted(found.items())

    # -- rendering ------------------------------------------------------------------------------------
    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def emit(self) -> Emitted:
        pkg = self.package.package
        out: dict[str, str] = {}
        verbatim: set[str] = set()
        base = "client/package/"
        out[f"{pkg}/__init__.py"] = self.render(base + "__init__.py.jinja", public=self.plan.public)
        out[f"{pkg}/py.typed"] = ""
        # the models module and each resource's are rendered from the API outside its resources (and the
        # one resource): kept in the cache, reused while those are unchanged (memo.py)
        shared = self.shared
        memo = self.memo()
        keys: dict[str, str] = {}
        final: set[str] = set()

        def kept(name: str, key: str | None, render: Callable[[], str]) -> str:
            found = memo.get(key)
            if found is not None and "text" in found:
                if found.get("vouched"):
                    final.add(name)
                return found["text"]
            if key is not None:
                keys[name] = key  # kept once formatted (see pipeline.generate): with whether it was vouched for
            return render()

        out[f"{pkg}/models.py"] = kept(f"{pkg}/models.py", memo.key("models"),
                                       lambda: self.render(base + "models.py.jinja", api=shared))  # fmt: skip
        out[f"{pkg}/_api.py"] = self.render(base + "_api.py.jinja")
        out[f"{pkg}/_client.py"] = self.render(base + "_client.py.jinja")
        out[f"{pkg}/testing.py"] = self.render(
            base + "testing.py.jinja", contract=fake_contract(self.api), signed="_fake_verify" in self.plan.modules
        )
        out[f"{pkg}/resources/__init__.py"] = self.render(base + "resources/__init__.py.jinja")
        # resource modules never start with "_" (naming.snake), so none can take this name
        out[f"{pkg}/resources/_raw.py"] = self.render(base + "resources/_raw.py.jinja")
        resource_env = {"types": self.resource_types, "api": shared}
        for resource in self.api.resources:
            out[f"{pkg}/resources/{resource.name}.py"] = kept(
                f"{pkg}/resources/{resource.name}.py",
                memo.key("resource", resource),
                lambda: self.render(base + "resources/resource.py.jinja", resource=resource, **resource_env),
            )
        # the core, always; of the extensions, only the modules the spec's x-apigen-* extensions call for
        sources = sorted(self.runtime_dir.glob("*.py"))
        sources += [self.runtime.extensions_dir / f"{name}.py" for name in self.plan.modules]
        for source in sources:
            out[f"{pkg}/_runtime/{source.name}"] = source.read_text(encoding="utf-8")
            verbatim.add(f"{pkg}/_runtime/{source.name}")
        out["pyproject.toml"] = self.render(base + "pyproject.toml.jinja")
        out["README.md"] = self.render(base + "README.md.jinja", **self.readme_context())
        builtin = self.templates.resolve() == TEMPLATES.resolve()
        stable = frozenset(name for name in out if builtin and name.endswith(".py") and name not in verbatim)
        return Emitted(out, frozenset(verbatim), stable, frozenset(final) if builtin else frozenset(), keys, memo)

    def memo(self) -> Memo:
        """Where the models and resource modules are kept: keyed by the API outside its resources, the
        client plan, the package and the resources' names (their attributes on the client)."""
        shared = self.shared_digest if self.shared_digest is not None else fingerprint(self.shared)
        if shared is None:
            return Memo("client", None)
        names = [(r.name, self.resource_attr(r)) for r in self.api.resources]
        return Memo.of("client", self.templates, shared, small=(self.package, self.plan, names))

    def readme_context(self) -> dict[str, Any]:
        """Authentication and retry facts for the package README, from the runtime's contract and the plan."""
        auth = []
        for scheme in self.api.security_schemes:
            args = self.plan.scheme(scheme.name)
            ways = []
            env: list[str] = []
            note = ""
            if args is not None and args.supported:
                if args.keywords:
                    ways.append(", ".join(f"{k.name}=..." for k in args.keywords))
                if args.alternative:
                    ways.append(", ".join(f"{k.name}=..." for k in args.alternative))
                env = [k.env for k in (*args.keywords, *args.alternative)]
                note = args.note
            auth.append((scheme, args is not None and args.supported, ways, env, note))
        example = next((op for op in self.api.operations if not op.arguments and op.body is None), None)
        keyed = sorted({op.method for op in self.api.operations if op.idempotency_key})
        return {
            "example_op": example or (self.api.operations[0] if self.api.operations else None),
            "auth": auth,
            "policy": self.runtime.policy,
            "settings": self.plan.settings,
            "idempotency_headers": sorted({op.idempotency_key for op in self.api.operations if op.idempotency_key}),
            "keyed_methods": keyed,
        }


def server_choices(server: ir.Server) -> dict[str, tuple[str, ...]]:
    """Per variable, the values a server is chosen for: its ``enum`` and ``x-apigen-regions``."""
    return {v.name: tuple(dict.fromkeys((*v.enum, *v.regions))) for v in server.variables if v.enum or v.regions}
