"""Files as they were at a git commit, read from the object store (``git ls-tree`` / ``git cat-file``, the
plumbing behind ``git show REF:path``): no checkout, no temporary worktree, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.spec.diagnostics import Location, SpecError

if TYPE_CHECKING:
    import subprocess


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the ref names no commit."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    import subprocess  # here: only `diff --against` runs git, and subprocess costs every command's start-up

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --against)") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"cannot run git: {exc}") from None


class GitTree:
    """The tree of commit ``ref`` of the repository holding ``folder``, read as files.

    ``read(path)`` takes a path in the working tree (absolute, or relative to the working directory) and
    returns the bytes of the same path at the commit; a missing path raises FileNotFoundError, a folder,
    symbolic link or submodule there OSError (the working tree's containment rules apply to the paths).
    """

    def __init__(self, ref: str, folder: Path) -> None:
        self.ref = ref
        folder = folder.resolve()
        while not folder.is_dir():
            folder = folder.parent
        top = _git(folder, "rev-parse", "--show-toplevel")
        if top.returncode != 0:
            raise GitError(f"{folder} is not inside a git repository")
        self.top = Path(top.stdout.decode("utf-8", "replace").strip()).resolve()
        if ref.startswith("-"):
            raise GitError(f"--against {ref!r}: not a commit")
        commit = _git(self.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if commit.returncode != 0:
            raise GitError(f"--against {ref!r}: not a commit in {self.top}")
        self.commit = commit.stdout.decode("ascii").strip()

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the repository's top folder (POSIX form), or None when outside it."""
        try:
            return path.resolve().relative_to(self.top).as_posix()
        except ValueError:
            return None

    def read(self, path: Path) -> bytes:
        rel = self.relative(path)
        if rel is None:
            raise FileNotFoundError(str(path))
        listed = _git(self.top, "ls-tree", "-z", "--full-tree", self.commit, "--", rel)
        if listed.returncode != 0 or not listed.stdout:
            raise FileNotFoundError(rel)
        meta, _, name = listed.stdout.rstrip(b"\0").partition(b"\t")
        mode, kind, sha = meta.decode("ascii").split()
        if kind != "blob" or name.decode("utf-8", "replace") != rel:
            raise IsADirectoryError(21, "is a folder at that commit, not a spec file")
        if mode == "120000":
            raise OSError(40, "is a symbolic link at that commit (not followed)")
        blob = _git(self.top, "cat-file", "blob", sha)
        if blob.returncode != 0:
            raise OSError(5, blob.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
        return blob.stdout

    def shown(self, location: Location | None) -> Location | None:
        """A location in a file read from the commit, as ``REF:path:line`` (the path from the top folder, as in
        ``git show REF:path``)."""
        if location is None:
            return None
        rel = self.relative(Path(location.file))  # as git spells it: from the repository's top folder
        return Location(f"{self.ref}:{rel if rel is not None else location.file}", location.line)

    def relocate(self, error: SpecError) -> SpecError:
        """``error`` with its place spelt ``REF:file:line``, so it is not taken for the working file."""
        d = error.diagnostic
        return SpecError(d.message, self.shown(d.location), d.pointer)
