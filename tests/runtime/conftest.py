"""Fixtures of the runtime tests: ``tests/`` on sys.path, the fake Huawei server, a clean environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from fake_huawei.fixtures import fake_huawei, huawei_env  # noqa: E402,F401  (fixtures)


@pytest.fixture(autouse=True)
def _no_huawei_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's real HUAWEICLOUD_* variables never leak into a test."""
    for name in list(os.environ):
        if name.startswith("HUAWEICLOUD_"):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
