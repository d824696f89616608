"""Rendered outputs kept between runs, keyed by exactly what they are rendered from.

After an edit of one operation, most of a generated package is what it was: the models module, the other
resources' modules, their docs pages. Each of those is rendered from a known part of the IR (the API
outside its resources, one resource, the client plan, the package settings), so its text is kept in the
cache under a digest of that part, of the generator's own sources and of the templates
(:func:`code_digest`), and reused when all of them are unchanged. What reads the whole API (``_api.py``,
the docs index) is always rendered.

The IR is frozen dataclasses of strings, numbers, tuples and dicts built in a fixed order, so its pickle
is the same bytes in every process (``tests/generator/output/test_memo.py`` checks this across hash seeds);
a digest of it is the IR's content. Anything that cannot be pickled, or a cache that cannot be read or
written, only means rendering again.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from generator.output import cache
from generator.spec.diagnostics import Location

_GENERATOR = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=8)
def code_digest(templates: Path) -> str:
    """The generator's sources, the templates (and the runtime beside them) and the versions of Python,
    Jinja and MarkupSafe: a text rendered by other code is never reused."""
    import jinja2
    import markupsafe

    # (MarkupSafe's escaping: its own source, which its deprecated __version__ would otherwise stand for)
    parts: list[str | bytes] = [sys.version, jinja2.__version__, Path(markupsafe.__file__ or "").read_bytes()]
    for root in (_GENERATOR, templates.resolve()):
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            parts += [str(path.relative_to(root)), path.read_bytes()]
    return cache.digest(*parts)


def _dumps(value: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    # where a node was written (file, line) is for messages only, never rendered: an edit that moves the
    # lines below it must not change what they are keyed by
    pickler.dispatch_table = {Location: _nowhere}
    pickler.dump(value)
    return out.getvalue()


def _nowhere(location: Location) -> tuple[type, tuple[str, int]]:
    return Location, ("", 0)


def fingerprint(*objects: object) -> str | None:
    """A digest of ``objects``' content (their pickles, source locations left out), or None when one
    cannot be pickled."""
    try:
        return cache.digest(*(_dumps(o) for o in objects))
    except Exception:  # noqa: BLE001 - an unusual value in an extension: render, do not reuse
        return None


def shared_part(api: Any) -> Any:
    """The API outside its resources (models, servers, security, webhooks, errors...): what every kept text
    is rendered from besides its own resource. What was skipped (and where, as text) is left out too: only
    the index pages, which are always rendered, list it."""
    return dataclasses.replace(api, resources=(), skipped_operations=(), skipped_schemas=())


def api_digest(api: Any) -> str | None:
    """The digest of :func:`shared_part`; taken once, before the docs are forked."""
    return fingerprint(shared_part(api))


def canonical(value: Any) -> Any:
    """``value`` as plain JSON-able data, sets sorted: for the small objects (the client plan, the package
    settings) whose pickle would depend on the process's hash seed."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__qualname__, *(canonical(getattr(value, f.name)) for f in dataclasses.fields(value))]
    if isinstance(value, dict):
        return [[canonical(k), canonical(v)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


class Memo:
    """Texts rendered for one generation, looked up by their inputs' digest (``kind`` names the family)."""

    def __init__(self, kind: str, base: str | None) -> None:
        self.kind = kind
        self.base = base  # the digest every key starts from; None: nothing is reused or kept

    @classmethod
    def of(cls, kind: str, templates: Path, shared: str, small: object = None) -> Memo:
        """A memo whose keys start from the code, ``shared`` (a digest, :func:`api_digest`) and ``small``
        (made canonical)."""
        try:
            code = code_digest(templates)
        except OSError:
            return cls(kind, None)
        return cls(kind, cache.digest(code, shared, json.dumps(canonical(small), sort_keys=True)))

    def key(self, *parts: object) -> str | None:
        if self.base is None:
            return None
        content = fingerprint(*parts)
        return None if content is None else cache.digest(self.base, content)

    def get(self, key: str | None) -> dict[str, str] | None:
        """The named texts kept under ``key``, or None."""
        if key is None:
            return None
        entry = cache.open_entry(self.kind, key)
        if entry is None:
            return None
        try:
            with entry:
                return _read_packed(entry)
        except (OSError, UnicodeError):
            return None

    def put(self, key: str | None, texts: dict[str, str]) -> None:
        """Keep ``texts`` under ``key``: one cache entry, the texts as they are after a one-line index
        (written one after another: never joined in memory)."""
        if key is not None:
            cache.write(self.kind, key, _packed(texts))

    def texts(self, key: str | None, render: Callable[[], dict[str, str]]) -> dict[str, str]:
        """``render()`` (named texts), or what it returned before for the same key."""
        found = self.get(key)
        if found is not None:
            return found
        texts = render()
        self.put(key, texts)
        return texts


def _packed(texts: dict[str, str]) -> list[str]:
    return [json.dumps([[name, len(text)] for name, text in texts.items()]) + "\n", *texts.values()]


def _read_packed(entry: TextIO) -> dict[str, str] | None:
    """The texts of a packed entry, each read on its own; None for a damaged or truncated entry."""
    try:
        index = json.loads(entry.readline())
    except ValueError:
        return None
    if not isinstance(index, list):
        return None
    texts: dict[str, str] = {}
    for item in index:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], int)):
            return None
        text = entry.read(item[1])
        if len(text) != item[1]:
            return None
        texts[item[0]] = text
    return texts if not entry.read(1) else None

