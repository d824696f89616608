"""Fixtures of the runtime tests: the fake Huawei server, a clean environment."""

from __future__ import annotations

import os

import pytest

from tests.fake_huawei.fixtures import fake_huawei, huawei_env  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _no_huawei_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's real HUAWEICLOUD_* variables never leak into a test."""
    for name in list(os.environ):
        if name.startswith("HUAWEICLOUD_"):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
