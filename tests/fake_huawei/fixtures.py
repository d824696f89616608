"""Pytest fixtures around :class:`FakeHuawei`.

Use from a conftest::

    from tests.fake_huawei.fixtures import fake_huawei, huawei_env  # noqa: F401  (re-exported fixtures)

* ``fake_huawei``: a fresh running server per test (``.url``, ``.requests``, fault injection).
* ``huawei_env``: the fake server plus the ``HUAWEICLOUD_*`` environment variables pointing the generated
  client's credentials at it (``Client(base_url=fake.url)`` then needs no other argument); every other
  ``HUAWEICLOUD_*`` variable of the real environment is removed for the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .server import (
    FAKE_AK,
    FAKE_APP_KEY,
    FAKE_APP_SECRET,
    FAKE_DOMAIN,
    FAKE_PASSWORD,
    FAKE_SK,
    FAKE_USER,
    FakeHuawei,
)


@pytest.fixture
def fake_huawei() -> Iterator[FakeHuawei]:
    with FakeHuawei() as fake:
        yield fake


@pytest.fixture
def huawei_env(fake_huawei: FakeHuawei, monkeypatch: pytest.MonkeyPatch) -> FakeHuawei:
    for name in list(os.environ):
        if name.startswith("HUAWEICLOUD_"):
            monkeypatch.delenv(name)
    values = {
        "HUAWEICLOUD_SDK_AK": FAKE_AK,
        "HUAWEICLOUD_SDK_SK": FAKE_SK,
        "HUAWEICLOUD_SDK_REGION": fake_huawei.region,
        "HUAWEICLOUD_SMS_APP_KEY": FAKE_APP_KEY,
        "HUAWEICLOUD_SMS_APP_SECRET": FAKE_APP_SECRET,
        "HUAWEICLOUD_IAM_USERNAME": FAKE_USER,
        "HUAWEICLOUD_IAM_PASSWORD": FAKE_PASSWORD,
        "HUAWEICLOUD_IAM_DOMAIN": FAKE_DOMAIN,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return fake_huawei
