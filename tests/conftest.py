"""Settings every test shares."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite keeps its cache (black output, kept texts, validation results) in a folder of its own:
    it never reads what an earlier run or the user's own generations left in ``~/.cache/apigen``, and
    never writes there. Tests that look at the cache point ``$APIGEN_CACHE_DIR`` at a folder of theirs."""
    before = os.environ.get("APIGEN_CACHE_DIR")
    os.environ["APIGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("apigen-cache"))
    yield
    if before is None:
        os.environ.pop("APIGEN_CACHE_DIR", None)
    else:
        os.environ["APIGEN_CACHE_DIR"] = before
