"""YAML specs built from the parser's events: the same data and lines as the node-graph loader gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.spec import load as loading
from generator.spec import yaml_events
from generator.spec.diagnostics import SpecError
from generator.spec.limits import DEFAULT_LIMITS, Limits
from tests.support.paths import REPO

CORPUS = REPO.parent / "shared" / "corpus"

DOC = """\
openapi: 3.1.0
info:
  title: "Quoted: {title}"
  version: '1'
  description: |
    Block text
    on two lines: [not a list]
  summary: >-
    folded
    text
paths:
  /a/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string, enum: [a, 'b', "c"]}
        - {name: q, in: query, schema: {type: integer, minimum: -3, maximum: 1e3, default: 0x1F}}
      responses:
        200:
          description: ok
        default: {description: ~}
x-values: [yes, no, on, off, null, 2024-01-01, 1.5, .inf, "", '', 012]
x-empty:
x-nested: [[], [{}], {a: []}]
? plain key
: value
"""


def _both(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, loading.SourceMap, Any, loading.SourceMap]:
    fast = loading.SourceMap()
    loader = loading._make_loader(fast, "spec.yaml", limits)(text)
    try:
        data = yaml_events.parse(loader, "spec.yaml", limits, fast.nodes, fast.keys, fast._alive)
    finally:
        loader.dispose()
    slow = loading.SourceMap()
    loader = loading._make_loader(slow, "spec.yaml", limits)(text)
    try:
        node = loader.get_single_node()
        expected = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, fast, expected, slow


def _same(data: Any, fast: loading.SourceMap, expected: Any, slow: loading.SourceMap) -> int:
    assert data == expected
    count, stack = 0, [(data, expected)]
    while stack:
        mine, theirs = stack.pop()
        if isinstance(mine, (dict, list)):
            count += 1
            assert type(mine) is type(theirs)
            assert fast.nodes[id(mine)] == slow.nodes[id(theirs)]
            assert fast.keys.get(id(mine)) == slow.keys.get(id(theirs))
            stack.extend(zip(mine.values(), theirs.values()) if isinstance(mine, dict) else zip(mine, theirs))
    return count


def test_same_data_and_lines_as_the_node_graph_loader() -> None:
    data, fast, expected, slow = _both(DOC)
    assert _same(data, fast, expected, slow) == 21
    # typed scalars as YAML 1.1 reads them, timestamps kept as text, int keys as strings
    assert data["x-values"] == [True, False, True, False, None, "2024-01-01", 1.5, float("inf"), "", "", 10]
    assert list(data["paths"]["/a/{id}"]["get"]["responses"]) == ["200", "default"]
    assert data["info"]["description"] == "Block text\non two lines: [not a list]\n"
    assert data["x-empty"] is None and data["plain key"] == "value"
    q = data["paths"]["/a/{id}"]["get"]["parameters"][1]
    assert fast.nodes[id(q)].line == 19 and fast.keys[id(data)]["x-nested"] == 26


@pytest.mark.parametrize("text", ["", "just a scalar\n", "- a\n- b\n", "--- {a: 1}\n...\n"])
def test_documents_that_are_not_mappings(text: str) -> None:
    data, fast, expected, slow = _both(text)
    assert data is not yaml_events.NOT_HANDLED
    _same(data, fast, expected, slow)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",  # explicit tag
        "base: {x: 1}\nother:\n  <<: {y: 2}\n",  # merge key
        "? [a, b]\n: c\n",  # a list as a key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: 1\na: 2\n",  # duplicate key
        "a: *nowhere\n",  # an alias without its anchor
        "a: [1, 2\n",  # a syntax error
        "a: !custom {b: 1}\n",
    ],
)
def test_unusual_text_is_left_to_the_node_graph_loader(text: str) -> None:
    source_map = loading.SourceMap()
    loader = loading._make_loader(source_map, "x.yaml")(text)
    try:
        assert yaml_events.parse(loader, "x.yaml", DEFAULT_LIMITS, source_map.nodes, source_map.keys,
                                 source_map._alive) is yaml_events.NOT_HANDLED  # fmt: skip
    finally:
        loader.dispose()
    assert not source_map.nodes and not source_map._alive


def _load(tmp_path: Path, text: str, limits: Limits = DEFAULT_LIMITS) -> loading.LoadedSpec:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    return loading.load_spec(spec, limits)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("openapi: 3.1.0\ninfo: {}\ninfo: {}\n", "duplicate key 'info'", 3),
        ("openapi: 3.1.0\ninfo:\n  title: " + "x" * 70000 + "\n", "longer than the limit", 3),
        ("openapi: 3.1.0\nx: " + "[" * 6 + "]" * 6 + "\n", "nesting deeper than 5 levels", 2),
        ("openapi: 3.1.0\nx: [1, 2\n", "invalid YAML", 3),
    ],
)
def test_refusals_keep_their_messages_and_lines(tmp_path: Path, text: str, message: str, line: int) -> None:
    limits = Limits(max_depth=5, max_string_chars=65536)
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, text, limits)
    assert message in str(caught.value)
    assert caught.value.diagnostic.location is not None and caught.value.diagnostic.location.line == line


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (the public specs are not in this repo)")
def test_every_corpus_yaml_file_reads_the_same_both_ways() -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    assert len(files) > 100
    handled = 0
    for path in files:
        data, fast, expected, slow = _both(path.read_text(encoding="utf-8"))
        if data is yaml_events.NOT_HANDLED:
            continue
        handled += 1
        _same(data, fast, expected, slow)
    assert handled >= len(files) * 0.95
