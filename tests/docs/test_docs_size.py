"""The HTML reference grows linearly with the spec: navigation and search index written once, shared models
described once. On ``large/openai.yaml`` (or, while it does not generate, the largest corpus spec that does)
no page exceeds 3 MB and the whole site is at most 4 times the spec's size."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from generator import ir
from generator.docs import emit_docs
from generator.pipeline import analyse
from tests.support.paths import CORPUS

# the largest specs of the corpus, largest first; each is one file, so its size is the spec's size
CANDIDATES = ("large/openai.yaml", "large/box.json")
MAX_PAGE = 3_000_000
MAX_RATIO = 4.0


def _analyse(spec: Path):  # type: ignore[no-untyped-def]
    """What ``generate`` would judge: lint findings are warnings (``Inputs(strict=False)`` where it exists)."""
    from generator import pipeline

    inputs = getattr(pipeline, "Inputs", None)
    return analyse(spec, inputs(strict=False)) if inputs is not None else analyse(spec)


def _largest_that_generates() -> tuple[Path, ir.Api, list[str]]:
    tried: list[str] = []
    for name in CANDIDATES:
        spec = CORPUS / name
        if not spec.is_file():
            tried.append(f"{name}: absent")
            continue
        try:
            result = _analyse(spec)
        except Exception as exc:  # an unusable document: the next candidate
            tried.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if result.errors:
            tried.append(f"{name}: {result.errors[0]}")
            continue
        return spec, result.api, tried
    pytest.skip("no large corpus spec generates: " + "; ".join(tried))


def test_the_site_is_linear_in_the_spec() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): the size test needs its large specs")
    spec, api, tried = _largest_that_generates()
    which = spec.relative_to(CORPUS).as_posix() + (f" (instead of {'; '.join(tried)})" if tried else "")
    if tried:
        warnings.warn(f"docs size measured on {which}", stacklevel=1)
    docs = emit_docs(api, ir.PackageInfo("big", "big", "0.0.1"))
    site = {name: len(text.encode("utf-8")) for name, text in docs.items() if name.startswith("html/")}
    largest = max(site, key=lambda name: site[name])
    spec_bytes = spec.stat().st_size
    total = sum(site.values())
    assert site[largest] <= MAX_PAGE, f"{which}: {largest} is {site[largest]:,} bytes (at most {MAX_PAGE:,})"
    assert total <= MAX_RATIO * spec_bytes, (
        f"{which}: the HTML site is {total:,} bytes, {total / spec_bytes:.2f} x the spec's {spec_bytes:,} "
        f"(at most {MAX_RATIO} x)"
    )
    # the navigation is in nav.js once; a tag page lists only its own operations
    pages = [name for name in site if name.startswith("html/tags/")]
    assert len(pages) == len(api.resources)
    for resource in api.resources:
        sidebar = docs[f"html/tags/{resource.name}.html"].split("</nav>", 1)[0]
        assert sidebar.count("<li>") <= len(resource.operations) + 6, resource.name
