"""``apigen diff`` and ``apigen check --against`` from the command line: this repository's spec, a git
repository made for the test, the output formats, the CHANGELOG entry and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.generator.diff.pets import base as _base
from tests.generator.diff.pets import dump as _dump
from tests.support.paths import REPO, SPEC


def apigen(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "APIGEN_CACHE_DIR": os.environ.get("APIGEN_CACHE_DIR", str(Path(tempfile.gettempdir()) / "apigen-cache-tests"))}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)  # fmt: skip


def _copy_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(REPO / "spec", spec)
    return spec


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the one line ``old`` by ``new``; the line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [n for n, line in enumerate(lines) if line.rstrip("\n") == old]
    assert len(hits) == 1, (old, hits)
    lines[hits[0]] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return hits[0] + 1


def test_the_spec_against_itself_is_empty() -> None:
    done = apigen("diff", str(SPEC), str(SPEC))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "No change a caller of the generated client can observe.\n0 breaking, 0 compatible; semver bump: patch\n"


def test_one_field_renamed_is_one_breaking_change_and_a_major_bump(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    line = _edit(spec / "components" / "schemas" / "SmsResult.yaml", "  originTo:", "  originNumber:")
    done = apigen("diff", str(SPEC), str(spec / "openapi.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["changes"] == [
        {
            "kind": "field-renamed",
            "severity": "breaking",
            "python_name": "models.SmsResult.origin_to",
            "detail": "field origin_to renamed to origin_number",
            "old_location": f"spec/components/schemas/SmsResult.yaml:{line}",
            "new_location": f"{spec}/components/schemas/SmsResult.yaml:{line}",
        }
    ]
    assert (data["breaking"], data["compatible"], data["bump"]) == (1, 0, "major")
    failing = apigen("diff", str(SPEC), str(spec / "openapi.yaml"), "--fail-on", "breaking")
    assert failing.returncode == 1
    assert failing.stderr.endswith("apigen: 1 breaking change(s)\n")
    assert failing.stdout.splitlines()[-1] == "1 breaking, 0 compatible; semver bump: major"


def test_one_optional_field_added_is_compatible_and_a_minor_bump(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    schema = spec / "components" / "schemas" / "SmsResult.yaml"
    with schema.open("a", encoding="utf-8") as f:
        f.write("  note:\n    description: A note.\n    type: string\n")
    added = len(schema.read_text(encoding="utf-8").splitlines()) - 2
    done = apigen("diff", str(SPEC), str(spec / "openapi.yaml"), "--fail-on", "breaking")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Compatible changes (1):\n"
        "  models.SmsResult.note: optional field note: str added [field-added]\n"
        f"      old spec/components/schemas/SmsResult.yaml:1, new {schema}:{added}\n"
        "\n"
        "0 breaking, 1 compatible; semver bump: minor\n"
    )
    markdown = apigen("diff", str(SPEC), str(spec / "openapi.yaml"), "--format", "markdown")
    assert markdown.stdout == (
        "# API changes\n\n## Compatible changes\n\n"
        f"- `models.SmsResult.note`: optional field note: str added (old `spec/components/schemas/SmsResult.yaml:1`, "
        f"new `{schema}:{added}`)\n\nSemver bump: **minor**\n"
    )


def test_bad_input_is_a_located_error() -> None:
    done = apigen("diff", str(SPEC), "nope/openapi.yaml")
    assert (done.returncode, done.stderr) == (2, "nope/openapi.yaml: error: spec not found\n")
    done = apigen("diff", str(SPEC))
    assert done.returncode == 2
    assert done.stderr == "apigen: error: give two specs, OLD and NEW, or --against GIT-REF [SPEC]\n"
    done = apigen("diff", "--against", "no-such-ref-xyz")
    assert done.returncode == 2
    assert done.stderr == f"apigen: error: --against 'no-such-ref-xyz': not a commit in {REPO}\n"


# -- a git repository of its own ----------------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


PYPROJECT = """[tool.apigen]
spec = "api/openapi.yaml"
output = "generated"
package-name = "pets"
distribution-name = "pets-client"
client-version = "{version}"
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "api").mkdir(parents=True)
    doc = _base()
    # the schemas in a file of their own, so the old spec is more than one file read from git
    schemas = doc["components"].pop("schemas")
    (root / "api" / "schemas.yaml").write_text(_dump(schemas).replace("'#/components/schemas/", "'#/"), encoding="utf-8")
    text = _dump(doc).replace("'#/components/schemas/", "'schemas.yaml#/")
    doc = yaml.safe_load(text)
    doc["components"]["schemas"] = {name: {"$ref": f"schemas.yaml#/{name}"} for name in schemas}
    (root / "api" / "openapi.yaml").write_text(_dump(doc), encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT.format(version="0.1.0"), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "v0.1.0")
    return root


def test_against_a_commit_reads_the_old_spec_from_git(repo: Path) -> None:
    schemas = repo / "api" / "schemas.yaml"
    line = _edit(schemas, "    weight:", "    mass:")
    done = apigen("diff", "--against", "HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Breaking changes (1):\n"
        "  models.Pet.weight: field weight renamed to mass [field-renamed]\n"
        f"      old HEAD:api/schemas.yaml:{line}, new api/schemas.yaml:{line}\n"
        "\n"
        "1 breaking, 0 compatible; semver bump: major (from 0.1.0: at least 0.2.0; before 1.0 the minor number counts as major)\n"
    )
    # the working tree is as it was: nothing checked out
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == " M api/schemas.yaml\n"


def test_against_a_commit_whose_spec_is_broken_names_the_commit(repo: Path) -> None:
    (repo / "api" / "schemas.yaml").write_text("{", encoding="utf-8")
    _git(repo, "commit", "-qam", "broken")
    _git(repo, "checkout", "-q", "HEAD~1", "--", "api/schemas.yaml")
    done = apigen("diff", "--against", "HEAD", cwd=repo)
    assert done.returncode == 2
    assert re.fullmatch(r"HEAD:api/schemas\.yaml:\d+: error: .+\n", done.stderr), done.stderr


def test_check_against_fails_until_client_version_is_bumped(repo: Path) -> None:
    assert apigen("generate", cwd=repo).returncode == 0
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "generated")
    _edit(repo / "api" / "schemas.yaml", "    weight:", "    mass:")
    assert apigen("generate", cwd=repo).returncode == 0
    done = apigen("check", "--against", "HEAD", cwd=repo)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{repo}/pyproject.toml:6: error: client-version 0.1.0 is not bumped far enough: the spec changes since HEAD "
        "(1 breaking, 0 compatible) need a major bump from 0.1.0, at least 0.2.0 (`apigen diff --against HEAD` lists them)"
    )
    (repo / "pyproject.toml").write_text(PYPROJECT.format(version="0.1.1"), encoding="utf-8")
    assert apigen("generate", cwd=repo).returncode == 0
    assert apigen("check", "--against", "HEAD", cwd=repo).returncode == 1  # a patch bump is not enough
    (repo / "pyproject.toml").write_text(PYPROJECT.format(version="0.2.0"), encoding="utf-8")
    assert apigen("generate", cwd=repo).returncode == 0
    done = apigen("check", "--against", "HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "apigen: client-version 0.2.0 follows the spec changes since HEAD (major; was 0.1.0)" in done.stderr


def test_changelog_entry_is_written_once_per_version(repo: Path) -> None:
    _edit(repo / "api" / "schemas.yaml", "    weight:", "    mass:")
    (repo / "pyproject.toml").write_text(PYPROJECT.format(version="0.2.0"), encoding="utf-8")
    log = repo / "generated" / "client" / "CHANGELOG.md"
    args = ("diff", "--against", "HEAD", "--format", "json", "--changelog", str(log))
    assert apigen(*args, cwd=repo).returncode == 0
    first = log.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate((repo / "api" / "schemas.yaml").read_text().splitlines(), 1) if row == "    mass:")
    assert first == (
        "# Changelog\n\n## 0.2.0\n\n### Breaking changes\n\n"
        f"- `models.Pet.weight`: field weight renamed to mass (old `HEAD:api/schemas.yaml:{line}`, new `api/schemas.yaml:{line}`)\n"
    )
    assert apigen(*args, cwd=repo).returncode == 0
    assert log.read_text(encoding="utf-8") == first  # the same entry replaced, not added again
    assert apigen(*args, "--date", "2026-12-01", cwd=repo).returncode == 0
    assert log.read_text(encoding="utf-8") == first.replace("## 0.2.0\n", "## 0.2.0 (2026-12-01)\n")


def test_pagination_removed_is_a_breaking_change_of_the_page_iterator(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    apps = spec / "paths" / "apps.yaml"
    text = apps.read_text(encoding="utf-8")
    block = re.search(r"\n    x-apigen-pagination:\n(      .*\n)+", text)
    assert block is not None
    apps.write_text(text.replace(block.group(0), "\n"), encoding="utf-8")
    done = apigen("diff", str(SPEC), str(spec / "openapi.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    changes = json.loads(done.stdout)["changes"]
    assert [(c["kind"], c["severity"], c["python_name"]) for c in changes] == [
        ("pager-removed", "breaking", "client.apps.iter_list_apps()")
    ]


def test_a_spec_with_errors_is_refused_with_its_located_errors(tmp_path: Path) -> None:
    root = tmp_path / "bad.yaml"
    root.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x\n", encoding="utf-8")
    done = apigen("diff", str(SPEC), str(root))
    assert done.returncode == 2
    assert done.stdout == ""
    assert re.search(rf"^{re.escape(str(root))}:5: error: .*responses", done.stderr, re.MULTILINE), done.stderr
    assert done.stderr.endswith("; nothing compared\n")


def test_a_symbolic_link_at_the_commit_is_not_followed(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("TOPSECRET: 1\n", encoding="utf-8")
    schemas = repo / "api" / "schemas.yaml"
    kept = schemas.read_text(encoding="utf-8")
    schemas.unlink()
    schemas.symlink_to(secret)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "a link")
    schemas.unlink()
    schemas.write_text(kept, encoding="utf-8")
    done = apigen("diff", "--against", "HEAD", cwd=repo)
    assert done.returncode == 2
    assert re.fullmatch(r"HEAD:api/openapi\.yaml:\d+: error: cannot read api/schemas\.yaml: "
                        r"is a symbolic link at that commit \(not followed\)\n", done.stderr), done.stderr  # fmt: skip
    assert "TOPSECRET" not in done.stdout + done.stderr


def test_against_from_a_subfolder_names_old_files_as_git_does(repo: Path) -> None:
    line = _edit(repo / "api" / "schemas.yaml", "    weight:", "    mass:")
    done = apigen("diff", "--against", "HEAD", "openapi.yaml", "--format", "json", cwd=repo / "api")
    assert done.returncode == 0, done.stderr
    [change] = json.loads(done.stdout)["changes"]
    assert (change["old_location"], change["new_location"]) == (f"HEAD:api/schemas.yaml:{line}", f"schemas.yaml:{line}")
