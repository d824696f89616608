"""Each load limit ends in a located error, quickly, instead of exhausting memory, time or the stack."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.spec.diagnostics import SpecError
from generator.spec.limits import Limits
from generator.spec.load import load_spec
from tests.support.specs import line_of

HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)


def _error(path: Path, limits: Limits = Limits()) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(path, limits)
    return str(info.value)


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(HEAD + BOMB)
    assert len(BOMB) < 500
    started = time.monotonic()
    text = _error(spec)
    prefix, _, rest = text.partition(" nodes, ")
    assert prefix.startswith(f"{spec}:{line_of(spec, 'b: &b')}: error: YAML aliases expand this file by ")
    assert int(prefix.rsplit(" ", 1)[1].replace(",", "")) > 9**9  # the last level alone is 9**9 strings
    assert rest == "more than the limit of 1,000,000 ([tool.apigen] max-alias-expansion)"
    assert time.monotonic() - started < 5


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    spec = tmp_path / "ok.yaml"
    spec.write_text(HEAD + "x-a: &a {type: string}\nx-b: *a\n")
    assert load_spec(spec).document["x-b"] == {"type": "string"}


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "rec.yaml"
    spec.write_text(HEAD + "x-a: &a\n  - *a\n")
    assert _error(spec) == f"{spec}:4: error: a YAML alias refers to a node that contains it (a recursive document)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path: Path, suffix: str) -> None:
    spec = tmp_path / f"deep{suffix}"
    spec.write_text('{"openapi": "3.1.0", "x": ' + "[" * 1000 + "]" * 1000 + "}\n")
    text = _error(spec)
    assert text.startswith(f"{spec}:1: error: ") and "Recursion" not in text


def test_block_nesting_past_the_depth_limit_names_its_line(tmp_path: Path) -> None:
    spec = tmp_path / "deep.yaml"
    spec.write_text(HEAD + "x:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(200)) + " " * 202 + "v\n")
    # the document is level 1, x's value level 2, k0's value level 3, ...: level 129 is k126's value
    assert _error(spec) == f"{spec}:{4 + 128}: error: nesting deeper than 128 levels ([tool.apigen] max-depth)"
    assert load_spec(spec, Limits(max_depth=300)).document["x"]["k0"]["k1"] is not None


def test_a_long_string_is_refused_with_its_line(tmp_path: Path) -> None:
    spec = tmp_path / "long.yaml"
    spec.write_text(HEAD + "x-example: '" + "a" * 2_000_001 + "'\n")
    assert _error(spec) == (
        f"{spec}:4: error: string of 2,000,001 characters is longer than the limit of 1,000,000 "
        "([tool.apigen] max-string-length)"
    )


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(HEAD + "x: '" + "a" * 5000 + "'\n")
    assert _error(spec, Limits(max_file_bytes=1000)) == (
        f"{spec}: error: is larger than the limit of 1,000 bytes ([tool.apigen] max-file-size)"
    )


def test_the_largest_corpus_file_is_under_the_default_size_limit() -> None:
    openai = Path(__file__).parents[3].parent / "shared" / "corpus" / "large" / "openai.yaml"
    if not openai.exists():
        pytest.skip("../shared/corpus is absent")
    assert openai.stat().st_size * 4 < Limits().max_file_bytes


def test_a_lone_surrogate_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "\\ud800", "version": "1"}, "paths": {}}\n')
    assert _error(spec) == (
        f"{spec}:1: error: string holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text"
    )


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    spec = tmp_path / "u.yaml"
    spec.write_bytes(HEAD.encode() + b"x-a: caf\xe9\n")
    assert _error(spec) == f"{spec}:4: error: invalid UTF-8 (byte 0xe9 at column 9)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_huge_integer_is_a_located_error(tmp_path: Path, suffix: str) -> None:
    spec = tmp_path / f"i{suffix}"
    spec.write_text('{"openapi": "3.1.0",\n"x": ' + "7" * 4400 + "}\n")
    assert _error(spec) == (  # JSON is read as YAML first, so the line is known for both
        f"{spec}:2: error: integer of 4,400 digits is longer than the limit of 4,000 ([tool.apigen] max-int-digits)"
    )


def test_a_huge_hexadecimal_integer_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "hex.yaml"
    spec.write_text(HEAD + "x-n: 0x" + "f" * 3900 + "\n")  # 3,900 hex digits are ~4,700 decimal ones
    assert _error(spec) == f"{spec}:4: error: integer of more than 4,000 digits ([tool.apigen] max-int-digits)"


@pytest.mark.parametrize("tag", ["binary", "omap", "pairs", "set"])
def test_yaml_types_without_a_json_equivalent_are_located_errors(tmp_path: Path, tag: str) -> None:
    value = {"binary": "aGVsbG8=", "omap": "[a: 1]", "pairs": "[a: 1]", "set": "{a}"}[tag]
    spec = tmp_path / "t.yaml"
    spec.write_text(HEAD + f"x-v: !!{tag} {value}\n")
    assert _error(spec) == (
        f"{spec}:4: error: YAML type !!{tag} has no JSON equivalent; OpenAPI documents are JSON data"
    )


@pytest.mark.parametrize(
    ("value", "kind"), [("!!int 12abc", "integer"), ("!!float x1", "number"), ("!!bool maybe", "boolean")]
)
def test_a_scalar_that_does_not_fit_its_tag_is_a_located_error(tmp_path: Path, value: str, kind: str) -> None:
    spec = tmp_path / "t.yaml"
    spec.write_text(HEAD + f"x-v: {value}\n")
    tag = value.split()[0]
    assert _error(spec) == f"{spec}:4: error: not a valid {kind} for its YAML tag {tag}"
