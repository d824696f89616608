"""Format generated Python with black, in-process, skipping texts it has already formatted.

A file is cut into chunks at its top-level ``def``/``class`` statements (black always puts exactly two blank
lines before those, so formatting the chunks apart and joining them gives black's output for the whole
file; a test checks this). Each chunk is cached by a hash of (black version, mode, text): regenerating
after a change to one operation or model reformats only that chunk. Cache misses are formatted on all
cores when there are enough of them to pay for the worker processes.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version

import black
from black.mode import Mode, TargetVersion

from generator.output import cache

MODE = Mode(line_length=100, target_versions={TargetVersion.PY310}, is_pyi=False)
_PARALLEL_MIN_LINES = 3000  # below this, starting workers costs more than it saves


class FormatError(Exception):
    """Black could not parse a generated file: a bug in a template, reported with the file's name."""


_MODE_KEY = f"{version('black')}|{MODE.line_length}|{sorted(v.name for v in MODE.target_versions)}"


def _key(text: str) -> str:
    return cache.digest(_MODE_KEY, text)


def split_chunks(text: str) -> list[str]:
    """Cut a module before each top-level ``def``/``class`` (with its decorators); unparsable text stays whole."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return [text]
    lines = text.splitlines(keepends=True)
    starts = []
    for node in tree.body[1:]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            starts.append(first - 1)
    if not starts:
        return [text]
    bounds = [0, *starts, len(lines)]
    return ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:]) if "".join(lines[a:b]).strip()]


def _black(item: tuple[str, str]) -> str:
    name, text = item
    try:
        return black.format_str(text, mode=MODE)
    except Exception as exc:  # black raises several types (InvalidInput, ...) for unparsable code
        raise FormatError(f"{name}: generated code does not parse ({exc})") from None


class PendingFormat:
    """Formatting under way in worker processes (see :func:`start`); :meth:`result` waits for it."""

    def __init__(self, files: dict[str, str], workers: int | None, verbatim: frozenset[str]) -> None:
        self._files = files
        self._chunked: dict[str, list[str]] = {}
        self._formatted: dict[str, str] = {}
        self._missing: list[tuple[str, tuple[str, str]]] = []  # (key, (file name, chunk text))
        self._results: Iterator[str] | None = None
        self._pool: ProcessPoolExecutor | None = None
        missing: dict[str, tuple[str, str]] = {}
        for name, text in files.items():
            if not name.endswith(".py") or name in verbatim:
                continue
            keys = []
            for chunk in split_chunks(text):
                key = _key(chunk)
                keys.append(key)
                if key not in self._formatted and key not in missing:
                    hit = cache.read("black", key)
                    if hit is None:
                        missing[key] = (name, chunk)
                    else:
                        self._formatted[key] = hit
            self._chunked[name] = keys
        # the longest chunks first, so that no worker is left with a long one at the end
        self._missing = sorted(missing.items(), key=lambda item: -len(item[1][1]))
        lines = sum(chunk.count("\n") for _, (_, chunk) in self._missing)
        workers = workers if workers is not None else (os.cpu_count() or 1)
        if workers > 1 and lines >= _PARALLEL_MIN_LINES:
            self._pool = ProcessPoolExecutor(max_workers=workers)
            self._results = self._pool.map(_black, [item for _, item in self._missing], chunksize=4)

    def cancel(self) -> None:
        """Stop the workers without waiting for what they are formatting (the caller failed meanwhile)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._results = None
        self._missing = []

    def result(self) -> dict[str, str]:
        """The files with every ``.py`` text formatted; raises :class:`FormatError` for unparsable code."""
        try:
            if self._results is not None:
                results = list(self._results)
            else:
                results = [_black(item) for _, item in self._missing]
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        for (key, _), formatted in zip(self._missing, results):
            self._formatted[key] = formatted
            cache.write("black", key, formatted)
        out = {}
        for name, text in self._files.items():
            if name in self._chunked:
                out[name] = "\n\n\n".join(self._formatted[k].rstrip("\n") for k in self._chunked[name]) + "\n"
            else:
                out[name] = text
        return out


def start(files: dict[str, str], workers: int | None = None, verbatim: frozenset[str] = frozenset()) -> PendingFormat:
    """Begin formatting ``files`` in worker processes; the caller can do other work until ``.result()``.

    Cache lookups happen here; only the misses go to the workers (all cores when there are enough lines
    to pay for starting them).
    """
    return PendingFormat(files, workers, verbatim)


def format_files(
    files: dict[str, str],
    workers: int | None = None,
    verbatim: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Format every ``.py`` text of ``files`` (relative path -> text); other files pass through.

    ``verbatim`` names files copied unchanged from the templates (the runtime): a test keeps those
    black-formatted at the source, so they are not formatted again on every run.
    """
    return start(files, workers, verbatim).result()


def format_python(name: str, text: str) -> str:
    return format_files({name: text}, workers=1)[name]
