"""The files of a spec as parsed last time: a spec's unchanged files are not parsed again.

Parsing is most of loading a multi-file spec (DigitalOcean's: ~2,900 YAML files). One cache entry per root
file (its real path), the limits and the readers' own code holds, for each file the last load read, the
digest of its bytes and what parsing them gave: the data and the line of each mapping, list and key,
marshalled. A file whose bytes match is rebuilt from there; any other file is parsed, and the entry is
written again when anything changed (files that are no longer reached drop out of it).

Only what the fast readers (``json_source``, ``yaml_events``) made is kept: a plain tree of JSON values. A
YAML file with anchors may share nodes and is parsed every time, as is a file whose parse failed (its
error is reported again, located). An entry that cannot be read back exactly is ignored: parsing again
only costs time.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from generator.output import cache
from generator.spec.diagnostics import Location
from generator.spec.limits import Limits

_KIND = "parsed"
_SCALARS = (str, int, float, bool, type(None))

# what a kept file gives back: its data, and whether it holds `$id`, `$anchor` or `$self` (else the loader
# need not walk it for them)
Kept = tuple[Any, bool]


def file_digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


_CHECK = 32


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK, person=b"apigen-parsed").digest()


# the modules that decide what reading a file gives (this folder's): their sources are part of every key
_READERS = ("load.py", "json_source.py", "yaml_events.py", "limits.py", "diagnostics.py", "parsed.py")


def _code() -> bytes:
    """The readers' own sources and versions: a change to how a file is read must not be answered from here."""
    parts = [sys.version.encode(), str(marshal.version).encode(), str(yaml.__version__).encode(),
             str(getattr(yaml, "__with_libyaml__", False)).encode()]  # fmt: skip
    folder = Path(__file__).parent
    parts += [(folder / name).read_bytes() for name in _READERS]
    return b"\0".join(parts)


def containers(data: Any) -> Iterator[Any]:
    """Every mapping and list of the tree ``data``, in one fixed order (the order lines are kept in)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(child for child in node.values() if isinstance(child, (dict, list)))
        elif isinstance(node, list):
            yield node
            stack.extend(child for child in node if isinstance(child, (dict, list)))


class Parsed:
    """The kept files of one root spec: looked up while it loads, written once it has loaded."""

    def __init__(self, key: str | None) -> None:
        self._key = key
        self._old: dict[str, tuple[bytes, bytes, bool]] | None = None
        self._new: dict[str, tuple[bytes, bytes, bool]] = {}
        self._changed = False

    @classmethod
    def of(cls, root: Path, limits: Limits) -> Parsed:
        try:
            code = _code()
        except OSError:  # a frozen install without sources: nothing is kept
            return cls(None)
        return cls(cache.digest(code, repr(limits), str(root)))

    def _kept(self) -> dict[str, tuple[bytes, bytes, bool]]:
        if self._old is None:
            self._old = {}
            raw = cache.read_bytes(_KIND, self._key) if self._key is not None else None
            # the entry is its digest, then the marshalled files: a damaged one is never read as data
            if raw is not None and raw[:_CHECK] == _checksum(raw[_CHECK:]):
                try:
                    old = marshal.loads(raw[_CHECK:])
                except (EOFError, ValueError, TypeError, MemoryError):
                    old = None
                if isinstance(old, dict):
                    self._old = old
        return self._old

    def get(self, path: str, digest: bytes, file: str, nodes: dict[int, Location],
            keys: dict[int, dict[str, int]], alive: list[Any]) -> Kept | None:  # fmt: skip
        """The kept data of ``path`` if its bytes had ``digest`` then, its lines recorded (as ``file``) in
        ``nodes`` and ``keys`` as parsing would; else None."""
        if self._key is None:
            return None
        found = self._kept().get(path)
        if found is None or not isinstance(found, tuple) or len(found) != 3 or found[0] != digest:
            return None
        try:
            data, lines = marshal.loads(found[1])
            located: dict[int, Location] = {}
            key_lines: dict[int, dict[str, int]] = {}
            made = list(islice(containers(data), len(lines) + 1))  # (bounded: marshal can make a cycle)
            if len(made) != len(lines):
                return None
            for node, (line, at) in zip(made, lines):
                if not isinstance(line, int) or not (at is None or isinstance(at, dict)):
                    return None
                if line:
                    located[id(node)] = Location(file, line)
                if at is not None:
                    key_lines[id(node)] = at
        except (EOFError, ValueError, TypeError, MemoryError):
            return None
        nodes.update(located)
        keys.update(key_lines)
        alive.extend(made)
        self._new[path] = found
        return data, bool(found[2])

    def keep(self, path: str, digest: bytes, data: Any, nodes: dict[int, Location],
             keys: dict[int, dict[str, int]], identifiers: bool) -> None:  # fmt: skip
        """Keep ``data`` (just parsed from bytes with ``digest``: a tree, before any `$ref` is replaced)."""
        if self._key is None:
            return
        lines = []
        for node in containers(data):
            where = nodes.get(id(node))
            lines.append((where.line if where is not None else 0, keys.get(id(node))))
        try:
            payload = marshal.dumps((data, lines))
        except ValueError:  # not marshallable: parsed every time
            return
        self._new[path] = (digest, payload, identifiers)
        self._changed = True

    def save(self) -> None:
        """Write the entry again if a file was parsed this time or is no longer reached."""
        if self._key is None:
            return
        if self._changed or set(self._kept()) != set(self._new):
            files = marshal.dumps(self._new)
            cache.write_bytes(_KIND, self._key, _checksum(files) + files)
