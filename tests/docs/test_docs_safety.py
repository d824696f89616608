"""No spec string can make the docs run code: raw HTML, event handlers and javascript: links come out inert.

A small hostile spec is written into the test's tmp dir and generated with the CLI; the HTML is parsed and
walked, and the Markdown is rendered *with* raw HTML enabled (as a permissive viewer would) and walked too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
import yaml
from markdown_it import MarkdownIt

from generator.cli.commands import main
from generator.reference.text import markdown_block, render_html, safe_link
from tests.docs.support import broken_links, parse_html_strict

SCRIPT = "<script>alert('pwned')</script>"
IMG = '<img src=x onerror="alert(1)">'


def _hostile_spec() -> dict:  # type: ignore[type-arg]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Evil </title><script>alert(1)</script> API",
            "version": "1.0 <b onmouseover=alert(1)>",
            "description": (
                f"Intro {SCRIPT} and {IMG}.\n\n"
                "[click me](javascript:alert(document.cookie)) [data](data:text/html;base64,PHNjcmlwdD4=)\n"
                "[spaced](  JaVaScRiPt:alert(2)) <javascript:alert(3)> [ok](https://example.com/ok)\n\n"
                '<div onclick="alert(4)">block html</div>\n\n'
                "![pixel](https://tracker.example.com/p.gif)\n\n"
                "# A heading inside a description\n\n"
                "[ref]: javascript:alert(5)\n"
            ),
        },
        "servers": [
            {
                "url": "https://api.example.com/{region}",
                "description": f"server {SCRIPT}",
                "variables": {"region": {"default": 'r"><script>alert(6)</script>', "description": IMG}},
            }
        ],
        "tags": [{"name": "things", "description": f"tag {SCRIPT}"}],
        "paths": {
            "/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "summary": f"Get a thing {SCRIPT}",
                    "description": f"Operation text {IMG} [x](javascript:alert(7))",
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "description": f"param {SCRIPT}",
                            "schema": {"type": "string", "pattern": "^</code><script>alert(8)</script>$"},
                            "example": "</code></pre><script>alert(9)</script>",
                        },
                        {
                            "name": 'q"><svg onload=alert(10)>',
                            "in": "query",
                            "schema": {"type": "string", "default": "<script>alert(11)</script>"},
                        },
                    ],
                    "security": [{"key": []}],
                    "responses": {
                        "200": {
                            "description": f"ok {SCRIPT}",
                            "headers": {"X-Evil": {"description": IMG, "schema": {"type": "string"}}},
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"},
                                    "examples": {
                                        "evil": {
                                            "summary": f"example {SCRIPT}",
                                            "value": {"name": "</code></pre><script>alert(12)</script>"},
                                        }
                                    },
                                }
                            },
                        },
                        "404": {"description": "[gone](javascript:alert(13))"},
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "key": {
                    "type": "apiKey",
                    "in": "header",
                    "name": 'X-Key"><script>alert(14)</script>',
                    "description": f"scheme {SCRIPT}",
                }
            },
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": f"model {SCRIPT}",
                    "required": ["name"],
                    "properties": {
                        "name": {
                            "type": "string",
                            "description": f"field {IMG}",
                            "example": "<script>alert(15)</script>",
                        },
                        "kind": {"type": "string", "enum": ["<script>alert(16)</script>", "plain"]},
                    },
                }
            },
        },
    }


@pytest.fixture(scope="module")
def hostile_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    spec = root / "spec" / "openapi.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_hostile_spec(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = root / "generated"
    assert main(["generate", str(spec), "-o", str(out), "--package-name", "evil_client"]) == 0
    docs = out / "docs"
    return {str(p.relative_to(docs)): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*")) if p.is_file()}


_OUR_SCRIPTS = ("site.js", "nav.js")


def _walk_inert(html_text: str, where: str, allowed_scripts: int) -> None:
    tree = html5lib.parse(html_text, namespaceHTMLElements=False)
    scripts = [e for e in tree.iter() if e.tag == "script"]
    assert len(scripts) == allowed_scripts, (where, [e.text for e in scripts])
    for script in scripts:  # ours: files of the site, nothing inline
        assert not (script.text or "").strip(), where
        assert script.attrib["src"].rsplit("/", 1)[-1] in _OUR_SCRIPTS, (where, script.attrib)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        allowed = {"meta"} if where.endswith(".html") else {"img"}  # Markdown keeps the spec's own images
        assert element.tag not in {"iframe", "object", "embed", "svg", "img", "base", "form", "meta"} - allowed, (
            where,
            element.tag,
        )
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert safe_link(value), (where, element.tag, value)


def test_html_pages_are_inert(hostile_docs: dict[str, str]) -> None:
    pages = {n: t for n, t in hostile_docs.items() if n.endswith(".html")}
    assert pages
    for name, text in pages.items():
        parse_html_strict(text, name)
        _walk_inert(text, name, allowed_scripts=len(_OUR_SCRIPTS))
        assert "javascript:" not in " ".join(re.findall(r'(?:href|src)="([^"]*)"', text)).lower(), name
    page = pages["html/tags/things.html"]
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page  # shown as text, not run
    assert "onerror" in page and 'onerror="' not in page.replace("onerror=&#34;", "")


def test_the_data_files_are_json_that_cannot_close_a_script(hostile_docs: dict[str, str]) -> None:
    """nav.js and search-index.js hold spec text (titles, names) as JSON; site.js only sets it as text."""
    for name, variable in (("html/nav.js", "apigenNav"), ("html/search-index.js", "apigenSearchIndex")):
        text = hostile_docs[name]
        prefix = f"window.{variable} = "
        body = text[text.index(prefix) + len(prefix) : text.rindex(";")]
        data = json.loads(body)
        assert "<" not in body and "\u2028" not in body, name
        assert "<script>alert('pwned')</script>" in json.dumps(data, ensure_ascii=False) or name == "html/nav.js"
    assert "Get a thing <script>alert('pwned')</script>" in hostile_docs["html/nav.js"].replace("\\u003c", "<")
    site = hostile_docs["html/site.js"]
    assert "innerHTML" not in site and "insertAdjacentHTML" not in site and "document.write" not in site
    assert "eval(" not in site and "new Function" not in site


def test_markdown_is_inert_even_where_raw_html_is_rendered(hostile_docs: dict[str, str]) -> None:
    permissive = MarkdownIt("commonmark", {"html": True})
    permissive.validateLink = lambda url: True  # type: ignore[method-assign]
    for name, text in hostile_docs.items():
        if name.endswith(".md"):
            rendered = permissive.render(text)
            _walk_inert(rendered, name, allowed_scripts=0)


def test_links_of_the_hostile_docs_still_resolve(hostile_docs: dict[str, str]) -> None:
    assert broken_links(hostile_docs) == []


def test_images_in_descriptions_load_nothing() -> None:
    html = render_html("![pixel](https://tracker.example.com/p.gif) and <img src=x onerror=alert(1)>")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
     "vbscript:x", "data:text/html,x", "file:///etc/passwd"],
)  # fmt: skip
def test_unsafe_link_schemes_are_refused(url: str) -> None:
    assert not safe_link(url)
    assert "href" not in render_html(f"[x]({url})")
    block = markdown_block(f"[x]({url})")
    rendered = MarkdownIt("commonmark").render(block)
    assert "href" not in rendered or "javascript" not in rendered.lower()


@pytest.mark.parametrize("url", ["https://example.com", "http://x.test/a?b=c", "mailto:a@example.com"])
def test_absolute_links_are_kept(url: str) -> None:
    assert safe_link(url)
    assert 'href="' in render_html(f"[x]({url})")
    assert f"[x]({url})" in markdown_block(f"[x]({url})")


@pytest.mark.parametrize("url", ["#anchor", "other.html#x", "../up", "/root/path"])
def test_relative_links_of_descriptions_become_text(url: str) -> None:
    """They point into the spec author's site, not into the docs: shown, not linked."""
    html = render_html(f"see [the guide]({url}) and **more**")
    assert "href" not in html and "the guide" in html and "<strong>more</strong>" in html
    assert "href" not in MarkdownIt("commonmark").render(markdown_block(f"[the guide]({url})"))


def test_code_and_autolinks_survive_markdown_escaping() -> None:
    text = "Use `a<b>` and <https://example.com/x> or\n\n    <indented code>\n\n```\n<fenced>\n```\n"
    block = markdown_block(text)
    assert "`a<b>`" in block and "<https://example.com/x>" in block
    assert "    <indented code>" in block and "\n<fenced>\n" in block
    assert markdown_block("x <b>bold</b>") == "x \\<b>bold\\</b>"


def test_description_headings_stay_below_the_page_headings() -> None:
    html = render_html("# Top\n\n## Second")
    assert "<h4>Top</h4>" in html and "<h5>Second</h5>" in html


def test_generated_copy_is_complete(hostile_docs: dict[str, str], tmp_path: Path) -> None:
    assert "tags/things.md" in hostile_docs and "html/tags/things.html" in hostile_docs
    assert "getThing" in hostile_docs["README.md"]
