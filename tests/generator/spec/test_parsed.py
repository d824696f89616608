"""The files of a spec kept parsed between loads (parsed.py): a load over the kept files gives the same
document, with the same file and line for every mapping, list and key, as a load that parses everything,
and parses only the files whose bytes changed."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from generator.spec import load as load_module
from generator.spec import parsed
from generator.spec.diagnostics import SpecError
from generator.spec.limits import Limits
from generator.spec.load import LoadedSpec, load_spec
from tests.generator.spec.test_anchor_refs import ANCHORS
from tests.support.specs import write_tree

FILES = {
    "openapi.yaml": """
        openapi: 3.1.0
        info: {title: Kept, version: "1"}
        paths:
          /pets:
            $ref: paths/pets.yaml#/pets
        components:
          schemas:
            Pet: {$ref: schemas/pet.json}
        """,
    "paths/pets.yaml": """
        pets:
          get:
            operationId: listPets
            summary: List the pets
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema:
                      type: array
                      items: {$ref: ../schemas/pet.json}
        """,
    "schemas/pet.json": '{\n  "type": "object",\n  "properties": {\n    "name": {"type": "string"},\n'
    '    "tags": {"type": "array", "items": {"type": "string"}}\n  }\n}\n',
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(folder))
    return folder


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from text from now on (by any reader)."""
    seen: list[str] = []
    real = load_module._Resolver._parse

    def counting(self: Any, text: str, shown: str, suffix: str) -> Any:
        seen.append(Path(shown).name)
        return real(self, text, shown, suffix)

    monkeypatch.setattr(load_module._Resolver, "_parse", counting)
    return seen


def _snapshot(loaded: LoadedSpec) -> list[Any]:
    """The data, and the location and key lines of every container, in one walk of the resolved document."""
    out: list[Any] = []
    seen: set[int] = set()
    stack: list[Any] = [loaded.document]
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (dict, list)):
            continue
        seen.add(id(node))
        where = loaded.source_map.nodes.get(id(node))
        keys = loaded.source_map.keys.get(id(node))
        scalars = {k: v for k, v in node.items() if not isinstance(v, (dict, list))} if isinstance(node, dict) else \
            [v for v in node if not isinstance(v, (dict, list))]  # fmt: skip
        out.append((str(where), keys, scalars))
        stack.extend(node.values() if isinstance(node, dict) else node)
    return [out, sorted(loaded.source_map.ref_targets.values())]


def _fresh(spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limits: Limits = Limits()) -> list[Any]:
    """The snapshot of a load with an empty cache of its own."""
    with monkeypatch.context() as m:
        m.setenv("APIGEN_CACHE_DIR", str(tmp_path / f"empty-{len(list(tmp_path.glob('empty-*')))}"))
        return _snapshot(load_spec(spec, limits))


def test_a_second_load_parses_nothing_and_gives_the_same_document_and_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    first = _snapshot(load_spec(spec))
    parses = _parses(monkeypatch)
    second = load_spec(spec)
    assert parses == []
    assert _snapshot(second) == first
    assert second.location(second.document["paths"]["/pets"]["get"], "summary").line == 4
    assert str(second.location(second.document["components"]["schemas"]["Pet"]["properties"])).endswith(
        "schemas/pet.json:3"
    )


def test_only_the_edited_file_is_parsed_again_and_the_result_is_a_fresh_load_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    load_spec(spec)
    pets = tmp_path / "spec" / "paths" / "pets.yaml"
    pets.write_text("\n\n" + pets.read_text().replace("List the pets", "Every pet"), encoding="utf-8")
    parses = _parses(monkeypatch)
    edited = load_spec(spec)
    assert parses == ["pets.yaml"]
    assert edited.document["paths"]["/pets"]["get"]["summary"] == "Every pet"
    assert edited.location(edited.document["paths"]["/pets"]["get"], "summary").line == 6  # two lines added
    assert _snapshot(edited) == _fresh(spec, tmp_path, monkeypatch)
    parses.clear()
    load_spec(spec)
    assert parses == []  # the edited file was kept in turn


def test_lines_are_shown_with_the_path_of_this_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    monkeypatch.chdir(tmp_path)
    load_spec(spec)
    monkeypatch.chdir(tmp_path / "spec")
    parses = _parses(monkeypatch)
    loaded = load_spec(spec)
    assert parses == []
    assert str(loaded.location(loaded.document["paths"]["/pets"]["get"])) == os.path.join("paths", "pets.yaml") + ":3"


def test_identifiers_in_kept_files_still_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_tree(tmp_path / "spec", ANCHORS)
    first = _snapshot(load_spec(spec))
    parses = _parses(monkeypatch)
    again = load_spec(spec)
    assert parses == []
    assert _snapshot(again) == first
    schema = again.document["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$anchor"] == "item"


def test_a_file_with_anchors_is_parsed_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(FILES)
    files["paths/pets.yaml"] = FILES["paths/pets.yaml"].replace(
        "items: {$ref: ../schemas/pet.json}", "items: &pet {$ref: ../schemas/pet.json}"
    )
    spec = write_tree(tmp_path / "spec", files)
    first = _snapshot(load_spec(spec))
    parses = _parses(monkeypatch)
    again = load_spec(spec)
    assert parses == ["pets.yaml"]
    assert _snapshot(again) == first


def test_a_file_that_fails_to_parse_fails_again_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(FILES)
    files["paths/pets.yaml"] = FILES["paths/pets.yaml"] + "        broken: [unclosed\n"
    spec = write_tree(tmp_path / "spec", files)
    for _ in range(2):
        with pytest.raises(SpecError) as caught:
            load_spec(spec)
        where = caught.value.diagnostic.location
        assert where is not None and where.file.endswith("pets.yaml") and where.line == 14


def test_other_limits_do_not_reuse_what_was_parsed_under_others(tmp_path: Path) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    load_spec(spec)
    with pytest.raises(SpecError, match="characters is longer than the limit of 12"):
        load_spec(spec, Limits(max_string_chars=12))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "one byte changed", "other shape", "wrong lines", "a cycle", "empty"])
def test_a_damaged_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache: Path, damage: str) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    first = _snapshot(load_spec(spec))
    (entry,) = [p for p in (_cache / "parsed").rglob("*") if p.is_file()]
    raw = entry.read_bytes()
    kept = marshal.loads(raw[32:])

    def sealed(files: object) -> bytes:  # with a valid checksum: what a bug, not a damaged disk, would write
        data = marshal.dumps(files)
        return parsed._checksum(data) + data

    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        entry.write_bytes(bytes(range(256)) * 4)
    elif damage == "one byte changed":
        entry.write_bytes(raw[:-9] + bytes([raw[-9] ^ 1]) + raw[-8:])
    elif damage == "other shape":
        entry.write_bytes(sealed({path: ("x", 1) for path in kept}))
    elif damage == "wrong lines":
        entry.write_bytes(sealed({path: (d, marshal.dumps((data, [("one", None)])), i)
                                  for path, (d, payload, i) in kept.items() for data, _ in [marshal.loads(payload)]}))  # fmt: skip
    elif damage == "a cycle":
        cycle: list[object] = []
        cycle.append(cycle)
        entry.write_bytes(sealed({path: (d, marshal.dumps((cycle, [(1, None)] * 3)), i)
                                  for path, (d, payload, i) in kept.items()}))  # fmt: skip
    else:
        entry.write_bytes(b"")
    parses = _parses(monkeypatch)
    assert _snapshot(load_spec(spec)) == first
    assert sorted(parses) == ["openapi.yaml", "pet.json", "pets.yaml"]
    parses.clear()
    load_spec(spec)
    assert parses == []  # written again, whole


def test_a_file_no_longer_reached_drops_out_of_the_entry(tmp_path: Path, _cache: Path) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    load_spec(spec)
    spec.write_text(FILES["openapi.yaml"].replace("$ref: paths/pets.yaml#/pets", "get: {responses: {}}"))
    load_spec(spec)
    (entry,) = [p for p in (_cache / "parsed").rglob("*") if p.is_file()]
    assert sorted(Path(path).name for path in marshal.loads(entry.read_bytes()[32:])) == ["openapi.yaml", "pet.json"]


def test_a_load_through_a_reader_keeps_nothing(tmp_path: Path, _cache: Path) -> None:
    spec = write_tree(tmp_path / "spec", FILES)
    load_spec(spec, reader=lambda path: path.read_bytes())
    assert not (_cache / "parsed").exists()
