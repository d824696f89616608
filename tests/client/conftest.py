"""One recording server per test module; each test starts with it empty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.recorder import Recorder, Reply


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    with Recorder() as running:
        yield running


@pytest.fixture
def recorder(server: Recorder) -> Recorder:
    server.requests.clear()
    server.replies.clear()
    server.respond = None
    server.default = Reply(404, {"error": "no reply configured"})
    return server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
