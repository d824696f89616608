"""Format generated Python with black, in-process, skipping texts it has already formatted.

A file is cut into chunks at its top-level ``def``/``class`` statements (black always puts exactly two blank
lines before those, so formatting the chunks apart and joining them gives black's output for the whole
file; a test checks this). The cuts are found from line starts, without parsing (:func:`quick_chunks`); a
chunk black cannot parse sends its file back to the parser's cuts (:func:`split_chunks`). Each chunk is
cached by a hash of (black version, mode, text): regenerating after a change to one operation or model
reformats only that chunk. Cache misses are formatted on all cores, longest first, when there are enough
of them to pay for the worker processes; :func:`start` lets the caller render the docs meanwhile.

Black is skipped where its answer is known. The built-in client templates and their filters
(``generator/client/literals.py``, ``emit.py``) write code that black leaves unchanged (its quotes, its
docstrings, one line when it fits else one item per line with a trailing comma); the caller names the
files rendered from them (``stable``), and a chunk of those that also passes :func:`vouched` (no line
over 100 columns, no tab, no trailing space, ...) is taken as it is, without black and without a cache
entry. Everything else (custom ``--templates``, a chunk that fails the check) goes to black. The tests
compare such output with black's own over hostile specs (``tests/generator/output/test_stable.py``)."""

from __future__ import annotations

import ast
import bisect
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import functools
import itertools

from generator.output import cache

if TYPE_CHECKING:
    import black.mode

LINE_LENGTH = 100  # black's settings for the generated code: line length and target version
TARGET_VERSION = "PY310"
_PARALLEL_MIN_LINES = 3000  # below this, starting workers costs more than it saves


class FormatError(Exception):
    """Black could not parse a generated file: a bug in a template, reported with the file's name."""


# black is imported when a chunk needs it, not before: most runs of the built-in templates need none
@functools.cache
def black_mode() -> black.mode.Mode:
    """black's ``Mode`` for the generated code (also ``MODE``, for the tests)."""
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion[TARGET_VERSION]}, is_pyi=False)


def __getattr__(name: str) -> Any:
    if name == "MODE":
        return black_mode()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _mode_key() -> str:
    import black

    return f"{black.__version__}|{LINE_LENGTH}|{[TARGET_VERSION]}"  # type: ignore[attr-defined]


def _key(text: str) -> str:
    return cache.digest(_mode_key(), text)


def str_width(text: str) -> int:
    """Columns as black counts them: its own table of character widths (wide and full-width characters
    count two, combining ones none, the rest one), read from black's sources without importing black."""
    if text.isascii():
        return len(text)
    table = _width_table()
    if table is None:  # a black installed without its sources: ask black itself
        from black.strings import str_width as width

        return int(width(text))
    starts, ends, widths = table
    total = 0
    for ch in text:
        point = ord(ch)
        i = bisect.bisect_right(starts, point) - 1
        total += max(widths[i], 0) if i >= 0 and point <= ends[i] else 1
    return total


_WIDTH_ROW = re.compile(r"\((\d+), (\d+), (-?\d+)\)")  # one ``(start, end, width),`` row of black's table


@functools.cache
def _width_table() -> tuple[list[int], list[int], list[int]] | None:
    """``black/_width_table.py``'s ranges as (starts, ends, widths), sorted by start; None when that file is
    not there. Importing ``black`` for it would cost a tenth of a second of a small spec's run."""
    import importlib.util

    spec = importlib.util.find_spec("black")  # finds the package without running it
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        try:
            source = Path(folder, "_width_table.py").read_text(encoding="utf-8")
        except OSError:
            continue
        ranges = sorted((int(a), int(b), int(w)) for a, b, w in _WIDTH_ROW.findall(source))
        if not ranges:  # not the generated table this reads: black itself decides
            return None
        return [a for a, _, _ in ranges], [b for _, b, _ in ranges], [w for _, _, w in ranges]
    return None


# what Python counts as a line end (``str.splitlines`` also cuts at form feeds, U+2028, ...: ast does not)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# a line that can start a top-level ``def``/``class`` (or its first decorator)
_CANDIDATE = re.compile(r"@|def[ \t]|class[ \t]|async[ \t]+def[ \t]")
# black's own switches (``# fmt: off`` ... ``# fmt: on`` may span a cut): such a file is formatted whole
_PRAGMAS = ("fmt:", "yapf:")


def _attached(lines: list[str], start: int, floor: int = 0) -> int:
    """Where the chunk of the statement at line ``start`` begins: black keeps the comment lines right above
    a ``def``/``class`` (no blank line between) with it, and puts its blank lines before them. An indented
    comment there may belong to the block before or to this statement: then no cut (-1). ``floor``: the
    first line after the statement before (above it, a line starting ``#`` may be inside a string)."""
    while start > floor and lines[start - 1].lstrip(" \t").startswith("#"):
        if not lines[start - 1].startswith("#"):
            return -1
        start -= 1
    return start


def split_chunks(text: str) -> list[str]:
    """Cut a module before each top-level ``def``/``class`` (with its decorators and the comment lines right
    above it); unparsable text stays whole. Exact: the module is parsed to find the statements."""
    if any(p in text for p in _PRAGMAS):
        return [text]
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return [text]
    lines = _LINES.findall(text)
    starts = []
    for before, node in zip(tree.body, tree.body[1:]):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            starts.append(_attached(lines, first, before.end_lineno or first))
    return _cut(lines, starts)


def _cut(lines: list[str], starts: list[int]) -> list[str]:
    bounds = [0, *sorted(set(s for s in starts if s > 0)), len(lines)]
    chunks = ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:])]
    return [c for c in chunks if c.strip()] or ["".join(lines)]


def quick_chunks(text: str) -> list[str]:
    """The cuts of :func:`split_chunks` found from line starts alone, without parsing.

    A cut goes before a line at column 0 that starts ``def``/``class``/``async def``/``@`` (and the comment
    lines right above it) when code comes before it, unless the code line before it is a decorator or ends
    with a backslash. Where such a line is really inside a string or brackets, the chunk before the cut
    does not parse on its own (its string or bracket never closes), so black fails on that chunk and the
    caller falls back to :func:`split_chunks`; a chunk that parses ends where a top-level statement does.
    A cut missed is harmless: joining black's chunks gives black's output for the whole.
    """
    if any(p in text for p in _PRAGMAS):
        return [text]
    if "\r" not in text:
        return _quick_cuts(text)
    lines = _LINES.findall(text)
    starts = []
    seen_code = False
    previous_code = ""  # the last line before this one that holds code (not blank, not only a comment)
    for number, line in enumerate(lines):
        if seen_code and _CANDIDATE.match(line) and not previous_code.startswith("@") \
                and not previous_code.rstrip("\r\n").endswith("\\"):  # fmt: skip
            starts.append(_attached(lines, number))
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            seen_code = True
            previous_code = line
    return _cut(lines, starts)


# what black would change, or what the built-in templates' filters cannot vouch for: a chunk holding any of
# these goes to black. A line continued by a backslash; a tab, a carriage return, a form feed (or another
# character ``str.splitlines`` cuts at: black's docstring lines); a trailing space; three blank lines;
# a trailing comma right before a closing bracket on one line (black would explode it), but for a one-tuple.
# each part is searched on its own by :func:`_doubtful`: one regex of alternatives that start with different
# characters is tried at every position (0.39 s over OpenAI's 8.6 MB of client code); a plain substring test,
# a character class or a literal first character is scanned for in C. ``_DOUBTFUL`` is their union.
_ESCAPED_NEWLINE = re.compile(r"(?<!\\)(?:\\\\)*\\\n")
_ODD_WHITESPACE = re.compile("[\t\r\f\v\x1c-\x1e\x85\u2028\u2029]")
_COMMA_CLOSE = re.compile(r", [)\]}]|,[\]}]")
_DOUBTFUL = re.compile(
    "|".join((_ESCAPED_NEWLINE.pattern, _ODD_WHITESPACE.pattern, " (?:\n|$)", "\n\n\n\n", _COMMA_CLOSE.pattern))
)
_WIDE = re.compile(r"[^\x00-\u10ff]")  # beyond these, a character may count two columns (black's str_width)


# ``NAME = "text"`` (a trailing comment allowed): black leaves it over 100 columns when the string alone does
# not fit either (it would only wrap the string in parentheses to make it fit)
_ASSIGNED = re.compile(r"( *)\w+ = (?=[\"'])")
# ``"key": name.attribute,`` in an exploded dict display: black has nothing to split it at
_KEYED = re.compile(r" +(?=[\"'])")
_KEY_TAIL = re.compile(r": [A-Za-z_][\w.]*,")
_COMMENT = re.compile(r"(?:  # [^\n]*)?")
# the regex fragments these patterns (and emit.py's) are built of: a (dotted) name, and one string literal on
# one line
DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
STRING = r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
# ``name="string",``, ``"string",`` or ``+ "string",`` (or a bytes literal, ``name=b"..."``): one item (or
# operand) of an exploded call or display, nothing to split it at
_ITEM = re.compile(r" +(?:[A-Za-z_]\w*=|\+ )?b?(?=[\"'])")
# ``name=other.name,`` or ``name,``: an item of an exploded call or display (black splits no attribute chain
# without calls); also what emit.py lets stay over 100 columns inside a long annotation
NAME_ITEM = re.compile(rf" +(?:[A-Za-z_]\w*=)?{DOTTED},")
# ``class Name:``, ``class Name(`` opening its split bases and ``def name(`` opening its split parameters:
# nothing to split either
_CLASS_LINE = re.compile(r"class [A-Za-z_]\w*[:(]| *(?:async )?def [A-Za-z_]\w*\(")
# ``) -> Name:`` and ``name: Name``: black puts the name in parentheses on a line of its own when it fits there
_RETURNS = re.compile(rf"( *)\) -> ({DOTTED}):")
_BARE = re.compile(rf"( *)[A-Za-z_]\w*: ({DOTTED})")
# a (dotted) name alone on a line, e.g. an operand of a union in parentheses or the one argument of a call
NAME_ALONE = re.compile(rf" +{DOTTED}")
# ``lambda a, b: name.attr(`` opening a lambda's call split below it: black never splits a lambda's parameters
_LAMBDA_OPEN = re.compile(r" +(?:[A-Za-z_]\w*=)?lambda [A-Za-z_]\w*(?:, [A-Za-z_]\w*)*: [A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?\(")


def _literal_end(line: str, start: int) -> int:
    """Where the one-line string literal opening at ``line[start]`` ends (the index after its closing
    quote), or -1. Scanned with ``str.find``: a multi-megabyte literal costs no memory (a regex
    repeating a group per character keeps some for each)."""
    quote, i = line[start], start + 1
    while True:
        j = line.find(quote, i)
        if j < 0:
            return -1
        k = j
        while k > i and line[k - 1] == "\\":
            k -= 1
        if (j - k) % 2 == 0:
            return j + 1
        i = j + 1


def _doubtful(chunk: str) -> bool:
    """Whether a :data:`_DOUBTFUL` pattern is in ``chunk`` as code: a comma before a closing bracket inside a
    one-line string literal (a regex's ``{2,}``, JSON text) is not one."""
    if "\\\n" in chunk and _ESCAPED_NEWLINE.search(chunk):
        return True
    if " \n" in chunk or chunk.endswith(" ") or "\n\n\n\n" in chunk or _ODD_WHITESPACE.search(chunk):
        return True
    return any(not _in_string(chunk, match.start()) for match in _COMMA_CLOSE.finditer(chunk))


def _in_string(chunk: str, at: int) -> bool:
    """Whether position ``at`` is inside a string literal that opens and closes on its line."""
    i = chunk.rfind("\n", 0, at) + 1
    while True:
        quotes = [q for q in (chunk.find('"', i, at), chunk.find("'", i, at)) if q >= 0]
        if not quotes:
            return False
        start = min(quotes)
        if chunk.startswith(('"""', "'''"), start):
            return False  # a docstring's quotes: its lines are not scanned here
        end = _literal_end(chunk, start)
        if end < 0 or chunk.rfind("\n", start, end) >= 0:
            return False
        if end > at:
            return True
        i = end


# an item of an exploded call, display or dict (``kw=``, ``"key": `` or nothing before it) that opens a call
# split below it, or is a call with no arguments: nothing before the bracket to split, no parentheses added
_ITEM_CALL = re.compile(r' +(?:[A-Za-z_]\w*=|"(?:[^"\\]|\\.)*": )?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\((?:\),)?')
# a comprehension's ``for`` clause of names over a dotted name or its argument-less call, on a line of its
# own: black splits neither the loop's names nor an empty call's brackets
FOR_CLAUSE = re.compile(rf" *for [A-Za-z_]\w*(?:, [A-Za-z_]\w*)* in {DOTTED}(?:\(\))?")
# ``target = [await ]callee(`` (or ``return ...``) opening a split call: black's own first line when its
# "second opinion" (the value in parentheses on a line of its own) does not fit either; a bare
# ``[await ]callee(`` statement has no second opinion (see :func:`_unsplittable`)
_LONG_CALL_HEAD = re.compile(rf"( *)((?:[A-Za-z_][\w.]* = |return )?)((?:await )?{DOTTED}\()")
# a dotted name or its argument-less call (awaited or not) alone on a line: in parentheses after ``x = ``
# or ``return ``, or a statement of its own; nothing to split
_VALUE_ALONE = re.compile(rf" +(?:await )?{DOTTED}(?:\(\))?")


def _unsplittable(line: str, below: Iterable[str] = ()) -> bool:
    """A line black leaves over 100 columns, for nothing in it can be split:

    - a string assigned that does not fit a line of its own either;
    - a dict entry of a string key and a dotted name or a string;
    - a string or a name alone as an item (``name="..."``, ``name=other``) of an exploded call or display,
      with its trailing comma; a string also without one (the only item of a display split at its
      brackets) or as an operand (``+ "..."``);
    - a (dotted) name alone, or its argument-less call (awaited or not); ``class Name:``, ``class Name(``
      and ``def name(``; ``) -> Name:`` and ``name: Name`` when the name does not fit a line of its own in
      parentheses either;
    - a lambda's head when its call is split below it (``lambda a, b: Name.from_wire(``); an item that opens
      a call split below it or calls with no arguments (``kind=models.Kind(``, ``"key": models.Kind(),``);
    - ``x = callee(`` (or ``return callee(``) opening a split call when ``callee(`` or ``x = (`` would not
      fit a line of their own, or when ``below`` (the lines after it) has an argument line black would leave
      too long in the value in parentheses as well; a bare ``[await ]callee(`` statement opening one;
    - a comprehension's ``for`` clause over a dotted name (``for k, v in self.name.items()``).
    """
    match = _ASSIGNED.match(line)
    if match is not None:
        end = _literal_end(line, match.end())
        if end > 0 and _COMMENT.fullmatch(line, end):
            return len(match.group(1)) + 4 + str_width(line[match.end() : end]) > LINE_LENGTH
        return False
    match = _KEYED.match(line)
    if match is not None:
        end = _literal_end(line, match.end())
        if end > 0 and _KEY_TAIL.fullmatch(line, end) is not None:
            return True
        if end > 0 and line.startswith(": ", end) and line[end + 2 : end + 3] in ("'", '"'):
            value_end = _literal_end(line, end + 2)  # ``"key": "a string",``: nothing to split either
            if value_end > 0 and line[value_end:] in (",", ""):
                return True
    match = _ITEM.match(line)
    if match is not None:
        end = _literal_end(line, match.end())
        if end > 0 and line[end:] in (",", ""):
            return True
    returns = _RETURNS.fullmatch(line) or _BARE.fullmatch(line)
    if returns is not None:
        return len(returns.group(1)) + 4 + str_width(returns.group(2)) > LINE_LENGTH
    head = _LONG_CALL_HEAD.fullmatch(line)
    if head is not None:
        if not head.group(2):
            return True  # a bare call: black splits it at its brackets only
        if len(head.group(1)) + 4 + str_width(head.group(3)) > LINE_LENGTH or head.start(3) + 1 > LINE_LENGTH:
            return True  # (or ``target = (`` would not fit either)
        # else black keeps the line only when its "second opinion" (the value in parentheses, its arguments
        # one level deeper) leaves a line too long as well: an argument line black cannot split that is too
        # long already, or would be 4 columns deeper (then the call itself, at least as wide with a callee of
        # 3 characters or more, cannot be joined there either)
        closing = head.group(1) + ")"
        deeper = str_width(head.group(3)) >= 4
        for later in below:
            if later == closing or not later.startswith(closing[:-1] + " "):
                return False
            if (_too_wide(later) or (deeper and _too_wide("    " + later))) and _unsplittable(later):
                return True
        return False
    return any(
        p.fullmatch(line) is not None
        for p in (NAME_ITEM, NAME_ALONE, _VALUE_ALONE, _CLASS_LINE, _LAMBDA_OPEN, _ITEM_CALL, FOR_CLAUSE)
    )


def _too_wide(line: str) -> bool:
    limit = LINE_LENGTH
    if len(line) > limit:
        return True
    return len(line) * 2 > limit and _WIDE.search(line) is not None and str_width(line) > limit


def vouched(chunk: str) -> bool:
    """Whether a chunk rendered from the built-in templates can be taken as black's output without black.

    Conservative and cheap: none of the :data:`_DOUBTFUL` patterns; a chunk that starts with code at column
    0 (the blank lines after it are the joint's: see :meth:`PendingFormat.result`); every line within 100
    columns (as black counts them) except the lines black never splits: comment lines, a docstring's text
    (``\"\"\"`` only where a docstring opens or closes: a line that starts with it, or whose closing quotes
    end it) and an assignment of a string too long for any line. What the check cannot see (spacing within
    a line, quotes, blank lines between statements) the templates and filters get right by construction:
    ``tests/generator/output/test_stable.py`` compares their output with black's over hostile specs.
    """
    chunk = chunk.rstrip("\n")
    if not chunk or chunk[0] in " \t" or _doubtful(chunk):
        return False
    in_docstring = False
    lines = chunk.split("\n")
    for i, line in enumerate(lines):
        quotes = line.count('"""')
        if in_docstring:
            if quotes == 0:
                continue
            if quotes > 1 or not line.endswith('"""') or _too_wide(line):
                return False  # the closing line: black moves the quotes from a line too long
            in_docstring = False
            continue
        stripped = line.lstrip(" ")
        if quotes:
            if not stripped.startswith('"""'):
                return False
            if quotes == 1:
                in_docstring = True
            elif quotes != 2 or not stripped.endswith('"""') or len(stripped) < 7:
                return False
            continue
        if stripped.startswith("#"):
            continue
        if _too_wide(line) and not _unsplittable(line, itertools.islice(lines, i + 1, None)):
            return False
    return not in_docstring


# a line that can start a top-level ``def``/``class`` (or its first decorator), found in the whole text
_CANDIDATE_LINE = re.compile(r"^(?:@|def[ \t]|class[ \t]|async[ \t]+def[ \t])", re.MULTILINE)


def _quick_bounds(text: str) -> list[tuple[int, int]]:
    """Where :func:`quick_chunks` cuts a text whose lines all end with ``\\n``, without a list of its lines (the
    models module of a large spec has hundreds of thousands): each candidate line is found by a regex and the
    lines above it are read backwards, as far as the code line before it."""
    starts = []
    for match in _CANDIDATE_LINE.finditer(text):
        cut = at = match.start()
        attached = True  # still in the comment lines right above it
        previous_code = None
        while at > 0:
            begin = text.rfind("\n", 0, at - 1) + 1
            line = text[begin : at - 1]
            if attached and line.lstrip(" \t").startswith("#"):
                if not line.startswith("#"):
                    break  # an indented comment right above: it may belong to the block before (no cut)
                cut = at = begin
                continue
            attached = False
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                previous_code = line
                break
            at = begin
        if previous_code is not None and not previous_code.startswith("@") and not previous_code.endswith("\\"):
            starts.append(cut)
    bounds = [0, *sorted(set(s for s in starts if s > 0)), len(text)]
    return list(zip(bounds, bounds[1:]))


def _quick_cuts(text: str) -> list[str]:
    chunks = [text[a:b] for a, b in _quick_bounds(text)]
    return [c for c in chunks if c.strip()] or [text]


def _exactly(text: str, end: int, newlines: int) -> bool:
    """Whether ``text[:end]`` ends with exactly ``newlines`` line ends after something else."""
    return end > newlines and text.endswith("\n" * newlines, 0, end) and text[end - newlines - 1] != "\n"


def _joins_back(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether joining the chunks ``text[a:b]`` as :meth:`PendingFormat.result` does gives ``text`` back:
    they cover it, each ends with exactly two blank lines and the last with one line end."""
    if not spans or spans[0][0] != 0 or spans[-1][1] != len(text):
        return False
    if any(b != a for (_, b), (a, _) in zip(spans, spans[1:])):
        return False
    return all(_exactly(text, b, 3) for _, b in spans[:-1]) and _exactly(text, len(text), 1)


def _black(item: tuple[str, str]) -> str:
    name, text = item
    try:
        import black

        return black.format_str(text, mode=black_mode())
    except Exception as exc:  # black raises several types (InvalidInput, ...) for unparsable code
        raise FormatError(f"{name}: generated code does not parse ({exc})") from None


def _black_or_none(item: tuple[str, str]) -> str | None:
    """Black's output, or None where the chunk does not parse (a cut of :func:`quick_chunks` to redo)."""
    try:
        return _black(item)
    except FormatError:
        return None


class PendingFormat:
    """Formatting under way in worker processes (see :func:`start`); :meth:`result` waits for it."""

    def __init__(
        self, files: dict[str, str], workers: int | None, verbatim: frozenset[str], stable: frozenset[str] = frozenset()
    ) -> None:
        self._files = files
        # per file, its chunks: a cache key into ``_formatted``, or the span (start, end) of a vouched chunk in
        # the file's text
        self._chunked: dict[str, list[str | tuple[int, int]]] = {}
        self._formatted: dict[str, str] = {}
        self._missing: list[tuple[str, tuple[str, str]]] = []  # (key, (file name, chunk text))
        self._results: Iterator[str | None] | None = None
        self._pool: Any = None  # a ProcessPoolExecutor (imported only when black runs in parallel)
        missing: dict[str, tuple[str, str]] = {}
        self.skipped = 0  # chunks taken as they are (see :func:`vouched`)
        # the files every chunk of which was vouched for, joints included: their text is black's output
        # whatever black's version (see :meth:`result`)
        self.vouched_whole: set[str] = set()
        for name, text in files.items():
            if not name.endswith(".py") or name in verbatim:
                continue
            if name in stable and "\r" not in text and not any(p in text for p in _PRAGMAS):
                self._chunked[name] = self._lookup_spans(name, text, missing)
            else:
                self._chunked[name] = self._lookup(name, quick_chunks(text), missing, name in stable)
        # the longest chunks first, so that no worker is left with a long one at the end
        self._missing = sorted(missing.items(), key=lambda item: -len(item[1][1]))
        lines = sum(chunk.count("\n") for _, (_, chunk) in self._missing)
        workers = workers if workers is not None else (os.cpu_count() or 1)
        if workers > 1 and lines >= _PARALLEL_MIN_LINES:
            black_mode()  # black imported here, once, not in each worker
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=workers)
            self._results = self._pool.map(_black_or_none, [item for _, item in self._missing], chunksize=4)

    def _lookup(
        self, name: str, chunks: list[str], missing: dict[str, tuple[str, str]], stable: bool = False
    ) -> list[str | tuple[int, int]]:
        """The cache keys of ``chunks`` (in order, each a piece of the file's text); what the cache has goes to
        ``_formatted``, the rest to ``missing``.

        In a ``stable`` file, a chunk :func:`vouched` for is its own output: kept as its span in the text (no
        copy), never looked up nor written."""
        keys: list[str | tuple[int, int]] = []
        text, at = self._files[name], 0
        for chunk in chunks:
            start = text.find(chunk, at) if stable else -1
            if start >= 0 and vouched(chunk):
                at = start + len(chunk)
                keys.append((start, at))
                self.skipped += 1
                continue
            key = _key(chunk)
            keys.append(key)
            if key not in self._formatted and key not in missing:
                hit = cache.read("black", key)
                if hit is None:
                    missing[key] = (name, chunk)
                else:
                    self._formatted[key] = hit
        return keys

    def _lookup_spans(self, name: str, text: str, missing: dict[str, tuple[str, str]]) -> list[str | tuple[int, int]]:
        """:meth:`_lookup` for a file of the built-in templates, without copying the chunks it vouches for:
        each is kept as its span ``(start, end)`` in the text."""
        keys: list[str | tuple[int, int]] = []
        for a, b in _quick_bounds(text):
            chunk = text[a:b]
            if not chunk.strip():
                continue
            if vouched(chunk):
                keys.append((a, b))
                self.skipped += 1
                continue
            keys.extend(self._lookup(name, [chunk], missing))
        return keys

    def cancel(self) -> None:
        """Stop the workers without waiting for what they are formatting (the caller failed meanwhile)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._results = None
        self._missing = []

    def _part(self, text: str, key: str | tuple[int, int]) -> str:
        """One chunk's output: a vouched span of ``text``, or black's (by cache key)."""
        if isinstance(key, tuple):
            return text[key[0] : key[1]]
        return self._formatted[key]

    def result(self) -> dict[str, str]:
        """The files with every ``.py`` text formatted; raises :class:`FormatError` for unparsable code."""
        try:
            if self._results is not None:
                results = list(self._results)
            else:
                results = [_black_or_none(item) for _, item in self._missing]
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        redo = set()
        for (key, (name, _)), formatted in zip(self._missing, results):
            if formatted is None:
                redo.add(name)
                continue
            self._formatted[key] = formatted
            cache.write("black", key, formatted)
        for name in sorted(redo):  # a cut inside a string or brackets: cut where the parser says
            missing: dict[str, tuple[str, str]] = {}
            self._chunked[name] = self._lookup(name, split_chunks(self._files[name]), missing)
            for key, item in missing.items():
                self._formatted[key] = _black(item)
                cache.write("black", key, self._formatted[key])
        out = {}
        for name, text in self._files.items():
            chunks = self._chunked.pop(name, None)
            if chunks is None:
                out[name] = text
                continue
            spans = [k for k in chunks if isinstance(k, tuple)]
            if len(spans) == len(chunks) and _joins_back(text, spans):
                out[name] = text  # every chunk vouched for, and the joints as black leaves them: no copy
                self.vouched_whole.add(name)
                continue
            parts = (self._part(text, k) for k in chunks)
            joined = "\n\n\n".join(part.rstrip("\n") for part in parts) + "\n"
            out[name] = text if joined == text else joined  # the same text: one copy kept, not two
        return out


def start(
    files: dict[str, str],
    workers: int | None = None,
    verbatim: frozenset[str] = frozenset(),
    stable: frozenset[str] = frozenset(),
) -> PendingFormat:
    """Begin formatting ``files`` in worker processes; the caller can do other work until ``.result()``.

    Cache lookups happen here; only the misses go to the workers (all cores when there are enough lines
    to pay for starting them). ``stable``: files rendered from the built-in templates (see the module's
    docstring), whose vouched-for chunks skip black.
    """
    return PendingFormat(files, workers, verbatim, stable)


def format_files(
    files: dict[str, str],
    workers: int | None = None,
    verbatim: frozenset[str] = frozenset(),
    stable: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Format every ``.py`` text of ``files`` (relative path -> text); other files pass through.

    ``verbatim`` names files copied unchanged from the templates (the runtime): a test keeps those
    black-formatted at the source, so they are not formatted again on every run. ``stable``: see
    :func:`start`.
    """
    return start(files, workers, verbatim, stable).result()


def format_python(name: str, text: str, stable: bool = False) -> str:
    """One file's text formatted; ``stable``: rendered from a built-in template (see :func:`start`)."""
    return format_files({name: text}, workers=1, stable=frozenset([name]) if stable else frozenset())[name]
