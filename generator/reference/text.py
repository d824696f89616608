"""Spec text in the docs: CommonMark to inert HTML, and text that stays text inside Markdown.

Spec descriptions are CommonMark. In HTML they are rendered by markdown-it-py with raw HTML disabled,
links limited to ``http``, ``https``, ``mailto`` and relative targets, images shown as links (the site
loads nothing from elsewhere) and headings pushed below the page's own. In Markdown they are kept as
CommonMark, except that ``<`` outside code is escaped (no raw HTML reaches a Markdown renderer) and links
other than http(s) and mailto URLs are turned into plain text (relative ones would not resolve in the docs).
"""

from __future__ import annotations

import html
import re

import markdown_it
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

# what the HTML of a description depends on besides its text (memo.py keys kept pages by it)
MARKDOWN_VERSION = f"markdown-it-py {markdown_it.__version__}"

_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")


def safe_link(url: str) -> bool:
    """Whether a link target may be emitted: http(s), mailto, or relative (no scheme at all)."""
    decoded = html.unescape(url)
    # browsers drop ASCII tab/newline and leading control characters before reading the scheme
    cleaned = re.sub(r"[\x00-\x20]", "", decoded)
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in _SAFE_SCHEMES


def absolute_link(url: str) -> bool:
    """Whether a link from a spec description can resolve in the docs: an http(s) or mailto URL.

    Relative links and bare fragments of a description point into the spec author's own site, which the
    docs are not: they are shown as text rather than published as broken links.
    """
    decoded = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    match = _SCHEME.match(decoded)
    return match is not None and match.group(1).lower() in _SAFE_SCHEMES


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


_MD = _markdown()
_HEADING_SHIFT = 3


def render_html(text: str) -> Markup:
    """A spec description as HTML: raw HTML escaped, unsafe links dropped, headings from ``<h4>`` down."""
    return _render(_normal(text))[0]


def _normal(text: str) -> str:
    """The text both outputs read: newlines normalised, blank lines around it dropped (CommonMark ignores them)."""
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


# lines of plain words and `code spans`: nothing else CommonMark reads as syntax (no block marker or space
# first, no space last; outside code no inline markup, entity, escape or HTML; each code span one backtick
# either side of text with no backtick and no space at its ends), in paragraphs separated by empty lines.
# Their HTML is each paragraph in a <p>, escaped, code spans in <code>; Markdown keeps them as they are.
_PLAIN_CHAR = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\\`*_\[\]<>&!#~|]"
_PLAIN_CODE = r"(?<!`)`[^`\s](?:[^`\n]*[^`\s])?`(?!`)"
_PLAIN_LINE = rf"(?:{_PLAIN_CODE}|(?![\s=+\-\d]){_PLAIN_CHAR})(?:{_PLAIN_CODE}|{_PLAIN_CHAR})*(?<!\s)"
_PLAIN = re.compile(rf"{_PLAIN_LINE}(?:\n+{_PLAIN_LINE})*")
_PLAIN_INLINE = re.compile(_PLAIN_LINE)
_PLAIN_SPAN = re.compile(r"`([^`]+)`")


def _plain_html(text: str) -> str:
    """HTML of text that ``_PLAIN`` matches (outside code spans, escaping is all there is to do)."""
    out: list[str] = []
    pos = 0
    for match in _PLAIN_SPAN.finditer(text):
        out.append(escapeHtml(text[pos : match.start()]))
        out.append(f"<code>{escapeHtml(match.group(1))}</code>")
        pos = match.end()
    out.append(escapeHtml(text[pos:]))
    return "".join(out)


def _render(text: str) -> tuple[Markup, frozenset[int] | None]:
    """A normalised description as HTML, and the numbers of its lines that are code (fenced or indented);
    ``None`` for plain text, which Markdown keeps as it is."""
    if not text.strip():
        return Markup(""), frozenset()
    if _PLAIN.fullmatch(text):
        return Markup("".join(f"<p>{_plain_html(p)}</p>\n" for p in re.split(r"\n\n+", text))), None
    return _render_parsed(text)


def _render_parsed(text: str) -> tuple[Markup, frozenset[int]]:
    tokens = _MD.parse(text)
    code_lines = frozenset(
        n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(t.map[0], t.map[1])
    )
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + _HEADING_SHIFT)}"
        if token.children:
            _unlink_relative(token.children)
    return Markup(_MD.renderer.render(tokens, _MD.options, {})), code_lines


def _unlink_relative(tokens: list) -> None:  # type: ignore[type-arg]
    """Links that cannot resolve in the docs become a span with the target as its title."""
    stack: list[bool] = []
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            keep = absolute_link(href)
            stack.append(keep)
            if not keep:
                token.tag = "span"
                token.attrs = {"class": "link", "title": href}
        elif token.type == "link_close" and stack and not stack.pop():
            token.tag = "span"


def render_inline_html(text: str) -> Markup:
    """A one-line spec text (a summary) as inline HTML."""
    if not text:
        return Markup("")
    text = str(text)
    if _PLAIN_INLINE.fullmatch(text):
        return Markup(_plain_html(text))
    tokens = _MD.parseInline(text)
    for token in tokens:
        if token.children:
            _unlink_relative(token.children)
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))


# -- Markdown output ---------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]*)>", re.I)
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^( {0,3})\[([^\]]+)\]:\s*<?(\S*?)>?(\s|$)", re.M)


def _escape_prose(text: str) -> str:
    """Escape raw HTML and unsafe link targets in Markdown prose that holds no code spans."""
    keep: list[str] = []

    def stash(match: re.Match[str]) -> str:
        keep.append(match.group(0))
        return f"\x00{len(keep) - 1}\x00"

    text = _AUTOLINK.sub(stash, text.replace("\x00", ""))
    text = text.replace("<", "\\<")

    def inline(match: re.Match[str]) -> str:
        return match.group(0) if absolute_link(match.group(1)) else "]\\(" + match.group(0)[2:]

    text = _INLINE_LINK.sub(inline, text)

    def reference(match: re.Match[str]) -> str:
        return (
            match.group(0)
            if absolute_link(match.group(3))
            else match.group(1) + "\\" + match.group(0)[len(match.group(1)) :]
        )

    text = _REFERENCE.sub(reference, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def _escape_inline(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape_prose(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_escape_prose(text[pos:]))
    return "".join(out)


def markdown_block(text: str) -> str:
    """A spec description for a Markdown page: CommonMark kept, raw HTML and unsafe links made inert."""
    text = _normal(text)
    return _block(text, _render(text)[1])


def _block(text: str, code_lines: frozenset[int] | None) -> str:
    if not text.strip():
        return ""
    if code_lines is None:
        return text
    if not code_lines:
        return _escape_inline(text)
    out: list[str] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            out.append(_escape_inline("\n".join(chunk)))
            chunk.clear()

    for number, line in enumerate(text.split("\n")):
        if number in code_lines:
            flush()
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)


def markdown_cell(text: str) -> str:
    """A spec description inside a Markdown table cell: one line, pipes escaped, paragraphs as ``<br>``."""
    return _cell(markdown_block(text))


def _cell(block: str) -> str:
    if not block:
        return ""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", block)]
    return "<br>".join(p.replace("|", "\\|") for p in paragraphs if p)


class SpecText:
    """Spec descriptions rendered for one run of the docs: each distinct text is parsed once, for both outputs.

    Descriptions of shared schemas and parameters recur on many pages, and every one of them is shown in HTML
    and in Markdown; the results are pure functions of the text, so they are kept by text.
    """

    def __init__(self) -> None:
        self._rendered: dict[str, tuple[Markup, frozenset[int] | None]] = {}
        self._inline: dict[str, Markup] = {}
        self._block: dict[str, str] = {}
        self._cell: dict[str, str] = {}

    def _get(self, text: str) -> tuple[Markup, frozenset[int] | None]:
        hit = self._rendered.get(text)
        if hit is None:
            hit = self._rendered[text] = _render(_normal(text))
        return hit

    def html(self, text: str) -> Markup:
        """:func:`render_html`."""
        return self._get(text)[0]

    def inline_html(self, text: str) -> Markup:
        """:func:`render_inline_html`."""
        hit = self._inline.get(text)
        if hit is None:
            hit = self._inline[text] = render_inline_html(text)
        return hit

    def block(self, text: str) -> str:
        """:func:`markdown_block`."""
        hit = self._block.get(text)
        if hit is None:
            hit = self._block[text] = _block(_normal(text), self._get(text)[1])
        return hit

    def cell(self, text: str) -> str:
        """:func:`markdown_cell`."""
        hit = self._cell.get(text)
        if hit is None:
            hit = self._cell[text] = _cell(self.block(text))
        return hit


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~]|&(?=#?[A-Za-z0-9]+;))")


def markdown_text(text: str, collapse: bool = True) -> str:
    """Plain text (a summary, a name) that Markdown shows literally, on one line."""
    text = " ".join(str(text).split()) if collapse else str(text).replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """An inline code span holding ``text`` whatever backticks it contains (one line)."""
    value = " ".join(str(text).split("\n"))
    if "`" not in value:
        return f"` {value} `" if value.startswith(" ") and value.strip() else f"`{value}`"
    longest = max((len(m) for m in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or (value.startswith(" ") and value.strip()) else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def code_cell(text: str) -> str:
    """An inline code span inside a table cell (pipes escaped: GFM unescapes them inside code too)."""
    return code_span(text).replace("|", "\\|")


def fenced(text: str, language: str = "") -> str:
    """A fenced code block that no backtick run inside ``text`` can close."""
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"
