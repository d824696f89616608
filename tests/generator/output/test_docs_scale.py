"""The API reference scales: a page holds its own content, navigation and search are written once.

A synthetic spec with 2k tags is compared with one with k (the first k tags the same in both): a tag page
must not grow when other tags are added, and everything written grows at most linearly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import ir
from generator.pipeline import Inputs, analyse
from generator.reference.pages import emit_docs

OPS_PER_TAG = 6


def _spec(tags: int) -> str:
    lines = ["openapi: 3.0.3", "info: {title: Scale, version: '1.0'}", "paths:"]
    for t in range(tags):
        for o in range(OPS_PER_TAG):
            lines += [
                f"  /t{t}/items{o}/{{id}}:",
                "    get:",
                f"      operationId: getT{t}Item{o}",
                f"      tags: [group{t}]",
                f"      summary: Get item {o} of group {t}.",
                "      description: Returns *one* item, with its `state`.",
                "      parameters:",
                "        - {name: id, in: path, required: true, schema: {type: string}, description: The id.}",
                "      responses:",
                "        '200':",
                "          description: The item.",
                "          content:",
                f"            application/json: {{schema: {{$ref: '#/components/schemas/T{t}Item{o}'}}}}",
            ]
    lines += ["components:", "  schemas:"]
    for t in range(tags):
        for o in range(OPS_PER_TAG):
            lines += [
                f"    T{t}Item{o}:",
                "      type: object",
                "      description: An item; every item has the same description.",
                "      properties:",
                "        id: {type: string, description: The id.}",
                "        state: {type: string, enum: [on, off]}",
            ]
    return "\n".join(lines) + "\n"


def _docs(tmp_path: Path, tags: int) -> dict[str, str]:
    spec = tmp_path / f"scale{tags}.yaml"
    spec.write_text(_spec(tags), encoding="utf-8")
    api = analyse(spec, Inputs()).api
    assert len(api.operations) == tags * OPS_PER_TAG
    return emit_docs(api, ir.PackageInfo("scale", "scale", "0.1.0"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    tmp = tmp_path_factory.mktemp("scale")
    return _docs(tmp, 4), _docs(tmp, 8)


def test_a_tag_page_does_not_grow_when_other_tags_are_added(docs: tuple[dict[str, str], dict[str, str]]) -> None:
    small, large = docs
    for page in ("html/tags/group0.html", "tags/group0.md"):
        assert len(large[page].encode()) == len(small[page].encode()), page


def test_navigation_and_search_are_shared_files_not_repeated_in_pages(docs: tuple[dict[str, str], dict[str, str]]) -> None:
    _, large = docs
    page = large["html/tags/group0.html"]
    assert '<script src="../nav.js"' in page  # the sidebar's data; site.js loads the search index on demand
    assert 'src: root + "search-index.js"' in large["html/site.js"]
    assert "getT7Item0" in large["html/nav.js"] or "get_t7_item0" in large["html/nav.js"]
    assert "T7Item0" not in page and "t7_item0" not in page  # another tag's operation or model


def test_everything_written_grows_at_most_linearly(docs: tuple[dict[str, str], dict[str, str]]) -> None:
    small, large = docs

    def size(files: dict[str, str], names: list[str] | None = None) -> int:
        return sum(len(text.encode()) for name, text in files.items() if names is None or name in names)

    assert size(large) <= 2.2 * size(small)
    shared = ["html/nav.js", "html/search-index.js"]
    assert size(large, shared) <= 2.2 * size(small, shared)
    assert len(large) <= 2.2 * len(small)
