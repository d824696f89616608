"""Write generated files: only the changed ones, atomically, deleting only what an earlier run generated.

A manifest (``.apigen-manifest.json`` in the output directory) lists every file the generator wrote with
its hash. Files of removed operations are deleted on the next run; a file the generator did not write is
never touched. Everything is rendered and formatted before the first byte is written, and each file is
replaced with ``os.replace``, so a failed run leaves the output as it was.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator.spec.diagnostics import Location, SpecError
from generator.spec.limits import CONFIG_KEYS, DEFAULT_LIMITS, Limits

MANIFEST = ".apigen-manifest.json"
MAX_NAME_BYTES = 255  # one path component, on every common file system
MAX_PATH_BYTES = 4095  # a whole path (Linux PATH_MAX less the NUL)
# a component a generation can produce: word characters, dots and dashes, not starting with a dot
_COMPONENT = re.compile(r"[^\W][\w.-]*")


class WriteError(SpecError):
    """The output cannot be written (a file the generator does not own is in the way, a disk error): exit 2."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message, Location(str(path), 0) if path is not None else None)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_text(files: dict[str, str]) -> str:
    entries = {name: _sha(text) for name, text in sorted(files.items())}
    return json.dumps({"generator": "apigen", "files": entries}, indent=2, sort_keys=True) + "\n"


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a path a generation could produce (relative, normalised, plain), or None."""
    if not name or "\0" in name or "\\" in name or name.startswith("/") or os.path.isabs(name):
        return "not a relative path"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "not a normalised path (empty, '.' or '..' component)"
    if not all(_COMPONENT.fullmatch(part) for part in parts):
        return "a component is not a plain file name (word characters, '.' and '-', not starting with '.')"
    return None


def read_manifest(output: Path) -> dict[str, str]:
    """The files an earlier run generated. A manifest that is not apigen's, or that names a path outside the
    output (absolute, ``..``, ...), is an error naming it: its entries are never taken as instructions."""
    path = output / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    text = read_file(path)
    if text is None:
        raise WriteError("invalid manifest: not a readable regular UTF-8 file (a link, FIFO or device?)", path)
    try:
        data = json.loads(text)
    except ValueError:
        raise WriteError("invalid manifest: not JSON", path) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("generator") != "apigen" or not isinstance(files, dict):
        raise WriteError('invalid manifest: not {"generator": "apigen", "files": {...}}', path)
    for name, digest in files.items():
        problem = name_problem(name) if isinstance(name, str) else "not a string"
        if problem is None and not isinstance(digest, str):
            problem = "its hash is not a string"
        if problem is not None:
            raise WriteError(f"invalid manifest: entry {name!r} is {problem}; nothing was written", path)
    return {str(k): str(v) for k, v in files.items()}


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def check_folder(folder: Path, what: str = "the output (-o)") -> None:
    """``folder`` is a folder or can be created as one (its nearest existing ancestor is a folder)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe == folder and folder.exists() and not folder.is_dir():
        raise WriteError(f"{what} is a file, not a folder", folder)
    if not probe.is_dir():
        raise WriteError(f"cannot create {what}: {probe} is a file", folder)


def preflight(output: Path, files: dict[str, str], limits: Limits = DEFAULT_LIMITS) -> None:
    """Every check that can fail, before anything is written: the output folder, names, lengths, sizes."""
    check_folder(output)
    total = 0
    root = output.resolve()
    for name, text in files.items():
        problem = name_problem(name)
        if problem is not None:
            raise WriteError(f"generated file name {name!r} is {problem}", output)
        long = next((part for part in name.split("/") if len(part.encode("utf-8")) > MAX_NAME_BYTES), None)
        if long is not None:
            raise WriteError(
                f"generated file name {long[:40]}... is {len(long.encode('utf-8'))} bytes long; "
                f"file systems allow {MAX_NAME_BYTES} (shorten the tag, operation or schema name it comes from)",
                output,
            )
        full = len(str(root / name).encode("utf-8"))
        if full > MAX_PATH_BYTES:
            raise WriteError(
                f"generated path {name!r} would be {full} bytes long; the limit is {MAX_PATH_BYTES}", output
            )
        if not _inside((root / name).parent.resolve(), root):
            raise WriteError(f"{name!r}: a symbolic link in the output leads outside it; nothing was written", output)
        total += len(text.encode("utf-8"))
    if total > limits.max_output_bytes:
        raise WriteError(
            f"the generated files total {total:,} bytes, more than the limit of {limits.max_output_bytes:,} "
            f"([tool.apigen] {CONFIG_KEYS['max_output_bytes']})",
            output,
        )


@dataclass
class Plan:
    """What a run would change: files to write, files to delete, files already up to date."""

    write: dict[str, str] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.write or self.delete)


def _open_regular(path: Path) -> BinaryIO | None:
    """``path`` opened for reading when it is a regular file (never through a symbolic link, never a FIFO or
    device), else None; raises OSError as ``os.open`` does."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        return None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        return None
    return handle


def read_file(path: Path) -> str | None:
    """The text of a regular file (never through a symbolic link, never a FIFO or device), else None."""
    try:
        handle = _open_regular(path)
        if handle is None:
            return None
        with handle:
            return handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


_BLOCK = 1 << 20  # characters compared at a time by :func:`holds`


def holds(path: Path, text: str) -> bool:
    """Whether ``path`` is a regular file (not through a symbolic link) whose bytes are ``text`` in UTF-8.

    Compared block by block, so that a large file is never held twice (its old text beside the new one)."""
    try:
        handle = _open_regular(path)
        if handle is None:
            return False
        with handle:
            size = os.fstat(handle.fileno()).st_size
            if size < len(text) or (text.isascii() and size != len(text)):
                return False
            for start in range(0, len(text), _BLOCK):
                expected = text[start : start + _BLOCK].encode("utf-8")
                if handle.read(len(expected)) != expected:
                    return False
            return handle.read(1) == b""
    except (OSError, ValueError):  # UnicodeEncodeError too: a text that cannot be written is never "unchanged"
        return False


def plan(output: Path, files: dict[str, str]) -> Plan:
    """Compare ``files`` (relative path -> text, the manifest excluded) with what ``output`` holds."""
    all_files = dict(files)
    all_files[MANIFEST] = manifest_text(files)
    previous = read_manifest(output)
    result = Plan()
    for name in sorted(all_files):
        text = all_files[name]
        if holds(output / name, text):
            result.unchanged.append(name)
        else:
            result.write[name] = text
    result.delete = sorted(name for name in previous if name not in all_files and (output / name).exists())
    return result


def apply(output: Path, files: dict[str, str], limits: Limits = DEFAULT_LIMITS) -> Plan:
    """Bring ``output`` in line with ``files``; returns what was done. Writes nothing when any check fails."""
    preflight(output, files, limits)
    todo = plan(output, files)
    previous = read_manifest(output)
    root = output.resolve()
    for name in todo.delete:
        if not _inside((root / name).parent.resolve(), root):
            raise WriteError(f"invalid manifest: entry {name!r} leads outside the output through a symbolic link",
                             output / MANIFEST)  # fmt: skip
    for name in todo.write:
        target = output / name
        if name != MANIFEST and name not in previous and (target.exists() or target.is_symlink()):
            raise WriteError("exists and was not generated by apigen; move it away or delete it", target)
        if target.is_dir() and not target.is_symlink():
            raise WriteError("is a folder where apigen generates a file; move it away", target)
        for parent in Path(name).parents:
            if str(parent) != "." and (output / parent).exists() and not (output / parent).is_dir():
                raise WriteError("is a file where apigen needs a folder; move it away", output / parent)
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []  # folders this run made, removed again if it fails
    try:
        for name, text in todo.write.items():
            target = output / name
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            created.extend(reversed(missing))
            # a short temporary name, so a file name of 255 bytes can still be staged beside its target
            tmp = target.with_name(f".apigen-{len(staged)}.tmp")
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((tmp, target))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        where = getattr(exc, "filename", None) or output
        raise WriteError(f"cannot write: {exc.strerror or type(exc).__name__}", where) from None
    # the manifest goes last: if anything before it fails, the old manifest still describes the files
    staged.sort(key=lambda pair: pair[1].name == MANIFEST)
    for tmp, target in staged:
        os.replace(tmp, target)
    for name in todo.delete:
        path = output / name
        if path.is_dir() and not path.is_symlink():
            continue  # a folder where a generated file was: not ours to remove
        path.unlink(missing_ok=True)
        _prune(path.parent, output)
    return todo


def _prune(directory: Path, stop: Path) -> None:
    """Remove directories left empty by deletions (and only those), up to ``stop``; a ``__pycache__`` of
    plain files goes with them. Nothing behind a symbolic link is ever touched."""
    stop = stop.resolve()
    while True:
        if directory.is_symlink() or not directory.is_dir():
            return
        resolved = directory.resolve()
        if resolved == stop or not _inside(resolved, stop):
            return
        entries = list(directory.iterdir())
        if any(p.name != "__pycache__" for p in entries):
            return
        for cache in entries:
            if cache.is_symlink() or not cache.is_dir():
                return
            inner = list(cache.iterdir())
            if any(f.is_symlink() or not f.is_file() for f in inner):
                return
            for f in inner:
                f.unlink()
            cache.rmdir()
        directory.rmdir()
        directory = directory.parent


def diff(output: Path, files: dict[str, str]) -> str:
    """A unified diff from what ``output`` holds to what generation produces (empty when identical)."""
    todo = plan(output, files)
    chunks: list[str] = []
    for name, text in todo.write.items():
        current = read_file(output / name)
        chunks.extend(
            difflib.unified_diff(
                (current or "").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{name}" if current is not None else "/dev/null",
                tofile=f"b/{name}",
            )
        )
    for name in todo.delete:
        current = read_file(output / name) or ""
        chunks.extend(
            difflib.unified_diff(current.splitlines(keepends=True), [], fromfile=f"a/{name}", tofile="/dev/null")
        )
    return "".join(chunk if chunk.endswith("\n") else chunk + "\n" for chunk in chunks)
