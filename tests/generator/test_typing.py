"""The generator itself is kept to mypy --strict, like the code it generates."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import REPO


def test_the_generator_passes_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "generator"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-4000:]
