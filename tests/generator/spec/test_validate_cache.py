"""A document validated before is not validated again: its findings come from the cache, unchanged.

Findings are placed in the source (file and line), so they are remembered per exact set of files and
working directory; any change to a file, even one that only moves a line, validates again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.spec import validate
from generator.spec.limits import DEFAULT_LIMITS
from generator.spec.load import load_spec
from tests.support.specs import line_of, write_tree

TREE = {
    "openapi.yaml": """
    openapi: 3.0.3
    info: {title: T, version: "1"}
    paths:
      /things:
        get:
          operationId: listThings
          paramters: []
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema:
                    $ref: components/Thing.yaml
    """,
    "components/Thing.yaml": """
    type: object
    properties:
      size:
        type: integer
        minimum: "zero"
    """,
}


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return write_tree(tmp_path / "spec", TREE)


def _messages(findings: list[validate.Finding]) -> list[str]:
    return [f"{f.location}: {f.message} ({f.pointer}) blocking={f.blocking}" for f in findings]


def test_the_second_run_reads_the_same_findings_without_validating(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = validate.validate_document(load_spec(spec, DEFAULT_LIMITS))
    thing = spec.parent / "components" / "Thing.yaml"
    assert f"spec/components/Thing.yaml:{line_of(thing, 'minimum')}: `minimum` must be a number, not 'zero'" in "\n".join(
        _messages(first)
    )
    assert any("did you mean 'parameters'?" in f.message and f.blocking for f in first)

    def no_validator(*args: object) -> object:
        raise AssertionError("validated again")

    monkeypatch.setattr(validate, "_located", no_validator)
    pending = validate.start(load_spec(spec, DEFAULT_LIMITS))
    assert pending._child is None  # nothing forked: the answer was in the cache
    assert pending.result(strict=False) == validate.diagnostics(first, strict=False)
    assert pending.result(strict=True) == validate.diagnostics(first, strict=True)


def test_a_moved_line_validates_again_and_places_findings_anew(spec: Path) -> None:
    first = validate.validate_document(load_spec(spec, DEFAULT_LIMITS))
    thing = spec.parent / "components" / "Thing.yaml"
    thing.write_text("# a comment moves every line down\n" + thing.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load_spec(spec, DEFAULT_LIMITS)
    assert validate.cached_findings(loaded) is None
    second = validate.validate_document(loaded)
    [before] = [f for f in first if "zero" in f.message]
    [after] = [f for f in second if "zero" in f.message]
    assert before.location is not None and after.location is not None
    assert after.location.line == before.location.line + 1
    assert validate.cached_findings(load_spec(spec, DEFAULT_LIMITS)) == second


def test_another_working_directory_is_another_entry(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate.validate_document(load_spec(spec, DEFAULT_LIMITS))
    assert validate.cached_findings(load_spec(spec, DEFAULT_LIMITS)) is not None
    monkeypatch.chdir(spec.parent)
    assert validate.cached_findings(load_spec(spec, DEFAULT_LIMITS)) is None
    [found] = [f for f in validate.validate_document(load_spec(spec, DEFAULT_LIMITS)) if "zero" in f.message]
    assert found.location is not None and found.location.file == "components/Thing.yaml"


def test_a_damaged_entry_is_ignored(spec: Path, tmp_path: Path) -> None:
    first = validate.validate_document(load_spec(spec, DEFAULT_LIMITS))
    [entry] = [p for p in (tmp_path / "cache" / "findings").rglob("*") if p.is_file()]
    entry.write_text("[[1, 2", encoding="utf-8")
    loaded = load_spec(spec, DEFAULT_LIMITS)
    assert validate.cached_findings(loaded) is None
    assert validate.validate_document(loaded) == first
