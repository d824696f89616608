"""One small spec per naming finding: names that collide after sanitising (across tags too) or that shadow
what the generated code uses. Each asserts the exact warning (both sources, file:line) and what the
generated package does: it imports, and each method sends its own operation's HTTP method and path."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.model import ir
from generator.pipeline import Result, generate
from generator.output.write import apply
from tests.support.specs import line_of, write_tree

HEAD = """
openapi: 3.1.0
info: {title: T, version: "1"}
servers: [{url: "https://api.example.com"}]
"""

# records (method, path) of every request through the package's own transport, answering 204 (or a JSON body)
RUN = """
import json, sys
import httpx
import pkg
sent = []
def handler(request):
    sent.append([request.method, request.url.path])
    body = json.loads(sys.argv[1]).get(request.url.path)
    return httpx.Response(204) if body is None else httpx.Response(200, json=body)
client = pkg.Client(transport=httpx.MockTransport(handler), from_env=False, retry=0)
"""


def _generate(tmp_path: Path, spec: str) -> tuple[Result, Path]:
    root = write_tree(tmp_path / "spec", {"openapi.yaml": HEAD + textwrap.dedent(spec)})
    result = generate(root, ir.PackageInfo("pkg", "pkg", "0.0.1"))
    assert not result.errors, [str(d) for d in result.errors]
    apply(tmp_path / "out", result.files)
    return result, root


def _warnings(result: Result, root: Path) -> list[str]:
    return [str(d).replace(str(root.parent) + "/", "") for d in result.warnings]


def _run(tmp_path: Path, code: str, replies: dict[str, object] | None = None) -> list[list[str]]:
    script = RUN + code + "\nprint(json.dumps(sent))\n"
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(replies or {})],
        cwd=tmp_path / "out" / "client", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    sent: list[list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return sent


def test_a_read_never_sends_the_write_of_an_operation_id_that_sanitises_alike(tmp_path: Path) -> None:
    result, root = _generate(tmp_path, """
    paths:
      /pets:
        get:
          operationId: userId
          tags: [readers]
          responses: {"204": {description: ok}}
        post:
          operationId: user_id
          tags: [writers]
          responses: {"204": {description: ok}}
    """)  # fmt: skip
    get, post = line_of(root, "operationId: userId"), line_of(root, "operationId: user_id")
    assert _warnings(result, root) == [
        f"openapi.yaml:{post}: warning: operationId 'user_id' collides with operationId 'userId' (openapi.yaml:{get})"
        " after sanitising: both are USER_ID in _api.py; its constant is USER_ID_2 (#/paths/~1pets/post)"
    ]
    assert _run(tmp_path, "client.readers.user_id(); client.writers.user_id()") == [["GET", "/pets"], ["POST", "/pets"]]


def test_tags_that_sanitise_alike_get_a_resource_each(tmp_path: Path) -> None:
    result, root = _generate(tmp_path, """
    paths:
      /a:
        get: {operationId: a, tags: [x2], responses: {"204": {description: ok}}}
      /b:
        get: {operationId: b, tags: [x-2], responses: {"204": {description: ok}}}
      /c:
        get: {operationId: c, tags: [Pets], responses: {"204": {description: ok}}}
      /d:
        get: {operationId: d, tags: [pets], responses: {"204": {description: ok}}}
    """)  # fmt: skip
    a, b = line_of(root, "tags: [x2]"), line_of(root, "tags: [x-2]")
    c, d = line_of(root, "tags: [Pets]"), line_of(root, "tags: [pets]")
    assert _warnings(result, root) == [
        f"openapi.yaml:{b}: warning: tag 'x-2' collides with tag 'x2' (openapi.yaml:{a}) after sanitising:"
        " both are X2Resource in _client.py; its class is X2Resource2",
        f"openapi.yaml:{d}: warning: tag 'pets' collides with tag 'Pets' (openapi.yaml:{c}) after sanitising:"
        " both are pets in resources/ (file names ignore case); module is pets_2",
    ]
    assert {(r.tag, r.name, r.class_name) for r in result.api.resources} == {
        ("x2", "x2", "X2Resource"), ("x-2", "x_2", "X2Resource2"),
        ("Pets", "pets", "PetsResource"), ("pets", "pets_2", "Pets2Resource"),
    }  # fmt: skip
    sent = _run(tmp_path, "client.x2.a(); client.x_2.b(); client.pets.c(); client.pets_2.d()")
    assert sent == [["GET", "/a"], ["GET", "/b"], ["GET", "/c"], ["GET", "/d"]]


def test_unions_whose_names_sanitise_alike_get_a_decoder_each(tmp_path: Path) -> None:
    result, root = _generate(tmp_path, """
    paths:
      /a:
        get:
          operationId: a
          responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/HTTPServer"}}}}}
      /b:
        get:
          operationId: b
          responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/HttpServer"}}}}}
    components:
      schemas:
        HTTPServer:
          oneOf: [{type: integer}, {type: array, items: {type: integer}}]
        HttpServer:
          oneOf: [{type: string}, {type: array, items: {type: string}}]
    """)  # fmt: skip
    first, second = line_of(root, "HTTPServer:"), line_of(root, "HttpServer:")
    assert _warnings(result, root) == [
        f"openapi.yaml:{second}: warning: schema HttpServer collides with schema HTTPServer (openapi.yaml:{first})"
        " after sanitising: both are decode_http_server in models.py; its decoder is decode_http_server_2"
        " (#/components/schemas/HttpServer)"
    ]
    sent = _run(tmp_path, "assert client.default.a() == [1]; assert client.default.b() == ['x']",
                {"/a": [1], "/b": ["x"]})  # fmt: skip
    assert sent == [["GET", "/a"], ["GET", "/b"]]


def test_properties_named_like_the_models_helpers_keep_their_names(tmp_path: Path) -> None:
    result, _ = _generate(tmp_path, """
    paths:
      /a:
        get:
          operationId: a
          responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/M"}}}}}
    components:
      schemas:
        M:
          type: object
          properties:
            field: {type: string}
            wire: {type: string}
            dt: {type: string, format: date-time}
            uuid: {type: string, format: uuid}
            classmethod: {type: string}
            self: {type: string}
            data: {type: string}
    """)  # fmt: skip
    [model] = [m for m in result.api.models if isinstance(m, ir.ObjectModel)]
    # only the names the class body evaluates (field(...), @classmethod) change
    assert [f.name for f in model.fields] == ["field_", "wire", "dt", "uuid", "classmethod_", "self", "data"]
    body = {"field": "f", "wire": "w", "dt": "2026-12-01T00:00:00Z", "uuid": "12345678-1234-5678-1234-567812345678",
            "classmethod": "c", "self": "s", "data": "d"}  # fmt: skip
    code = f"""
m = client.default.a()
assert (m.field_, m.wire, m.dt.year, m.uuid.hex[:4], m.classmethod_, m.self, m.data) == ("f", "w", 2026, "1234", "c", "s", "d")
assert m.to_wire() == {body!r}, m.to_wire()
"""
    assert _run(tmp_path, code, {"/a": body}) == [["GET", "/a"]]


def test_operation_ids_named_like_the_generated_modules_names(tmp_path: Path) -> None:
    result, root = _generate(tmp_path, """
    paths:
      /api:
        post: {operationId: api, responses: {"204": {description: ok}}}
      /unset:
        delete: {operationId: unset, responses: {"204": {description: ok}}}
      /list:
        put: {operationId: list, responses: {"204": {description: ok}}}
      /raw:
        patch: {operationId: with_raw_response, responses: {"204": {description: ok}}}
    """)  # fmt: skip
    api, unset = line_of(root, "operationId: api"), line_of(root, "operationId: unset")
    assert sorted(_warnings(result, root)) == [
        f"openapi.yaml:{api}: warning: operationId 'api' would be API, a name the generated code uses in _api.py;"
        " its constant is API_2 (#/paths/~1api/post)",
        f"openapi.yaml:{unset}: warning: operationId 'unset' would be UNSET, a name the generated code uses in"
        " _api.py; its constant is UNSET_2 (#/paths/~1unset/delete)",
    ]
    assert [op.name for op in result.api.operations] == ["api", "list_", "with_raw_response_", "unset"]
    code = "client.default.api(); client.default.unset(); client.default.list_(); client.default.with_raw_response_()"
    sent = _run(tmp_path, code)
    assert sent == [["POST", "/api"], ["DELETE", "/unset"], ["PUT", "/list"], ["PATCH", "/raw"]]


def test_arguments_named_like_the_methods_locals(tmp_path: Path) -> None:
    result, _ = _generate(tmp_path, """
    paths:
      /r/{response}:
        post:
          operationId: send
          parameters:
            - {name: response, in: path, required: true, schema: {type: string}}
            - {name: data, in: query, schema: {type: string}}
            - {name: options, in: query, schema: {type: string}}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    client: {type: string}
                    result: {type: string}
          responses: {"204": {description: ok}}
    """)  # fmt: skip
    [op] = result.api.operations
    assert [p.name for p in op.arguments] == ["response", "data", "options_"]
    assert op.body is not None and [f.name for f in op.body.flattened or ()] == ["client", "result"]
    code = "client.default.send(response='r1', data='d', options_='o', client='c', result='x')"
    assert _run(tmp_path, code) == [["POST", "/r/r1"]]


def test_a_very_long_tag_gets_a_bounded_module_name(tmp_path: Path) -> None:
    tag = "t" * 300
    result, root = _generate(tmp_path, f"""
    paths:
      /a:
        get: {{operationId: a, tags: [{tag}], responses: {{"204": {{description: ok}}}}}}
    """)  # fmt: skip
    [resource] = result.api.resources
    assert len(resource.name) == 64 and resource.name.startswith("t" * 55 + "_")
    assert _warnings(result, root) == [
        f"openapi.yaml:{line_of(root, 'tags:')}: warning: tag {tag!r} is too long for a module name;"
        f" module is {resource.name}"
    ]
    assert (tmp_path / "out" / "client" / "pkg" / "resources" / f"{resource.name}.py").is_file()
    assert _run(tmp_path, f"client.{resource.name}.a()") == [["GET", "/a"]]


def test_names_do_not_depend_on_the_order_of_the_document(tmp_path: Path) -> None:
    forward = """
    paths:
      /a:
        get: {operationId: getThing, tags: [pets], responses: {"204": {description: ok}}}
      /b:
        get: {operationId: get-thing, tags: [Pets], responses: {"204": {description: ok}}}
    components:
      schemas:
        S:
          type: object
          properties:
            a-b: {type: string}
            a_b: {type: string}
          x-order: 1
        E: {type: string, enum: [a-b, a_b]}
    """
    backward = """
    components:
      schemas:
        E: {type: string, enum: [a_b, a-b]}
        S:
          type: object
          properties:
            a_b: {type: string}
            a-b: {type: string}
    paths:
      /b:
        get: {operationId: get-thing, tags: [Pets], responses: {"204": {description: ok}}}
      /a:
        get: {operationId: getThing, tags: [pets], responses: {"204": {description: ok}}}
    """

    def names(spec: str, where: Path) -> set[tuple[str, ...]]:
        result, _ = _generate(where, spec)
        out = {(r.tag, r.name, op.operation_id, op.name, op.constant) for r in result.api.resources for op in r.operations}
        for m in result.api.models:
            if isinstance(m, ir.ObjectModel):
                out |= {(m.name, f.wire_name, f.name) for f in m.fields}
            if isinstance(m, ir.EnumModel):
                out |= {(m.name, str(e.value), e.name) for e in m.members}
        return out

    first = names(forward, tmp_path / "one")
    assert first == names(backward, tmp_path / "two")
    assert ("S", "a_b", "a_b_2") in first and ("E", "a_b", "A_B_2") in first
    assert ("pets", "pets_2", "getThing", "get_thing", "GET_THING") in first


def test_schemas_that_sanitise_alike_get_a_class_each_and_inline_models_never_take_their_names(
    tmp_path: Path,
) -> None:
    result, root = _generate(tmp_path, """
    paths:
      /a:
        get:
          operationId: a
          responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
    components:
      schemas:
        Pet:
          type: object
          properties:
            owner: {type: object, properties: {name: {type: string}}}
            other: {$ref: "#/components/schemas/pet-owner"}
            same: {$ref: "#/components/schemas/pet"}
        pet: {type: object, properties: {b: {type: string}}}
        pet-owner: {type: object, properties: {c: {type: string}}}
    """)  # fmt: skip
    first, second = line_of(root, "Pet:"), line_of(root, "pet:")
    assert _warnings(result, root) == [
        f"openapi.yaml:{second}: warning: schema pet collides with schema Pet (openapi.yaml:{first}) after"
        " sanitising: both are Pet in models.py; its class is Pet2 (#/components/schemas/pet)"
    ]
    names = {m.name: [f.wire_name for f in m.fields] for m in result.api.models if isinstance(m, ir.ObjectModel)}
    # the schema pet-owner keeps PetOwner; Pet's inline owner object is PetOwner2
    assert names == {"Pet": ["owner", "other", "same"], "Pet2": ["b"], "PetOwner": ["c"], "PetOwner2": ["name"]}
