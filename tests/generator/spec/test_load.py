from __future__ import annotations

from pathlib import Path

import pytest

from generator.spec.diagnostics import SpecError
from generator.spec.load import load_spec
from tests.support.specs import line_of, write_tree

ROOT = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /pets:
    $ref: paths/pets.yaml#/pets
  /pets/{id}:
    $ref: 'paths/pets.yaml#/pet'
components:
  schemas:
    Pet:
      $ref: components/schemas/Pet.yaml
"""
PATHS = """
pets:
  get:
    operationId: listPets
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema:
              type: array
              items:
                $ref: ../components/schemas/Pet.yaml
pet:
  parameters:
    - {name: id, in: path, required: true, schema: {type: string}}
  get:
    operationId: getPet
    responses:
      200:
        description: ok
        content:
          application/json:
            schema:
              $ref: ../components/schemas/Pet.yaml
"""
PET = """
type: object
properties:
  name: {type: string}
  owner:
    $ref: ./Owner.yaml
"""
OWNER = """
type: object
properties:
  pets:
    type: array
    items:
      $ref: ./Pet.yaml
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "openapi.yaml": ROOT,
            "paths/pets.yaml": PATHS,
            "components/schemas/Pet.yaml": PET,
            "components/schemas/Owner.yaml": OWNER,
        },
    )


def test_external_refs_resolve_to_one_shared_object(tree: Path) -> None:
    loaded = load_spec(tree)
    doc = loaded.document
    pet = doc["components"]["schemas"]["Pet"]
    listed = doc["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    single = doc["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert pet["properties"]["name"] == {"type": "string"}
    assert listed is pet and single is pet
    assert len(loaded.files) == 4


def test_cycles_become_cyclic_structures(tree: Path) -> None:
    doc = load_spec(tree).document
    pet = doc["components"]["schemas"]["Pet"]
    owner = pet["properties"]["owner"]
    assert owner["properties"]["pets"]["items"] is pet


def test_integer_status_keys_become_strings(tree: Path) -> None:
    doc = load_spec(tree).document
    assert "200" in doc["paths"]["/pets/{id}"]["get"]["responses"]


def test_every_node_knows_its_file_and_line(tree: Path) -> None:
    loaded = load_spec(tree)
    doc = loaded.document
    op = doc["paths"]["/pets/{id}"]["get"]
    where = loaded.location(op)
    assert where is not None
    assert where.file.endswith("paths/pets.yaml")
    assert where.line == line_of(tree.parent / "paths/pets.yaml", "operationId: getPet")
    key_where = loaded.location(op, "operationId")
    assert key_where is not None and key_where.line == where.line
    owner = doc["components"]["schemas"]["Pet"]["properties"]["owner"]
    owner_where = loaded.location(owner)
    assert owner_where is not None and owner_where.file.endswith("components/schemas/Owner.yaml")
    assert owner_where.line == 1


def test_missing_ref_target_names_the_referring_line(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                $ref: paths/missing.yaml#/a
            """
        },
    )
    with pytest.raises(SpecError) as info:
        load_spec(root)
    text = str(info.value)
    assert "missing.yaml" in text
    assert f"openapi.yaml:{line_of(root, '$ref: paths/missing.yaml')}" in text


def test_missing_pointer_inside_a_file(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                $ref: 'paths/a.yaml#/nope'
            """,
            "paths/a.yaml": "a: {}\n",
        },
    )
    with pytest.raises(SpecError, match=r"has nothing at #/nope"):
        load_spec(root)


def test_ref_chain_without_content_is_an_error(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            components:
              schemas:
                A: {$ref: '#/components/schemas/B'}
                B: {$ref: '#/components/schemas/A'}
            """
        },
    )
    with pytest.raises(SpecError, match="circular \\$ref chain"):
        load_spec(root)


def test_yaml_syntax_error_points_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T\npaths: {}\n"})
    with pytest.raises(SpecError) as info:
        load_spec(root)
    assert "openapi.yaml:" in str(info.value) and "invalid YAML" in str(info.value)


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nopenapi: 3.0.0\n"})
    with pytest.raises(SpecError, match="duplicate key 'openapi'") as info:
        load_spec(root)
    assert "openapi.yaml:3" in str(info.value)


def test_json_documents_load_with_lines(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {"api.json": '{\n  "openapi": "3.0.3",\n  "info": {"title": "T", "version": "1"},\n  "paths": {\n    "/a": {}\n  }\n}\n'},
    )
    loaded = load_spec(root)
    where = loaded.location(loaded.document["paths"], "/a")
    assert where is not None and where.line == 5


def test_examples_keep_dates_as_strings(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nx-when: 2024-01-02\n"})
    assert load_spec(root).document["x-when"] == "2024-01-02"


def test_remote_refs_are_refused_clearly(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: 'https://example.com/a.yaml'\n"},
    )
    with pytest.raises(SpecError, match="remote references are not allowed"):
        load_spec(root)


def test_a_long_chain_of_refs_within_and_across_files_loads_validates_and_builds(tmp_path: Path) -> None:
    """Neither the loader nor the validator's bundle recurses per $ref: 1,100 components and 700 files in a chain."""
    import json

    from generator.model import ir
    from generator.pipeline import generate

    n, files = 1100, 700
    schemas: dict[str, object] = {
        f"A{i}": {"type": "object", "properties": {"x": {"$ref": f"#/components/schemas/A{i + 1}"}}} for i in range(n)
    }
    schemas[f"A{n}"] = {"$ref": "chain/s0.json"}
    (tmp_path / "chain").mkdir()
    for i in range(files):
        (tmp_path / "chain" / f"s{i}.json").write_text(json.dumps({"type": "object", "properties": {"y": {"$ref": f"s{i + 1}.json"}}}))
    (tmp_path / "chain" / f"s{files}.json").write_text(json.dumps({"type": "string"}))
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A0"}}}}}
    doc = {"openapi": "3.1.0", "info": {"title": "Chain", "version": "1"},
           "paths": {"/a": {"get": {"operationId": "getA", "responses": ok}}}, "components": {"schemas": schemas}}  # fmt: skip
    (tmp_path / "openapi.json").write_text(json.dumps(doc))
    result = generate(tmp_path / "openapi.json", ir.PackageInfo("chain", "chain", "0.1.0"))
    assert not result.errors, result.errors[:3]
    assert result.files and len(result.api.models) >= n
