"""50 concurrent calls with an empty token cache make exactly one token request (threads and tasks)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from tests.runtime import rt_support
from tests.fake_huawei import FAKE_DOMAIN, FAKE_PASSWORD, FAKE_USER, FakeHuawei

N = 50
CREDS = dict(
    iam_username=FAKE_USER, iam_password=FAKE_PASSWORD, iam_domain=FAKE_DOMAIN, from_env=False
)


def test_threads_share_one_token_fetch(fake_huawei: FakeHuawei) -> None:
    fake_huawei.slow("createToken", 0.3)  # keep the first fetch in flight while the others arrive
    with rt_support.Client(base_url=fake_huawei.url, **CREDS) as client:
        with ThreadPoolExecutor(max_workers=N) as pool:
            results = list(pool.map(lambda _: client.list_apps().status_code, range(N)))
    assert results == [200] * N
    assert fake_huawei.count("createToken") == 1
    assert fake_huawei.count("listProjects") == 1
    assert fake_huawei.count("listApps") == N


def test_threads_share_one_refresh_after_expiry(fake_huawei: FakeHuawei) -> None:
    with rt_support.Client(base_url=fake_huawei.url, **CREDS) as client:
        client.list_apps()
        fake_huawei.expire_tokens()
        fake_huawei.slow("createToken", 0.3)
        with ThreadPoolExecutor(max_workers=N) as pool:
            results = list(pool.map(lambda _: client.list_apps().status_code, range(N)))
    assert results == [200] * N
    assert fake_huawei.count("createToken") == 2


@pytest.mark.anyio
async def test_tasks_share_one_token_fetch(fake_huawei: FakeHuawei) -> None:
    fake_huawei.slow("createToken", 0.3)
    statuses: list[int] = []
    async with rt_support.AsyncClient(base_url=fake_huawei.url, **CREDS) as client:

        async def one() -> None:
            statuses.append((await client.list_apps()).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(N):
                group.start_soon(one)
    assert statuses == [200] * N
    assert fake_huawei.count("createToken") == 1
    assert fake_huawei.count("listProjects") == 1
    assert fake_huawei.count("listApps") == N


@pytest.mark.anyio
async def test_tasks_share_one_refresh_after_expiry(fake_huawei: FakeHuawei) -> None:
    async with rt_support.AsyncClient(base_url=fake_huawei.url, **CREDS) as client:
        await client.list_apps()
        fake_huawei.expire_tokens()
        async with anyio.create_task_group() as group:
            for _ in range(N):
                group.start_soon(client.list_apps)
    assert fake_huawei.count("createToken") == 2
