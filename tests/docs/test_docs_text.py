"""Spec text in the docs: the shortcut for plain descriptions says exactly what the CommonMark parser says.

Most descriptions are a few lines of words (with a `code span` or two); they skip markdown-it. Whatever text
takes the shortcut must come out byte for byte as the parser would write it, in HTML and in Markdown, and
the per-run cache must return what the functions return.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.reference import text
from generator.reference.text import (
    SpecText,
    markdown_block,
    markdown_cell,
    render_html,
    render_inline_html,
)

# near misses of "plain": block markers first, markup, code spans the shortcut must not take for its own
TRICKY = [
    "One line.",
    "Two lines\nof text.",
    "Two paragraphs.\n\nThe second one.",
    "Three\n\n\n\nblank lines",
    "The `id` of the `file`.",
    "`code` first",
    "ends in `code`",
    "`a``b`",
    "``double``",
    "` spaced `",
    "`a` `b`",
    "a`b`c",
    "unclosed `code",
    "`x\ny`",
    "1. a list",
    "2023 was a year",
    "- item",
    "+ item",
    "* item",
    "> quote",
    "# heading",
    "Title\n===",
    "Title\n---",
    "    indented code",
    "\tindented code",
    "hard  \nbreak",
    "trailing space ",
    " leading space",
    "snake_case name",
    "a & b",
    "a &amp; b",
    "<b>bold</b>",
    "[link](https://example.com)",
    'quotes "here" and \'there\'',
    "non\u00a0breaking\u00a0space",
    "\u00a0leading nbsp",
    "trailing nbsp\u00a0",
    "line\u2028separator",
    "Caf\u00e9 \u2014 na\u00efve",
    "a\n b",
    "a\n    b",
    "(parentheses) and {braces} and 50% off: $5 @ here?",
    "ok\n\n- list after",
    "text\n1) list",
    "[]()",  # a link to nowhere: a span in both ways (hypothesis found the comparison unlinked one side only)
]


def _agrees(source: str) -> None:
    normal = text._normal(source)
    if not normal.strip():
        return
    parsed_html, parsed_code = text._render_parsed(normal)
    html, code = text._render(normal)
    assert html == parsed_html, source
    assert text._block(normal, code) == text._block(normal, parsed_code), source
    inline = str(source)
    tokens = text._MD.parseInline(inline)  # the parser's way, with links the docs cannot resolve unlinked
    for token in tokens:
        if token.children:
            text._unlink_relative(token.children)
    assert render_inline_html(inline) == text._MD.renderer.render(tokens, text._MD.options, {}), source


@pytest.mark.parametrize("source", TRICKY)
def test_the_plain_shortcut_agrees_with_the_parser(source: str) -> None:
    _agrees(source)


def test_the_shortcut_is_taken_for_plain_text_and_code_spans_only() -> None:
    assert text._PLAIN.fullmatch("Two lines\nof `text`.\n\nAnd more.")
    for source in ("1. a list", "`a``b`", "snake_case", "hard  \nbreak", "> quote", "a & b", " lead"):
        assert not text._PLAIN.fullmatch(source), source
    assert render_html("The `<id>` of a & b.") == '<p>The <code>&lt;id&gt;</code> of a &amp; b.</p>\n'
    assert render_html("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>\n"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab `*_[]<>&!#~|=+-1.\n\t\\\u00a0\u00e9\"'()", max_size=30))
def test_any_text_renders_as_the_parser_renders_it(source: str) -> None:
    _agrees(source)


def test_the_run_cache_returns_what_the_functions_return() -> None:
    cache = SpecText()
    for source in [*TRICKY, "", "```\nfenced\n```\n\nafter `x`", "\r\nwindows\r\nlines\r\n"]:
        for _ in range(2):  # the second time from the cache
            assert cache.html(source) == render_html(source)
            assert cache.block(source) == markdown_block(source)
            assert cache.cell(source) == markdown_cell(source)
            assert cache.inline_html(source) == render_inline_html(source)
