"""Generality: every spec in ../shared/corpus generates a package that imports and passes mypy --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO, corpus_specs, require_corpus


def _package_name(spec: Path) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in spec.stem.lower())
    return f"corpus_{spec.parent.name.replace('-', '_').replace('.', '_')}_{stem}"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, object]]]:
    require_corpus()
    root = tmp_path_factory.mktemp("corpus")
    out: dict[str, tuple[Path, dict[str, object]]] = {}
    for spec in corpus_specs():
        name = _package_name(spec)
        target, report = root / name, root / f"{name}.json"
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "generate", str(spec), "-o", str(target),
             "--package-name", name, "--report", str(report)],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 0, f"{spec}: {done.stderr[-2000:]}"
        out[name] = (target / "client", json.loads(report.read_text()))
    return out


def test_every_corpus_spec_generates(generated: dict[str, tuple[Path, dict[str, object]]]) -> None:
    assert len(generated) == len(corpus_specs()) >= 25
    for name, (_, report) in generated.items():
        ops = report["operations"]
        assert isinstance(ops, dict)
        for skipped in ops["skipped"]:  # anything skipped names what, why and where
            assert skipped["id"] and skipped["reason"] and ":" in skipped["location"], (name, skipped)


def test_every_corpus_package_imports(generated: dict[str, tuple[Path, dict[str, object]]]) -> None:
    paths = os.pathsep.join(str(client) for client, _ in generated.values())
    script = "import importlib, sys\nfor n in sys.argv[1:]:\n    m = importlib.import_module(n)\n    assert m.Client and m.AsyncClient and m.models\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *generated], env=dict(os.environ, PYTHONPATH=paths),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_every_corpus_package_passes_mypy_strict(generated: dict[str, tuple[Path, dict[str, object]]]) -> None:
    paths = os.pathsep.join(str(client) for client, _ in generated.values())
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for name in generated:
        args += ["-p", name]
    done = subprocess.run(args, env=dict(os.environ, MYPYPATH=paths), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-5000:]


def test_the_huawei_client_passes_mypy_strict() -> None:
    client = REPO / "generated" / "client"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "-p", "huawei_sms"],
        env=dict(os.environ, MYPYPATH=str(client)), cwd=client, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:]
