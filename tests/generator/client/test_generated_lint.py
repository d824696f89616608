"""The generated package is clean Python, as a linter and a formatter see it.

ruff's pyflakes rules (``F``: unused imports, undefined names, ...) pass over it, black leaves it unchanged
(with the generator's own black settings), and every third-party module it imports is a dependency its
``pyproject.toml`` declares. ``tests/generator/test_corpus.py`` runs the same checks over every corpus
package; the helpers here are shared with it.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from generator.output import cache
from generator.output.format import MODE
from tests.generator.model.hostile_names import hostile_spec
from tests.support.paths import GENERATED, REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import yaml

CLIENT = GENERATED / "client"


def ruff(folders: Iterable[Path]) -> subprocess.CompletedProcess[str]:
    """``ruff check --isolated --select F`` over ``folders``, in one process."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "F", "--output-format",
         "concise", *map(str, folders)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def black_check(folders: Iterable[Path]) -> subprocess.CompletedProcess[str]:
    """``black --check`` with the settings the generator formats with, over every ``.py`` file in ``folders``.

    One process, for the files not already found unchanged: black is deterministic, so a file whose content
    passed once (same black version and settings) is remembered by its hash in the apigen cache
    (``$APIGEN_CACHE_DIR``). Checking the corpus cold takes minutes (box's 2 MB ``models.py`` alone about
    a minute on a busy 2-core machine); a rerun checks only what changed.
    """
    versions = [arg for v in sorted(MODE.target_versions, key=lambda v: v.name) for arg in ("-t", v.name.lower())]
    settings = [str(MODE.line_length), *versions]
    keys = {
        source: cache.digest("black --check", version("black"), *settings, source.read_bytes())
        for folder in folders
        for source in sorted(folder.rglob("*.py"))
    }
    pending = [source for source, key in keys.items() if cache.read("black-check", key) != "unchanged"]
    args = [sys.executable, "-m", "black", "--check", "-l", *settings]
    done = subprocess.run([*args, *map(str, pending)], capture_output=True, text=True, timeout=1800) if pending else (
        subprocess.CompletedProcess(args, 0, "", "")
    )  # fmt: skip
    if done.returncode == 0:
        for source in pending:
            cache.write("black-check", keys[source], "unchanged")
    return done


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def declared_dependencies(client: Path) -> set[str]:
    """The distributions ``client/pyproject.toml`` depends on, by normalised name (``Foo.Bar`` -> ``foo_bar``)."""
    project = tomllib.loads((client / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project.get("dependencies", []):
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, f"{client}/pyproject.toml: unreadable dependency {requirement!r}"
        names.add(_normalised(match.group()))
    return names


def third_party_imports(client: Path) -> dict[str, list[str]]:
    """Top-level modules the package's code imports that are neither the standard library nor the package.

    Each with the files (relative to ``client``) importing it; every import counts, ``TYPE_CHECKING`` ones too.
    """
    setuptools = tomllib.loads((client / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    own = {str(p).split(".")[0] for p in setuptools["packages"]}
    found: dict[str, list[str]] = {}
    for source in sorted(client.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "__future__" and top not in own:
                    found.setdefault(top, []).append(str(source.relative_to(client)))
    return found


def undeclared_imports(client: Path) -> dict[str, list[str]]:
    """Third-party imports whose distribution (taken to be named like the module) is not a dependency."""
    declared = declared_dependencies(client)
    return {m: files for m, files in third_party_imports(client).items() if _normalised(m) not in declared}


# -- the Huawei client ---------------------------------------------------------------------------------


def test_ruff_pyflakes_rules_pass_over_the_generated_client() -> None:
    done = ruff([CLIENT])
    assert (done.returncode, done.stdout) == (0, "All checks passed!\n"), done.stdout[-5000:]


def test_black_leaves_the_generated_client_unchanged() -> None:
    done = black_check([CLIENT])
    assert done.returncode == 0, done.stderr[-5000:]


def test_every_third_party_import_of_the_generated_client_is_declared() -> None:
    assert set(third_party_imports(CLIENT)) <= {"httpx", "anyio"}  # the runtime's; a new one needs declaring
    assert "httpx" in third_party_imports(CLIENT)
    assert undeclared_imports(CLIENT) == {}


# -- the checks themselves, and a spec of hostile names ------------------------------------------------


def _package(root: Path, dependencies: list[str], modules: dict[str, str]) -> Path:
    (root / "pkg").mkdir(parents=True)
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "pkg"\ndependencies = [{deps}]\n\n[tool.setuptools]\npackages = ["pkg", "pkg.sub"]\n'
    )
    for name, text in modules.items():
        (root / "pkg" / name).write_text(text)
    return root


def test_an_undeclared_import_and_an_unused_one_are_found(tmp_path: Path) -> None:
    client = _package(
        tmp_path,
        ["httpx>=0.27,<1", "Typing.Extensions>=4"],
        {
            "__init__.py": "import json\nimport httpx\nfrom . import a\n\nprint(a)\n",
            "a.py": "from __future__ import annotations\nimport typing_extensions\nfrom pkg.sub import x\n"
            "from anyio.abc import TaskGroup\n\nT: TaskGroup = x(typing_extensions)\n",
            "b.py": "if True:\n    import anyio\n",
        },
    )
    assert undeclared_imports(client) == {"anyio": ["pkg/a.py", "pkg/b.py"]}
    done = ruff([client])
    assert done.returncode == 1
    # place and rule of each finding (the wording after the rule varies between ruff versions)
    found = [line.split()[:2] for line in done.stdout.splitlines() if line.startswith(str(client))]
    assert found == [
        [f"{client}/pkg/__init__.py:1:8:", "F401"],  # json
        [f"{client}/pkg/__init__.py:2:8:", "F401"],  # httpx
        [f"{client}/pkg/b.py:2:12:", "F401"],  # anyio
    ], done.stdout


def test_a_file_black_would_change_fails_the_black_check_every_time(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = [1, 2]\n")
    (tmp_path / "bad.py").write_text("x = [ 1,2 ]\n")
    for _ in range(2):  # a failed check records nothing, so the second run fails too
        done = black_check([tmp_path])
        assert done.returncode == 1
        assert f"would reformat {tmp_path / 'bad.py'}" in done.stderr.splitlines()
        assert "ok.py" not in done.stderr  # black names only the files it would change


def test_a_package_of_hostile_names_passes_ruff_and_declares_its_imports(tmp_path: Path) -> None:
    """Names equal to the templates' imports (``Any``, ``UNSET``, ``functools``, ...) never make one unused."""
    spec = tmp_path / "hostile.yaml"
    spec.write_text(yaml.safe_dump(hostile_spec()), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate", str(spec), "-o", str(tmp_path / "out"), "-q",
         "--package-name", "hostile"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    client = tmp_path / "out" / "client"
    linted = ruff([client])
    assert (linted.returncode, linted.stdout) == (0, "All checks passed!\n"), linted.stdout[-5000:]
    assert undeclared_imports(client) == {}
