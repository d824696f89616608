"""The builder reads the runtime-facing extensions into the IR: x-apigen-env, x-apigen-regions,
x-apigen-error, x-apigen-lookup, x-apigen-idempotency-key, OAuth2 flows and per-item result codes."""

from __future__ import annotations

from pathlib import Path

from generator.model import ir
from generator.model.build import build_api
from generator.spec.load import load_spec
from tests.support.specs import write_tree

SPEC = """
    openapi: 3.1.0
    info: {title: Ext, version: '1'}
    x-apigen-env: {region: EXT_REGION}
    x-apigen-idempotency-key: Idempotency-Key
    x-apigen-error:
      request-id-header: X-Trace
      shapes:
        - {when: /fault, code: /fault/code, message: [/fault/text, /fault/title], request-id: /trace}
        - {code: /code}
    servers:
      - url: https://api.{region}.example.com
        variables:
          region: {default: us-1}
      - url: https://api.{region}.example.eu
        variables:
          region: {default: eu-1, x-apigen-regions: [eu-1, eu-2]}
    components:
      securitySchemes:
        oauth:
          type: oauth2
          x-apigen-env: EXT_OAUTH_
          flows:
            clientCredentials: {tokenUrl: /token, scopes: {write: w, read: r}}
            authorizationCode: {authorizationUrl: /a, tokenUrl: /token, scopes: {}}
    paths:
      /{tenant}/orders:
        post:
          operationId: createOrder
          security: [{oauth: []}]
          x-apigen-result-code: {field: code, success: ['0'], items: results, item-field: status}
          parameters:
            - name: tenant
              in: path
              required: true
              schema: {type: string}
              x-apigen-set-by: client
              x-apigen-lookup: {operation: listTenants, query: {name: '{region}'}, items: /tenants,
                                match: {name: '{region}'}, value: id}
          responses:
            '200': {description: ok}
      /tenants:
        get:
          operationId: listTenants
          x-apigen-idempotency-key: false
          responses:
            '200': {description: ok}
"""


def _api(tmp_path: Path) -> ir.Api:
    api, _ = build_api(load_spec(write_tree(tmp_path, {"openapi.yaml": SPEC})))
    return api


def test_root_extensions(tmp_path: Path) -> None:
    api = _api(tmp_path)
    assert api.env == (("region", "EXT_REGION"),)
    assert api.error_request_id_header == "X-Trace"
    assert api.errors == (
        ir.ErrorShape(code=("/fault/code",), message=("/fault/text", "/fault/title"), request_id=("/trace",),
                      when="/fault"),
        ir.ErrorShape(code=("/code",)),
    )  # fmt: skip
    assert [v.regions for s in api.servers for v in s.variables] == [(), ("eu-1", "eu-2")]


def test_scheme_env_and_flows(tmp_path: Path) -> None:
    (scheme,) = _api(tmp_path).security_schemes
    assert scheme.env == (("", "EXT_OAUTH_"),)
    assert scheme.flows == (
        ir.OAuthFlow("authorizationCode", "/token", ()),
        ir.OAuthFlow("clientCredentials", "/token", ("read", "write")),
    )


def test_operation_extensions(tmp_path: Path) -> None:
    ops = {op.operation_id: op for op in _api(tmp_path).operations}
    create, listing = ops["createOrder"], ops["listTenants"]
    assert create.idempotency_key == "Idempotency-Key" and listing.idempotency_key == ""  # false opts out
    assert create.result_code == ir.ResultCode("code", ("0",), "results", "status")
    (tenant,) = create.parameters
    assert dict(tenant.lookup) == {
        "operation": "listTenants",
        "query": (("name", "{region}"),),
        "items": "/tenants",
        "match": (("name", "{region}"),),
        "value": "id",
    }
