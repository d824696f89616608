"""$refs reach only regular files inside the spec's folder tree; errors name the $ref and never quote the target."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from generator.spec.diagnostics import SpecError
from generator.spec.load import load_spec
from tests.support.specs import line_of, write_tree

HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"


def _spec(tmp_path: Path, ref: str) -> Path:
    return write_tree(tmp_path / "api", {"openapi.yaml": HEAD + f"    A:\n      $ref: '{ref}'\n"})


def _error(root: Path, **kwargs: object) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(root, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def test_an_absolute_ref_is_refused_at_its_line_without_reading_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-not-a-real-one\n")
    root = _spec(tmp_path, str(secret))
    text = _error(root)
    assert text == (
        f"{root}:{line_of(root, '$ref')}: error: $ref '{secret}': absolute paths are not allowed, "
        "only files inside the spec's folder"
    )
    assert "hunter2" not in text


def test_etc_files_are_never_inlined(tmp_path: Path) -> None:
    root = _spec(tmp_path, "/etc/hostname")
    assert _error(root).endswith("error: $ref '/etc/hostname': absolute paths are not allowed, only files inside the spec's folder")


def test_dotdot_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("type: string\ndescription: leaked-text\n")
    root = _spec(tmp_path, "../outside.yaml")
    text = _error(root)
    assert text.startswith(f"{root}:7: error: $ref '../outside.yaml': leaves the spec's folder ")
    assert "leaked-text" not in text


def test_ref_root_widens_the_tree(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "S.yaml").write_text("type: string\n")
    root = _spec(tmp_path, "../shared/S.yaml")
    assert "leaves the spec's folder" in _error(root)
    loaded = load_spec(root, ref_roots=[tmp_path / "shared"])
    assert loaded.document["components"]["schemas"]["A"] == {"type": "string"}


def test_a_symlink_leaving_the_tree_is_refused_and_one_inside_is_followed(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("type: integer\n")
    root = _spec(tmp_path, "link.yaml")
    os.symlink(tmp_path / "outside.yaml", tmp_path / "api" / "link.yaml")
    assert _error(root) == (
        f"{root}:7: error: $ref 'link.yaml': a symbolic link leads outside the spec's folder {tmp_path / 'api'}"
    )
    (tmp_path / "api" / "real.yaml").write_text("type: boolean\n")
    (tmp_path / "api" / "link.yaml").unlink()
    os.symlink(tmp_path / "api" / "real.yaml", tmp_path / "api" / "link.yaml")
    assert load_spec(root).document["components"]["schemas"]["A"] == {"type": "boolean"}


@pytest.mark.parametrize("ref", ["https://example.com/a.yaml", "file:///etc/hostname", "ftp://h/a", "//host/a.yaml", "c:/x.yaml"])
def test_urls_of_any_scheme_are_refused(tmp_path: Path, ref: str) -> None:
    root = _spec(tmp_path, ref)
    assert _error(root) == (
        f"{root}:7: error: $ref '{ref}': remote references are not allowed, only files inside the spec's folder"
    )


def test_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    root = _spec(tmp_path, "zero.yaml")
    os.symlink("/dev/zero", tmp_path / "api" / "zero.yaml")
    # the link's target is outside the tree: refused before it is opened
    assert "a symbolic link leads outside" in _error(root)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    root = _spec(tmp_path, "pipe.yaml")
    os.mkfifo(tmp_path / "api" / "pipe.yaml")
    shown = tmp_path / "api" / "pipe.yaml"
    assert _error(root) == f"{root}:7: error: {shown} is not a regular file (a device, FIFO or socket)"


def test_a_socket_and_a_directory_are_refused(tmp_path: Path) -> None:
    root = _spec(tmp_path, "sock.yaml")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "api" / "sock.yaml"))
        assert "is not a regular file (a device, FIFO or socket)" in _error(root)
    finally:
        server.close()
    root = _spec(tmp_path, "dir.yaml")
    (tmp_path / "api" / "dir.yaml").mkdir()
    assert _error(root) == f"{root}:7: error: {tmp_path / 'api' / 'dir.yaml'} is a directory, not a spec file"


def test_a_missing_file_suggests_the_nearest_names(tmp_path: Path) -> None:
    root = _spec(tmp_path, "schemas/Pett.yaml")
    write_tree(tmp_path / "api", {"schemas/Pet.yaml": "type: object\n", "schemas/Order.yaml": "type: object\n"})
    assert _error(root) == (
        f"{root}:7: error: file not found: {tmp_path / 'api' / 'schemas' / 'Pett.yaml'}; did you mean 'Pet.yaml'?"
    )


def test_a_missing_pointer_suggests_the_nearest_keys(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "api",
        {"openapi.yaml": HEAD + "    Pet: {type: object}\n    Owner: {type: object}\n    A:\n      $ref: '#/components/schemas/Pett'\n"},
    )
    assert _error(root) == (
        f"{root}:9: error: $ref '#/components/schemas/Pett': {root} has nothing at #/components/schemas/Pett; "
        "did you mean 'Pet'?"
    )


@pytest.mark.parametrize("ref", ["%2e%2e/outside.yaml", "sub/../../outside.yaml", "./../outside.yaml"])
def test_spelled_out_escapes_are_refused_too(tmp_path: Path, ref: str) -> None:
    (tmp_path / "outside.yaml").write_text("type: string\n")
    root = _spec(tmp_path, ref)
    assert _error(root).startswith(f"{root}:7: error: $ref '{ref}': leaves the spec's folder ")


def test_a_symlinked_folder_leaving_the_tree_is_refused(tmp_path: Path) -> None:
    """The real path of ``folder/name`` is worked out from the folder's (once per load): a folder that is a
    link out of the tree is seen as one, as a file that is a link is."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "S.yaml").write_text("type: integer\n")
    root = _spec(tmp_path, "sub/S.yaml")
    os.symlink(tmp_path / "elsewhere", tmp_path / "api" / "sub")
    assert "a symbolic link leads outside the spec's folder" in _error(root)


def test_real_paths_are_what_the_operating_system_says(tmp_path: Path) -> None:
    from generator.spec.load import SourceMap, _Resolver

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.yaml").write_text("x: 1\n")
    os.symlink(tmp_path / "a" / "b", tmp_path / "a" / "lb")  # a folder link
    os.symlink(tmp_path / "a" / "lb" / "f.yaml", tmp_path / "a" / "lf.yaml")  # a file link through it
    os.symlink(tmp_path / "a" / "lf.yaml", tmp_path / "a" / "llf.yaml")  # a link to a link
    os.symlink("missing.yaml", tmp_path / "a" / "dangling.yaml")
    resolver = _Resolver(SourceMap())
    for name in ("b/f.yaml", "lb/f.yaml", "lf.yaml", "llf.yaml", "dangling.yaml", "lb/../lf.yaml", "lb/../b/f.yaml",
                 "nothing.yaml", "lb/..", "."):
        path = os.path.join(tmp_path, "a", name)
        assert resolver._realpath(path) == os.path.realpath(path), name
        assert resolver._resolved(path) == Path(path).resolve(), name
