"""Kept texts (generator/output/memo.py): a generation that reuses them writes what a fresh one writes.

Each test primes a cache with one spec, edits the spec, and compares the generation over the primed cache
with one over an empty cache, file by file; it also checks that the primed run did reuse texts (else
the comparison would prove nothing).
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import ir
from generator.output import memo
from generator.pipeline import generate
from tests.generator.model.hostile_names import hostile_spec
from tests.support.paths import REPO, SPEC

PACKAGE = ir.PackageInfo("memo_pkg", "memo-pkg", "1.0.0")


def _spec() -> dict[str, Any]:
    """Three tags, shared and inline models, an enum, a union, servers with a variable, security and a
    webhook: every kind of input a kept text is keyed by."""
    pet = {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string", "description": "The pet's name."},
        "kind": {"$ref": "#/components/schemas/Kind"}}}  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {"title": "Memo Pets", "version": "1.0"},
        "servers": [{"url": "https://{region}.pets.example.com/v1", "variables": {"region": {"default": "eu"}}}],
        "security": [{"key": []}],
        "tags": [{"name": "pets", "description": "Pets."}, {"name": "stores"}, {"name": "users"}],
        "paths": {
            "/pets": {
                "get": {"operationId": "listPets", "tags": ["pets"], "summary": "List pets",
                        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}},
                "post": {"operationId": "createPet", "tags": ["pets"], "summary": "Create a pet",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["name"],
                             "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}}}}},
                         "responses": {"201": {"description": "made", "content": {"application/json": {
                             "schema": {"$ref": "#/components/schemas/Pet"}}}}}},
            },
            "/stores/{id}": {"get": {"operationId": "getStore", "tags": ["stores"], "summary": "A store",
                                     "parameters": [{"name": "id", "in": "path", "required": True,
                                                     "schema": {"type": "string"}}],
                                     "responses": {"200": {"description": "ok", "content": {"application/json": {
                                         "schema": {"$ref": "#/components/schemas/Store"}}}},
                                         "404": {"description": "none", "content": {"application/json": {
                                             "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/users": {"get": {"operationId": "listUsers", "tags": ["users"], "summary": "Users",
                               "responses": {"200": {"description": "ok", "content": {"application/json": {
                                   "schema": {"type": "array", "items": {"type": "string"}}}}}}}},
        },
        "webhooks": {"petAdopted": {"post": {"operationId": "petAdopted", "requestBody": {"content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
            "responses": {"200": {"description": "ok"}}}}},
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Pet": pet,
                "Kind": {"type": "string", "enum": ["cat", "dog"]},
                "Store": {"type": "object", "properties": {"pets": {"type": "array", "items": {
                    "oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}]}}}},
                "Error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}},
            },
        },
    }  # fmt: skip


def _op(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    op: dict[str, Any] = spec["paths"][path][method]
    return op


def _summary(spec: dict[str, Any]) -> None:
    _op(spec, "/pets", "get")["summary"] = "List every pet"


def _model_field(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Pet"]["properties"]["name"] = {"type": "integer"}


def _enum_member(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Kind"]["enum"].append("fish")


def _inline_body(spec: dict[str, Any]) -> None:
    body = _op(spec, "/pets", "post")["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["age"] = {"type": "integer", "minimum": 0}


def _new_operation(spec: dict[str, Any]) -> None:
    spec["paths"]["/stores"] = {"get": {"operationId": "listStores", "tags": ["stores"],
                                        "responses": {"200": {"description": "ok"}}}}  # fmt: skip


def _new_use_of_a_model(spec: dict[str, Any]) -> None:
    """Another operation returns Pet: the docs say so on every page that shows Pet."""
    _op(spec, "/users", "get")["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Pet"}  # fmt: skip


def _renamed_tag(spec: dict[str, Any]) -> None:
    _op(spec, "/users", "get")["tags"] = ["people"]


def _server(spec: dict[str, Any]) -> None:
    spec["servers"][0]["url"] = "https://{region}.pets.example.org/v2"


def _security(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["key"]["name"] = "X-Api-Key"


def _error_shape(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Error"]["properties"]["detail"] = {"type": "string"}


def _webhook(spec: dict[str, Any]) -> None:
    del spec["webhooks"]


EDITS: list[Callable[[dict[str, Any]], None]] = [
    _summary, _model_field, _enum_member, _inline_body, _new_operation, _new_use_of_a_model, _renamed_tag,
    _server, _security, _error_shape, _webhook,
]  # fmt: skip


def _entries(cache_dir: Path) -> set[Path]:
    return {p for kind in ("client", "docs") for p in (cache_dir / kind).rglob("*") if p.is_file()}


def _files(spec: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, package: ir.PackageInfo = PACKAGE
           ) -> tuple[dict[str, str], int]:  # fmt: skip
    """The generated files, and how many texts were rendered and kept (entries added to the cache: the
    docs render in a forked child, so the cache folder is where both processes' work shows)."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(cache_dir))
    before = _entries(cache_dir)
    result = generate(spec, package)
    assert not result.errors, result.errors
    return result.files, len(_entries(cache_dir) - before)


def _same(kept: dict[str, str], fresh: dict[str, str]) -> list[str]:
    return sorted(name for name in kept.keys() | fresh.keys() if kept.get(name) != fresh.get(name))


def _write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__.strip("_"))
def test_after_an_edit_kept_texts_give_what_a_fresh_generation_gives(
    edit: Callable[[dict[str, Any]], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec()
    primed = tmp_path / "primed"
    _files(_write(tmp_path / "before.yaml", spec), primed, monkeypatch)
    edited = copy.deepcopy(spec)
    edit(edited)
    after = _write(tmp_path / "after.yaml", edited)
    kept, rendered = _files(after, primed, monkeypatch)
    fresh, all_of_them = _files(after, tmp_path / "empty", monkeypatch)
    assert _same(kept, fresh) == []
    assert kept != _files(tmp_path / "before.yaml", tmp_path / "empty2", monkeypatch)[0]  # the edit shows
    assert 0 < rendered <= all_of_them  # the edit rendered something again (and at most everything)


def test_edits_in_a_row_over_one_cache_stay_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edit in turn, over one cache that keeps growing (and back to the start): what a user does."""
    spec = _spec()
    primed = tmp_path / "primed"
    states = [copy.deepcopy(spec)]
    for edit in EDITS:
        edit(spec)
        states.append(copy.deepcopy(spec))
    states.append(_spec())
    for n, state in enumerate(states):
        path = _write(tmp_path / f"state{n}.yaml", state)
        kept, rendered = _files(path, primed, monkeypatch)
        fresh, all_of_them = _files(path, tmp_path / f"empty{n}", monkeypatch)
        assert _same(kept, fresh) == [], EDITS[n - 1].__name__ if 0 < n <= len(EDITS) else n
        assert rendered <= all_of_them
    assert rendered == 0  # back to the start: everything was kept


def test_a_summary_edit_reuses_the_other_tags_and_the_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes an edit cheap: only what the edited operation's tag shows is rendered again."""
    spec = _spec()
    primed = tmp_path / "primed"
    _, cold = _files(_write(tmp_path / "a.yaml", spec), primed, monkeypatch)
    _summary(spec)
    _, rendered = _files(_write(tmp_path / "b.yaml", spec), primed, monkeypatch)
    # cold: one entry each for the models module, the three resource modules, the three tags (their pages
    # and index) and the models' pages
    assert cold == 4 + 3 + 1
    # again: the edited resource's module and its tag
    assert rendered == 1 + 1


def test_other_package_settings_are_never_answered_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "a.yaml", _spec())
    primed = tmp_path / "primed"
    _files(path, primed, monkeypatch)
    other = ir.PackageInfo("other_pkg", "other-pkg", "2.0.0")
    kept, _ = _files(path, primed, monkeypatch, other)
    fresh, _ = _files(path, tmp_path / "empty", monkeypatch, other)
    assert _same(kept, fresh) == []


def test_a_hostile_spec_and_the_project_spec_reuse_faithfully(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names and texts that break naive keys (quotes, unicode, collisions); and the multi-file spec/ with
    its x-apigen extensions, one of its files edited."""
    hostile = _write(tmp_path / "hostile.yaml", hostile_spec())
    primed = tmp_path / "primed"
    first, _ = _files(hostile, primed, monkeypatch)
    again, rendered = _files(hostile, primed, monkeypatch)
    assert rendered == 0 and _same(again, first) == []
    copy_root = tmp_path / "spec"
    shutil.copytree(REPO / "spec", copy_root)
    _files(copy_root / SPEC.name, primed, monkeypatch)
    sms = copy_root / "paths" / "sms.yaml"
    text = sms.read_text(encoding="utf-8")
    assert "summary:" in text
    sms.write_text(text.replace("summary:", "summary: Edited -", 1), encoding="utf-8")
    kept, rendered = _files(copy_root / SPEC.name, primed, monkeypatch)
    fresh, all_of_them = _files(copy_root / SPEC.name, tmp_path / "empty", monkeypatch)
    assert 0 < rendered < all_of_them and _same(kept, fresh) == []


_DIGESTS = """
import sys
from pathlib import Path
from generator.output import memo
from generator.pipeline import analyse
api = analyse(Path(sys.argv[1])).api
print(memo.api_digest(api), *(memo.fingerprint(r) for r in api.resources))
"""


def test_the_ir_digests_are_the_same_in_every_process(tmp_path: Path) -> None:
    """Kept texts are found again only if the IR's digest does not depend on the hash seed."""
    hostile = _write(tmp_path / "hostile.yaml", hostile_spec())
    for spec in (SPEC, hostile):
        seen = set()
        for seed in ("1", "2", "12345"):
            done = subprocess.run([sys.executable, "-c", _DIGESTS, str(spec)], cwd=REPO, capture_output=True,
                                  text=True, env=dict(os.environ, PYTHONHASHSEED=seed), timeout=120)  # fmt: skip
            assert done.returncode == 0, done.stderr
            seen.add(done.stdout)
        assert len(seen) == 1, spec
        assert "None" not in seen.pop()


def test_kept_modules_the_check_vouched_for_are_not_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The models and resource modules come back black-formatted: the format stage leaves them alone."""
    from generator.output import format as fmt

    path = _write(tmp_path / "a.yaml", _spec())
    checked: list[str] = []
    real = fmt.PendingFormat._lookup_spans

    def recording(self: fmt.PendingFormat, name: str, text: str, missing: dict[str, tuple[str, str]]) -> Any:
        checked.append(name)
        return real(self, name, text, missing)

    monkeypatch.setattr(fmt.PendingFormat, "_lookup_spans", recording)
    first, _ = _files(path, tmp_path / "primed", monkeypatch)
    modules = {f"client/{PACKAGE.package}/models.py", *(f"client/{PACKAGE.package}/resources/{r}.py"
                                                        for r in ("pets", "stores", "users"))}  # fmt: skip
    assert modules <= set(checked)
    checked.clear()
    again, _ = _files(path, tmp_path / "primed", monkeypatch)
    assert checked and not modules & set(checked)
    assert _same(again, first) == []


def test_the_same_spec_elsewhere_reuses_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept texts do not depend on where the spec is (a copy, another checkout, the bench's edited copy),
    though the IR records files and lines, and the index lists where each skipped schema is."""
    spec = _spec()
    spec["components"]["schemas"]["Tree"] = {"type": "object", "properties": {"child": {"$recursiveRef": "#"}}}
    primed = tmp_path / "primed"
    first, _ = _files(_write(tmp_path / "a.yaml", spec), primed, monkeypatch)
    (tmp_path / "elsewhere").mkdir()
    moved = _write(tmp_path / "elsewhere" / "b.yaml", spec)
    moved.write_text("# moved\n# every line below is three lines further down\n\n" + moved.read_text(encoding="utf-8"),
                     encoding="utf-8")  # fmt: skip
    kept, rendered = _files(moved, primed, monkeypatch)
    fresh, _ = _files(moved, tmp_path / "empty", monkeypatch)
    assert any("a.yaml" in text for text in first.values())  # where the skipped schema is, in the index
    assert rendered == 0
    assert _same(kept, fresh) == []


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.text(max_size=40), max_size=5))
def test_a_kept_entry_gives_back_its_texts_exactly_and_a_cut_one_nothing(texts: dict[str, str]) -> None:
    def unpack(packed: str) -> dict[str, str] | None:
        return memo._read_packed(io.StringIO(packed, newline=""))

    packed = "".join(memo._packed(texts))
    assert unpack(packed) == texts
    body = sum(len(t) for t in texts.values())
    if body:
        assert unpack(packed[:-1]) is None  # a run interrupted while writing it
    assert unpack("not an entry") is None
