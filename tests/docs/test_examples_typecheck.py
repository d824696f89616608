"""Every Python example a user can copy (the generated reference, the package README, this README) passes
``mypy --strict`` against the generated package: one mypy process over all of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.paths import REPO

GENERATED = REPO / "generated"
_BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```$", re.M | re.S)  # also inside a list item (indented)


def _sources() -> list[Path]:
    docs = sorted((GENERATED / "docs").rglob("*.md"))
    return [*docs, GENERATED / "client" / "README.md", REPO / "README.md"]


def _examples() -> list[tuple[str, str]]:
    found = []
    for source in _sources():
        for i, match in enumerate(_BLOCK.finditer(source.read_text(encoding="utf-8"))):
            code = textwrap.dedent(match.group(2))
            found.append((f"{source.relative_to(REPO)} example {i + 1}", code))
    return found


def test_there_are_examples_to_check() -> None:
    examples = _examples()
    labels = {label.rsplit(" example", 1)[0] for label, _ in examples}
    assert "README.md" in labels and "generated/client/README.md" in labels
    assert any("FakeApi" in code for label, code in examples if label.startswith("README.md"))  # an indented one
    assert sum(1 for label in labels if label.startswith("generated/docs/")) >= 5
    assert len(examples) >= 50


def test_every_example_passes_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")
    index = []
    for n, (label, code) in enumerate(_examples()):
        name = f"example_{n:04}.py"
        (tmp_path / name).write_text(code, encoding="utf-8")
        index.append(f"{name}: {label}")
    env = {**os.environ, "MYPYPATH": str(GENERATED / "client")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.returncode == 0, "\n".join(index) + "\n" + done.stdout[-6000:]
