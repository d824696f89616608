"""Shared by the docs tests: building the docs, reading links, anchors and examples back out of them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import html5lib
from markdown_it import MarkdownIt

from generator.model import ir
from generator.reference.pages import emit_docs
from generator.pipeline import analyse

PACKAGE = ir.PackageInfo(package="huawei_sms", distribution="huawei-sms-client", version="0.1.0")


def build(spec: Path, package: ir.PackageInfo = PACKAGE) -> tuple[ir.Api, dict[str, str]]:
    result = analyse(spec)
    assert not result.errors, [str(d) for d in result.errors]
    return result.api, emit_docs(result.api, package)


def write(files: dict[str, str], root: Path) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# -- HTML --------------------------------------------------------------------------------------------


def parse_html_strict(text: str, name: str = "page") -> object:
    """Parse with html5lib's strict parser: any parse error raises, naming the page and the position."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(text)
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"{name}: HTML parse error {exc} ({parser.errors[:3]})") from None


@dataclass(frozen=True)
class Link:
    page: str
    href: str
    tag: str


def html_ids_and_links(text: str, page: str) -> tuple[list[str], list[Link]]:
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    ids: list[str] = []
    links: list[Link] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if "id" in element.attrib:
            ids.append(element.attrib["id"])
        if element.tag == "a" and "name" in element.attrib:
            ids.append(element.attrib["name"])
        for attribute in ("href", "src", "action", "poster", "data"):
            if attribute in element.attrib:
                links.append(Link(page, element.attrib[attribute], element.tag))
    return ids, links


# -- Markdown ----------------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark")
_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def markdown_ids_and_links(text: str, page: str) -> tuple[list[str], list[Link]]:
    ids = _ANCHOR.findall(text)
    links: list[Link] = []

    def walk(tokens: list) -> None:  # type: ignore[type-arg]
        for token in tokens:
            if token.type == "link_open":
                links.append(Link(page, str(token.attrGet("href")), "a"))
            if token.children:
                walk(token.children)

    walk(_MD.parse(text))
    return ids, links


def is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme) or href.startswith("//")


def broken_links(files: dict[str, str]) -> list[str]:
    """Every internal link (page and #anchor) of the Markdown and HTML files that does not resolve."""
    ids: dict[str, list[str]] = {}
    links: list[Link] = []
    for name, text in files.items():
        if name.endswith(".html"):
            found, page_links = html_ids_and_links(text, name)
        elif name.endswith(".md"):
            found, page_links = markdown_ids_and_links(text, name)
        else:
            continue
        ids[name] = found
        links.extend(page_links)
    problems: list[str] = []
    for name, found in ids.items():
        duplicates = sorted({i for i in found if found.count(i) > 1})
        if duplicates:
            problems.append(f"{name}: duplicate ids {duplicates}")
    for link in links:
        if is_external(link.href):
            continue
        parts = urlsplit(link.href)
        target = link.page
        if parts.path:
            target = str(PurePosixPath(link.page).parent / unquote(parts.path))
            target = _normalise(target)
        if target not in files:
            problems.append(f"{link.page}: <{link.tag}> {link.href!r} -> missing file {target!r}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and fragment not in ids.get(target, []):
            problems.append(f"{link.page}: {link.href!r} -> no anchor {fragment!r} in {target}")
    return problems


def _normalise(path: str) -> str:
    out: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            if out:
                out.pop()
        elif part != ".":
            out.append(part)
    return "/".join(out)


# -- examples ----------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(`{3,})python\n(.*?)\n\1$", re.S | re.M)
_HTML_CODE = re.compile(r'<pre tabindex="0"><code class="language-python">(.*?)</code></pre>', re.S)


def markdown_python_examples(text: str) -> list[str]:
    return [match.group(2) for match in _FENCE.finditer(text)]


def html_python_examples(text: str) -> list[str]:
    return [html.unescape(match.group(1)) for match in _HTML_CODE.finditer(text)]


@dataclass(frozen=True)
class Example:
    page: str
    operation_id: str
    source: str


_OPERATION_ANCHOR = re.compile(r'^<a id="([^"]+)"></a>$', re.M)


def examples_by_operation(files: dict[str, str], api: ir.Api) -> list[Example]:
    """Every Python example of the tag pages, with the operation whose section holds it."""
    anchors = {op.operation_id for op in api.operations}
    out: list[Example] = []
    for name, text in sorted(files.items()):
        if not (name.startswith("tags/") and name.endswith(".md")):
            continue
        marks = [(m.start(), m.group(1)) for m in _OPERATION_ANCHOR.finditer(text) if m.group(1) in anchors]
        for match in _FENCE.finditer(text):
            owner = [op for start, op in marks if start < match.start()]
            assert owner, f"{name}: a Python example outside any operation section"
            out.append(Example(name, owner[-1], match.group(2)))
    return out
