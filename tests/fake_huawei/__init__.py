"""A fake Huawei Cloud server for tests: ``from tests.fake_huawei import FakeHuawei``."""

from .server import (
    FAKE_AK,
    FAKE_APP_KEY,
    FAKE_APP_SECRET,
    FAKE_DOMAIN,
    FAKE_DOMAIN_ID,
    FAKE_PASSWORD,
    FAKE_PROJECT_ID,
    FAKE_REGION,
    FAKE_SECRETS,
    FAKE_SK,
    FAKE_USER,
    Fault,
    FakeHuawei,
    RecordedRequest,
)

__all__ = [
    "FAKE_AK",
    "FAKE_APP_KEY",
    "FAKE_APP_SECRET",
    "FAKE_DOMAIN",
    "FAKE_DOMAIN_ID",
    "FAKE_PASSWORD",
    "FAKE_PROJECT_ID",
    "FAKE_REGION",
    "FAKE_SECRETS",
    "FAKE_SK",
    "FAKE_USER",
    "FakeHuawei",
    "Fault",
    "RecordedRequest",
]
