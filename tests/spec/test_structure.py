"""The spec's shape: valid OpenAPI 3.1, the exact operations, and the conventions the generator relies on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from .helpers import SPEC_DIR, SPEC_FILE, loaded_spec, merged_parameters, operations, pushed_operations, where

IAM_OPERATIONS = {
    "createToken": ("post", "/v3/auth/tokens"),
    "validateToken": ("get", "/v3/auth/tokens"),
    "listProjects": ("get", "/v3/projects"),
    "showProject": ("get", "/v3/projects/{project_id}"),
    "listAuthProjects": ("get", "/v3/auth/projects"),
}
SMS_OPERATIONS = {
    "batchSendSms": ("post", "/sms/batchSendSms/v1"),
    "batchSendDiffSms": ("post", "/sms/batchSendDiffSms/v1"),
}
MSGSMS = "/v2/{project_id}/msgsms"
MSGSMS_OPERATIONS = {
    "createApp": ("post", f"{MSGSMS}/apps"),
    "listApps": ("get", f"{MSGSMS}/apps"),
    "showApp": ("get", f"{MSGSMS}/apps/{{id}}"),
    "updateApp": ("put", f"{MSGSMS}/apps/{{id}}"),
    "showAppCount": ("get", f"{MSGSMS}/apps-count"),
    "createSignature": ("post", f"{MSGSMS}/signatures"),
    "listSignatures": ("get", f"{MSGSMS}/signatures"),
    "showSignature": ("get", f"{MSGSMS}/signatures/{{id}}"),
    "updateSignature": ("put", f"{MSGSMS}/signatures/{{id}}"),
    "deleteSignature": ("delete", f"{MSGSMS}/signatures/{{id}}"),
    "enableSignature": ("put", f"{MSGSMS}/signatures/{{id}}/active"),
    "uploadSignatureFile": ("post", f"{MSGSMS}/upload-files"),
    "showSignatureFile": ("get", f"{MSGSMS}/upload-files"),
    "createTemplate": ("post", f"{MSGSMS}/templates"),
    "listTemplates": ("get", f"{MSGSMS}/templates"),
    "showTemplate": ("get", f"{MSGSMS}/templates/{{id}}"),
    "updateTemplate": ("put", f"{MSGSMS}/templates/{{id}}"),
    "deleteTemplate": ("delete", f"{MSGSMS}/templates/{{id}}"),
    "listTemplateVariables": ("get", f"{MSGSMS}/templates/{{id}}/varilable"),
    "batchDeleteTemplates": ("post", f"{MSGSMS}/templates/batch-delete"),
    "listCountries": ("get", f"{MSGSMS}/country"),
}
ALL_OPERATIONS = {**IAM_OPERATIONS, **SMS_OPERATIONS, **MSGSMS_OPERATIONS}
PAGINATED = {"listApps", "listSignatures", "listTemplates"}
TAGS = {"tokens", "projects", "sms", "apps", "signatures", "templates", "countries"}

EXPECTED_SECURITY = {
    **{op: [{"iamToken": []}] for op in IAM_OPERATIONS},
    # listProjects also takes AK/SK signing: a client with account keys only looks its project id up with it
    "listProjects": [{"iamToken": []}, {"accountAkSk": []}],
    "createToken": [],
    **{op: [{"appAkSk": []}, {"wsse": []}] for op in SMS_OPERATIONS},
    **{op: [{"iamToken": []}, {"accountAkSk": []}] for op in MSGSMS_OPERATIONS},
}
EXPECTED_SCHEMES = {
    "iamToken": {
        "type": "apiKey", "in": "header", "name": "X-Auth-Token",
        "x-apigen-auth": {"kind": "iam-token", "token-operation": "createToken",
                          "token-header": "X-Subject-Token", "expires-at": "/token/expires_at"},
        "x-apigen-env": {"iam_username": "HUAWEICLOUD_IAM_USERNAME", "iam_password": "HUAWEICLOUD_IAM_PASSWORD",
                         "iam_domain": "HUAWEICLOUD_IAM_DOMAIN", "iam_token": "HUAWEICLOUD_IAM_TOKEN"},
    },
    "accountAkSk": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "x-apigen-auth": {"kind": "sdk-hmac-sha256", "keys": "account", "project-header": "X-Project-Id",
                          "security-token-header": "X-Security-Token"},
        "x-apigen-env": {"ak": "HUAWEICLOUD_SDK_AK", "sk": "HUAWEICLOUD_SDK_SK",
                         "security_token": "HUAWEICLOUD_SDK_SECURITY_TOKEN", "domain_id": "HUAWEICLOUD_SDK_DOMAIN_ID"},
    },
    "appAkSk": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "x-apigen-auth": {"kind": "sdk-hmac-sha256", "keys": "application"},
        "x-apigen-env": {"app_key": "HUAWEICLOUD_SMS_APP_KEY", "app_secret": "HUAWEICLOUD_SMS_APP_SECRET"},
    },
    "wsse": {
        "type": "apiKey", "in": "header", "name": "X-WSSE",
        "x-apigen-auth": {"kind": "wsse", "realm": "SDP", "profile": "UsernameToken", "type": "Appkey"},
        "x-apigen-env": {"app_key": "HUAWEICLOUD_SMS_APP_KEY", "app_secret": "HUAWEICLOUD_SMS_APP_SECRET"},
    },
}
# Headers the client always supplies itself, and who supplies them.
SET_BY = {
    "host": "transport", "content-length": "transport", "content-type": "transport",
    "x-auth-token": "auth", "x-project-id": "auth", "authorization": "auth", "x-wsse": "auth",
    "x-sdk-date": "auth", "x-security-token": "auth",
}
# ... except these, which the caller gives: the agency variant of createToken sends the caller's own token.
CALLER_SUPPLIED = {("createToken", "x-auth-token")}
ERROR_STATUSES = {"400", "401", "403", "404", "429", "500", "503"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return loaded_spec().document


def all_ops(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return {op["operationId"]: (path, method, item, op) for path, method, item, op in operations(document)}


def test_openapi_spec_validator_accepts_the_files() -> None:
    spec_dict, base_uri = read_from_filename(str(SPEC_FILE))
    validate(spec_dict, base_uri=base_uri)


def test_openapi_spec_validator_accepts_the_resolved_document(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_exactly_the_expected_operations(document: dict[str, Any]) -> None:
    found = {op.get("operationId"): (method, path) for path, method, _, op in operations(document)}
    assert found == ALL_OPERATIONS
    assert len(found) == 28


def test_operation_ids_are_unique_lower_camel_case(document: dict[str, Any]) -> None:
    ids = [op.get("operationId") for _, _, _, op in operations(document)]
    ids += [op["operationId"] for _, _, op in pushed_operations(document) if "operationId" in op]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", operation_id), operation_id


def test_every_operation_is_documented_tagged_and_secured(document: dict[str, Any]) -> None:
    declared = {tag["name"]: tag for tag in document["tags"]}
    assert set(declared) == TAGS
    assert all(tag.get("description") for tag in declared.values())
    for operation_id, (_, _, _, op) in all_ops(document).items():
        assert op.get("summary") and op.get("description"), operation_id
        assert len(op.get("tags", [])) == 1 and op["tags"][0] in TAGS, f"{operation_id}{where(op)}"
        assert "security" in op, f"{operation_id}: no security{where(op)}"
        assert op["security"] == EXPECTED_SECURITY[operation_id], operation_id
    for label, _, op in pushed_operations(document):
        assert op.get("summary") and op.get("description") and op.get("tags"), label


def test_security_schemes_are_exactly_what_the_generator_expects(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == set(EXPECTED_SCHEMES)
    for name, expected in EXPECTED_SCHEMES.items():
        assert schemes[name].get("description"), name
        assert {k: v for k, v in schemes[name].items() if k != "description"} == expected, name


def test_reference_operations_are_named(document: dict[str, Any]) -> None:
    for operation_id, (_, _, _, op) in all_ops(document).items():
        if operation_id == "batchDeleteTemplates":  # newer than the API Explorer files
            assert "x-huawei-operation" not in op
            continue
        names = op.get("x-huawei-operation")
        names = names if isinstance(names, list) else [names]
        assert all(isinstance(n, str) and re.fullmatch(r"[A-Z][A-Za-z]+", n) for n in names), operation_id
    assert all_ops(document)["createToken"][3]["x-huawei-operation"] == [
        "KeystoneCreateUserTokenByPassword", "KeystoneCreateUserTokenByPasswordAndMfa", "KeystoneCreateAgencyToken",
    ]


def test_client_supplied_headers_are_marked(document: dict[str, Any]) -> None:
    for operation_id, (_, _, item, op) in all_ops(document).items():
        for (location, name), parameter in merged_parameters(item, op).items():
            if location == "header" and name in SET_BY and (operation_id, name) not in CALLER_SUPPLIED:
                assert parameter.get("x-apigen-set-by") == SET_BY[name], f"{operation_id} {name}{where(parameter)}"
            elif location == "header":
                assert "x-apigen-set-by" not in parameter, f"{operation_id} {name}{where(parameter)}"
        content_type = merged_parameters(item, op).get(("header", "content-type"))
        body = op.get("requestBody", {}).get("content", {})
        if body:
            assert content_type is not None, f"{operation_id}: body without a Content-Type header parameter"
            schema = content_type["schema"]
            # multipart: the value carries the boundary, so the parameter has a pattern instead of an enum
            sent = "multipart/form-data" if "pattern" in schema else schema["enum"][0]
            assert [sent.split(";")[0]] == [m.split(";")[0] for m in body], operation_id
    for label, _, op in pushed_operations(document):  # Huawei sends these; the receiver reads them
        for parameter in op.get("parameters", []):
            assert "x-apigen-set-by" not in parameter and not parameter["required"], label


def test_msgsms_operations_share_project_id_errors_and_request_id(document: dict[str, Any]) -> None:
    for operation_id in MSGSMS_OPERATIONS:
        _, _, item, op = all_ops(document)[operation_id]
        project_id = merged_parameters(item, op)[("path", "project_id")]
        assert project_id.get("x-apigen-set-by") == "client", operation_id
        assert project_id is document["components"]["parameters"]["ProjectId"], operation_id
        assert ERROR_STATUSES <= set(op["responses"]), operation_id
        for status, response in op["responses"].items():
            assert "X-Request-Id" in response.get("headers", {}), f"{operation_id} {status}"
            assert response["headers"]["X-Request-Id"] is document["components"]["headers"]["XRequestId"]
        errors = {status: op["responses"][status] for status in ERROR_STATUSES}
        assert all(r["content"]["application/json"]["schema"] is document["components"]["schemas"]["MsgsmsError"]
                   for r in errors.values()), operation_id
    for operation_id in [*IAM_OPERATIONS, *SMS_OPERATIONS]:
        assert ERROR_STATUSES <= set(all_ops(document)[operation_id][3]["responses"]), operation_id


def test_list_operations_declare_pagination(document: dict[str, Any]) -> None:
    ops = all_ops(document)
    for operation_id, (_, _, item, op) in ops.items():
        pagination = op.get("x-apigen-pagination")
        if operation_id not in PAGINATED:
            assert pagination is None, operation_id
            continue
        assert pagination == {"offset": "offset", "limit": "limit", "items": "results", "total": "total"}
        parameters = merged_parameters(item, op)
        offset = parameters[("query", pagination["offset"])]["schema"]
        limit = parameters[("query", pagination["limit"])]["schema"]
        assert (offset["minimum"], offset["default"]) == (0, 0), operation_id
        assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 500, 10), operation_id
        page = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert page["properties"][pagination["items"]]["type"] == "array", operation_id
        assert page["properties"][pagination["total"]]["type"] == "integer", operation_id


def test_sms_sends_declare_result_code_callback_and_servers(document: dict[str, Any]) -> None:
    status_report = document["components"]["schemas"]["SmsStatusReport"]
    for operation_id in SMS_OPERATIONS:
        path, _, item, op = all_ops(document)[operation_id]
        assert op["x-apigen-result-code"] == {
            "field": "code", "success": ["000000"], "items": "result", "item-field": "status"
        }, operation_id
        callback = op["callbacks"]["statusReport"]
        assert list(callback) == ["{$request.body#/statusCallback}"], operation_id
        body = callback["{$request.body#/statusCallback}"]["post"]["requestBody"]["content"]
        assert body["application/x-www-form-urlencoded"]["schema"] is status_report
        assert [s["url"] for s in item["servers"]] == [
            "https://smsapi.{region}.myhuaweicloud.com:443",
            "https://smsapi.ap-southeast-1.myhuaweicloud.com:443",
            "https://smsapi.{region}.myhuaweicloud.eu:443",
        ]
        assert [s.get("variables", {}).get("region", {}).get("default") for s in item["servers"]] == [
            "cn-north-4", None, "eu-west-101",
        ]
    form = all_ops(document)["batchSendSms"][3]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert list(form["schema"]["properties"]) == [
        "from", "to", "templateId", "templateParas", "statusCallback", "extend", "signature",
    ]


def test_families_have_their_servers(document: dict[str, Any]) -> None:
    expected = {
        **{op: ["https://iam.{region}.myhuaweicloud.com", "https://iam.myhuaweicloud.com"] for op in IAM_OPERATIONS},
        **{op: ["https://msgsms.{region}.myhuaweicloud.com", "https://msgsms.{region}.myhuaweicloud.eu"]
           for op in MSGSMS_OPERATIONS},
    }
    for operation_id, urls in expected.items():
        _, _, item, op = all_ops(document)[operation_id]
        assert [s["url"] for s in op.get("servers", item.get("servers", []))] == urls, operation_id
    iam = all_ops(document)["createToken"][2]["servers"][0]
    assert iam["variables"]["region"]["default"] == "cn-north-4"


def test_webhooks_and_callback_answers(document: dict[str, Any]) -> None:
    assert set(document["webhooks"]) == {"batchStatusReport", "uplinkSms"}
    batch = document["webhooks"]["batchStatusReport"]["post"]["requestBody"]["content"]["application/json"]
    assert batch["schema"]["properties"]["statusReportList"]["maxItems"] == 50
    uplink = document["webhooks"]["uplinkSms"]["post"]["requestBody"]["content"]
    assert list(uplink) == ["application/x-www-form-urlencoded"]
    for label, _, op in pushed_operations(document):
        assert set(op["responses"]) == {"2XX", "401"}, label
        assert {p["name"] for p in op["parameters"]} == {"X-Sdk-Date", "Authorization"}, label


# -- layout: files, listings and references ----------------------------------------------------------------


def _yaml_files() -> list[Path]:
    return sorted(SPEC_DIR.rglob("*.yaml"))


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                found.append(current["$ref"])
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def test_every_component_file_entry_is_listed_in_the_root() -> None:
    raw = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    components = raw["components"]
    listed_schemas = {name: entry["$ref"] for name, entry in components["schemas"].items()}
    files = {p.stem: f"components/schemas/{p.name}" for p in (SPEC_DIR / "components" / "schemas").glob("*.yaml")}
    assert listed_schemas == files, "one schema per file, listed under its own name"
    for kind in ("parameters", "responses", "headers", "examples"):
        listed = {name: entry["$ref"] for name, entry in components[kind].items()}
        in_files = {}
        for path in sorted((SPEC_DIR / "components" / kind).glob("*.yaml")):
            for key in yaml.safe_load(path.read_text(encoding="utf-8")):
                in_files[key] = f"components/{kind}/{path.name}#/{key}"
        assert listed == in_files, kind


def test_paths_and_webhooks_point_at_path_files() -> None:
    raw = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    for section in ("paths", "webhooks"):
        for key, entry in raw[section].items():
            assert list(entry) == ["$ref"], key
            assert re.fullmatch(r"paths/[a-z]+\.yaml#/[A-Za-z]+", entry["$ref"]), key


def test_references_go_to_whole_files_or_top_level_keys() -> None:
    for path in _yaml_files():
        for ref in _refs(yaml.safe_load(path.read_text(encoding="utf-8"))):
            file_part, _, pointer = ref.partition("#")
            assert file_part, f"{path}: local ref {ref!r}; refer to component files instead"
            target = (path.parent / file_part).resolve()
            assert target.is_file(), f"{path}: {ref!r} points at no file"
            assert target.is_relative_to(SPEC_DIR.resolve()), f"{path}: {ref!r} leaves spec/"
            assert pointer.count("/") <= 1, f"{path}: {ref!r} points into the middle of a file"
            if target.parent.name == "schemas":
                assert pointer == "", f"{path}: {ref!r}: schemas are whole files"
            if pointer:
                assert pointer[1:] in yaml.safe_load(target.read_text(encoding="utf-8")), f"{path}: {ref!r}"


def test_no_yaml_anchors_or_aliases() -> None:
    # A shared YAML node looks like a $ref target to bundlers and like a copy to others: write it out.
    for path in _yaml_files():
        tokens = yaml.scan(path.read_text(encoding="utf-8"))
        shared = [t for t in tokens if isinstance(t, (yaml.AnchorToken, yaml.AliasToken))]
        assert not shared, f"{path}:{shared[0].start_mark.line + 1}: YAML anchor/alias" if shared else ""


def test_schema_files_refer_to_each_other_by_sibling_path() -> None:
    for path in sorted((SPEC_DIR / "components" / "schemas").glob("*.yaml")):
        for ref in _refs(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert re.fullmatch(r"\./[A-Za-z]+\.yaml", ref), f"{path.name}: {ref}"
