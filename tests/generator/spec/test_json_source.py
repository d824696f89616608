"""JSON specs are read by the JSON parser with the same data and the same lines as the YAML loader gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.spec import json_source
from generator.spec import load as loading
from generator.spec.diagnostics import SpecError
from generator.spec.limits import DEFAULT_LIMITS, Limits

DOC = """{
  "openapi": "3.1.0",
  "info": {"title": "T {not a bracket} [nor this]", "version": "1"},
  "paths": {
    "/a/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "q\\"{", "in": "query",
           "schema": {"type": "array", "items": {"enum": ["x", "y:", "\\\\"]}}}
        ],
        "responses": {"200": {"description": "ok\\n\\u00e9 \\/ [\\"", "content": {}}}
      }
    }
  },
  "x-list": [[], [{}], {"": [1, 2.5, null, false]}],
  "x-escaped-key\\u0041": {"k": 1}
}
"""


def _both(text: str) -> tuple[Any, loading.SourceMap, Any, loading.SourceMap]:
    fast = loading.SourceMap()
    data = json_source.parse(text, "spec.json", DEFAULT_LIMITS, fast.nodes, fast.keys, fast._alive)
    slow = loading.SourceMap()
    loader = loading._make_loader(slow, "spec.json")(text)
    try:
        expected = loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()
    return data, fast, expected, slow


def _walk(a: Any, b: Any) -> list[tuple[Any, Any]]:
    pairs, stack = [], [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, (dict, list)):
            pairs.append((x, y))
            stack.extend(zip(x.values(), y.values()) if isinstance(x, dict) else zip(x, y))
    return pairs


def test_same_data_and_lines_as_the_yaml_loader() -> None:
    data, fast, expected, slow = _both(DOC)
    assert data == expected
    pairs = _walk(data, expected)
    assert len(pairs) == 22
    for mine, theirs in pairs:
        assert fast.nodes[id(mine)] == slow.nodes[id(theirs)]
        if isinstance(mine, dict):
            assert fast.keys[id(mine)] == slow.keys[id(theirs)]
    # spot checks: the second parameter starts on line 9, its `schema` key is on line 10
    param = data["paths"]["/a/{id}"]["get"]["parameters"][1]
    assert fast.nodes[id(param)].line == 9
    assert fast.keys[id(param)]["schema"] == 10


def test_minified_json_keeps_every_node_on_line_one() -> None:
    text = json.dumps(json.loads(DOC))
    data, fast, expected, _ = _both(text)
    assert data == expected
    assert {fast.nodes[id(node)].line for node, _ in _walk(data, expected)} == {1}


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # duplicate key
        '{"a": NaN}',
        '{"a": 1e999}',
        '{"a": "\\ud800"}',  # lone surrogate
        "{'a': 1}",  # YAML flow mapping, not JSON
        '["not", "an object"]',
        "openapi: 3.1.0",
    ],
)
def test_unusual_text_is_left_to_the_yaml_loader(text: str) -> None:
    source_map = loading.SourceMap()
    assert json_source.parse(text, "x.json", DEFAULT_LIMITS, source_map.nodes, source_map.keys, source_map._alive) is None
    assert not source_map.nodes


def _load(tmp_path: Path, text: str, limits: Limits = DEFAULT_LIMITS) -> loading.LoadedSpec:
    spec = tmp_path / "spec.json"
    spec.write_text(text, encoding="utf-8")
    return loading.load_spec(spec, limits)


def test_a_duplicate_key_is_still_refused_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, '{\n  "openapi": "3.1.0",\n  "info": {},\n  "info": {}\n}\n')
    assert "duplicate key 'info'" in str(caught.value)
    assert caught.value.diagnostic.location is not None and caught.value.diagnostic.location.line == 4


def test_limits_still_apply_with_their_lines(tmp_path: Path) -> None:
    long = "x" * (DEFAULT_LIMITS.max_string_chars + 1)
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, '{\n  "openapi": "3.1.0",\n  "info": {"title": "' + long + '"}\n}\n')
    assert "longer than the limit" in str(caught.value)
    assert caught.value.diagnostic.location is not None and caught.value.diagnostic.location.line == 3
    deep = Limits(max_depth=5)
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, '{"a": {"b": {"c": {"d": {"e": {"f": {}}}}}}}', deep)
    assert "nesting deeper than 5 levels" in str(caught.value)


def test_a_loaded_json_spec_locates_its_nodes(tmp_path: Path) -> None:
    loaded = _load(tmp_path, DOC)
    get = loaded.document["paths"]["/a/{id}"]["get"]
    where = loaded.location(get, "responses")
    assert where is not None and where.line == 12 and where.file.endswith("spec.json")
