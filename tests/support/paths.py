"""Where things are, for tests: the repository, the shared folder beside it, the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
REFERENCE = SHARED / "reference"
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"


def spec_files(folder: Path) -> list[Path]:
    """Every YAML and JSON file under ``folder`` (none when it is absent), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def corpus_specs() -> list[Path]:
    return spec_files(CORPUS)


# a top-level `openapi:` key (YAML at the margin, bare or quoted; JSON at the first indentation or on one line)
_ROOT = re.compile(r'^(["\']?openapi["\']?\s*:|\{?\s{0,4}"openapi"\s*:)', re.MULTILINE)
LARGE = ("openai.yaml", "box.json", "DigitalOcean-public.v2.yaml")


def spec_roots(folder: Path) -> list[Path]:
    """The files under ``folder`` that are OpenAPI documents of their own (not files a multi-file spec refers to)."""
    return [p for p in spec_files(folder) if _ROOT.search(p.read_text(encoding="utf-8", errors="replace"))]


def corpus_roots() -> list[Path]:
    return spec_roots(CORPUS)


def require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): the corpus tests need it")
