"""The HTML site in headless Chromium, opened from disk (file://): sidebar, navigation, search, console.

Skips (with the reason) where no Chromium is installed; ``.ci/run`` installs Debian's ``chromium``.
Screenshots (light, dark, phone, a tag page) are saved under ``test-artifacts/docs/`` for a look.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.cdp import Chromium, Page, find_chromium
from tests.support.paths import REPO

ARTIFACTS = REPO / "test-artifacts" / "docs"
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (install Debian's chromium package, or set CHROMIUM=/path/to/it)"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    assert CHROMIUM is not None
    with Chromium(CHROMIUM, tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    tab = browser.page()
    for domain in ("Page", "Runtime", "Log"):
        tab.call(f"{domain}.enable")
    tab.call(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    )
    tab.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    try:
        yield tab
    finally:
        tab.call("Emulation.setScriptExecutionDisabled", {"value": False})
        tab.close()


def _url(docs_dir: Path, page: str) -> str:
    return (docs_dir / "html" / page).resolve().as_uri()


def test_sidebar_lists_every_operation_and_navigation_works(page: Page, docs_dir: Path, api) -> None:  # type: ignore[no-untyped-def]
    page.navigate(_url(docs_dir, "index.html"))
    hrefs = page.evaluate(
        "Array.from(document.querySelectorAll('#_nav [data-search] a')).map(a => a.getAttribute('href'))"
    )
    for r in api.resources:
        for op in r.operations:
            assert f"tags/{r.name}.html#{op.operation_id}" in hrefs, op.operation_id
    for model in api.models:
        assert f"models.html#{model.name}" in hrefs, model.name
    page.screenshot(ARTIFACTS / "index-light.png")

    # follow a sidebar link to another page: the operation's section is there and scrolled into view
    target = api.resources[-1].operations[-1]
    selector = json.dumps(f'#_nav a[href="tags/{api.resources[-1].name}.html#{target.operation_id}"]')
    page.events.clear()
    page.evaluate(f"document.querySelector({selector}).click()")
    page.wait_for(lambda e: e["method"] == "Page.loadEventFired")
    location = page.evaluate("location.href")
    assert location.endswith(f"/html/tags/{api.resources[-1].name}.html#{target.operation_id}")
    top = page.evaluate(f"document.getElementById({json.dumps(target.operation_id)}).getBoundingClientRect().top")
    assert -5 <= top <= 120, top
    page.screenshot(ARTIFACTS / "tag-page.png")

    # an in-page link of the operation table of this page, then the models page through the sidebar
    first = api.resources[-1].operations[0].operation_id
    page.evaluate(f"document.querySelector('main a[href=\"#{first}\"]').click()")
    assert page.evaluate("location.hash") == f"#{first}"
    page.evaluate("document.querySelector('#_nav details.nav-models').open = true")
    model = api.models[0].name
    page.evaluate(f"document.querySelector('#_nav a[href=\"../models.html#{model}\"]').click()")
    page.wait_for(lambda e: e["method"] == "Page.loadEventFired")
    assert page.evaluate("location.pathname").endswith("/html/models.html")
    assert page.evaluate(f"document.getElementById({json.dumps(model)}) !== null")
    assert page.errors() == []


def test_search_finds_an_operation_by_a_word_of_its_summary(page: Page, docs_dir: Path, api) -> None:  # type: ignore[no-untyped-def]
    page.navigate(_url(docs_dir, "index.html"))
    assert page.evaluate("document.getElementById('_search-box').hidden") is False
    summaries = {op.operation_id: op.summary.lower().split() for op in api.operations}
    # a word of one summary that few other summaries have
    op_id, word = min(
        ((o, w) for o, words in summaries.items() for w in words if len(w) > 4),
        key=lambda pair: (sum(pair[1] in words for words in summaries.values()), pair),
    )
    page.evaluate("document.getElementById('_search').focus()")
    page.call("Input.insertText", {"text": word})
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('#_nav [data-search]')).filter(li => !li.hidden).map(li => li.querySelector('a').getAttribute('href'))"
    )
    assert any(href.endswith(f"#{op_id}") for href in visible), (word, visible)
    total = page.evaluate("document.querySelectorAll('#_nav [data-search]').length")
    assert 0 < len(visible) < total
    assert "match" in page.evaluate("document.getElementById('_search-status').textContent")
    page.screenshot(ARTIFACTS / "search.png")
    # Enter opens the first match
    page.events.clear()
    page.call(
        "Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
    )
    page.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13})
    page.wait_for(lambda e: e["method"] in ("Page.loadEventFired", "Page.navigatedWithinDocument"))
    assert page.evaluate("location.href").endswith(visible[0].split("/")[-1])
    # a model is found by its name
    page.navigate(_url(docs_dir, "index.html"))
    page.evaluate("document.getElementById('_search').focus()")
    model = api.models[-1].name
    page.call("Input.insertText", {"text": model.lower()})
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#_nav .nav-models [data-search]')).filter(li => !li.hidden).map(li => li.textContent)"
    )
    assert model in shown
    assert page.evaluate("document.querySelector('#_nav details.nav-models').open") is True
    assert page.errors() == []


def test_dark_mode_and_phone_layout(page: Page, docs_dir: Path) -> None:
    page.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    page.navigate(_url(docs_dir, "index.html"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    page.screenshot(ARTIFACTS / "index-dark.png")
    page.navigate(_url(docs_dir, "tags/sms.html"))
    page.screenshot(ARTIFACTS / "tag-page-dark.png")
    page.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    page.call(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    )
    for name in ("index.html", "tags/sms.html", "models.html"):
        page.navigate(_url(docs_dir, name))
        width = page.evaluate("window.innerWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name  # no sideways scrolling
        assert page.evaluate("getComputedStyle(document.querySelector('.sidebar')).position") == "static"
    page.screenshot(ARTIFACTS / "phone.png")
    assert page.errors() == []


def test_every_page_is_usable_without_javascript(page: Page, docs_dir: Path, docs) -> None:  # type: ignore[no-untyped-def]
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    for name in sorted(n for n in docs if n.endswith(".html")):
        page.navigate(_url(docs_dir, name[len("html/") :]))
        assert page.evaluate("document.querySelectorAll('#_nav [data-search] a').length") > 0
    page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert page.errors() == []


def test_no_console_errors_on_any_page(page: Page, docs_dir: Path, docs) -> None:  # type: ignore[no-untyped-def]
    for name in sorted(n for n in docs if n.endswith(".html")):
        page.navigate(_url(docs_dir, name[len("html/") :]))
        assert page.evaluate("document.styleSheets.length") == 1, name
        assert page.evaluate("getComputedStyle(document.querySelector('.layout')).display") == "grid", name
    assert page.errors() == []


def test_the_console_check_sees_errors_and_failed_loads(page: Page, tmp_path: Path) -> None:
    """The checks above would notice: a console error, an exception and a stylesheet that does not load."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title><link rel="stylesheet" href="missing.css"></head>'
        '<body><script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    page.navigate(bad.as_uri())
    errors = " ".join(page.errors())
    assert "boom" in errors and "undefinedFunction" in errors and "missing.css" in errors
