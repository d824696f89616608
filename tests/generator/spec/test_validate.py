from __future__ import annotations

from pathlib import Path

from generator.spec.diagnostics import Severity
from generator.pipeline import analyse
from tests.support.specs import line_of, write_tree

ROOT = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things:
    $ref: paths/things.yaml#/things
"""


def test_schema_error_in_a_referenced_file_points_there(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT,
            "paths/things.yaml": """
            things:
              get:
                operationId: listThings
                parameters:
                  - name: limit
                    in: query
                    schema: {type: integer}
                    style: 12
                responses:
                  "200": {description: ok}
            """,
        },
    )
    result = analyse(root)
    errors = result.errors
    assert errors, result.diagnostics
    first = errors[0]
    assert first.location is not None
    assert first.location.file.endswith("paths/things.yaml")
    assert first.location.line == line_of(tmp_path / "paths/things.yaml", "style: 12")
    assert first.pointer == "#/paths/~1things/get/parameters/0/style"
    text = str(first)
    assert text.startswith(f"{first.location.file}:{first.location.line}: error: ")


def test_missing_operation_id_is_derived_with_a_warning(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT,
            "paths/things.yaml": """
            things:
              get:
                responses:
                  "200": {description: ok}
            """,
        },
    )
    result = analyse(root)
    assert not result.errors
    [warning] = [d for d in result.warnings if "no operationId" in d.message]
    assert "getThings" in warning.message
    assert warning.location is not None and warning.location.line == 2
    assert [op.operation_id for op in result.api.operations] == ["getThings"]


def test_duplicate_operation_ids_are_errors(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT,
            "paths/things.yaml": """
            things:
              get:
                operationId: same
                responses: {"200": {description: ok}}
              post:
                operationId: same
                responses: {"200": {description: ok}}
            """,
        },
    )
    result = analyse(root)
    [error] = [d for d in result.errors if "duplicate operationId" in d.message]
    assert error.location is not None
    assert error.location.line == line_of(tmp_path / "paths/things.yaml", "post:") + 1


def test_identifiers_colliding_after_sanitising_are_reported(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: get-thing
                  parameters:
                    - {name: user-id, in: query, schema: {type: string}}
                    - {name: user_id, in: header, schema: {type: string}}
                  responses: {"200": {description: ok}}
              /b:
                get:
                  operationId: getThing
                  responses: {"200": {description: ok}}
            components:
              schemas:
                S:
                  type: object
                  properties:
                    a-b: {type: string}
                    a_b: {type: string}
            """
        },
    )
    result = analyse(root)
    messages = {str(d).replace(str(tmp_path) + "/", "") for d in result.warnings}
    spec = tmp_path / "openapi.yaml"
    get_thing, get_thing_2 = line_of(spec, "operationId: get-thing"), line_of(spec, "operationId: getThing")
    user_id, user_id_2 = line_of(spec, "name: user-id"), line_of(spec, "name: user_id")
    a_b, a_b_2 = line_of(spec, "a-b:"), line_of(spec, "a_b:")
    # each warning names both sources with their file:line, and the name it settles on
    assert messages == {
        f"openapi.yaml:{get_thing_2}: warning: operationId 'getThing' collides with operationId 'get-thing'"
        f" (openapi.yaml:{get_thing}) after sanitising: both are get_thing in resource default; method is"
        " get_thing_2 (#/paths/~1b/get)",
        f"openapi.yaml:{user_id_2}: warning: parameter 'user_id' (header) collides with parameter 'user-id'"
        f" (query) (openapi.yaml:{user_id}) after sanitising: both are user_id in get_thing(); argument is"
        " user_id_2 (#/paths/~1a/get)",
        f"openapi.yaml:{a_b_2}: warning: property 'a_b' collides with property 'a-b' (openapi.yaml:{a_b}) after"
        " sanitising: both are a_b in S; field is a_b_2 (#/components/schemas/S/properties/a_b)",
    }, messages
    names = {op.operation_id: op.name for op in result.api.operations}
    assert names == {"get-thing": "get_thing", "getThing": "get_thing_2"}


def test_unsupported_constructs_skip_the_operation_with_a_reason(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: fine
                  responses: {"200": {description: ok}}
              /b:
                get:
                  operationId: dynamic
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema: {$dynamicRef: '#meta'}
            """
        },
    )
    result = analyse(root)
    assert [op.operation_id for op in result.api.operations] == ["fine"]
    [skipped] = result.api.skipped_operations
    assert skipped.id == "dynamic" and "$dynamicRef" in skipped.reason
    assert skipped.location.endswith(f"openapi.yaml:{line_of(root, 'schema: {$dynamicRef')}")
    assert any(d.severity is Severity.WARNING and "dynamic skipped" in d.message for d in result.diagnostics)


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"swagger.yaml": "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n"})
    result = analyse(root)
    assert any("Swagger 2.0 is not supported" in d.message for d in result.errors)


def test_a_document_too_broken_to_build_reports_its_validation_errors(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: [1, 2]\n"})
    result = analyse(root)
    assert any(d.location is not None and d.location.line == 3 and d.pointer == "#/paths" for d in result.errors)
    assert result.api.operations == ()
