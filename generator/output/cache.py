"""Where apigen keeps what it can reuse between runs: black output, compiled templates, validation results.

Everything here is keyed by a hash of its input (and the tool versions), so a stale entry is never used;
deleting the folder only costs time. ``$APIGEN_CACHE_DIR`` moves it (default ``~/.cache/apigen``).
"""

from __future__ import annotations

import hashlib
import os
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
    try:
        with open(cache_root() / kind / key[:2] / key, "rb") as f:
            return f.read()
    except OSError:
        return None


def open_entry(kind: str, key: str) -> TextIO | None:
    """The entry open for reading, its text as written, or None."""
    try:
        return open(cache_root() / kind / key[:2] / key, encoding="utf-8", newline="")
    except OSError:
        return None
