"""Where things are, for tests: the repository, the shared folder beside it, the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
REFERENCE = SHARED / "reference"
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"


def corpus_specs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): the corpus tests need it")
