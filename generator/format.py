"""Format generated Python with black, in-process, skipping texts it has already formatted.

The cache maps a hash of (black version, mode, input text) to the formatted text, so regenerating after
a change to one operation reformats only the files that changed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import black

MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310}, is_pyi=False)


class FormatError(Exception):
    """Black could not parse a generated file: a bug in a template, reported with the file's name."""


def cache_dir() -> Path:
    configured = os.environ.get("APIGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "apigen" / "black"


def _key(text: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{black.__version__}|{MODE.line_length}|{sorted(v.name for v in MODE.target_versions)}\0".encode())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def format_python(name: str, text: str, cache: Path | None = None) -> str:
    cache = cache if cache is not None else cache_dir()
    key = _key(text)
    entry = cache / key[:2] / key
    try:
        return entry.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        formatted = black.format_str(text, mode=MODE)
    except Exception as exc:  # black raises several types (InvalidInput, ...) for unparsable code
        raise FormatError(f"{name}: generated code does not parse ({exc})") from None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(formatted, encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only cache only costs speed
    return formatted


def format_files(files: dict[str, str], cache: Path | None = None) -> dict[str, str]:
    return {name: format_python(name, text, cache) if name.endswith(".py") else text for name, text in files.items()}
