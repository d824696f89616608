"""Validation serves generation: where each finding is placed, and which ones stop ``generate``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import commands as cli
from generator.model import ir
from generator.spec.diagnostics import Diagnostic, Severity
from generator.pipeline import Inputs, analyse, generate
from tests.support.specs import line_of, write_tree

PACKAGE = ir.PackageInfo(package="findings_client", distribution="findings-client", version="0.1.0")


def _at(diagnostics: list[Diagnostic], needle: str) -> Diagnostic:
    [found] = [d for d in diagnostics if needle in d.message]
    return found


def _where(d: Diagnostic) -> tuple[str, int]:
    assert d.location is not None, d
    return Path(d.location.file).name, d.location.line


UNKNOWN_TYPE = {
    "openapi.yaml": """
    openapi: 3.0.3
    info: {title: T, version: "1"}
    paths:
      /blacklist:
        get:
          operationId: getBlacklist
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema:
                    $ref: components/Blacklist.yaml
      /fine:
        get:
          operationId: getFine
          responses:
            "200": {description: ok}
    """,
    "components/Blacklist.yaml": """
    type: object
    properties:
      number:
        type: strng
      note:
        type: string
    """,
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_unknown_type_in_a_referenced_file_is_named_there_with_did_you_mean(tmp_path: Path, version: str) -> None:
    files = dict(UNKNOWN_TYPE)
    files["openapi.yaml"] = files["openapi.yaml"].replace("3.0.3", version)
    root = write_tree(tmp_path, files)
    result = analyse(root)
    [error] = result.errors
    assert _where(error) == ("Blacklist.yaml", line_of(tmp_path / "components/Blacklist.yaml", "type: strng"))
    assert error.location is not None and error.location.file.endswith("components/Blacklist.yaml")
    assert error.message == (
        "unknown type 'strng' (did you mean 'string'?); the schema holding it is skipped and what refers to that is typed Any"
    )
    # the spec's own pointer, never a path into the OpenAPI meta-schema such as `#/properties`
    assert error.pointer == "#/paths/~1blacklist/get/responses/200/content/application~1json/schema/properties/number/type"


def test_generate_skips_the_schema_with_an_unknown_type_and_its_referrer_degrades(tmp_path: Path) -> None:
    root = write_tree(tmp_path, UNKNOWN_TYPE)
    result = generate(root, PACKAGE)
    assert not result.errors, result.errors
    warning = _at(result.warnings, "unknown type 'strng'")
    assert _where(warning) == ("Blacklist.yaml", 4)
    degraded = _at(result.warnings, "refers to skipped schema")
    # at the key that holds the $ref (`schema:`), the line above the $ref
    assert _where(degraded) == ("openapi.yaml", line_of(root, "$ref: components/Blacklist.yaml") - 1)
    assert "Blacklist.yaml:4: unknown schema type 'strng'" in degraded.message  # both places named
    assert [op.operation_id for op in result.api.operations] == ["getBlacklist", "getFine"]
    [skipped] = result.report()["schemas"]["skipped"]
    assert "strng" in skipped["reason"] and skipped["location"].endswith("Blacklist.yaml:4")
    assert result.files
    strict = generate(root, PACKAGE, inputs=Inputs(strict=True))
    assert [d.message for d in strict.errors] == [warning.message] and not strict.files


PATH_PARAMS = {
    "openapi.yaml": """
    openapi: 3.1.0
    info: {title: T, version: "1"}
    paths:
      /things/{id}:
        $ref: paths/things.yaml
    """,
    "paths/things.yaml": """
    get:
      operationId: getThing
      parameters:
        - name: thingId
          in: path
          required: true
          schema: {type: string}
      responses:
        "200": {description: ok}
    """,
}


SKIPPED = "; the operation is skipped (`--strict` refuses the spec)"


def test_path_template_and_path_parameters_are_checked_both_ways(tmp_path: Path) -> None:
    root = write_tree(tmp_path, PATH_PARAMS)
    things = tmp_path / "paths/things.yaml"
    expected = [
        (("things.yaml", line_of(things, "get:")),
         "path template variable {id} of /things/{id} has no path parameter in `get`: "
         "declare `- {name: id, in: path, required: true, schema: {type: string}}`" + SKIPPED),
        (("things.yaml", line_of(things, "name: thingId")),
         "path parameter 'thingId' is not in the path template /things/{id}: "
         "a method would require it and leave it out of the URL" + SKIPPED),
    ]  # fmt: skip
    for result in (analyse(root), generate(root, PACKAGE, inputs=Inputs(strict=True))):
        assert sorted((_where(d), d.message) for d in result.errors) == expected
        assert not result.files
    # the validator's own unplaced version of the same finding is not reported as well
    assert not any("was not resolved" in d.message for d in analyse(root).diagnostics)
    # generate skips the operation (its method would be wrong) rather than refusing the spec
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    assert sorted((_where(d), d.message) for d in result.warnings) == expected
    assert result.api.operations == ()
    [skipped] = result.report()["operations"]["skipped"]
    assert skipped == {"id": "getThing", "reason": expected[0][1], "location": f"{things}:{expected[0][0][1]}"}


def test_a_declared_path_parameter_near_a_template_variable_gets_a_did_you_mean(tmp_path: Path) -> None:
    files = dict(PATH_PARAMS)
    files["paths/things.yaml"] = files["paths/things.yaml"].replace("thingId", "ids")
    root = write_tree(tmp_path, files)
    messages = [d.message for d in analyse(root).errors]
    assert "path parameter 'ids' is not in the path template /things/{id} (did you mean 'id'?): " \
        "a method would require it and leave it out of the URL" + SKIPPED in messages


def test_duplicate_parameters_are_errors_at_the_second_one(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                parameters:
                  - {name: X-Trace, in: header, schema: {type: string}}
                  - {name: x-trace, in: header, schema: {type: string}}
                get:
                  operationId: getA
                  parameters:
                    - {name: limit, in: query, schema: {type: integer}}
                    - {name: other, in: query, schema: {type: integer}}
                    - {name: limit, in: query, schema: {type: string}}
                  responses: {"200": {description: ok}}
            """
        },
    )
    expected = [
        (line_of(root, "name: x-trace"), "duplicate parameter 'x-trace' in header (first at line 6): a method would "
         "send it twice" + SKIPPED, "#/paths/~1a/parameters/1"),
        (line_of(root, "name: limit, in: query, schema: {type: string}"), "duplicate parameter 'limit' in query "
         "(first at line 11): a method would send it twice" + SKIPPED, "#/paths/~1a/get/parameters/2"),
    ]  # fmt: skip
    assert sorted((_where(d)[1], d.message, d.pointer) for d in analyse(root).errors) == expected
    result = generate(root, PACKAGE)
    duplicates = [d for d in result.warnings if d.message.startswith("duplicate parameter")]
    assert sorted((_where(d)[1], d.message, d.pointer) for d in duplicates) == expected
    assert result.api.operations == () and [s["id"] for s in result.report()["operations"]["skipped"]] == ["getA"]


def test_an_optional_path_parameter_is_read_as_required_with_a_warning(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a/{id}:
                get:
                  operationId: getA
                  parameters:
                    - name: id
                      in: path
                      required: false
                      schema: {type: string}
                  responses: {"200": {description: ok}}
              /b/{id}:
                get:
                  operationId: getB
                  parameters:
                    - {name: id, in: path, schema: {type: string}}
                  responses: {"200": {description: ok}}
            """
        },
    )
    lint = analyse(root)
    assert sorted((_where(d)[1], d.message) for d in lint.errors) == [
        (line_of(root, "required: false"), "path parameter 'id' has required: false; path parameters are always "
         "required (read as required)"),
        (line_of(root, "- {name: id, in: path"), "path parameter 'id' has no `required: true`; path parameters are "
         "always required (read as required)"),
    ]  # fmt: skip
    result = generate(root, PACKAGE)
    assert not result.errors and len([d for d in result.warnings if "always required" in d.message]) == 2
    [param] = [p for op in result.api.operations if op.operation_id == "getA" for p in op.parameters]
    assert param.required


def test_findings_that_cannot_change_the_client_are_warnings_in_generate(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  title: Get an A
                  operationId: getA
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema:
                            $schema: "https://example.com/my-own-dialect"
                            type: object
            """
        },
    )
    expected = [
        (line_of(root, "title: Get an A"), "unknown field 'title' (the generator ignores it)", "#/paths/~1a/get/title"),
        (line_of(root, "$schema:"), "Unknown JSON Schema dialect: 'https://example.com/my-own-dialect'",
         "#/paths/~1a/get/responses/200/content/application~1json/schema/$schema"),
    ]  # fmt: skip
    lint = analyse(root)
    assert sorted((_where(d)[1], d.message, d.pointer) for d in lint.errors) == expected
    result = generate(root, PACKAGE)
    assert not result.errors
    assert sorted((_where(d)[1], d.message, d.pointer) for d in result.warnings) == expected
    assert [op.operation_id for op in result.api.operations] == ["getA"] and result.files
    assert generate(root, PACKAGE, inputs=Inputs(strict=True)).errors


def test_findings_that_change_the_client_stop_generate(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: getA
                  paramters:
                    - {name: q, in: query, schema: {type: string}}
                  responses: {"200": {description: ok}}
                post:
                  operationId: postA
                  parameters:
                    - name: q
                      schema: {type: string}
            components:
              schemas:
                S:
                  type: object
                  properties:
                    n: {type: integer, default: "ten"}
            """
        },
    )
    result = generate(root, PACKAGE)
    assert sorted((_where(d)[1], d.message, d.pointer) for d in result.errors) == [
        (line_of(root, "paramters:"), "unknown field 'paramters' (did you mean 'parameters'?)",
         "#/paths/~1a/get/paramters"),
        (line_of(root, "post:"), "Operation Object is missing its required field `responses`", "#/paths/~1a/post"),
        (line_of(root, "- name: q"), "Parameter Object is missing its required field `in`",
         "#/paths/~1a/post/parameters/0"),
    ]  # fmt: skip
    assert not result.files
    # a default only documents (the client sends nothing it was not given): a warning, as in lint before
    default = (line_of(root, 'default: "ten"'), "default does not match its schema: 'ten' is not of type 'integer'",
               "#/components/schemas/S/properties/n/default")  # fmt: skip
    assert [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == [default]
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).warnings] == [default]


def test_a_schema_error_in_a_shared_file_is_reported_once_at_its_definition(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: getA
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
              /b:
                get:
                  operationId: getB
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: 'schemas/pet.yaml'}}}
            components:
              schemas:
                Pet:
                  $ref: schemas/pet.yaml
            """,
            "schemas/pet.yaml": """
            type: object
            properties:
              name:
                type: string
                minLength: many
            """,
        },
    )
    [error] = analyse(root).errors
    assert _where(error) == ("pet.yaml", line_of(tmp_path / "schemas/pet.yaml", "minLength: many"))
    assert error.message == "`minLength` must be a non-negative integer, not 'many'"
    assert error.pointer == "#/components/schemas/Pet/properties/name/minLength"
    # a validation-only constraint does not change the client: a warning in generate, at the same place
    result = generate(root, PACKAGE)
    assert not result.errors and [(_where(d), d.message, d.pointer) for d in result.warnings] == [
        (_where(error), error.message, error.pointer)
    ]


def test_a_ref_standing_for_a_properties_map_is_read_as_that_map(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /droplets:
                post:
                  operationId: addDroplets
                  requestBody:
                    content:
                      application/json:
                        schema:
                          properties:
                            $ref: 'models/attributes.yml#/load_balancer_droplet_ids'
                          required: [droplet_ids]
                  responses: {"204": {description: done}}
              /other:
                post:
                  operationId: other
                  requestBody:
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            $ref: 'models/attributes.yml#/load_balancer_droplet_ids'
                  responses: {"204": {description: done}}
            """,
            "models/attributes.yml": """
            load_balancer_droplet_ids:
              droplet_ids:
                type: array
                items: {type: integer}
            """,
        },
    )
    result = generate(root, PACKAGE)
    assert not result.errors, result.errors
    assert sorted((_where(d)[1], d.message, d.pointer) for d in result.warnings) == [
        (11, "`properties: {$ref: models/attributes.yml#/load_balancer_droplet_ids}`: a $ref cannot stand for a "
         "properties map in OpenAPI; read as the properties it points at",
         "#/paths/~1droplets/post/requestBody/content/application~1json/schema/properties"),
        (23, "`properties: {$ref: models/attributes.yml#/load_balancer_droplet_ids}`: a $ref cannot stand for a "
         "properties map in OpenAPI; read as the properties it points at",
         "#/paths/~1other/post/requestBody/content/application~1json/schema/properties"),
    ]  # fmt: skip
    assert line_of(root, "properties:") == 11
    bodies = [op.body for op in result.api.operations]  # type: ignore[attr-defined]
    assert all("droplet_ids" in repr(body) or "DropletIds" in repr(body) for body in bodies), bodies
    assert len(analyse(root).errors) == 2  # lint (and --strict) still name both, as errors


def test_openapi_30_keywords_in_31_are_read_with_their_meaning_and_a_warning(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Counter:
                  type: object
                  properties:
                    count:
                      type: integer
                      nullable: true
                      maximum: 10
                      exclusiveMaximum: true
            """
        },
    )
    result = generate(root, PACKAGE)
    assert not result.errors, result.errors
    assert sorted((_where(d)[1], d.message) for d in result.warnings) == [
        (line_of(root, "nullable: true"), "`nullable` is OpenAPI 3.0; 3.1 writes `type: [..., 'null']` (read as nullable)"),
        (line_of(root, "exclusiveMaximum: true"), "`exclusiveMaximum: true` is OpenAPI 3.0; in 3.1 it is the bound "
         "itself (read as an exclusive `maximum`)"),
    ]  # fmt: skip
    # `nullable` in 3.1 is no validator finding: a warning in lint too; a boolean exclusiveMaximum is one
    assert [_where(d)[1] for d in analyse(root).errors] == [line_of(root, "exclusiveMaximum: true")]
    [counter] = [m for m in result.api.models if m.name == "Counter"]
    [count] = counter.fields  # type: ignore[union-attr]
    assert count.type == ir.Nullable(ir.Primitive("int"))


def test_schema_keywords_beside_a_ref_apply_alongside_it(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: getA
                  parameters:
                    - $ref: '#/components/parameters/Q'
                      required: true
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Owner'}
            components:
              parameters:
                Q: {name: q, in: query, schema: {type: string}}
              schemas:
                Owner:
                  type: object
                  properties:
                    pet:
                      $ref: '#/components/schemas/Pet'
                      nullable: true
                Pet:
                  type: object
                  properties:
                    name: {type: string}
            """
        },
    )
    result = generate(root, PACKAGE)
    assert not result.errors, result.errors
    assert sorted((_where(d)[1], d.message) for d in result.warnings) == [
        (line_of(root, "required: true"), "`required` beside a `$ref` that is not a schema: ignored"),
        (line_of(root, "nullable: true"), "`nullable` beside a `$ref`: OpenAPI 3.0 ignores keywords beside a `$ref`; "
         "read as applying alongside the referenced schema (as 3.1 does)"),
    ]  # fmt: skip
    assert not analyse(root).errors  # what no validator objects to is a warning in lint too
    [owner] = [m for m in result.api.models if m.name == "Owner"]
    [pet] = [f for f in owner.fields if f.wire_name == "pet"]  # type: ignore[attr-defined]
    assert pet.type == ir.Nullable(ir.ModelRef("Pet"))


def test_strict_on_the_command_line_and_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = write_tree(
        tmp_path,
        {
            "spec/openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  title: Get an A
                  operationId: getA
                  responses: {"200": {description: ok}}
            """
        },
    )
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", str(root), "-o", "out"]) == 0
    err = capsys.readouterr().err
    line = line_of(root, "title: Get")
    assert f"spec/openapi.yaml:{line}: warning: unknown field 'title' (the generator ignores it)" in err
    assert cli.main(["generate", str(root), "-o", "out2", "--strict"]) == 2
    assert f"spec/openapi.yaml:{line}: error: unknown field 'title'" in capsys.readouterr().err
    assert not (tmp_path / "out2").exists()
    assert cli.main(["check", str(root), "-o", "out", "--strict"]) == 2
    assert cli.main(["check", str(root), "-o", "out"]) == 0
    assert cli.main(["docs", str(root), "-o", "out5", "--strict"]) == 2 and not (tmp_path / "out5").exists()
    assert cli.main(["lint", str(root)]) == 1
    capsys.readouterr()
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\nspec = "spec/openapi.yaml"\nstrict = true\n', encoding="utf-8")
    assert cli.main(["generate", "-o", "out3"]) == 2  # the configured spec is held to `strict`
    other = write_tree(tmp_path, {"other.yaml": root.read_text(encoding="utf-8")})
    assert cli.main(["generate", str(other), "-o", "out4"]) == 0  # another spec is not
    (tmp_path / "pyproject.toml").write_text('[tool.apigen]\nstrict = "yes"\n', encoding="utf-8")
    assert cli.main(["lint", str(root)]) == 2
    assert "pyproject.toml:2: error: [tool.apigen] strict must be true or false" in capsys.readouterr().err


def test_a_31_type_list_in_30_is_read_as_in_31(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    label: {type: [string, "null"]}
            """
        },
    )
    expected = [(line_of(root, "label:"), "`type: ['string', 'null']` is OpenAPI 3.1 (3.0 writes one type, with "
                 "`nullable: true`); read as in 3.1", "#/components/schemas/Thing/properties/label/type")]  # fmt: skip
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == expected
    result = generate(root, PACKAGE)
    assert not result.errors and [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == expected
    [thing] = [m for m in result.api.models if m.name == "Thing"]
    [label] = thing.fields  # type: ignore[union-attr]
    assert label.type == ir.Nullable(ir.Primitive("str"))


# -- refusals a wider sample of public specs showed, each read as it is plainly meant ----------------


def test_a_parameter_content_map_with_two_media_types_is_read_with_the_first_json_one(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /things:
                get:
                  operationId: listThings
                  parameters:
                    - name: filter
                      in: query
                      content:
                        text/plain:
                          schema: {type: integer}
                        application/json:
                          schema: {type: string}
                  responses: {"204": {description: ok}}
            """
        },
    )
    expected = [(line_of(root, "content:"), "parameter `content` has 2 media types; OpenAPI allows exactly one: read "
                 "as 'application/json' (the first JSON one, else the first)",
                 "#/paths/~1things/get/parameters/0/content")]  # fmt: skip
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == expected
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    assert [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == expected
    assert [op.operation_id for op in result.api.operations] == ["listThings"]


def test_info_version_written_as_a_number_is_a_warning_naming_how_it_is_read(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info:
              title: T
              version: 1.0
            paths:
              /a:
                get:
                  operationId: getA
                  responses: {"204": {description: ok}}
            """
        },
    )
    expected = [(line_of(root, "version: 1.0"), "`info.version` is a number (1.0); OpenAPI wants a string (quote it): "
                 "read as '1.0'", "#/info/version")]  # fmt: skip
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    assert [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == expected
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == expected


def test_a_validator_crash_on_a_malformed_node_is_not_reported_at_line_1(tmp_path: Path) -> None:
    """openapi-spec-validator's walker asserts that every `paths` value is a path item; a list there made it
    fail as a whole (`openapi-spec-validator failed: AssertionError` at line 1). The schema check names the
    node; the rest of the document is still checked and generated."""
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              shared:
                - name: tenant
                  in: query
              /things:
                get:
                  operationId: getThings
                  parameters:
                    - {name: limit, in: query, required: "yes", schema: {type: integer}}
                  responses: {"204": {description: ok}}
            """
        },
    )
    result = generate(root, PACKAGE)
    assert [(_where(d)[1], d.message) for d in result.errors] == [
        (line_of(root, 'required: "yes"'), "`required` must be a boolean, not 'yes'"),
    ]
    assert [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == [
        (line_of(root, "shared:"), "key 'shared' of `paths` is not a path starting with '/' (nor an `x-` extension)",
         "#/paths/shared"),
    ]
    assert not any("failed" in d.message or "could not check" in d.message for d in result.diagnostics)


def test_a_validator_crash_nothing_else_explains_is_a_warning_at_the_node_it_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_spec_validator.validation import keywords

    def fail(self: object, *args: object, **kwargs: object) -> Iterator[object]:  # a walker that trips
        raise KeyError("responses")
        yield  # pragma: no cover - makes it a generator, as the validator's are

    monkeypatch.setattr(keywords.ResponsesValidator, "__call__", fail)
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /things:
                get:
                  operationId: getThings
                  responses:
                    "204": {description: ok}
            """
        },
    )
    expected = [(line_of(root, "responses:"), "openapi-spec-validator could not check this node (KeyError: "
                 "'responses'); its other checks here were skipped", "#/paths/~1things/get/responses")]  # fmt: skip
    from generator.spec.validate import validate_document
    from generator.spec.load import load_spec

    findings = validate_document(load_spec(root))
    assert [(f.location.line if f.location else 0, f.message, f.pointer, f.blocking) for f in findings] == [
        (*expected[0], False)
    ]


def test_a_repeated_operation_id_is_renamed_with_a_warning_naming_both_and_strict_refuses(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a_b:
                post:
                  operationId: getAB
                  responses: {"204": {description: ok}}
                get:
                  operationId: getAB
                  responses: {"204": {description: ok}}
              /a-b:
                get:
                  operationId: getAB
                  responses: {"204": {description: ok}}
              /c:
                get:
                  operationId: getAB_get
                  responses: {"204": {description: ok}}
            """
        },
    )
    # by path then method: GET /a-b keeps the name, then GET /a_b (getAB_get is taken by /c), then POST /a_b
    lines = [n for n, text in enumerate(root.read_text().splitlines(), 1) if "operationId: getAB" in text]
    post, get_ab, dash = lines[0], lines[1], lines[2]
    expected = [
        (get_ab, "duplicate operationId 'getAB' (also GET /a-b at line %d): GET /a_b is generated as 'getAB_get_2'"
         % dash, "#/paths/~1a_b/get"),
        (post, "duplicate operationId 'getAB' (also GET /a-b at line %d): POST /a_b is generated as 'getAB_post'"
         % dash, "#/paths/~1a_b/post"),
    ]  # fmt: skip
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    assert sorted((_where(d)[1], d.message, d.pointer) for d in result.warnings if "duplicate" in d.message) == sorted(expected)
    assert sorted((op.method, op.path, op.operation_id) for op in result.api.operations) == [
        ("GET", "/a-b", "getAB"), ("GET", "/a_b", "getAB_get_2"), ("GET", "/c", "getAB_get"), ("POST", "/a_b", "getAB_post"),
    ]  # fmt: skip
    for strict in (analyse(root), generate(root, PACKAGE, inputs=Inputs(strict=True))):
        assert sorted((_where(d)[1], d.message, d.pointer) for d in strict.errors) == sorted(expected)
        assert not strict.files


def test_a_component_name_openapi_does_not_allow_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  operationId: getA
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: '#/components/schemas/Foo~1Bar'}}}
            components:
              schemas:
                Foo/Bar:
                  type: object
                  properties: {x: {type: string}}
            """
        },
    )
    expected = [(line_of(root, "Foo/Bar:"), "component name 'Foo/Bar' has characters OpenAPI does not allow there "
                 "(letters, digits, `.`, `_` and `-` only); the generated names are sanitised",
                 "#/components/schemas/Foo~1Bar")]  # fmt: skip
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    assert [(_where(d)[1], d.message, d.pointer) for d in result.warnings] == expected
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == expected


def test_a_finding_inside_a_response_link_is_a_warning_in_generate(tmp_path: Path) -> None:
    """Nothing generated reads Link Objects, so a wrong value there cannot change the client."""
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /runs:
                get:
                  operationId: listRuns
                  responses:
                    "200":
                      description: ok
                      links:
                        first:
                          operationId: listRuns
                          parameters:
                            order: {enum: [newest]}
            """
        },
    )
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    [warning] = [d for d in result.warnings if d.pointer.startswith("#/paths/~1runs/get/responses/200/links")]
    assert (_where(warning)[1], warning.message) == (line_of(root, "order: {enum: [newest]}"),
                                                     "`order` must be a string, not {'enum': ['newest']}")
    assert [d.pointer for d in analyse(root).errors] == [warning.pointer]
