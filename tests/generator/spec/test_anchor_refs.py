"""`$ref`s decided by JSON-Schema identifiers (OpenAPI 3.1+): `$anchor` names, `$id` resources and the base URI
an `$id` sets, and a 3.2 document's `$self`; resolved inside the spec's folder tree only, or a located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import ir
from generator.spec.diagnostics import SpecError
from generator.spec.load import load_spec
from generator.pipeline import generate
from tests.support.specs import line_of, write_tree

PACKAGE = ir.PackageInfo(package="anchors_client", distribution="anchors-client", version="0.1.0")


def _response_schema(doc: dict, path: str) -> object:
    return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def _op(path: str, op_id: str, ref: str) -> str:
    return f"""
      {path}:
        get:
          operationId: {op_id}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {{$ref: '{ref}'}}"""


ANCHORS = {
    "openapi.yaml": "openapi: 3.1.0\ninfo: {title: Anchors, version: '1'}\npaths:"
    + _op("/boxes", "listBoxes", "#box")
    + _op("/items", "listItems", "schemas/items.yaml#item")
    + _op("/wrapped", "getWrapped", "wrapper.json")
    + """
components:
  schemas:
    Box:
      $anchor: box
      type: object
      properties:
        size: {type: integer}
    Wrapper:
      $id: wrapper.json
      type: object
      properties:
        inner: {$ref: '#/$defs/inner'}
        tag: {$ref: '#tag'}
        box: {$ref: '#/components/schemas/Box'}
      $defs:
        inner: {type: string}
        tag:
          $anchor: tag
          type: boolean
""",
    "schemas/items.yaml": """
    Item:
      $anchor: item
      type: object
      properties:
        name: {type: string}
    """,
}


def test_anchors_and_id_resources_resolve_to_the_schemas_they_name(tmp_path: Path) -> None:
    root = write_tree(tmp_path, ANCHORS)
    doc = load_spec(root).document
    schemas = doc["components"]["schemas"]
    assert _response_schema(doc, "/boxes") is schemas["Box"]  # `#box` in the same document
    item = _response_schema(doc, "/items")  # `file#item` in another file
    assert item == {"$anchor": "item", "type": "object", "properties": {"name": {"type": "string"}}}
    wrapper = schemas["Wrapper"]
    assert _response_schema(doc, "/wrapped") is wrapper  # `wrapper.json`: the embedded `$id` resource, no file
    # inside the resource, `#/$defs/...` and `#tag` are relative to it; `#/components/...` is not in it, so
    # it is read in the document
    assert wrapper["properties"]["inner"] is wrapper["$defs"]["inner"]
    assert wrapper["properties"]["tag"] is wrapper["$defs"]["tag"]
    assert wrapper["properties"]["box"] is schemas["Box"]


def test_generate_types_each_operation_with_the_anchored_schema(tmp_path: Path) -> None:
    root = write_tree(tmp_path, ANCHORS)
    result = generate(root, PACKAGE)
    assert not result.errors and result.files
    returns = {op.operation_id: op.responses[0].media[0].type for op in result.api.operations}
    assert {k: getattr(v, "name", None) for k, v in returns.items()} == {
        "getWrapped": "Wrapper", "listBoxes": "Box", "listItems": "Item"
    }


def _refused(tmp_path: Path, files: dict[str, str]) -> tuple[Path, str]:
    root = write_tree(tmp_path, files)
    with pytest.raises(SpecError) as info:
        load_spec(root)
    return root, str(info.value)


HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"


def test_a_missing_anchor_is_named_at_the_ref_with_did_you_mean(tmp_path: Path) -> None:
    root, text = _refused(tmp_path, {"openapi.yaml": HEAD + "    A: {$ref: '#itme'}\n    B: {$anchor: item, type: string}\n"})
    assert text == f"{root}:{line_of(root, '#itme')}: error: $ref '#itme': no `$anchor: itme` in {root}; did you mean 'item'?"


def test_an_anchor_defined_twice_is_an_error_naming_both(tmp_path: Path) -> None:
    spec = HEAD + "    A: {$ref: '#item'}\n    B: {$anchor: item, type: string}\n    C: {$anchor: item, type: integer}\n"
    root, text = _refused(tmp_path, {"openapi.yaml": spec})
    assert text == (f"{root}:{line_of(root, 'A:')}: error: $ref '#item': `$anchor: item` is defined more than once "
                    f"({root}:{line_of(root, 'B:')}, {root}:{line_of(root, 'C:')})")  # fmt: skip


def test_an_anchor_in_a_file_outside_the_tree_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("S: {$anchor: s, type: string, description: leaked-text}\n")
    root, text = _refused(tmp_path / "api", {"openapi.yaml": HEAD + "    A: {$ref: '../outside.yaml#s'}\n"})
    assert text.startswith(f"{root}:{line_of(root, 'A:')}: error: $ref '../outside.yaml#s': leaves the spec's folder ")
    assert "leaked-text" not in text


def test_a_ref_an_absolute_id_makes_remote_is_refused_saying_why(tmp_path: Path) -> None:
    spec = HEAD + "    A:\n      $id: https://example.test/schemas/a\n      properties:\n        b: {$ref: other}\n"
    root, text = _refused(tmp_path, {"openapi.yaml": spec})
    assert text == (f"{root}:{line_of(root, '$ref: other')}: error: $ref 'other' resolves to "
                    "https://example.test/schemas/other (against the `$id` around it), which no loaded `$id` names; "
                    "remote references are not allowed")  # fmt: skip


def test_a_ref_to_an_absolute_id_resolves_to_the_embedded_schema(tmp_path: Path) -> None:
    spec = (HEAD + "    A:\n      $id: https://example.test/schemas/a\n      type: string\n"
            "    B: {$ref: 'https://example.test/schemas/a'}\n")  # fmt: skip
    doc = load_spec(write_tree(tmp_path, {"openapi.yaml": spec})).document
    assert doc["components"]["schemas"]["B"] is doc["components"]["schemas"]["A"]


def test_a_32_document_that_spells_its_own_self_url_resolves_locally(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": """
        openapi: 3.2.0
        $self: https://api.example.test/v2/openapi.yaml
        info: {title: T, version: '1'}
        paths: {}
        components:
          schemas:
            Page: {type: object}
            Same: {$ref: 'https://api.example.test/v2/openapi.yaml#/components/schemas/Page'}
            Beside: {$ref: 'https://api.example.test/v2/schemas/beside.yaml'}
            Relative: {$ref: 'schemas/beside.yaml'}
            Elsewhere: {$ref: 'https://other.example.test/x.yaml'}
        """,
        "schemas/beside.yaml": "type: string\n",
    }
    root, text = _refused(tmp_path, files)
    assert text == (f"{root}:{line_of(root, 'Elsewhere:')}: error: $ref 'https://other.example.test/x.yaml': remote "
                    "references are not allowed, only files inside the spec's folder")  # fmt: skip
    files["openapi.yaml"] = files["openapi.yaml"].replace("            Elsewhere: {$ref: 'https://other.example.test/x.yaml'}\n", "")
    doc = load_spec(write_tree(tmp_path, files)).document
    schemas = doc["components"]["schemas"]
    assert schemas["Same"] is schemas["Page"]
    assert schemas["Beside"] is schemas["Relative"] and schemas["Relative"] == {"type": "string"}


def test_a_relative_id_moves_the_base_of_the_file_refs_inside_it(tmp_path: Path) -> None:
    spec = (HEAD + "    A:\n      $id: sub/a.json\n      type: object\n      properties:\n"
            "        b: {$ref: 'beside.yaml'}\n        c: {$ref: '../top.yaml#t'}\n")  # fmt: skip
    root = write_tree(tmp_path, {"openapi.yaml": spec, "sub/beside.yaml": "type: integer\n",
                                 "beside.yaml": "type: boolean\n", "top.yaml": "T: {$anchor: t, type: string}\n"})  # fmt: skip
    props = load_spec(root).document["components"]["schemas"]["A"]["properties"]
    assert props["b"] == {"type": "integer"}  # sub/beside.yaml, as the `$id` says, not ./beside.yaml
    assert props["c"] == {"$anchor": "t", "type": "string"}


def test_a_referenced_32_document_with_its_own_self_resolves_its_self_urls_locally(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": HEAD.replace("3.1.0", "3.2.0") + "    Book: {$ref: 'lib/library.yaml#/components/schemas/Book'}\n",
        "lib/library.yaml": """
        openapi: 3.2.0
        $self: https://library.example.test/v2/library.yaml
        info: {title: L, version: '1'}
        components:
          schemas:
            Page: {type: object, properties: {n: {type: integer}}}
            Book:
              type: object
              properties:
                page: {$ref: 'https://library.example.test/v2/library.yaml#/components/schemas/Page'}
        """,
    }
    doc = load_spec(write_tree(tmp_path, files)).document
    assert doc["components"]["schemas"]["Book"]["properties"]["page"] == {"type": "object", "properties": {"n": {"type": "integer"}}}
