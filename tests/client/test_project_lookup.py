"""A client with account AK/SK only finds its project id with a signed listProjects call, once."""

from __future__ import annotations

import pytest

from tests.fake_huawei.server import FAKE_AK, FAKE_SK, FakeHuawei

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")


def test_account_keys_alone_resolve_the_project_id_once() -> None:
    with FakeHuawei() as fake, huawei_sms.Client(
        base_url=fake.url, ak=FAKE_AK, sk=FAKE_SK, region=fake.region, from_env=False
    ) as client:
        client.apps.list_apps(limit=2)
        client.templates.list_templates(limit=2)
        lookups = [r for r in fake.requests if r.path == "/v3/projects"]
        assert len(lookups) == 1
        assert lookups[0].headers["authorization"].startswith("SDK-HMAC-SHA256 Access=" + FAKE_AK)
        project = lookups[0].query  # the region is the name looked up
        assert ("name", fake.region) in project
        calls = [r for r in fake.requests if "/msgsms/" in r.path]
        assert len(calls) == 2
        assert all(r.headers["x-project-id"] in r.path for r in calls)
