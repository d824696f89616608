"""OpenAPI 3.2 documents: validated with openapi-spec-validator's 3.2 checks; the 3.2 additions are understood
(no "unknown field"), and what the generator cannot express yet skips only the operation holding it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.cli import commands as cli
from generator.model import ir
from generator.spec.diagnostics import Diagnostic
from generator.pipeline import Inputs, analyse, generate
from tests.support.recorder import Recorder, Reply
from tests.support.specs import line_of, write_tree

PACKAGE = ir.PackageInfo(package="v32_client", distribution="v32-client", version="0.1.0")

SPEC = """
openapi: 3.2.0
$self: https://api.example.test/v1/openapi.yaml
info: {title: Pets, version: "1"}
tags:
  - name: pets
    summary: Pets
  - name: cats
    summary: Cats
    parent: pets
    kind: nav
paths:
  /pets:
    query:
      operationId: searchPets
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200":
          description: matches
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    get:
      operationId: streamPets
      tags: [pets]
      responses:
        "200":
          description: one pet a line
          content:
            application/jsonl:
              itemSchema: {type: object, properties: {name: {type: string}}}
    additionalOperations:
      LINK:
        operationId: linkPets
        tags: [pets]
        responses:
          "204": {description: linked}
  /search:
    get:
      operationId: searchByQueryString
      tags: [pets]
      parameters:
        - name: criteria
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema: {type: object, properties: {name: {type: string}}}
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    device:
      type: oauth2
      oauth2MetadataUrl: https://auth.example.test/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.test/device
          tokenUrl: https://auth.example.test/token
          scopes: {read: read pets}
"""


def _where(d: Diagnostic) -> tuple[str, int]:
    assert d.location is not None, d
    return Path(d.location.file).name, d.location.line


ITEMS = "`itemSchema` of 'application/jsonl' (a stream of items, OpenAPI 3.2): the generated method returns the body as it came, not decoded items"


def test_a_32_document_lints_clean_of_unknown_fields(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": SPEC})
    result = analyse(root)
    assert result.errors == []
    assert [(_where(d)[1], d.message) for d in result.warnings if "itemSchema" in d.message] == [
        (line_of(root, "itemSchema:"), ITEMS)
    ]
    assert not any("unknown field" in d.message for d in result.diagnostics)


def test_the_32_checks_apply(tmp_path: Path) -> None:
    """A tag whose parent does not exist: a 3.2 rule the 3.1 schema would not know."""
    root = write_tree(tmp_path, {"openapi.yaml": SPEC.replace("parent: pets", "parent: dogs")})
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == [
        (line_of(root, "parent: dogs"), "Tag 'cats' references unknown parent tag 'dogs'", "#/tags/1/parent")
    ]
    # a repeated tag name is placed at the repeat
    root = write_tree(tmp_path, {"openapi.yaml": SPEC.replace("- name: cats", "- name: pets").replace("    parent: pets\n", "")})
    assert [(_where(d)[1], d.message, d.pointer) for d in analyse(root).errors] == [
        (line_of(root, "summary: Cats") - 1, "Duplicate tag name 'pets'", "#/tags/1/name")
    ]


def test_a_version_past_32_is_refused_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": SPEC.replace("openapi: 3.2.0", "openapi: 3.3.0")})
    [error] = analyse(root).errors
    assert (_where(error), error.message) == (
        ("openapi.yaml", 1), "unsupported OpenAPI version '3.3.0' (3.0.x, 3.1.x and 3.2.x are)"
    )


def test_a_querystring_parameter_skips_only_its_operation_with_the_reason(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": SPEC})
    report = tmp_path / "report.json"
    code = cli.main(["generate", str(root), "-o", str(tmp_path / "out"), "--report", str(report), "-q"])
    assert code == 0
    import json

    skipped = json.loads(report.read_text())["operations"]["skipped"]
    assert [(s["id"], s["location"]) for s in skipped] == [
        ("searchByQueryString", f"{root}:{line_of(root, 'in: querystring')}")
    ]
    assert "querystring" in skipped[0]["reason"]


def test_query_and_additional_operations_are_methods_sending_that_http_method(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": SPEC})
    result = generate(root, PACKAGE)
    assert not result.errors, result.errors
    assert sorted((op.method, op.path, op.operation_id) for op in result.api.operations) == [
        ("GET", "/pets", "streamPets"), ("LINK", "/pets", "linkPets"), ("QUERY", "/pets", "searchPets"),
    ]  # fmt: skip
    out = tmp_path / "out"
    for name, text in result.files.items():
        if name.startswith("client/"):
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(out / "client"))
    try:
        import importlib

        pkg = importlib.import_module(PACKAGE.package)
        with Recorder() as recorder:
            handler = recorder.server.RequestHandlerClass
            handler.do_QUERY = handler.do_LINK = handler.do_GET  # type: ignore[attr-defined]
            recorder.replies[("QUERY", "/pets")] = Reply(200, ["tom"])
            recorder.replies[("LINK", "/pets")] = Reply(204)
            recorder.replies[("GET", "/pets")] = Reply(200, b'{"name": "a"}\n{"name": "b"}\n')
            with pkg.Client(base_url=recorder.url, from_env=False) as client:
                assert client.pets.search_pets(name="tom") == ["tom"]
                assert client.pets.link_pets() is None
                assert client.pets.stream_pets() == b'{"name": "a"}\n{"name": "b"}\n'
        assert [(r.method, r.path) for r in recorder.requests] == [("QUERY", "/pets"), ("LINK", "/pets"), ("GET", "/pets")]
        assert recorder.requests[0].body == b'{"name":"tom"}'
    finally:
        sys.path.remove(str(out / "client"))
        for name in [m for m in sys.modules if m == PACKAGE.package or m.startswith(PACKAGE.package + ".")]:
            del sys.modules[name]


def test_template_checks_cover_the_32_operations(tmp_path: Path) -> None:
    spec = SPEC.replace("  /pets:\n    query:", "  /pets/{id}:\n    query:")
    root = write_tree(tmp_path, {"openapi.yaml": spec})
    result = generate(root, PACKAGE)
    assert not result.errors
    skipped = {s["id"]: s["location"] for s in result.report()["operations"]["skipped"]}
    assert skipped == {
        "searchPets": f"{root}:{line_of(root, 'query:')}",
        "linkPets": f"{root}:{line_of(root, 'LINK:')}",
        "streamPets": f"{root}:{line_of(root, 'get:')}",
        "searchByQueryString": f"{root}:{line_of(root, 'in: querystring')}",
    }


def test_an_extension_under_paths_is_no_path(tmp_path: Path) -> None:
    spec = SPEC.replace("paths:\n", "paths:\n  x-internal:\n    get:\n      responses: {\"204\": {description: ok}}\n", 1)
    root = write_tree(tmp_path, {"openapi.yaml": spec})
    result = generate(root, PACKAGE)
    assert not result.errors
    assert sorted(op.path for op in result.api.operations) == ["/pets", "/pets", "/pets"]
