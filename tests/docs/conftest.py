"""Fixtures of the docs tests: the docs built from spec/, the generated client importable, no real credentials."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import pytest

from tests.support.paths import GENERATED, SPEC

if str(GENERATED / "client") not in sys.path:  # the generated package, importable as the examples import it
    sys.path.insert(0, str(GENERATED / "client"))


@functools.lru_cache(maxsize=1)
def huawei_docs():  # type: ignore[no-untyped-def]
    from tests.docs.support import build

    return build(SPEC)


@pytest.fixture(scope="session")
def docs() -> dict[str, str]:
    return huawei_docs()[1]


@pytest.fixture(scope="session")
def api():  # type: ignore[no-untyped-def]
    return huawei_docs()[0]


@pytest.fixture(scope="session")
def docs_dir(tmp_path_factory: pytest.TempPathFactory, docs: dict[str, str]) -> Path:
    from tests.docs.support import write

    return write(docs, tmp_path_factory.mktemp("docs"))


@pytest.fixture(autouse=True)
def _no_huawei_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's real HUAWEICLOUD_* variables never reach an example."""
    for name in list(os.environ):
        if name.startswith("HUAWEICLOUD_"):
            monkeypatch.delenv(name)
