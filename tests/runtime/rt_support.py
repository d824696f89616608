"""The runtime under test, loaded straight from ``templates/client/runtime`` as package ``apigen_runtime``
(its ``extensions/`` modules too, as the Huawei package ships them), and a small hand-written API over it
that mirrors what the generator emits for the Huawei spec: its ``_api.py`` data and its ``Client``
constructor (one keyword group per security scheme, the ``HUAWEICLOUD_*`` variables ``spec/`` declares).

Testing the template source (not a generated copy) keeps these tests independent of the generator;
``test_runtime_generated.py`` covers the generated ``huawei_sms`` package.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "client" / "runtime"
EXTENSIONS_DIR = RUNTIME_DIR / "extensions"


def _load() -> ModuleType:
    name = "apigen_runtime"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name,
        RUNTIME_DIR / "__init__.py",
        submodule_search_locations=[str(RUNTIME_DIR), str(EXTENSIONS_DIR)],
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


runtime = _load()

from apigen_runtime import _iam, _keys, _signing, _wire, _wsse  # noqa: E402
from apigen_runtime._base_client import (
    AsyncAPIClient,
    RequestData,
    RequestOptions,
    SyncAPIClient,
)  # noqa: E402
from apigen_runtime._credentials import ApiKey, BearerToken, Credential  # noqa: E402
from apigen_runtime._operation import (  # noqa: E402
    ApiInfo,
    ErrorShape,
    Lookup,
    Operation,
    ResultCode,
    SecurityScheme,
    Server,
)
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

# Huawei's error shapes, as spec/openapi.yaml declares them (x-apigen-error)
HUAWEI_ERRORS = (
    ErrorShape(code=("/error/code",), message=("/error/message", "/error/title"), request_id=("/request_id",), when="/error"),
    ErrorShape(code=("/error_code",), message=("/error_msg",), detail=("/error_detail",), request_id=("/request_id",), when="/error_code"),
    ErrorShape(code=("/error_code",), message=("/error_msg",), detail=("/error_detail",), request_id=("/request_id",), when="/error_msg"),
    ErrorShape(code=("/code",), message=("/description", "/message"), request_id=("/request_id",)),
)
PROJECT_LOOKUP = Lookup("listProjects", "/projects", "id", query=(("name", "{region}"),), match=(("name", "{region}"),))

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
    errors=HUAWEI_ERRORS,
    lookups={"project_id": PROJECT_LOOKUP},
)

# the environment variables spec/ declares for each keyword (x-apigen-env)
ENV = {
    "ak": "HUAWEICLOUD_SDK_AK",
    "sk": "HUAWEICLOUD_SDK_SK",
    "security_token": "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "domain_id": "HUAWEICLOUD_SDK_DOMAIN_ID",
    "app_key": "HUAWEICLOUD_SMS_APP_KEY",
    "app_secret": "HUAWEICLOUD_SMS_APP_SECRET",
    "iam_username": "HUAWEICLOUD_IAM_USERNAME",
    "iam_password": "HUAWEICLOUD_IAM_PASSWORD",
    "iam_domain": "HUAWEICLOUD_IAM_DOMAIN",
    "iam_token": "HUAWEICLOUD_IAM_TOKEN",
    "region": "HUAWEICLOUD_SDK_REGION",
    "project_id": "HUAWEICLOUD_SDK_PROJECT_ID",
}
ENVIRONMENT_VARIABLES = tuple(ENV.values())
_GROUPS = (
    ("accountAkSk", _keys.access_key_credential, ("ak", "sk", "security_token", "domain_id")),
    ("appAkSk", _keys.app_key_credential, ("app_key", "app_secret")),
    ("iamToken", _iam.iam_credential, ("iam_username", "iam_password", "iam_domain", "iam_token")),
)


def configure(keywords: dict[str, Any]) -> dict[str, Any]:
    """What the generated Huawei ``Client.__init__`` does with its keywords: the runtime client's arguments.

    ``api_key``/``bearer_token`` (not in the Huawei spec) become unbound ``ApiKey``/``BearerToken`` credentials,
    for the tests of those kinds on hand-written APIs.
    """
    env = os.environ if keywords.pop("from_env", True) else {}
    found: list[Credential] = list(keywords.pop("credentials", None) or ())
    for scheme, function, keys in _GROUPS:
        values = {k: keywords.pop(k, None) for k in keys}
        found += function(scheme, values, {k: k for k in keys}, env, {k: ENV[k] for k in keys})
    api_key, bearer_token = keywords.pop("api_key", None), keywords.pop("bearer_token", None)
    if api_key is not None:
        found.append(ApiKey(api_key))
    if bearer_token is not None:
        found.append(BearerToken(bearer_token))
    variables = dict(keywords.pop("server_variables", None) or {})
    region = keywords.pop("region", None)
    if region is not None:
        variables["region"] = region
    elif "region" not in variables and env.get(ENV["region"]):
        variables["region"] = env[ENV["region"]]
    project_id = keywords.pop("project_id", None)
    values = {"project_id": project_id if project_id is not None else env.get(ENV["project_id"])}
    return {"credentials": found, "server_variables": variables, "client_values": values, **keywords}


class Configured:
    """The generated constructor's behaviour for the Huawei schemes, over any ``_api``."""

    _extensions = (_signing.AUTH_KIND, _iam.AUTH_KIND, _wsse.AUTH_KIND)
    _credential_hints = {  # as the generated client words them
        "accountAkSk": "ak/sk (environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)",
        "appAkSk": "app_key/app_secret (environment: HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)",
        "iamToken": "iam_username/iam_password/iam_domain or iam_token (environment: HUAWEICLOUD_IAM_USERNAME, "
        "HUAWEICLOUD_IAM_PASSWORD, HUAWEICLOUD_IAM_DOMAIN, HUAWEICLOUD_IAM_TOKEN)",
        "wsse": "app_key/app_secret (environment: HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)",
    }
    _value_env = {"project_id": "HUAWEICLOUD_SDK_PROJECT_ID"}

    def __init__(self, **keywords: Any) -> None:
        super().__init__(**configure(keywords))  # type: ignore[call-arg]


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


class Client(Configured, SyncAPIClient):
    _api = API

    def send(
        self, to: str = "+8613800000001", options: RequestOptions | None = None
    ) -> ApiResponse[list[dict[str, Any]]]:
        return self._call(BATCH_SEND_SMS, send_data(to), decode_send, options)

    def list_apps(self, options: RequestOptions | None = None, **query: str) -> ApiResponse[Any]:
        data = RequestData(path_params={"project_id": None}, query=list(query.items()))
        return self._call(LIST_APPS, data, decode_json, options)

    def create_template(self, name: str, options: RequestOptions | None = None) -> ApiResponse[Any]:
        body = _wire.json_bytes({"template_name": name, "template_content": "Code ${NUM_6}"})
        data = RequestData(
            path_params={"project_id": None}, content=body, content_type="application/json"
        )
        return self._call(CREATE_TEMPLATE, data, decode_json, options)


class AsyncClient(Configured, AsyncAPIClient):
    _api = API

    async def send(
        self, to: str = "+8613800000001", options: RequestOptions | None = None
    ) -> ApiResponse[list[dict[str, Any]]]:
        return await self._call(BATCH_SEND_SMS, send_data(to), decode_send, options)

    async def list_apps(self, options: RequestOptions | None = None) -> ApiResponse[Any]:
        return await self._call(
            LIST_APPS, RequestData(path_params={"project_id": None}), decode_json, options
        )
