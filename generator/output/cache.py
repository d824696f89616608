"""Where apigen keeps what it can reuse between runs: black output, compiled templates, validation results.

Everything here is keyed by a hash of its input (and the tool versions), so a stale entry is never used;
deleting the folder only costs time. ``$APIGEN_CACHE_DIR`` moves it (default ``~/.cache/apigen``).

The folder is kept under a size (``$APIGEN_CACHE_MAX_MB``, default 512): at most once a day a run that
finds it larger deletes the entries used least recently (an entry's modification time is set again each
time it is used) until it is at 80% of that size.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO


def cache_root() -> Path:
    configured = os.environ.get("APIGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "apigen"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def read(kind: str, key: str) -> str | None:
    """The entry's text exactly as written (no newline translation: a ``\r`` stays a ``\r``)."""
    entry = open_entry(kind, key)
    if entry is None:
        return None
    try:
        with entry:
            return entry.read()
    except (OSError, UnicodeError):
        return None


_MADE: set[Path] = set()  # folders known to exist: one mkdir each per process, not one per entry


def write(kind: str, key: str, text: str | Iterable[str]) -> None:
    """Keep ``text`` (or the concatenation of the parts given, written one after another) under ``key``."""
    _write(kind, key, [text] if isinstance(text, str) else text)


def write_bytes(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` under ``key`` (read back with :func:`read_bytes`)."""
    _write(kind, key, data)


def _write(kind: str, key: str, content: Iterable[str] | bytes) -> None:
    entry = cache_root() / kind / key[:2] / key
    try:
        if entry.parent not in _MADE:
            entry.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(entry.parent)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        if isinstance(content, bytes):
            with open(tmp, "wb") as binary:
                binary.write(content)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                for part in content:
                    f.write(part)
        os.replace(tmp, entry)
    except (OSError, UnicodeError):
        pass  # a read-only cache (or a text UTF-8 cannot hold) only costs speed


def read_bytes(kind: str, key: str) -> bytes | None:
    path = cache_root() / kind / key[:2] / key
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    _used(path)
    return data


def open_entry(kind: str, key: str) -> TextIO | None:
    """The entry open for reading, its text as written, or None."""
    path = cache_root() / kind / key[:2] / key
    try:
        entry = open(path, encoding="utf-8", newline="")
    except OSError:
        return None
    _used(path)
    return entry


def _used(path: Path) -> None:
    """Mark an entry as just used (the folder is pruned least recently used first)."""
    try:
        os.utime(path)
    except OSError:
        pass


DEFAULT_MAX_MB = 512
_PRUNED = ".pruned"  # in the folder; its modification time: when the folder was last looked at for pruning
_PRUNE_EVERY = 24 * 3600  # seconds


def max_bytes() -> int:
    """The size the folder is kept under: ``$APIGEN_CACHE_MAX_MB`` MiB (a whole number), else the default."""
    configured = os.environ.get("APIGEN_CACHE_MAX_MB", "").strip()
    megabytes = int(configured) if configured.isdigit() else DEFAULT_MAX_MB
    return megabytes * 1024 * 1024


def prune_if_due(now: float | None = None) -> int:
    """:func:`prune` the folder if it was not looked at in the last day; the bytes deleted."""
    root = cache_root()
    now = time.time() if now is None else now
    marker = root / _PRUNED
    try:
        if now - marker.stat().st_mtime < _PRUNE_EVERY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    if not root.is_dir() or root.is_symlink():
        return 0
    removed = prune(root, max_bytes(), now)
    try:
        marker.touch()
        os.utime(marker, (now, now))
    except OSError:
        pass
    return removed


def prune(root: Path, limit: int, now: float | None = None) -> int:
    """Delete the entries of ``root`` used least recently until they take at most 80% of ``limit`` bytes
    (nothing when they take at most ``limit``), and any unfinished write older than an hour; the bytes
    deleted. Only regular files in the folder's own layout (``kind/entry``, ``kind/xx/entry``) are
    looked at; links are never followed."""
    now = time.time() if now is None else now
    entries: list[tuple[float, int, str]] = []
    removed = 0
    for path, info in _entries(root):
        if path.endswith(".tmp") and now - info.st_mtime > 3600:  # a write that died half-way
            removed += _delete(path, info.st_size)
        else:
            entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return removed
    entries.sort()
    target = limit * 4 // 5
    for _, size, path in entries:
        if total <= target:
            break
        removed += _delete(path, size)
        total -= size
    return removed


# what this module writes (``kind/xx/<sha-256 hex starting xx>``, maybe ``.<pid>.tmp`` while written) and
# Jinja's compiled templates (``jinja/__jinja2_<hash>.cache``): nothing else in the folder is ever deleted,
# should ``$APIGEN_CACHE_DIR`` name a folder that holds other files too
_ENTRY = re.compile(r"(?:[a-z]+/([0-9a-f]{2})/\1[0-9a-f]{62}(?:\.\d+\.tmp)?|jinja/__jinja2_[0-9a-f]+\.cache)")


def _entries(root: Path) -> Iterable[tuple[str, os.stat_result]]:
    def files(folder: str, relative: str, depth: int) -> Iterable[tuple[str, os.stat_result]]:
        try:
            with os.scandir(folder) as listing:
                found = list(listing)
        except OSError:
            return
        for entry in found:
            name = f"{relative}{entry.name}"
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if depth < 2:
                        yield from files(entry.path, f"{name}/", depth + 1)
                elif _ENTRY.fullmatch(name) and entry.is_file(follow_symlinks=False):
                    yield entry.path, entry.stat(follow_symlinks=False)
            except OSError:
                continue

    yield from files(str(root), "", 0)


def _delete(path: str, size: int) -> int:
    try:
        os.unlink(path)
    except OSError:
        return 0
    return size
