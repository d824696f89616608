"""The runtime-facing extensions on a spec that is not Huawei's: a client parameter looked up through an
operation, routing by x-apigen-regions, the environment variable names x-apigen-env gives, error shapes,
and none of the Huawei modules shipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client.generated_client import Generated, generate_client
from tests.generator.model.test_build_extensions import SPEC
from tests.support.specs import write_tree


@pytest.fixture(scope="module")
def ext(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("ext")
    return generate_client(write_tree(root / "spec", {"openapi.yaml": SPEC}), "ext_client", root / "out")


def _transport(seen: list[httpx.Request], status: int = 200, body: Any = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/tenants":
            return httpx.Response(200, json={"tenants": [{"name": "other", "id": "t-0"}, {"name": "eu-2", "id": "t-2"}]})
        return httpx.Response(status, json=body if body is not None else {"code": "0", "results": []})

    return httpx.MockTransport(answer)


def test_the_tenant_is_looked_up_once_in_the_chosen_region(ext: Generated) -> None:
    seen: list[httpx.Request] = []
    with ext.module.Client(region="eu-2", access_token="FAKE-token", from_env=False, transport=_transport(seen)) as client:
        client.default.create_order()
        client.default.create_order()
    assert [(r.method, r.url.host, r.url.path) for r in seen] == [
        ("GET", "api.eu-2.example.eu", "/tenants"),
        ("POST", "api.eu-2.example.eu", "/t-2/orders"),
        ("POST", "api.eu-2.example.eu", "/t-2/orders"),
    ]
    assert seen[0].url.params["name"] == "eu-2"
    keys = {r.headers["Idempotency-Key"] for r in seen[1:]}
    assert len(keys) == 2 and "idempotency-key" not in seen[0].headers  # one per call; the GET opts out


def test_environment_variable_names_come_from_the_spec(ext: Generated, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXT_REGION", "us-1")
    monkeypatch.setenv("EXT_OAUTH_ACCESS_TOKEN", "FAKE-env-token")
    monkeypatch.setenv("EXT_CLIENT_TENANT", "t-9")
    seen: list[httpx.Request] = []
    with ext.module.Client(transport=_transport(seen)) as client:
        client.default.create_order()
    (request,) = seen
    assert (request.url.host, request.url.path) == ("api.us-1.example.com", "/t-9/orders")
    assert request.headers["Authorization"] == "Bearer FAKE-env-token"


def test_declared_error_shapes_and_request_id_header(ext: Generated) -> None:
    body = {"fault": {"code": "E42", "title": "No such order"}, "trace": "tr-1"}
    seen: list[httpx.Request] = []
    with ext.module.Client(
        region="us-1", tenant="t-1", access_token="FAKE", from_env=False, retry=0, transport=_transport(seen, 404, body)
    ) as client:
        with pytest.raises(ext.module.NotFoundError) as info:
            client.default.create_order()
    assert str(info.value) == "createOrder: HTTP 404 E42 No such order (request id tr-1)"


def test_only_the_per_item_results_module_is_shipped(ext: Generated) -> None:
    runtime = {Path(p).name for p in ext.files if "/_runtime/" in p}
    assert "_results.py" in runtime
    assert not runtime & {"_signing.py", "_wsse.py", "_iam.py", "_keys.py"}
    assert ext.plan.modules == ("_results",)
