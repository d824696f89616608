"""black is the arbiter of style: the committed generated package is exactly what black produces.

The formatter may skip black where it already knows the answer (its cache, the verbatim runtime); this
runs the real ``black --check`` over ``generated/`` with the formatter's settings, so whatever is skipped,
the committed output cannot drift from black's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.output.format import MODE
from tests.support.paths import GENERATED, REPO


def _black_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    targets = [f"--target-version={v.name.lower()}" for v in sorted(MODE.target_versions, key=lambda v: v.value)]
    args = [sys.executable, "-m", "black", "--check", f"--line-length={MODE.line_length}", *targets]
    return subprocess.run([*args, *map(str, paths)], capture_output=True, text=True, cwd=REPO)


def test_the_committed_generated_python_is_what_black_produces() -> None:
    files = sorted(GENERATED.rglob("*.py"))
    assert len(files) > 10
    done = _black_check(*files)
    assert done.returncode == 0, done.stderr


def test_the_check_fails_on_code_black_would_change(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text('x = {"a": 1}\n', encoding="utf-8")
    (tmp_path / "bad.py").write_text("x = {'a':1}\n", encoding="utf-8")
    done = _black_check(tmp_path / "ok.py", tmp_path / "bad.py")
    assert done.returncode == 1
    assert f"would reformat {tmp_path / 'bad.py'}" in done.stderr
    assert "ok.py" not in done.stderr
