"""The structural validator (structure.py): broken documents refused with a located message, valid ones of
each version accepted, any depth walked, and the hot path never importing openapi-spec-validator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import commands as cli
from generator.model import ir
from generator.pipeline import Inputs, generate
from generator.spec import structure
from generator.spec.diagnostics import Finding
from generator.spec.load import load_spec
from tests.support.paths import REPO
from tests.support.specs import line_of, write_tree

PACKAGE = ir.PackageInfo(package="structure_client", distribution="structure-client", version="0.1.0")


def _document(version: str, paths: str = "", components: str = "", top: str = "") -> str:
    text = f'openapi: {version}\ninfo: {{title: T, version: "1"}}\n{top}'
    text += "paths:\n" + (paths or '  /a:\n    get:\n      operationId: getA\n      responses: {"204": {description: ok}}\n')
    return text + ("components:\n" + components if components else "")


def _op(body: str) -> str:
    """A GET /a whose operation holds ``body`` (indented as under `get:`)."""
    return "  /a:\n    get:\n      operationId: getA\n" + body


# (version, document, line needle, message, pointer, blocking)
BROKEN = [
    pytest.param("3.0.3", _document("3.0.3", _op("      parameters:\n        - {name: q, schema: {type: string}}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "- {name: q", "Parameter Object is missing its required field `in`", "#/paths/~1a/get/parameters/0",
                 True, id="missing-required-field"),
    # a response's description is prose only: the document still generates, with a warning
    pytest.param("3.1.0", _document("3.1.0", _op('      responses: {"204": {headers: {}}}\n')), '"204"',
                 "Response Object is missing its required field `description` (prose only: generated without it)",
                 "#/paths/~1a/get/responses/204", False, id="response-without-description"),
    pytest.param("3.0.3", _document("3.0.3", _op("      summary: s\n")), "get:",
                 "Operation Object is missing its required field `responses`", "#/paths/~1a/get", True,
                 id="missing-responses-3.0"),
    pytest.param("3.1.0", _document("3.1.0", _op("      parameters:\n        - {name: q, in: query, required: yes-ish, schema: {}}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "required: yes-ish", "`required` must be a boolean, not 'yes-ish'",
                 "#/paths/~1a/get/parameters/0/required", True, id="wrong-type"),
    pytest.param("3.1.0", _document("3.1.0", _op("      tags: tagged\n      responses: {\"204\": {description: ok}}\n")),
                 "tags: tagged", "`tags` must be a list of strings, not 'tagged'", "#/paths/~1a/get/tags", True,
                 id="list-expected"),
    pytest.param("3.0.3", _document("3.0.3", _op("      parameters:\n        - {name: q, in: body, schema: {type: string}}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "in: body", "`in` must be one of 'query', 'header', 'path', 'cookie', not 'body'",
                 "#/paths/~1a/get/parameters/0/in", True, id="closed-set"),
    pytest.param("3.1.0", _document("3.1.0", _op("      requestBdy: {content: {}}\n      responses: {\"204\": {description: ok}}\n")),
                 "requestBdy", "unknown field 'requestBdy' (did you mean 'requestBody'?)",
                 "#/paths/~1a/get/requestBdy", True, id="misspelt-field"),
    pytest.param("3.0.3", _document("3.0.3", _op("      speed: fast\n      responses: {\"204\": {description: ok}}\n")),
                 "speed: fast", "unknown field 'speed' (the generator ignores it)", "#/paths/~1a/get/speed", False,
                 id="unknown-field"),
    pytest.param("3.0.3", _document("3.0.3", _op('      responses: {"2000": {description: ok}}\n')), '"2000"',
                 "key '2000' of `responses` is not an HTTP status code (200, 4XX) or `default` (nor an `x-` extension)",
                 "#/paths/~1a/get/responses/2000", False, id="patterned-map-key"),
    pytest.param("3.0.3", _document("3.0.3", top="webhooks: {}\n"), "webhooks:",
                 "unknown field 'webhooks' (`webhooks` is OpenAPI 3.1 and later; this document is 3.0.3)",
                 "#/webhooks", False, id="3.1-field-in-3.0"),
    pytest.param("3.1.0", _document("3.1.0", "  /a:\n    query:\n      operationId: q\n"),
                 "query:", "unknown field 'query' (`query` is OpenAPI 3.2; this document is 3.1.0)",
                 "#/paths/~1a/query", False, id="3.2-method-in-3.1"),
    pytest.param("3.1.0", _document("3.1.0", "  /a:\n    additionalOperations: {}\n"),
                 "additionalOperations", "unknown field 'additionalOperations' (`additionalOperations` is OpenAPI 3.2; "
                 "this document is 3.1.0)", "#/paths/~1a/additionalOperations", False, id="3.2-field-in-3.1"),
    pytest.param("3.1.0", _document("3.1.0", _op("      parameters:\n        - {name: q, in: querystring, schema: {}}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "in: querystring", "`in` must be one of 'query', 'header', 'path', 'cookie', not 'querystring'",
                 "#/paths/~1a/get/parameters/0/in", True, id="querystring-in-3.1"),
    pytest.param("3.2.0", _document("3.2.0", _op("      parameters:\n        - {name: q, in: body, schema: {}}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "in: body", "`in` must be one of 'query', 'header', 'path', 'cookie', 'querystring', not 'body'",
                 "#/paths/~1a/get/parameters/0/in", True, id="querystring-listed-in-3.2"),
    pytest.param("3.0.3", _document("3.0.3", components="  schemas:\n    S: {type: string, const: x}\n"),
                 "const: x", "unknown field 'const' (`const` is JSON Schema that OpenAPI 3.1 allows)",
                 "#/components/schemas/S/const", False, id="3.1-schema-keyword-in-3.0"),
    pytest.param("3.0.3", _document("3.0.3", components="  schemas:\n    S: {type: integer, exclusiveMinimum: 5}\n"),
                 "exclusiveMinimum: 5", "`exclusiveMinimum` must be a boolean, not 5",
                 "#/components/schemas/S/exclusiveMinimum", False, id="3.1-dialect-bound-in-3.0"),
    pytest.param("3.1.0", _document("3.1.0", components="  schemas:\n    S: {type: object, properties: [a, b]}\n"),
                 "properties: [a, b]", "`properties` must be a map of Schema Objects, not ['a', 'b']",
                 "#/components/schemas/S/properties", True, id="schema-map-expected-3.1"),
    pytest.param("3.0.3", _document("3.0.3", components="  schemas:\n    S: {type: object, properties: [a, b]}\n"),
                 "properties: [a, b]", "`properties` must be a map of Schema Objects, not ['a', 'b']",
                 "#/components/schemas/S/properties", True, id="schema-map-expected-3.0"),
    pytest.param("3.1.0", _document("3.1.0", _op('      responses: {}\n')), "responses: {}",
                 "Responses Object is empty; OpenAPI wants at least one response", "#/paths/~1a/get/responses", True,
                 id="empty-responses"),
    pytest.param("3.1.0", _document("3.1.0", components="  schemas:\n    S: {$schema: 'https://example.com/d'}\n"),
                 "$schema", "Unknown JSON Schema dialect: 'https://example.com/d'", "#/components/schemas/S/$schema",
                 False, id="unknown-dialect"),
    pytest.param("3.0.3", _document("3.0.3", components="  schemas:\n    S:\n      $ref: '#/components/schemas/T'\n"
                                    "      nullable: sometimes\n    T: {type: string}\n"),
                 "nullable: sometimes", "`nullable` must be a boolean, not 'sometimes'", "#/components/schemas/S/nullable",
                 True, id="bad-ref-sibling"),
    pytest.param("3.1.0", _document("3.1.0", components="  securitySchemes:\n    k: {type: apikey, name: k, in: header}\n"),
                 "type: apikey", "`type` must be one of 'apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS', "
                 "not 'apikey'", "#/components/securitySchemes/k/type", True, id="security-scheme-type"),
    pytest.param("3.0.3", _document("3.0.3", _op("      parameters:\n        - {name: q, in: query}\n"
                                                  '      responses: {"204": {description: ok}}\n')),
                 "- {name: q", "Parameter Object has neither `schema` nor `content`; OpenAPI wants exactly one of them: "
                 "read as a value of any type", "#/paths/~1a/get/parameters/0", False, id="schema-or-content"),
    pytest.param("3.1.0", _document("3.1.0", components="  headers:\n    H: {schema: {}, content: {text/plain: {}}}\n"),
                 "H:", "Header Object has both `schema` and `content`; OpenAPI wants exactly one of them",
                 "#/components/headers/H", True, id="schema-and-content"),
    pytest.param("3.0.3", _document("3.0.3", components="  parameters:\n    P: {name: p, in: query, schema: {}, "
                                    "example: 1, examples: {}}\n"),
                 "P:", "Parameter Object has both `example` and `examples`; OpenAPI allows one of them",
                 "#/components/parameters/P/example", False, id="example-and-examples"),
    pytest.param("3.0.3", _document("3.0.3", components="  securitySchemes:\n    k: {type: apiKey, name: k}\n"),
                 "k: {type", "apiKey security scheme is missing its required field `in`",
                 "#/components/securitySchemes/k", True, id="scheme-variant-required"),
    pytest.param("3.1.0", _document("3.1.0", components="  securitySchemes:\n    o:\n      type: oauth2\n"
                                    "      flows: {authorizationCode: {authorizationUrl: /a, scopes: {}}}\n"),
                 "authorizationCode", "OAuth flow `authorizationCode` is missing its required field `tokenUrl`",
                 "#/components/securitySchemes/o/flows/authorizationCode", True, id="oauth-flow-required"),
    pytest.param("3.0.3", 'openapi: 3.0.3\ninfo: {title: T}\npaths: {}\n', "info:",
                 "Info Object is missing its required field `version`", "#/info", True, id="info-version"),
    pytest.param("3.1.0", 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\n', "openapi:",
                 "the document has none of `paths`, `components` and `webhooks` (OpenAPI 3.1 wants one)", "#", True,
                 id="3.1-empty-document"),
    pytest.param("3.0.3", 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\n', "openapi:",
                 "OpenAPI Object is missing its required field `paths`", "#", True, id="3.0-paths-required"),
    pytest.param("3.1.0", _document("3.1.0", components="  schemas:\n    S: {type: object, required: [a, a]}\n"),
                 "required: [a, a]", "`required` names 'a' more than once", "#/components/schemas/S/required", False,
                 id="repeated-required"),
]  # fmt: skip


def _findings(root: Path) -> list[Finding]:
    return structure.check(load_spec(root))


@pytest.mark.parametrize(("version", "document", "needle", "message", "pointer", "blocking"), BROKEN)
def test_a_broken_document_is_named_at_its_line(
    tmp_path: Path, version: str, document: str, needle: str, message: str, pointer: str, blocking: bool
) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": document})
    found = [(f.location.line if f.location else 0, f.message, f.pointer, f.blocking) for f in _findings(root)]
    assert found == [(line_of(root, needle), message, pointer, blocking)]


def test_a_finding_in_a_referenced_file_is_placed_in_that_file_and_named_at_its_definition(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": _document("3.1.0", _op("      parameters:\n        - $ref: 'params.yaml#/Limit'\n"
                                                   '      responses: {"204": {description: ok}}\n'),
                                      components="  parameters:\n    Limit: {$ref: 'params.yaml#/Limit'}\n"),  # fmt: skip
            "params.yaml": "Limit:\n  name: limit\n  in: query\n  schema: {type: integer, minimum: low}\n",
        },
    )
    [finding] = _findings(root)
    assert finding.location is not None and Path(finding.location.file).name == "params.yaml"
    assert finding.location.line == line_of(tmp_path / "params.yaml", "minimum: low")
    assert (finding.message, finding.pointer) == ("`minimum` must be a number, not 'low'",
                                                  "#/components/parameters/Limit/schema/minimum")  # fmt: skip


VALID = {
    "3.0.3": """
    openapi: 3.0.3
    info: {title: T, version: "1", license: {name: MIT}}
    servers: [{url: "https://{host}/v1", variables: {host: {default: example.com, enum: [example.com]}}}]
    paths:
      /pets/{id}:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        get:
          operationId: getPet
          security: [{key: []}]
          responses:
            "200":
              description: ok
              headers: {X-Rate: {schema: {type: integer}}}
              content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
            4XX: {description: bad}
            default: {description: other}
            x-note: extensions are allowed here
          callbacks:
            done:
              "{$request.body#/url}":
                post:
                  requestBody: {content: {application/json: {schema: {type: object}}}}
                  responses: {"204": {description: ok}}
    components:
      schemas:
        Pet:
          type: object
          required: [name]
          nullable: true
          discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Pet'}}
          properties:
            name: {type: string, minLength: 1, x-extra: yes}
            kind: {type: string, enum: [cat, dog], default: cat}
            tags: {type: array, items: {type: string}, uniqueItems: true}
          additionalProperties: false
      securitySchemes:
        key: {type: apiKey, in: header, name: X-Key}
        oauth:
          type: oauth2
          flows: {clientCredentials: {tokenUrl: "https://example.com/token", scopes: {read: read things}}}
    """,
    "3.1.0": """
    openapi: 3.1.0
    info: {title: T, version: "1", summary: s, license: {name: MIT, identifier: MIT}}
    jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
    webhooks:
      petAdded:
        post:
          requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
          responses: {"200": {description: ok}}
    components:
      pathItems:
        Ping: {get: {responses: {"204": {description: ok}}}}
      schemas:
        Pet:
          $schema: https://json-schema.org/draft/2020-12/schema
          type: [object, "null"]
          properties:
            name: {type: string, const: Rex}
            age: {type: integer, exclusiveMinimum: 0}
            toys: {type: array, prefixItems: [{type: string}], items: false}
          patternProperties: {"^x_": {type: string}}
          dependentRequired: {age: [name]}
          examples: [{name: Rex}]
          someFutureKeyword: allowed in 3.1
      securitySchemes:
        tls: {type: mutualTLS}
    """,
    "3.2.0": """
    openapi: 3.2.0
    $self: https://example.com/openapi.yaml
    info: {title: T, version: "1"}
    tags: [{name: pets, kind: nav}, {name: cats, parent: pets, summary: Cats}]
    paths:
      /pets:
        query:
          operationId: queryPets
          parameters: [{name: filter, in: querystring, content: {application/json: {schema: {type: object}}}}]
          responses:
            "200":
              description: ok
              content: {application/jsonl: {itemSchema: {type: object}}}
        additionalOperations:
          LINK: {operationId: linkPets, responses: {"204": {description: ok}}}
    components:
      mediaTypes:
        Events: {itemSchema: {type: string}}
    """,
}


@pytest.mark.parametrize("version", sorted(VALID))
def test_a_valid_document_of_each_version_has_no_structural_finding(tmp_path: Path, version: str) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": VALID[version]})
    assert _findings(root) == []


def test_each_version_has_its_own_table() -> None:
    kinds = set(structure.iter_kinds())
    assert ("3.0", "Operation Object") in kinds and ("3.2", "Operation Object") in kinds
    tables = structure._TABLES
    assert "query" in tables["3.2"]["PathItem"].fields and "query" not in tables["3.1"]["PathItem"].fields
    assert "webhooks" in tables["3.1"]["OpenAPI"].fields and "webhooks" not in tables["3.0"]["OpenAPI"].fields


def test_any_depth_and_cycles_are_walked_without_recursion(tmp_path: Path) -> None:
    """A chain of 3,000 schemas, each the only property of the one before, the last one pointing back."""
    count = 3000
    schemas = "".join(f"    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{i + 1}'}}}}}}\n"
                      for i in range(count))  # fmt: skip
    schemas += f"    S{count}: {{type: object, minProperties: many, properties: {{back: {{$ref: '#/components/schemas/S0'}}}}}}\n"
    root = write_tree(tmp_path, {"openapi.yaml": _document("3.1.0", components="  schemas:\n" + schemas)})
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # far below the nesting: only an iterative walk gets through
    try:
        found = _findings(root)
    finally:
        sys.setrecursionlimit(limit)
    assert [(f.message, f.pointer) for f in found] == [
        ("`minProperties` must be a non-negative integer, not 'many'", f"#/components/schemas/S{count}/minProperties")
    ]


def test_a_structural_error_refuses_generate_with_its_location_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": _document("3.0.3", _op("      summary: no responses\n"))})
    result = generate(root, PACKAGE)
    assert [d.message for d in result.errors] == ["Operation Object is missing its required field `responses`"]
    assert not result.files
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", str(root), "-o", "out"]) == 2
    assert f"openapi.yaml:{line_of(root, 'get:')}: error: Operation Object is missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_generate_check_and_docs_never_import_openapi_spec_validator(tmp_path: Path) -> None:
    """(``lint`` imports it in its forked child, so the parent's modules say nothing about it.)"""
    root = write_tree(tmp_path, {"openapi.yaml": VALID["3.0.3"]})
    script = (
        "import sys\n"
        "from generator.cli import commands\n"
        f"codes = [commands.main(['generate', {str(root)!r}, '-o', {str(tmp_path / 'out')!r}]),\n"
        f"         commands.main(['check', {str(root)!r}, '-o', {str(tmp_path / 'out')!r}]),\n"
        f"         commands.main(['docs', {str(root)!r}, '-o', {str(tmp_path / 'out')!r}])]\n"
        "print(codes, 'openapi_spec_validator' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "[0, 0, 0] False", done.stderr[-2000:]


def test_strict_reports_a_place_once_with_the_structural_message(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": _document("3.0.3", _op("      summary: no responses\n"))})
    result = generate(root, PACKAGE, inputs=Inputs(strict=True))
    assert [(d.message, d.pointer) for d in result.errors] == [
        ("Operation Object is missing its required field `responses`", "#/paths/~1a/get")
    ]
