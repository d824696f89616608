"""The HTML site in headless Chromium, opened from disk (file://): navigation, phone menu, search, example
tabs, copy buttons, section links, layout at 390x844 and 1280x900 in light and dark, and axe-core.

Skips (with the reason) where no Chromium is installed; ``.ci/run`` installs Debian's ``chromium``. The
accessibility checks also need axe-core, which ``make test`` installs from npm into ``.venv/axe`` (or point
``AXE_CORE`` at an ``axe.min.js``); they skip with the reason without it. Screenshots of every page checked
are saved under ``test-artifacts/docs/`` for a look.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.cdp import Chromium, Page, find_chromium
from tests.support.paths import REPO

ARTIFACTS = REPO / "test-artifacts" / "docs"
CHROMIUM = find_chromium()
AXE = Path(os.environ.get("AXE_CORE") or REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (install Debian's chromium package, or set CHROMIUM=/path/to/it)"
)

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PAGES = ("index.html", "tags/sms.html", "models.html", "webhooks.html")

# every visible element wider than the viewport, or reaching past either edge, outside code blocks
OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.parentElement && e.parentElement.closest("pre")) continue;  // inside a code block: it scrolls
    const r = e.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue;  // nothing drawn (and the visually-hidden live region)
    if (r.right > width + 0.5 || r.left < -0.5) out.push(`${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out.slice(0, 10);
})()"""


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
    _size(tab, DESKTOP)
    _scheme(tab, "light")
    try:
        yield tab
    finally:
        tab.call("Emulation.setScriptExecutionDisabled", {"value": False})
        tab.evaluate("(() => { try { localStorage.clear(); } catch (e) { /* about:blank */ } })()")
        tab.close()


def _size(page: Page, metrics: dict[str, object]) -> None:
    page.call("Emulation.setDeviceMetricsOverride", metrics)


def _scheme(page: Page, scheme: str) -> None:
    page.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


def _url(docs_dir: Path, page: str) -> str:
    path, _, fragment = page.partition("#")
    return (docs_dir / "html" / path).resolve().as_uri() + (f"#{fragment}" if fragment else "")


def _key(page: Page, key: str, code: str = "", vk: int = 0) -> None:
    for kind in ("keyDown", "keyUp"):
        page.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code or key, "windowsVirtualKeyCode": vk})


def _search(page: Page, text: str) -> list[dict[str, str]]:
    page.evaluate("document.getElementById('_search').focus()")
    page.evaluate("document.getElementById('_search').value = ''")
    page.call("Input.insertText", {"text": text})
    page.evaluate(  # the index loads on first use (a <script src>, so file:// works)
        "new Promise(r => { const t = Date.now(); (function w() { "
        "if (document.getElementById('_search-status').textContent || Date.now() - t > 5000) r(); else setTimeout(w, 20); })(); })"
    )
    return page.evaluate(  # type: ignore[no-any-return]
        "Array.from(document.querySelectorAll('#_search-results [role=option]')).map(o => "
        "({href: o.getAttribute('data-href'), text: o.querySelector('.label').textContent, why: o.querySelector('.why').textContent}))"
    )


def _body_fields(api, t, seen=None) -> set[str]:  # type: ignore[no-untyped-def]
    """Wire names of every field a request body type holds, however deep."""
    from generator.model import ir

    seen = set() if seen is None else seen
    while isinstance(t, (ir.Nullable, ir.ArrayType)):
        t = t.inner if isinstance(t, ir.Nullable) else t.item
    if not isinstance(t, ir.ModelRef) or t.name in seen:
        return set()
    seen.add(t.name)
    model = api.model(t.name)
    names: set[str] = set()
    for f in getattr(model, "fields", ()):
        names |= {f.wire_name} | _body_fields(api, f.type, seen)
    return names


def test_the_navigation_lists_every_operation_and_its_links_work(page: Page, docs_dir: Path, api) -> None:  # type: ignore[no-untyped-def]
    page.navigate(_url(docs_dir, "index.html"))
    groups = page.evaluate("Array.from(document.querySelectorAll('#_nav-tree .nav-title')).map(a => a.textContent)")
    assert groups == [r.tag for r in api.resources] + (["Webhooks"] if api.webhooks else []) + ["Models"]
    # every group expands (filled on demand), and together they list every operation and model
    page.evaluate("document.querySelectorAll('#_nav-tree .nav-toggle').forEach(b => b.click())")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#_nav-tree li a')).map(a => a.getAttribute('href'))")
    for r in api.resources:
        for op in r.operations:
            assert f"tags/{r.name}.html#{op.operation_id}" in hrefs, op.operation_id
    for model in api.models:
        assert f"models.html#{model.name}" in hrefs, model.name
    page.evaluate("document.querySelectorAll('#_nav-tree .nav-toggle').forEach(b => b.click())")
    assert page.evaluate("document.querySelectorAll('#_nav-tree ul:not([hidden])').length") == 0

    # follow a link of the tree to another page: the operation's section is there and scrolled into view
    resource = api.resources[-1]
    target = resource.operations[-1]
    page.evaluate("document.querySelectorAll('#_nav-tree .nav-toggle')[%d].click()" % (len(api.resources) - 1))
    selector = json.dumps(f'#_nav-tree a[href="tags/{resource.name}.html#{target.operation_id}"]')
    page.events.clear()
    page.evaluate(f"document.querySelector({selector}).click()")
    page.wait_for(lambda e: e["method"] == "Page.loadEventFired")
    assert page.evaluate("location.href").endswith(f"/html/tags/{resource.name}.html#{target.operation_id}")
    top = page.evaluate(f"document.getElementById({json.dumps(target.operation_id)}).getBoundingClientRect().top")
    assert -5 <= top <= 120, top
    # on a tag page its own group is open and marked current; the others are closed
    assert page.evaluate("document.querySelector('#_nav-tree .nav-title[aria-current=page]').textContent") == resource.tag
    open_groups = page.evaluate(
        "Array.from(document.querySelectorAll('#_nav-tree ul:not([hidden])')).map(u => u.parentNode.querySelector('.nav-title').textContent)"
    )
    assert open_groups == [resource.tag]
    # the models page through the tree
    page.evaluate("Array.from(document.querySelectorAll('#_nav-tree .nav-toggle')).pop().click()")
    model = api.models[0].name
    page.events.clear()
    page.evaluate(f"document.querySelector('#_nav-tree a[href=\"../models.html#{model}\"]').click()")
    page.wait_for(lambda e: e["method"] == "Page.loadEventFired")
    assert page.evaluate("location.pathname").endswith("/html/models.html")
    assert page.evaluate(f"document.getElementById({json.dumps(model)}) !== null")
    assert page.errors() == []


def test_search_finds_operations_by_field_name_error_code_and_summary_word(page: Page, docs_dir: Path, api) -> None:  # type: ignore[no-untyped-def]
    page.navigate(_url(docs_dir, "tags/apps.html"))
    assert page.evaluate("document.getElementById('_search-box').hidden") is False
    assert page.evaluate("typeof window.apigenSearchIndex") == "undefined"  # loaded only when needed

    # a field of a request body, at any depth (not in any title): the operations that send it, first
    with_field = sorted(
        op.operation_id for op in api.operations if op.body and "templateParas" in _body_fields(api, op.body.chosen.type)
    )
    assert len(with_field) >= 2
    found = _search(page, "templateParas")
    operations = [r for r in found if r["href"].startswith("../tags/")]
    assert sorted(r["href"].rsplit("#", 1)[1] for r in operations[: len(with_field)]) == with_field, found
    assert all("templateParas" in r["why"] for r in operations[: len(with_field)]), found
    assert any(r["href"] == "../models.html#BatchSendSmsRequest" for r in found), found

    # an error code named only in a response field's description: the operation whose response holds it
    found = _search(page, "E200041")
    assert any(r["href"] == "../tags/sms.html#batchSendSms" for r in found), found
    assert any(r["href"] == "../models.html#SmsResult" for r in found), found
    assert "error code E200041" in [r["why"] for r in found if r["href"].endswith("#batchSendSms")][0]

    # words of a summary, in any order and case; a title match ranks first
    op = next(o for o in api.operations if o.operation_id == "listApps")
    words = op.summary.split()
    found = _search(page, " ".join(reversed(words)).upper())
    assert found[0]["href"] == "../tags/apps.html#listApps", found
    assert "match" in page.evaluate("document.getElementById('_search-status').textContent")
    assert _search(page, "zzzz-no-such-thing") == []
    assert page.evaluate("document.getElementById('_search-status').textContent") == "No matches"

    # keyboard: ArrowDown moves the active option (aria-activedescendant), Enter opens it
    found = _search(page, "templateParas")
    page.screenshot(ARTIFACTS / "search.png")
    _key(page, "ArrowDown", vk=40)
    _key(page, "ArrowDown", vk=40)
    active = page.evaluate("document.getElementById('_search').getAttribute('aria-activedescendant')")
    assert active == "_sr-1"
    assert page.evaluate("document.getElementById('_sr-1').getAttribute('aria-selected')") == "true"
    page.events.clear()
    _key(page, "Enter", vk=13)
    page.wait_for(lambda e: e["method"] in ("Page.loadEventFired", "Page.navigatedWithinDocument"))
    assert page.evaluate("location.href").endswith(found[1]["href"].replace("../", "/html/"))
    # Escape clears; "/" focuses the box from anywhere
    page.navigate(_url(docs_dir, "index.html"))
    _search(page, "sms")
    _key(page, "Escape", vk=27)
    assert page.evaluate("document.getElementById('_search').value") == ""
    assert page.evaluate("document.getElementById('_search-results').hidden") is True
    page.evaluate("document.activeElement.blur()")
    _key(page, "/", "Slash", 191)
    assert page.evaluate("document.activeElement.id") == "_search"
    # a model by its name
    model = api.models[-1].name
    assert f"models.html#{model}" in [r["href"] for r in _search(page, model.lower())[:3]]
    assert page.errors() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_nothing_is_wider_than_the_screen_but_code(page: Page, docs_dir: Path, size: str, scheme: str) -> None:
    _size(page, PHONE if size == "phone" else DESKTOP)
    _scheme(page, scheme)
    for name in PAGES:
        page.navigate(_url(docs_dir, name))
        assert page.evaluate("document.querySelector('main h1') !== null"), name  # the page, not an error page
        assert page.evaluate(OVERFLOW) == [], (size, scheme, name)
        width = page.evaluate("document.documentElement.clientWidth")  # innerWidth grows with the page on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (size, scheme, name)
        page.screenshot(ARTIFACTS / f"{name.replace('/', '-')[:-5]}-{size}-{scheme}.png")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(13, 17, 23)" if scheme == "dark" else "rgb(255, 255, 255)")
    page.navigate(_url(docs_dir, "tags/sms.html#batchSendSms"))
    assert page.evaluate("document.getElementById('batchSendSms').getBoundingClientRect().top") < 120
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(ARTIFACTS / f"operation-{size}-{scheme}.png")
    assert page.errors() == []


def test_phone_menu_opens_and_closes_the_navigation(page: Page, docs_dir: Path) -> None:
    _size(page, PHONE)
    page.navigate(_url(docs_dir, "tags/sms.html"))
    nav_shown = "getComputedStyle(document.getElementById('_nav')).display !== 'none'"
    assert page.evaluate(nav_shown) is False  # not in the way of the content
    assert page.evaluate("document.getElementById('_menu').getAttribute('aria-expanded')") == "false"
    page.evaluate("document.getElementById('_menu').click()")
    assert page.evaluate(nav_shown) is True
    assert page.evaluate("getComputedStyle(document.getElementById('_nav')).position") == "fixed"  # an overlay
    assert page.evaluate("document.getElementById('_menu').getAttribute('aria-expanded')") == "true"
    assert page.evaluate("document.getElementById('_nav').contains(document.activeElement)") is True
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(ARTIFACTS / "phone-menu-open.png")
    _key(page, "Escape", vk=27)
    assert page.evaluate(nav_shown) is False
    assert page.evaluate("document.activeElement.id") == "_menu"
    # the scrim closes it too, and so does following a link
    page.evaluate("document.getElementById('_menu').click()")
    page.evaluate("document.querySelector('.scrim').click()")
    assert page.evaluate(nav_shown) is False
    page.evaluate("document.getElementById('_menu').click()")
    page.evaluate("document.querySelector('#_nav-tree ul:not([hidden]) a').click()")
    assert page.evaluate(nav_shown) is False
    # on a wide screen there is no menu button: the navigation is a column
    _size(page, DESKTOP)
    page.navigate(_url(docs_dir, "tags/sms.html"))
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "none"
    assert page.evaluate(nav_shown) is True
    assert page.errors() == []


def test_examples_sit_beside_the_text_on_wide_screens_as_remembered_tabs(page: Page, docs_dir: Path, api) -> None:  # type: ignore[no-untyped-def]
    page.navigate(_url(docs_dir, "tags/apps.html"))
    main = page.evaluate("JSON.stringify(document.querySelector('.operation .op-main').getBoundingClientRect())")
    aside = page.evaluate("JSON.stringify(document.querySelector('.operation .op-examples').getBoundingClientRect())")
    main, aside = json.loads(main), json.loads(aside)
    nav = page.evaluate("document.getElementById('_nav').getBoundingClientRect().right")
    assert nav <= main["left"] < main["right"] <= aside["left"], (nav, main, aside)  # navigation | content | examples
    assert abs(main["top"] - aside["top"]) < 60
    tabs = page.evaluate(
        "Array.from(document.querySelector('.op-examples [data-tabs=language] [role=tablist]').querySelectorAll('[role=tab]')).map(t => t.textContent)"
    )
    paginated = api.operations[[o.operation_id for o in api.operations].index("listApps")].pagination is not None
    assert tabs == ["curl", "Python", "Python async"] + (["Every page"] if paginated else [])
    visible = (
        "Array.from(document.querySelectorAll('.op-examples [data-tabs=language] [role=tabpanel]')).filter(p => !p.hidden)"
        ".map(p => p.getAttribute('data-tab'))"
    )
    count = page.evaluate("document.querySelectorAll('.op-examples [data-tabs=language] [role=tablist]').length")
    assert page.evaluate(visible) == ["curl"] * count
    # one choice switches every operation of the page, and is remembered on the next page
    page.evaluate("document.querySelector('.op-examples [role=tab][data-tab=python]').click()")
    assert page.evaluate(visible) == ["python"] * count
    assert page.evaluate("document.querySelector('[role=tab][data-tab=python]').getAttribute('aria-selected')") == "true"
    page.navigate(_url(docs_dir, "tags/sms.html"))
    assert set(page.evaluate(visible)) == {"python"}
    # keyboard: arrows move between tabs
    page.evaluate("document.querySelector('.op-examples [data-tabs=language] [role=tab][aria-selected=true]').focus()")
    _key(page, "ArrowRight", vk=39)
    assert set(page.evaluate(visible)) == {"python-async"}
    assert page.evaluate("document.activeElement.getAttribute('data-tab')") == "python-async"
    # response samples: their own tabs per operation, independent of the language and of each other
    samples = "Array.from(document.querySelectorAll('[data-tabs=samples]'))"
    assert page.evaluate(f"{samples}.length") > 0
    first = page.evaluate(f"{samples}.map(s => s.querySelector('[role=tabpanel]:not([hidden])').getAttribute('data-tab'))")
    assert set(first) == {"s0"}
    multi = page.evaluate(f"{samples}.findIndex(s => s.querySelectorAll('[role=tab]').length > 1)")
    assert multi >= 0
    page.evaluate(f"{samples}[{multi}].querySelectorAll('[role=tab]')[1].click()")
    after = page.evaluate(f"{samples}.map(s => s.querySelector('[role=tabpanel]:not([hidden])').getAttribute('data-tab'))")
    assert after[multi] == "s1" and [t for i, t in enumerate(after) if i != multi] == ["s0"] * (len(after) - 1)
    assert set(page.evaluate(visible)) == {"python-async"}  # the language choice is untouched
    page.screenshot(ARTIFACTS / "tabs-desktop.png")
    # on a phone the examples follow the text
    _size(page, PHONE)
    page.navigate(_url(docs_dir, "tags/apps.html"))
    main = json.loads(page.evaluate("JSON.stringify(document.querySelector('.operation .op-main').getBoundingClientRect())"))
    aside = json.loads(page.evaluate("JSON.stringify(document.querySelector('.operation .op-examples').getBoundingClientRect())"))
    assert aside["top"] >= main["bottom"]
    assert page.errors() == []


def test_copy_buttons_and_section_links(page: Page, docs_dir: Path, browser: Chromium) -> None:
    page.navigate(_url(docs_dir, "tags/sms.html"))
    blocks = page.evaluate("document.querySelectorAll('pre > code').length")
    assert blocks > 0 and page.evaluate("document.querySelectorAll('.code > button.copy').length") == blocks
    # the clipboard: grant the permission, then press the button of the first curl example
    page.call("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    page.call("Emulation.setFocusEmulationEnabled", {"enabled": True})  # a headless tab is never focused
    expected = page.evaluate("document.querySelector('.op-examples pre code').textContent")
    page.evaluate("document.querySelector('.op-examples .code button.copy').click()")
    page.evaluate("new Promise(r => setTimeout(r, 100))")
    assert page.evaluate("document.querySelector('.op-examples .code button.copy').textContent") == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert expected.startswith("curl -X POST")
    # every section with an id has a link to itself; following one copies the page's URL with it
    missing = page.evaluate(
        "Array.from(document.querySelectorAll('main h2[id], main h3[id], main .response[id], main .media[id], main section[id]'))"
        ".filter(n => !(n.matches('h2,h3') ? n : n.querySelector(':scope > h2, :scope > h3, :scope > h4, :scope > .media-type, :scope > .op-main > h2'))"
        "?.querySelector(`a.anchor[href=\"#${n.id}\"]`)).map(n => n.id)"
    )
    assert missing == []
    anchor = page.evaluate("document.querySelector('.response[id] a.anchor').getAttribute('href')")
    assert anchor.startswith("#batchSendDiffSms-response-") or anchor.startswith("#")
    page.evaluate("document.querySelector('.response[id] a.anchor').click()")
    page.evaluate("new Promise(r => setTimeout(r, 100))")
    assert page.evaluate("location.hash") == anchor
    assert page.evaluate("navigator.clipboard.readText()") == page.evaluate("location.href")
    assert page.evaluate("document.getElementById('_announce').textContent").startswith("Link copied")
    assert page.errors() == []


def test_every_page_is_usable_without_javascript(page: Page, docs_dir: Path, docs) -> None:  # type: ignore[no-untyped-def]
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    _size(page, PHONE)
    for name in sorted(n for n in docs if n.endswith(".html")):
        page.navigate(_url(docs_dir, name[len("html/") :]))
        assert page.evaluate("document.querySelectorAll('#_nav a').length") > 5, name
        assert page.evaluate("getComputedStyle(document.getElementById('_nav')).display") == "block", name
        assert page.evaluate("document.querySelectorAll('[data-tab]:not([hidden])').length") == page.evaluate(
            "document.querySelectorAll('[data-tab]').length"
        )  # every example shown, one after the other
        assert page.evaluate(OVERFLOW) == [], name
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(ARTIFACTS / "phone-no-javascript.png")
    page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert page.errors() == []


def test_no_console_errors_on_any_page(page: Page, docs_dir: Path, docs) -> None:  # type: ignore[no-untyped-def]
    for name in sorted(n for n in docs if n.endswith(".html")):
        page.navigate(_url(docs_dir, name[len("html/") :]))
        assert page.evaluate("document.styleSheets.length") == 1, name
        assert page.evaluate("getComputedStyle(document.querySelector('.layout')).display") == "grid", name
        assert page.evaluate("document.documentElement.classList.contains('js')"), name
        assert page.evaluate("typeof window.apigenNav") == "object", name
    assert page.errors() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_serious_or_critical_violation(page: Page, docs_dir: Path, scheme: str) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE}): `make test` installs it with npm, or set AXE_CORE")
    source = AXE.read_text(encoding="utf-8")
    _scheme(page, scheme)
    report = {}
    for size, metrics in (("desktop", DESKTOP), ("phone", PHONE)):
        _size(page, metrics)
        for name in PAGES:
            page.navigate(_url(docs_dir, name))
            found = _axe(page, source)
            if found:
                report[f"{size} {name}"] = found
        # and with the widgets open: the menu (phone), every navigation group, search results, a chosen option
        page.navigate(_url(docs_dir, "tags/sms.html"))
        if size == "phone":
            page.evaluate("document.getElementById('_menu').click()")
        page.evaluate("document.querySelectorAll('#_nav-tree .nav-toggle').forEach(b => b.click())")
        _search(page, "sms")
        _key(page, "ArrowDown", vk=40)
        found = _axe(page, source)
        if found:
            report[f"{size} tags/sms.html, menu, groups and search open"] = found
    assert report == {}, json.dumps(report, indent=1)


def _axe(page: Page, source: str) -> list[str]:
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(source + "\n;0")
    return page.evaluate(  # type: ignore[no-any-return]
        "axe.run(document, {resultTypes: ['violations'], preload: false}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.length} x ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`))"
    )
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


def test_the_overflow_check_sees_a_wide_element(page: Page, tmp_path: Path) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<div id="w" style="width:2000px">x</div><pre><code style="display:block;width:3000px">code</code></pre></body></html>'
    )
    _size(page, PHONE)
    page.navigate(wide.as_uri())
    found = page.evaluate(OVERFLOW)
    assert len(found) == 1 and found[0].startswith("DIV."), found  # the code block's content is allowed


def test_hostile_spec_text_stays_text_in_the_navigation_and_search(page: Page, tmp_path: Path) -> None:
    """Names and summaries with markup reach the page through nav.js and the search index: shown, never run."""
    import yaml

    from generator.cli.commands import main
    from tests.docs.test_docs_safety import _hostile_spec

    spec = tmp_path / "spec" / "openapi.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_hostile_spec(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert main(["docs", str(spec), "-o", str(tmp_path / "out"), "--package-name", "evil_client"]) == 0
    html = tmp_path / "out" / "docs" / "html"
    page.navigate((html / "tags" / "things.html").resolve().as_uri())
    page.evaluate("document.querySelectorAll('#_nav-tree .nav-toggle').forEach(b => b.click())")
    for text in ("script", "alert", "pwned", "onerror", "svg"):
        _search(page, text)
    labels = page.evaluate("Array.from(document.querySelectorAll('#_nav-tree .label')).map(l => l.textContent)")
    assert "Get a thing <script>alert('pwned')</script>" in labels  # the text, as text
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))")
    assert scripts == ["../site.js", "../nav.js", "../search-index.js"], scripts
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert not [e for e in page.events if e["method"] == "Page.javascriptDialogOpening"]
    assert page.errors() == []
