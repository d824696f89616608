"""The CLI's edges: located exit-2 messages, all-or-nothing runs, names per spec, warnings summarised."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

from generator.cli.commands import _Progress
from tests.support.paths import REPO
from tests.support.specs import line_of, write_tree

SPEC = """
openapi: 3.1.0
info: {title: Twilio - Messaging, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
  /b:
    get:
      responses: {"200": {description: ok}}
  /c:
    get:
      responses: {"200": {description: ok}}
"""


def apigen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_missing_spec_is_named(tmp_path: Path) -> None:
    done = apigen("generate", "nope.yaml", "-o", "out", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "nope.yaml: error: spec not found\n")
    assert _tree(tmp_path) == []


def test_invalid_utf8_in_the_root_file_is_located(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_bytes(b"openapi: 3.1.0\ninfo: {title: \xff, version: '1'}\npaths: {}\n")
    done = apigen("lint", "api.yaml", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "api.yaml:2: error: invalid UTF-8 (byte 0xff at column 15)\n")


def test_output_that_is_a_file_is_located_and_writes_no_report(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    (tmp_path / "out").write_text("mine\n")
    done = apigen("generate", "api.yaml", "-o", "out", "--report", "rep/r.json", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "out: error: the output (-o) is a file, not a folder\n")
    assert _tree(tmp_path) == ["api.yaml", "out"] and (tmp_path / "out").read_text() == "mine\n"


def test_report_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    done = apigen("generate", "api.yaml", "-o", "out", "--report", "reports/new/r.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "reports" / "new" / "r.json").read_text())
    assert report["operations"]["generated"] == ["getA", "getB", "getC"]
    # the report keeps every warning, the terminal a summary
    assert len(report["warnings"]) == 3


def test_a_too_long_tag_gets_a_bounded_module_name(tmp_path: Path) -> None:
    tag = "t" * 300
    write_tree(tmp_path, {"api.yaml": SPEC.replace("  /a:\n    get:\n", f"  /a:\n    get:\n      tags: [{tag}]\n")})
    done = apigen("generate", "api.yaml", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    modules = [p.name for p in (tmp_path / "out/client/twilio_messaging/resources").glob("t*.py")]
    assert len(modules) == 1 and len(modules[0].encode()) <= 255, modules


def test_a_too_long_output_name_fails_before_anything_is_written(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    (tmp_path / "pyproject.toml").write_text(f'[tool.apigen]\nspec = "api.yaml"\nclient-dir = "{"c" * 300}"\n')
    done = apigen("generate", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"out: error: generated file name {'c' * 40}... is 300 bytes long; file systems allow 255 "
        "(shorten the tag, operation or schema name it comes from)"
    )
    assert _tree(tmp_path) == ["api.yaml", "pyproject.toml"]


def test_a_manifest_listing_a_file_outside_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    (tmp_path / "victim.txt").write_text("keep\n")
    (tmp_path / "out").mkdir()
    manifest = tmp_path / "out" / ".apigen-manifest.json"
    manifest.write_text(json.dumps({"generator": "apigen", "files": {"../victim.txt": "0" * 64}}))
    done = apigen("generate", "api.yaml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "out/.apigen-manifest.json: error: invalid manifest: entry '../victim.txt' is not a normalised path "
        "(empty, '.' or '..' component); nothing was written"
    )
    assert (tmp_path / "victim.txt").read_text() == "keep\n" and _tree(tmp_path / "out") == [".apigen-manifest.json"]


def test_an_absolute_ref_is_never_inlined(tmp_path: Path) -> None:
    spec = write_tree(tmp_path, {"api.yaml": SPEC + "components:\n  schemas:\n    H:\n      $ref: /etc/hostname\n"})
    done = apigen("generate", "api.yaml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        f"api.yaml:{line_of(spec, '$ref')}: error: $ref '/etc/hostname': absolute paths are not allowed, "
        "only files inside the spec's folder\n"
    )
    assert not (tmp_path / "out").exists()


def _pyproject(root: Path, spec: str) -> None:
    (root / "pyproject.toml").write_text(
        f'[tool.apigen]\nspec = "{spec}"\npackage-name = "configured_pkg"\n'
        'distribution-name = "configured-dist"\nclient-version = "9.9.9"\n'
    )


def _project(out: Path) -> tuple[list[str], str]:
    text = (out / "client" / "pyproject.toml").read_text()
    name = next(line for line in text.splitlines() if line.startswith("name = "))
    version = next(line for line in text.splitlines() if line.startswith("version = "))
    return sorted(p.name for p in (out / "client").iterdir() if p.is_dir()), f"{name}; {version}"


def test_configured_names_apply_only_to_the_configured_spec(tmp_path: Path) -> None:
    write_tree(tmp_path, {"spec/api.yaml": SPEC, "other/api.yaml": SPEC})
    _pyproject(tmp_path, "spec/api.yaml")
    assert apigen("generate", "-o", "a", cwd=tmp_path).returncode == 0
    assert _project(tmp_path / "a") == (["configured_pkg"], 'name = "configured-dist"; version = "9.9.9"')
    assert apigen("generate", "other/api.yaml", "-o", "b", cwd=tmp_path).returncode == 0
    assert _project(tmp_path / "b") == (["twilio_messaging"], 'name = "twilio-messaging-client"; version = "0.1.0"')
    done = apigen("generate", "other/api.yaml", "-o", "c", "--package-name", "sms_kit", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _project(tmp_path / "c") == (["sms_kit"], 'name = "sms-kit"; version = "0.1.0"')
    done = apigen("generate", "other/api.yaml", "-o", "d", "--distribution-name", "acme-sms", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _project(tmp_path / "d") == (["twilio_messaging"], 'name = "acme-sms"; version = "0.1.0"')


def test_bad_package_names_are_refused(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    expected = {
        "class": "is a Python keyword",
        "match": "is a Python keyword",
        "json": "would shadow the standard library or httpx module of that name",
        "typing": "would shadow the standard library or httpx module of that name",
        "httpx": "would shadow the standard library or httpx module of that name",
        "1abc": "is not a Python identifier (ASCII letters, digits and _, not starting with a digit)",
        "my-pkg": "is not a Python identifier (ASCII letters, digits and _, not starting with a digit)",
    }
    for name, why in expected.items():
        done = apigen("generate", "api.yaml", "-o", "out", "--package-name", name, cwd=tmp_path)
        assert (done.returncode, done.stderr) == (2, f"apigen: error: --package-name {name!r} {why}\n")
    assert _tree(tmp_path) == ["api.yaml"]


def test_the_generated_readme_names_nothing_of_this_repository(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    assert apigen("generate", "api.yaml", "-o", "out", cwd=tmp_path).returncode == 0
    readme = (tmp_path / "out" / "client" / "README.md").read_text()
    for needle in ("make ", "generated/", "../", "spec/", "huawei", "SMS"):
        assert needle not in readme
    assert "from twilio_messaging import Client" in readme and "pip install .\n" in readme


def test_repeated_warnings_are_summarised_listed_with_v_and_silenced_with_q(tmp_path: Path) -> None:
    spec = write_tree(tmp_path, {"api.yaml": SPEC})
    first = line_of(spec, "get:")
    done = apigen("lint", "api.yaml", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"apigen: warning: 3 x operation has no operationId; first at api.yaml:{first} (-v lists them all)",
        "apigen: api.yaml: 0 error(s), 3 warning(s)",
    ]
    verbose = apigen("lint", "api.yaml", "-v", cwd=tmp_path).stderr.splitlines()
    assert verbose[:3] == [
        f"api.yaml:{first}: warning: operation has no operationId; using 'getA' (#/paths/~1a/get)",
        f"api.yaml:{first + 3}: warning: operation has no operationId; using 'getB' (#/paths/~1b/get)",
        f"api.yaml:{first + 6}: warning: operation has no operationId; using 'getC' (#/paths/~1c/get)",
    ]
    quiet = apigen("lint", "api.yaml", "-q", cwd=tmp_path)
    assert quiet.stderr.splitlines() == ["apigen: api.yaml: 0 error(s), 3 warning(s)"]


def test_version(tmp_path: Path) -> None:
    done = apigen("--version", cwd=tmp_path)
    version = next(line for line in (REPO / "pyproject.toml").read_text().splitlines() if line.startswith("version"))
    number = version.split('"')[1]
    assert (done.returncode, done.stdout) == (0, f"apigen {number}\n")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_after_the_delay_and_is_cleared() -> None:
    stream = _Tty()
    progress = _Progress(stream, delay=0.2)
    progress("loading")
    assert stream.getvalue() == ""  # a quick run prints nothing
    time.sleep(0.5)
    progress("rendering")
    progress.done()
    assert stream.getvalue() == "\r\x1b[Kapigen: loading...\r\x1b[Kapigen: rendering...\r\x1b[K"
    plain = io.StringIO()
    quiet = _Progress(plain, delay=0.0)
    quiet("loading")
    time.sleep(0.1)
    quiet.done()
    assert plain.getvalue() == ""


def test_lint_refuses_an_alias_bomb_quickly(tmp_path: Path) -> None:
    rows = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}", "x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"x-{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    (tmp_path / "bomb.yaml").write_text("\n".join(rows) + "\n")
    started = time.monotonic()
    done = apigen("lint", "bomb.yaml", cwd=tmp_path)
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    assert done.stderr.startswith("bomb.yaml:5: error: YAML aliases expand this file by ")
    assert done.stderr.endswith("nodes, more than the limit of 1,000,000 ([tool.apigen] max-alias-expansion)\n")


def test_limits_and_ref_roots_come_from_tool_apigen(tmp_path: Path) -> None:
    write_tree(tmp_path, {"spec/api.yaml": SPEC + "components:\n  schemas:\n    S:\n      $ref: ../shared/S.yaml\n",
                          "shared/S.yaml": "type: string\n"})  # fmt: skip
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\nspec = "spec/api.yaml"\nmax-file-size = 100\n')
    done = apigen("lint", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "spec/api.yaml: error: is larger than the limit of 100 bytes ([tool.apigen] max-file-size)\n",
    )  # fmt: skip
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\nspec = "spec/api.yaml"\n')
    done = apigen("lint", cwd=tmp_path)
    assert done.returncode == 2 and "$ref '../shared/S.yaml': leaves the spec's folder" in done.stderr
    assert apigen("lint", "--ref-root", "shared", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\nspec = "spec/api.yaml"\nref-roots = ["shared"]\n')
    assert apigen("lint", cwd=tmp_path).returncode == 0


def test_a_bad_tool_apigen_value_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.apigen]\nspec = "a.yaml"\nmax-depth = -3\n')
    done = apigen("lint", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, f"{tmp_path / 'pyproject.toml'}:6: error: [tool.apigen] max-depth must be a positive integer\n"
    )  # fmt: skip
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\npackage-name = "class"\n')
    done = apigen("lint", cwd=tmp_path)
    assert done.stderr == f"{tmp_path / 'pyproject.toml'}:2: error: [tool.apigen] package-name 'class' is a Python keyword\n"


def test_a_device_as_the_root_spec_is_refused_without_reading(tmp_path: Path) -> None:
    done = apigen("lint", "/dev/zero", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "/dev/zero: error: is not a regular file (a device, FIFO or socket)\n")


def test_a_limit_can_be_raised_or_lowered_for_one_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"api.yaml": SPEC})
    done = apigen("lint", "api.yaml", "--limit", "max-file-size=50", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "api.yaml: error: is larger than the limit of 50 bytes ([tool.apigen] max-file-size)\n"
    )  # fmt: skip
    done = apigen("generate", "api.yaml", "-o", "out", "--limit", "max-output-size=1000", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.splitlines()[-1].startswith("out: error: the generated files total ")
    assert not (tmp_path / "out").exists()
    done = apigen("lint", "api.yaml", "--limit", "max-speed=3", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("apigen: error: --limit 'max-speed=3': unknown limit; one of ")


def test_without_configured_names_even_the_default_spec_is_named_from_its_title(tmp_path: Path) -> None:
    write_tree(tmp_path, {"openapi.yaml": SPEC})  # the default spec name, no pyproject.toml
    assert apigen("generate", "-o", "out", cwd=tmp_path).returncode == 0
    assert _project(tmp_path / "out") == (["twilio_messaging"], 'name = "twilio-messaging-client"; version = "0.1.0"')
