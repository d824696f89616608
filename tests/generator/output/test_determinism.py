"""Same input, same bytes: across runs, hash seeds and the order things appear in the input files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.paths import REPO, SPEC


def _generate(spec: Path, out: Path, seed: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate", str(spec), "-o", str(out),
         "--package-name", "huawei_sms", "--distribution-name", "huawei-sms-client"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_runs_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    first = _generate(SPEC, tmp_path / "a", "1")
    second = _generate(SPEC, tmp_path / "b", "4242")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert len(first) > 10


def test_order_of_paths_and_components_in_the_input_does_not_matter(tmp_path: Path) -> None:
    """Reverse every mapping of the root file (paths, components, tags...): the output must not change."""
    spec_copy = tmp_path / "spec"
    for source in (REPO / "spec").rglob("*"):
        if source.is_file():
            target = spec_copy / source.relative_to(REPO / "spec")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    root = spec_copy / "openapi.yaml"
    doc = yaml.safe_load(root.read_text(encoding="utf-8"))
    for key in ("paths", "webhooks"):
        if isinstance(doc.get(key), dict):
            doc[key] = dict(reversed(list(doc[key].items())))
    for section, entries in list((doc.get("components") or {}).items()):
        if isinstance(entries, dict):
            doc["components"][section] = dict(reversed(list(entries.items())))
    root.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    original = _generate(SPEC, tmp_path / "a", "0")
    shuffled = _generate(root, tmp_path / "b", "0")
    assert original.keys() == shuffled.keys()
    assert [name for name in original if original[name] != shuffled[name]] == []
