"""Generality: every spec in ../shared/corpus generates, imports and passes mypy --strict.

Including the large real-world specs (``large/``: OpenAI, Box, DigitalOcean's ~2,900-file spec): each
generates with exit 0, at least 99% of its operations are generated, and every operation or schema that is
skipped has a reason and a ``file:line``. The packages are imported in one process and type-checked in one
mypy process. Measured on the shared 2-core machine: generating openai / box / DigitalOcean takes 30 / 14 /
29 s with warm caches and about 92 / 47 / 110 s with a cold black cache (plus validation when its cache is
cold: ~100 s for DigitalOcean); the 32 small specs about 0.5 s each; one mypy --strict over all 36 packages
(1,019 files) about 20-25 s and 1 GB of memory. One ruff process (pyflakes' rules, ~1.5 s) and one
``black --check`` process cover every package too, and each declares every third-party module it imports.
black is the slow one: cold, 176 s for all 36 packages (534 s with the machine's load at ~12, when mypy
took 97 s); files it found unchanged are remembered by content hash, so a rerun checks only what
changed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.generator.client.test_generated_lint import black_check, ruff, undeclared_imports
from tests.support.paths import LARGE, REPO, require_corpus
from tests.support.paths import corpus_roots as spec_roots

_LOCATION = re.compile(r".+:[1-9][0-9]*")


def _package_name(spec: Path) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in spec.stem.lower())
    return f"corpus_{spec.parent.name.replace('-', '_').replace('.', '_')}_{stem}"


Generated = dict[str, tuple[Path, dict[str, object], float]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    require_corpus()
    root = tmp_path_factory.mktemp("corpus")
    out: Generated = {}
    for spec in spec_roots():
        name = _package_name(spec)
        target, report = root / name, root / f"{name}.json"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "generate", str(spec), "-o", str(target),
             "--package-name", name, "--report", str(report)],
            cwd=REPO, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr[-3000:]
        assert done.returncode == 0, f"{spec}: {done.stderr[-3000:]}"
        out[name] = (target / "client", json.loads(report.read_text()), time.monotonic() - started)
    return out


def test_the_corpus_roots_include_the_large_specs() -> None:
    require_corpus()
    names = [p.name for p in spec_roots()]
    assert all(large in names for large in LARGE), names
    assert not any("digitalocean" in p.parts and p.name != LARGE[2] for p in spec_roots())
    assert len(names) >= 28


def test_every_corpus_spec_generates_nearly_every_operation(generated: Generated) -> None:
    assert len(generated) == len(spec_roots())
    for name, (_, report, seconds) in generated.items():
        ops, schemas = report["operations"], report["schemas"]
        assert isinstance(ops, dict) and isinstance(schemas, dict)
        made, skipped = len(ops["generated"]), len(ops["skipped"])
        assert made >= 0.99 * (made + skipped), (name, made, ops["skipped"])  # (a webhooks-only spec has none)
        for item in [*ops["skipped"], *schemas["skipped"]]:  # anything skipped names what, why and where
            assert item["id"] and item["reason"] and _LOCATION.fullmatch(item["location"]), (name, item)
        print(f"{name}: {made} operations, {skipped} skipped, generated in {seconds:.1f} s")


def test_every_corpus_package_imports(generated: Generated) -> None:
    paths = os.pathsep.join(str(client) for client, _, _ in generated.values())
    script = "import importlib, sys\nfor n in sys.argv[1:]:\n    m = importlib.import_module(n)\n    assert m.Client and m.AsyncClient and m.models\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *generated], env=dict(os.environ, PYTHONPATH=paths),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_every_corpus_package_passes_mypy_strict(generated: Generated) -> None:
    """One mypy process for every package (the large ones included): far cheaper than one each."""
    paths = os.pathsep.join(str(client) for client, _, _ in generated.values())
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for name in generated:
        args += ["-p", name]
    started = time.monotonic()
    done = subprocess.run(args, env=dict(os.environ, MYPYPATH=paths), capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-5000:]
    print(f"mypy --strict over {len(generated)} packages: {time.monotonic() - started:.1f} s")


def test_every_corpus_package_passes_ruffs_pyflakes_rules(generated: Generated) -> None:
    """One ruff process over every package: no unused import, undefined name, ... (``--select F``)."""
    started = time.monotonic()
    done = ruff(client for client, _, _ in generated.values())
    assert (done.returncode, done.stdout) == (0, "All checks passed!\n"), done.stdout[-5000:]
    print(f"ruff over {len(generated)} packages: {time.monotonic() - started:.1f} s")


def test_every_corpus_package_is_exactly_blacks_output(generated: Generated) -> None:
    started = time.monotonic()
    done = black_check(client for client, _, _ in generated.values())
    assert done.returncode == 0, done.stderr[-5000:]
    print(f"black --check over {len(generated)} packages: {time.monotonic() - started:.1f} s")


def test_every_corpus_package_declares_what_it_imports(generated: Generated) -> None:
    assert {name: undeclared_imports(client) for name, (client, _, _) in generated.items()} == {
        name: {} for name in generated
    }


def test_the_huawei_client_passes_mypy_strict() -> None:
    client = REPO / "generated" / "client"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "-p", "huawei_sms"],
        env=dict(os.environ, MYPYPATH=str(client)), cwd=client, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:]



def test_spec_roots_finds_every_root_and_no_fragment(tmp_path: Path) -> None:
    """A root's ``openapi`` key may be bare, quoted or JSON; a file a root refers to has none."""
    from tests.support.paths import spec_roots as roots_under

    files = {
        "bare.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n",
        "single.yaml": "'openapi': '3.0.3'\n'info': {'title': 'T', 'version': '1'}\n",
        "double.yml": '"openapi": "3.0.3"\n',
        "doc.json": '{\n  "openapi": "3.1.0",\n  "info": {}\n}\n',
        "one-line.json": '{"openapi": "3.1.0", "info": {}}',
        "fragment.yaml": "type: object\nproperties:\n  openapi: {type: string}\n",
        "nested.json": '{"type": "object", "properties": {"x": {"openapi": 1}}}',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = sorted(p.name for p in roots_under(tmp_path))
    assert found == ["bare.yaml", "doc.json", "double.yml", "one-line.json", "single.yaml"]
