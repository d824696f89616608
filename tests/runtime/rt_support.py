"""The runtime under test, loaded straight from ``templates/client/runtime`` as package ``apigen_runtime``,
and a small hand-written API over it that mirrors what the generator emits for the Huawei spec.

Testing the template source (not a generated copy) keeps these tests independent of the generator;
``test_runtime_generated.py`` covers the generated ``huawei_sms`` package.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "client" / "runtime"


def _load() -> ModuleType:
    name = "apigen_runtime"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, RUNTIME_DIR / "__init__.py", submodule_search_locations=[str(RUNTIME_DIR)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


runtime = _load()

from apigen_runtime import _wire  # noqa: E402
from apigen_runtime._base_client import (
    AsyncAPIClient,
    RequestData,
    RequestOptions,
    SyncAPIClient,
)  # noqa: E402
from apigen_runtime._operation import (
    ApiInfo,
    Operation,
    ResultCode,
    SecurityScheme,
    Server,
)  # noqa: E402
from apigen_runtime._response import ApiResponse  # noqa: E402

IAM = (Server("https://iam.{region}.myhuaweicloud.com", {"region": "cn-north-4"}),)
SMSAPI = (Server("https://smsapi.{region}.myhuaweicloud.com:443", {"region": "cn-north-4"}),)
MSGSMS = (Server("https://msgsms.{region}.myhuaweicloud.com", {"region": "cn-north-4"}),)
MGMT = (("iamToken",), ("accountAkSk",))
SEND = (("appAkSk",), ("wsse",))
SMS_OK = ResultCode("code", ("000000",))

CREATE_TOKEN = Operation("createToken", "POST", "/v3/auth/tokens", "tokens", IAM)
LIST_PROJECTS = Operation(
    "listProjects", "GET", "/v3/projects", "projects", IAM, security=(("iamToken",),)
)
BATCH_SEND_SMS = Operation(
    "batchSendSms", "POST", "/sms/batchSendSms/v1", "sms", SMSAPI, SEND, SMS_OK
)
BATCH_SEND_DIFF_SMS = Operation(
    "batchSendDiffSms", "POST", "/sms/batchSendDiffSms/v1", "sms", SMSAPI, SEND, SMS_OK
)
LIST_APPS = Operation("listApps", "GET", "/v2/{project_id}/msgsms/apps", "apps", MSGSMS, MGMT)
UPDATE_APP = Operation(
    "updateApp", "PUT", "/v2/{project_id}/msgsms/apps/{id}", "apps", MSGSMS, MGMT
)
CREATE_TEMPLATE = Operation(
    "createTemplate", "POST", "/v2/{project_id}/msgsms/templates", "templates", MSGSMS, MGMT
)
DELETE_TEMPLATE = Operation(
    "deleteTemplate", "DELETE", "/v2/{project_id}/msgsms/templates/{id}", "templates", MSGSMS, MGMT
)
LIST_COUNTRIES = Operation(
    "listCountries", "GET", "/v2/{project_id}/msgsms/country", "countries", MSGSMS, MGMT
)

API = ApiInfo(
    title="Huawei Cloud Message & SMS",
    version="2024-01",
    package="huawei_sms_test",
    package_version="0.0.1",
    security_schemes={
        "iamToken": SecurityScheme(
            name="iamToken",
            kind="iam-token",
            location="header",
            parameter="X-Auth-Token",
            options={
                "token-operation": "createToken",
                "token-header": "X-Subject-Token",
                "expires-at": "/token/expires_at",
            },
        ),
        "accountAkSk": SecurityScheme(
            name="accountAkSk",
            kind="sdk-hmac-sha256",
            location="header",
            parameter="Authorization",
            options={
                "keys": "account",
                "project-header": "X-Project-Id",
                "security-token-header": "X-Security-Token",
            },
        ),
        "appAkSk": SecurityScheme(
            name="appAkSk",
            kind="sdk-hmac-sha256",
            location="header",
            parameter="Authorization",
            options={"keys": "application"},
        ),
        "wsse": SecurityScheme(
            name="wsse",
            kind="wsse",
            location="header",
            parameter="X-WSSE",
            options={"realm": "SDP", "profile": "UsernameToken", "type": "Appkey"},
        ),
    },
    operations={
        op.operation_id: op
        for op in (
            CREATE_TOKEN,
            LIST_PROJECTS,
            BATCH_SEND_SMS,
            BATCH_SEND_DIFF_SMS,
            LIST_APPS,
            UPDATE_APP,
            CREATE_TEMPLATE,
            DELETE_TEMPLATE,
            LIST_COUNTRIES,
        )
    },
)


def decode_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    return json.loads(response.content)


def decode_send(response: httpx.Response) -> list[dict[str, Any]]:
    """Like a generated decoder: checks field types and names the JSON path of a mismatch."""
    data = _wire.d_object(json.loads(response.content), "$")
    results = _wire.d_list(data.get("result", []), "$.result", _wire.d_object)
    for index, item in enumerate(results):
        for key in ("smsMsgId", "originTo", "status", "createTime"):
            _wire.d_str(
                _wire.d_required(item, key, f"$.result[{index}]"), f"$.result[{index}].{key}"
            )
    return results


def send_data(to: str = "+8613800000001", **extra: str) -> RequestData:
    fields = {
        "from": "csms12345678",
        "to": to,
        "templateId": "fake-template-1",
        "templateParas": '["123456"]',
        **extra,
    }
    return RequestData(
        content=_wire.form_body(fields.items()), content_type="application/x-www-form-urlencoded"
    )


class Client(SyncAPIClient):
    _api = API

    def send(
        self, to: str = "+8613800000001", options: RequestOptions | None = None
    ) -> ApiResponse[list[dict[str, Any]]]:
        return self.call(BATCH_SEND_SMS, send_data(to), decode_send, options)

    def list_apps(self, options: RequestOptions | None = None, **query: str) -> ApiResponse[Any]:
        data = RequestData(path_params={"project_id": None}, query=list(query.items()))
        return self.call(LIST_APPS, data, decode_json, options)

    def create_template(self, name: str, options: RequestOptions | None = None) -> ApiResponse[Any]:
        body = _wire.json_bytes({"template_name": name, "template_content": "Code ${NUM_6}"})
        data = RequestData(
            path_params={"project_id": None}, content=body, content_type="application/json"
        )
        return self.call(CREATE_TEMPLATE, data, decode_json, options)


class AsyncClient(AsyncAPIClient):
    _api = API

    async def send(
        self, to: str = "+8613800000001", options: RequestOptions | None = None
    ) -> ApiResponse[list[dict[str, Any]]]:
        return await self.call(BATCH_SEND_SMS, send_data(to), decode_send, options)

    async def list_apps(self, options: RequestOptions | None = None) -> ApiResponse[Any]:
        return await self.call(
            LIST_APPS, RequestData(path_params={"project_id": None}), decode_json, options
        )
