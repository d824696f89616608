from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import ir
from generator.model.build.raw import is_sensitive
from generator.pipeline import Inputs, analyse
from tests.support.paths import SPEC
from tests.support.specs import write_tree

SPEC_TEXT = """
openapi: 3.0.3
info: {title: Shapes, version: "2"}
servers:
  - url: https://{region}.example.com/v1
    variables:
      region: {default: eu, enum: [eu, us]}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    put:
      operationId: putItem
      tags: [items]
      security: [{key: []}, {}]
      parameters:
        - {name: tags, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Content-Type, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "201":
          description: created
          headers:
            X-Subject-Token: {schema: {type: string}, required: true}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        "404": {description: missing}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                note: {type: string}
      responses:
        "204": {description: done}
  /raw:
    post:
      operationId: raw
      requestBody:
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        "200":
          description: text
          content:
            text/plain: {schema: {type: string}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [kind]
          properties:
            kind: {type: string, enum: [a, b]}
            when: {type: string, format: date-time, nullable: true}
            children: {type: array, items: {$ref: '#/components/schemas/Item'}}
            extra:
              type: object
              additionalProperties: {type: number}
            pet: {$ref: '#/components/schemas/Pet'}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string, format: uuid}
        data: {type: string, format: byte}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: type
        mapping: {cat: '#/components/schemas/Cat', hound: '#/components/schemas/Dog'}
    Cat: {type: object, properties: {type: {type: string}, lives: {type: integer}}}
    Dog: {type: object, properties: {type: {type: string}, bark: {type: boolean}}}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> ir.Api:
    root = write_tree(tmp_path_factory.mktemp("shapes"), {"openapi.yaml": SPEC_TEXT})
    result = analyse(root)
    assert not result.errors, result.errors
    return result.api


def op(api: ir.Api, op_id: str) -> ir.Operation:
    return next(o for o in api.operations if o.operation_id == op_id)


def test_servers_keep_their_variables(api: ir.Api) -> None:
    [server] = api.servers
    assert server.url == "https://{region}.example.com/v1"
    assert server.variables == (ir.ServerVariable("region", "eu", ("eu", "us")),)
    assert op(api, "putItem").servers == api.servers


def test_parameters_with_locations_styles_and_who_sets_them(api: ir.Api) -> None:
    params = {p.wire_name: p for p in op(api, "putItem").parameters}
    assert params["id"].location == "path" and params["id"].required and params["id"].type == ir.Primitive("int", "int64")
    assert (params["tags"].style, params["tags"].explode) == ("pipeDelimited", False)
    assert params["tags"].type == ir.ArrayType(ir.Primitive("str"))
    assert params["X-Trace"].name == "x_trace" and params["X-Trace"].location == "header"
    assert params["session"].location == "cookie" and params["session"].style == "form"
    assert params["Content-Type"].set_by == "transport"
    assert "Content-Type" not in {p.wire_name for p in op(api, "putItem").arguments}


def test_request_bodies_per_media_type(api: ir.Api) -> None:
    body = op(api, "putItem").body
    assert body is not None and body.required
    assert [m.kind for m in body.media] == ["json", "form"]
    assert body.chosen.kind == "json"
    # the body's ``id`` field would collide with the path parameter ``id``: one ``body`` argument instead
    assert body.flattened is None and body.body_param == "body"
    upload = op(api, "upload").body
    assert upload is not None and upload.chosen.kind == "multipart"
    assert upload.flattened is not None and [f.name for f in upload.flattened] == ["file", "note"]
    raw = op(api, "raw").body
    assert raw is not None and raw.chosen.kind == "binary" and raw.flattened is None


def test_responses_with_headers_and_media(api: ir.Api) -> None:
    responses = {r.status: r for r in op(api, "putItem").responses}
    assert set(responses) == {"201", "404"}
    assert responses["201"].headers == (ir.Header("X-Subject-Token", ir.Primitive("str"), True),)
    assert responses["201"].decoded is not None and responses["201"].decoded.type == ir.ModelRef("Item")
    text = op(api, "raw").responses[0].decoded
    assert text is not None and text.kind == "text"


def test_security_alternatives_including_anonymous(api: ir.Api) -> None:
    assert op(api, "putItem").security == (("key",), ())
    [scheme] = api.security_schemes
    assert (scheme.kind, scheme.location, scheme.parameter) == ("apiKey", "header", "X-Key")


def test_all_of_is_merged_into_one_model(api: ir.Api) -> None:
    item = api.model("Item")
    assert isinstance(item, ir.ObjectModel)
    fields = {f.wire_name: f for f in item.fields}
    assert list(fields) == ["id", "data", "kind", "when", "children", "extra", "pet"]
    assert fields["id"].required and fields["kind"].required and not fields["data"].required
    assert fields["id"].type == ir.Primitive("str", "uuid")
    assert fields["data"].type == ir.Primitive("str", "byte")
    assert fields["when"].type == ir.Nullable(ir.Primitive("str", "date-time"))
    assert fields["children"].type == ir.ArrayType(ir.ModelRef("Item"))  # recursive
    assert fields["extra"].type == ir.MapType(ir.Primitive("float"))


def test_enums_and_discriminated_unions(api: ir.Api) -> None:
    kind = api.model("ItemKind")
    assert isinstance(kind, ir.EnumModel) and [m.value for m in kind.members] == ["a", "b"]
    pet = api.model("Pet")
    assert isinstance(pet, ir.UnionModel)
    assert pet.variants == (ir.ModelRef("Cat"), ir.ModelRef("Dog"))
    assert pet.discriminator == ir.Discriminator("type", (("cat", "Cat"), ("hound", "Dog")))


def test_openapi_31_type_lists_are_nullable(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            components:
              schemas:
                S:
                  type: object
                  properties:
                    a: {type: [string, "null"]}
                    b: {oneOf: [{type: integer}, {type: "null"}]}
                    c: {type: [string, integer]}
            """
        },
    )
    model = analyse(root).api.model("S")
    assert isinstance(model, ir.ObjectModel)
    types = {f.wire_name: f.type for f in model.fields}
    assert types == {
        "a": ir.Nullable(ir.Primitive("str")),
        "b": ir.Nullable(ir.Primitive("int")),
        "c": ir.Primitive("any"),
    }


def test_huawei_spec_wire_names_and_token_header() -> None:
    api = analyse(SPEC).api
    send = next(o for o in api.operations if o.operation_id == "batchSendSms")
    assert send.body is not None and send.body.chosen.content_type == "application/x-www-form-urlencoded"
    assert send.body.flattened is not None
    pairs = {f.wire_name: f.name for f in send.body.flattened}
    assert pairs["from"] == "from_" and pairs["templateId"] == "template_id" and pairs["to"] == "to"
    token = next(o for o in api.operations if o.operation_id == "createToken")
    created = next(r for r in token.responses if r.status == "201")
    assert "X-Subject-Token" in {h.name for h in created.headers}
    assert send.servers and "{region}" in send.servers[0].url


UNDECLARED = """
openapi: 3.0.3
info: {title: Leftovers, version: "1"}
security:
  - api_key: []
paths:
  /a:
    get:
      operationId: getA
      responses: {"200": {description: ok}}
  /b:
    get:
      operationId: getB
      security:
        - {key: [], api_key: []}
        - {key: []}
        - {legacy: []}
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"""


def test_security_requirement_naming_an_undeclared_scheme_is_dropped_with_a_located_warning(tmp_path: Path) -> None:
    # a Swagger 2 `securityDefinitions` left in an OpenAPI 3 document declares nothing: the client could never
    # send a credential for those names, so keeping them would make every call refuse for want of one
    root = write_tree(tmp_path, {"openapi.yaml": UNDECLARED})  # written from its second line: line 1 is `openapi:`
    result = analyse(root, Inputs())
    assert not result.errors, result.errors
    assert op(result.api, "getA").security == ((),)
    # what the alternative still names applies; two alternatives that become the same are said once
    assert op(result.api, "getB").security == (("key",), ())
    found = [(d.location.line if d.location else 0, d.pointer) for d in result.warnings if "does not declare" in d.message]
    assert found == [(4, "#/security/0/api_key"), (14, "#/paths/~1b/get/security/0/api_key"),
                     (16, "#/paths/~1b/get/security/2/legacy")]  # fmt: skip
    assert all("components.securitySchemes" in d.message for d in result.warnings if "does not declare" in d.message)


@pytest.mark.parametrize(
    ("wire", "schema", "hidden"),
    [
        ("password", {"type": "string"}, True),
        ("app_secret", {"type": "string"}, True),
        ("accessToken", {"type": "string"}, True),
        ("apiKey", {}, True),
        ("pin", {"type": "string", "format": "password"}, True),
        ("note", {"type": "string", "x-apigen-sensitive": True}, True),
        # metadata about a secret is no secret, in snake_case and in camelCase alike
        ("token_uri", {"type": "string"}, False),
        ("tokenUri", {"type": "string"}, False),
        ("tokenType", {"type": "string"}, False),
        ("secretExpiresAt", {"type": "string"}, False),
        ("apiKeyId", {"type": "string"}, False),
        ("token_count", {"type": "integer"}, False),
        ("name", {"type": "string"}, False),
    ],
)
def test_which_properties_are_kept_out_of_reprs(wire: str, schema: dict[str, object], hidden: bool) -> None:
    assert is_sensitive(wire, schema) is hidden
