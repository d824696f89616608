"""The HTML reference grows linearly with the spec: navigation and search index written once, shared models
described once. On ``large/openai.yaml`` (the largest corpus spec) no page exceeds 3 MB and the whole site is at
most 4 times the spec's size."""

from __future__ import annotations

import pytest

from generator.model import ir
from generator.reference.pages import emit_docs
from generator.pipeline import Inputs, analyse
from tests.support.paths import CORPUS

SPEC = "large/openai.yaml"  # one file, so its size is the spec's size
MAX_PAGE = 3_000_000
MAX_RATIO = 4.0


def test_the_site_is_linear_in_the_spec() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): the size test needs its large specs")
    spec, which = CORPUS / SPEC, SPEC
    result = analyse(spec, Inputs(strict=False))  # what `generate` judges: lint findings are warnings
    assert not result.errors, result.errors[:3]
    api = result.api
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
