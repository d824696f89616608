"""apigen diff on the third-party corpus: each spec against itself (loaded twice) yields nothing, every pair of
corpus specs compares without crashing, and removing a random operation, field or enum value is reported as
breaking (a derandomised fuzz, ``APIGEN_FUZZ_EXAMPLES`` examples per kind of removal, default 3)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.diff.compare import compare, sides
from generator.model import ir
from generator.model.build import build_api
from generator.spec.load import LoadedSpec, load_spec
from tests.support.paths import CORPUS, LARGE, corpus_roots, require_corpus

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "3"))
ROOTS = corpus_roots()
SMALL = [p for p in ROOTS if p.name not in LARGE]


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS)) if CORPUS in path.parents else path.name


def _build(loaded: LoadedSpec) -> ir.Api:
    return build_api(loaded)[0]


@pytest.fixture(scope="module")
def apis() -> dict[str, ir.Api]:
    """Every corpus spec built once (the large ones included)."""
    require_corpus()
    return {_id(p): _build(load_spec(p)) for p in ROOTS}


@pytest.mark.parametrize("spec", ROOTS or [None], ids=[_id(p) for p in ROOTS] or ["no-corpus"])
def test_each_corpus_spec_against_itself_is_empty(spec: Path | None, apis: dict[str, ir.Api]) -> None:
    assert spec is not None
    assert compare(apis[_id(spec)], _build(load_spec(spec))) == []  # loaded and built a second time


def test_no_pair_of_corpus_specs_crashes(apis: dict[str, ir.Api]) -> None:
    small = {_id(p) for p in SMALL}
    for (a, old), (b, new) in itertools.permutations(apis.items(), 2):
        changes = compare(old, new)
        if a in small and b in small:  # deterministic (checked on the small ones: the large take seconds)
            assert changes == compare(old, new)
        # with no resource in common, every resource of the old one is reported removed, as breaking
        old_tags, new_tags = {op.tag for op in old.operations}, {op.tag for op in new.operations}
        if not old_tags & new_tags:
            removed = {c.python_name for c in changes if c.kind == "resource-removed" and c.breaking}
            assert removed == {f"client.{t}" for t in old_tags}, (a, b)


# -- removals ----------------------------------------------------------------------------------------


def _dicts(node: Any, seen: set[int] | None = None) -> Iterator[dict[str, Any]]:
    """Every mapping of the resolved document, each once (``$ref``s make it a graph)."""
    seen = set() if seen is None else seen
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                yield item
                stack.extend(item.values())
            else:
                stack.extend(item)


def _remove_operation(loaded: LoadedSpec, old: ir.Api, data: st.DataObject) -> tuple[set[str], ir.Operation] | None:
    if not old.operations:
        return None
    op = data.draw(st.sampled_from(sorted(old.operations, key=lambda o: (o.path, o.method))))
    item = loaded.document["paths"][op.path]
    holder = item if op.method.lower() in item else item.get("additionalOperations", {})
    key = op.method.lower() if op.method.lower() in holder else op.method
    del holder[key]
    names = {f"client.{op.tag}.{op.name}()", f"client.{op.tag}"}
    return names, op


def _remove_field(loaded: LoadedSpec, old: ir.Api, data: st.DataObject) -> tuple[set[str], Any] | None:
    used = sides(old)
    fields = [(m, f) for m in old.models if isinstance(m, ir.ObjectModel) for f in m.fields
              if f.source is not None and m.name in used]  # fmt: skip
    if not fields:
        return None
    model, field = data.draw(st.sampled_from(fields))
    holders = [d for d in _dicts(loaded.document) if field.wire_name in d and loaded.location(d, field.wire_name) == field.source]
    if not holders:
        return None
    for d in holders:
        del d[field.wire_name]
    names = {f"models.{model.name}.{field.name}", f"models.{model.name}"}
    names |= {f"client.{op.tag}.{op.name}({field.name}=...)" for op in old.operations}
    names |= {f"client.{op.tag}.{op.name}()" for op in old.operations}  # a return type or body that changed
    return names, field


def _remove_enum_value(loaded: LoadedSpec, old: ir.Api, data: st.DataObject) -> tuple[set[str], Any] | None:
    enums = [(m, v) for m in old.models if isinstance(m, ir.EnumModel) and len(m.members) > 1 for v in m.members]
    if not enums:
        return None
    model, member = data.draw(st.sampled_from(enums))
    holders = [d for d in _dicts(loaded.document) if isinstance(d.get("enum"), list) and loaded.location(d) == model.location]
    if not holders:
        return None
    for d in holders:
        d["enum"] = [v for v in d["enum"] if not (v == member.value and type(v) is type(member.value))]
    return {f"models.{model.name}.{member.name}", f"models.{model.name}"}, member


REMOVALS = {"operation": _remove_operation, "field": _remove_field, "enum value": _remove_enum_value}


@pytest.mark.parametrize("what", sorted(REMOVALS))
def test_a_random_removal_is_reported_as_breaking(what: str) -> None:
    require_corpus()

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
    @given(st.data())
    def check(data: st.DataObject) -> None:
        spec = data.draw(st.sampled_from(SMALL))
        loaded = load_spec(spec)
        old = _build(loaded)  # the builder only reads the document: it is edited in place for the new side
        removed = REMOVALS[what](loaded, old, data)
        assume(removed is not None)
        assert removed is not None
        names, thing = removed
        changes = compare(old, _build(loaded))
        breaking = [c for c in changes if c.breaking]
        assert breaking, (spec, thing, changes)
        assert any(c.python_name in names for c in breaking), (spec, thing, breaking)

    check()
