"""The built-in templates write what black writes, so the formatter may skip black for them.

``format.py`` takes a chunk of a file rendered from the built-in templates as it is when :func:`vouched`
passes it; these tests format the same files with that skipping and with black on everything, and require
the same text, for the committed spec, the twilio corpus spec and specs of hostile and edge-case input
(names, long names and descriptions, unicode, quotes and backslashes in descriptions and enum values,
deep nesting, numbers). The docs' Python examples likewise. The literal filters are checked against black
on generated strings, and the skipping itself is shown to happen (it would hide nothing otherwise).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import black
import black.strings
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.reference.examples as examples
from generator.client.emit import (
    TEMPLATES,
    ClientEmitter,
    annotated,
    bare_annotation,
    docstring,
    fit,
    if_line,
    param,
    statement,
)
from generator.client.literals import py_bytes, py_literal, py_str
from generator.model import ir
from generator.output import format as fmt
from generator.pipeline import analyse
from generator.reference.pages import emit_docs
from tests.generator.client.test_emit_safety import SPEC as NASTY_SPEC
from tests.generator.model.hostile_names import hostile_spec
from tests.support.paths import CORPUS, REPO, SPEC

NASTY_TEXT = 'a "quoted" \\ back\\slash \'\'\' and """ then\n\tindented\ttab  \n    deeper\n  less\ntrail "'
WIDE = "中文的描述，全角字符：ＡＢＣ。" * 8
# a model name too long for any line (Box's spec has such)
_HUGE = "PutMetadataTemplatesEnterpriseSecurityClassification6VMVochwUWoSchemaUpdateRequestItemDataStaticConfig"
ODD = "e\u0301 combining, \u2028 line separator, \x0c form feed, \x00 nul, \U0001f600 emoji, \u200f rtl"


def _deep(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": ['q"1', "b\\2", "ü3"]}
    for level in range(depth):
        schema = {"type": "array", "items": schema} if level % 2 else {"type": "object", "additionalProperties": schema}
    return schema


def edge_spec() -> dict[str, Any]:
    """Long names and descriptions, unicode, quotes and backslashes, deep nesting, numbers black rewrites."""
    long = "a_very_long_property_name_that_goes_on_and_on_until_the_line_cannot_hold_it_any_more"
    model = "AVeryLongModelNameThatKeepsGoingUntilItFillsMostOfTheLineOnItsOwnWithoutAnyHelp"
    props: dict[str, Any] = {
        long: {"type": "string", "description": NASTY_TEXT, "maxLength": 10**20, "pattern": "^[\"'\\\\]+$"},
        "wide": {"type": "string", "description": WIDE, "default": WIDE},
        "odd": {"type": "string", "description": ODD, "enum": [ODD, "x"]},
        "numbers": {"type": "number", "minimum": 1e16, "maximum": 1.5e300, "multipleOf": 1.5e-7, "default": -0.0},
        "nested": _deep(7),
        "either": {"oneOf": [{"$ref": f"#/components/schemas/{model}"}, {"$ref": "#/components/schemas/Other"}],
                   "nullable": True},
        "when": {"type": "string", "format": "date-time", "nullable": True},
        "many": {"type": "array", "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{model}"}},
                 "nullable": True, "minItems": 1, "maxItems": 99},
        "quote\"d key\\": {"type": "integer", "enum": [1, 2, 3], "description": '"'},
    }  # fmt: skip
    kinds = {"type": "string", "enum": [NASTY_TEXT, 'only"doubles"here', "only'singles'here", "", WIDE]}
    return {
        "openapi": "3.0.3",
        "info": {"title": 'Edge """ API \\', "version": "1.0", "description": NASTY_TEXT},
        "servers": [{"url": "https://{region}.example.com/{version}", "variables": {
            "region": {"default": "eu-west-1", "enum": ["eu-west-1", "us-east-1", "ap-southeast-1"]},
            "version": {"default": "v1"}}}],
        "paths": {
            "/things/{thing_identifier_that_is_long}": {
                "post": {
                    "operationId": "createAThingWithAnOperationIdLongEnoughToPushEverySignatureOverTheLimit",
                    "tags": ["a tag with a long name that makes resource classes and attributes long"],
                    "summary": NASTY_TEXT,
                    "description": WIDE + "\n\n" + ODD,
                    "parameters": [
                        {"name": "thing_identifier_that_is_long", "in": "path", "required": True,
                         "description": WIDE, "schema": {"type": "string", "maxLength": 64}},
                        {"name": "filter-with-a-long-wire-name-and-more", "in": "query",
                         "schema": {"type": "array", "items": kinds}, "example": ["", "x"]},
                        {"name": "X-Header'Quote", "in": "header", "schema": {"type": "integer", "minimum": -5}},
                    ],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{model}"}}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Other"}}}}},
                        "4XX": {"description": "bad", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Other"}}}},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                model: {"type": "object", "description": WIDE, "required": [long], "properties": props},
                "Other": {"type": "object", "description": "\n\n  \t", "properties": {"kind": kinds}},
                "Kinds": kinds,
            }
        },
    }  # fmt: skip


def _write(tmp_path: Path, name: str, spec: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _specs(tmp_path: Path) -> list[Path]:
    specs = [SPEC, _write(tmp_path, "hostile", hostile_spec()), _write(tmp_path, "nasty", NASTY_SPEC),
             _write(tmp_path, "edge", edge_spec())]  # fmt: skip
    # twilio; and the readme corpus's schema types (a flattened body without fields, ...)
    corpus = [CORPUS / "vendors" / "twilio-messaging-v1.yaml", *(CORPUS / v / "schema-types.yaml" for v in
              ("readme-3.0", "readme-3.1"))]  # fmt: skip
    # long names: servers with variables, discriminated unions, nested additionalProperties
    corpus += [CORPUS / "readme-3.0" / f"{name}.yaml" for name in
               ("server-variables", "discriminators", "polymorphism", "schema-additional-properties")]  # fmt: skip
    return specs + [spec for spec in corpus if spec.exists()]


def _emitted(spec: Path) -> tuple[ir.Api, ClientEmitter, dict[str, str], frozenset[str]]:
    api = analyse(spec).api
    emitter = ClientEmitter(api, ir.PackageInfo("pkg", "pkg", "0"))
    out = emitter.emit()
    return api, emitter, {k: v for k, v in out.files.items() if k not in out.verbatim}, out.stable


def test_skipping_black_gives_black_s_output_for_every_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    for spec in _specs(tmp_path):
        _, _, files, stable = _emitted(spec)
        python = {k: v for k, v in files.items() if k.endswith(".py")}
        assert stable == frozenset(python)  # every .py file of the built-in templates
        pending = fmt.start(python, workers=1, stable=stable)
        skipped = pending.skipped
        formatted = pending.result()
        for name, text in python.items():
            assert formatted[name] == black.format_str(text, mode=fmt.MODE), f"{spec.name}: {name}"
        chunks = sum(len(fmt.quick_chunks(text)) for text in python.values())
        assert skipped > chunks // 2, f"{spec.name}: only {skipped} of {chunks} chunks skipped black"


def _without_black(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on a chunk handed to black (or looked up in its cache) fails the test, naming its file."""

    def refused(item: tuple[str, str]) -> str:
        raise AssertionError(f"sent to black: {item[0]}")

    monkeypatch.setattr(fmt, "_black_or_none", refused)
    monkeypatch.setattr(fmt, "_black", refused)
    monkeypatch.setattr(fmt.cache, "read", lambda kind, key: None)


@pytest.mark.parametrize("name", ["schema-additional-properties", "security-multiple"])
def test_long_wire_names_and_titles_skip_black_entirely(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wire names of 90 characters and environment variables named after a long title: every chunk is
    vouched for (black is never called) and is what black writes."""
    spec = CORPUS / "readme-3.0" / f"{name}.yaml"
    if not spec.exists():
        pytest.skip(f"{spec} is not here (../shared/corpus is absent)")
    _, _, files, stable = _emitted(spec)
    python = {k: v for k, v in files.items() if k.endswith(".py")}
    _without_black(monkeypatch)
    formatted = fmt.start(python, workers=1, stable=stable).result()
    for file, text in python.items():
        assert formatted[file] == black.format_str(text, mode=fmt.MODE), f"{name}: {file}"


NESTED_ERRORS = """
openapi: 3.0.3
info: {title: Nested errors, version: "1"}
paths:
  /facts:
    get:
      operationId: listFacts
      responses:
        "200": {description: ok}
        default:
          description: an error as a list of maps
          content:
            application/json:
              schema: {type: array, items: {type: object, additionalProperties: true}}
  /deeper:
    get:
      operationId: listDeeperFacts
      responses:
        "200": {description: ok}
        "409":
          description: a list of lists of maps of lists
          content:
            application/json:
              schema:
                type: array
                items: {type: array, items: {type: object, additionalProperties: {type: array, items: {type: integer}}}}
"""


def test_error_decoders_of_nested_containers_skip_black(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error response of nested arrays and maps: its decoder lambda in ``_api.py`` is too long for one
    line and is split as black splits it (a public spec's ``default`` error sent every ``_api.py`` to black)."""
    _, _, files, stable = _emitted(_write(tmp_path, "nested", yaml.safe_load(NESTED_ERRORS)))
    python = {k: v for k, v in files.items() if k.endswith(".py")}
    assert "lambda _v1, _p1: _wire.d_map(" in python["pkg/_api.py"]
    _without_black(monkeypatch)
    formatted = fmt.start(python, workers=1, stable=stable).result()
    for file, text in python.items():
        assert formatted[file] == black.format_str(text, mode=fmt.MODE), file


def test_the_docs_examples_skip_black_and_are_what_black_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[tuple[str, str]] = []
    real = examples.format_python

    def checked(name: str, text: str, stable: bool = False) -> str:
        assert stable, name  # the built-in call.py.jinja
        out = real(name, text, stable)
        seen.append((name, text))
        assert out == black.format_str(text, mode=fmt.MODE), name
        return out

    monkeypatch.setattr(examples, "format_python", checked)
    for spec in _specs(tmp_path):
        api = analyse(spec).api
        emit_docs(api, ir.PackageInfo("pkg", "pkg", "0"))
    assert len(seen) > 50
    vouched = sum(fmt.vouched(text) for _, text in seen)
    assert vouched > len(seen) * 3 // 4, f"only {vouched} of {len(seen)} examples skip black"


def test_custom_templates_are_all_formatted_by_black(tmp_path: Path) -> None:
    custom = tmp_path / "templates"
    (custom / "client").mkdir(parents=True)
    for part in ("client/package", "client/runtime", "docs"):
        (custom / part).symlink_to(TEMPLATES / part, target_is_directory=True)
    api = analyse(SPEC).api
    out = ClientEmitter(api, ir.PackageInfo("pkg", "pkg", "0"), templates=custom).emit()
    assert out.stable == frozenset()
    assert ClientEmitter(api, ir.PackageInfo("pkg", "pkg", "0")).emit().stable


def test_a_vouched_chunk_is_taken_as_it_is_and_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof that skipping happens: text black would change passes through when vouched for and stable."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    text = "x = 'single'\n\n\ndef f():\n    return  1\n"
    assert fmt.format_files({"a.py": text}, workers=1, stable=frozenset({"a.py"}))["a.py"] == text
    assert not (tmp_path / "black").exists()
    assert fmt.format_files({"a.py": text}, workers=1)["a.py"] == 'x = "single"\n\n\ndef f():\n    return 1\n'
    assert (tmp_path / "black").exists()


@pytest.mark.parametrize(
    "chunk",
    [
        "x = 1\n" + "y = f(" + "a, " * 40 + "b)\n",  # a line over 100 columns
        "x = f(a,\tb)\n",  # a tab
        "x = 1 \n",  # a trailing space
        "x = f(a, b, )\n",  # a magic trailing comma on one line
        "x = [a,]\n",
        "x = (1 +\\\n 2)\n",  # a backslash continuation
        "    x = 1\n",  # indented
        "x = 1\n\n\n\ny = 2\n",  # three blank lines
        'x = f("中文' + "字" * 45 + '")\n',  # 97 characters, but 190 columns
        '"""open\n' + "x" * 120 + "\n",  # a docstring never closed
        'x = """a"""\n',  # triple quotes not opening a line
        'def f():\n    """' + "x" * 120 + '\n    ' + "y" * 120 + '"""\n',  # closing quotes on a line too long
        "x = 1\r\ny = 2\n",
        'x = f("a", [1, 2,])\n',  # a trailing comma in code after a string on the line
        'x = f(\n    operation_id="' + "o" * 110 + '" + y,\n)\n',  # more than a string: black may split it
        "x = f(\n    members=" + "long.enum_name(" * 9 + ")" * 9 + ",\n)\n",  # calls: black may split them
        "class " + "LongModelName" * 8 + "(Base):\n    pass\n",  # a class line black splits at its brackets
        # ``x = callee(`` over 100 columns with every argument short: black wraps the value in parentheses
        "def f():\n    " + "long_name" * 10 + " = g_long_callee(\n        a,\n        b,\n    )\n",
        "x = {\n    k: v\n    for k, v in self." + "long_name" * 11 + ".items(a)\n}\n",  # a call black may split
        # a return annotation or a field's that fits a line of its own: black puts it in parentheses there
        "class A:\n    field_name: " + "A" * 92 + "\n",
        "class A:\n    def f(\n        self,\n    ) -> " + "A" * 92 + ":\n        pass\n",
        # an argument-less call too long after ``=``: black wraps it in parentheses
        "def f():\n    result = client." + "x" * 100 + "()\n",
        # the same with a callee of one letter: ``f(argument)`` fits one level deeper, and black takes that
        "def f():\n    " + "t" * 92 + " = f(\n        " + "n" * 89 + "\n    )\n",
    ],
)
def test_what_the_check_refuses(chunk: str) -> None:
    assert not fmt.vouched(chunk)


@pytest.mark.parametrize(
    "chunk",
    [
        "x = 1\n\n\n",
        'class A:\n    """' + "long docstring" * 20 + '"""\n',
        'def f():\n    """First.\n\n    ' + "long" * 40 + '\n    """\n',
        "# " + "a-long-comment" * 10 + "\nx = 1\n",
        '_C = "' + "c" * 300 + '"  # noqa: E501\n',
        'x = ("a",)\n',
        'x = {\n    "a key": ' + "SomeVeryLongModelName" * 5 + ".from_wire,\n}\n",
        'x = f(\n    operation_id="' + "o" * 110 + '",\n)\n',  # a string alone as an item: nothing to split
        'x = f(\n    content=b"%PDF-1.4\\n' + "\\xc3\\xa4" * 14 + '",\n    b"' + "o" * 110 + '",\n)\n',  # bytes too
        'x = {\n    "oauth2": "' + "o" * 110 + '",\n}\n',  # a string key and a string value
        'x = f(\n    "' + "o" * 110 + '",\n    pattern="^[a-z]{2,}$|(a,)",\n)\n',  # ",}" inside a string
        'def f():\n    """Run:\n\n    docr \\\\\n      --from\n    """\n',  # an escaped backslash ends a line
        "x = f(\n    members=" + "LongEnumName" * 9 + ",\n    " + "long_name" * 12 + ",\n)\n",  # names alone as items
        "x = f(\n    kind=models." + "LongEnumName" * 8 + ".MEMBER,\n    models." + "Long" * 25 + ".B,\n)\n",  # dotted
        # items that open a call split below them, or call with no arguments
        'x = f(\n    body={\n        "a_key": models.' + "LongName" * 11 + '(\n            a=1,\n        ),\n        "k": models.'
        + "LongName" * 12 + "(),\n    },\n    kind=models." + "LongName" * 12 + '(\n        name="x"\n    ),\n)\n',
        "class " + "LongModelName" * 8 + ":\n    pass\n",  # a class line with nothing to split
        # the only item of a display, alone on its line: a string, or a string key and a string value
        'x = f(\n    a,\n    {\n        "k": "' + "o" * 110 + '"\n    },\n    [\n        "' + "o" * 110 + '"\n    ],\n)\n',
        # an operand of ``+``, and a comprehension's ``for`` clause over a dotted name
        'x = f(\n    path\n    + "' + "o" * 110 + '",\n)\n',
        "x = {\n    k: v\n    for k, v in self." + "long_name" * 11 + ".items()\n}\n",
        # a class line opening its bases, a signature's closing line and a name alone, over 100 columns
        "class " + "LongModelName" * 8 + "(\n    Base\n):\n    pass\n",
        "def f(\n    a,\n) -> " + "LongModelName" * 8 + ":\n    pass\n",
        # ``x = callee(`` over 100 columns, kept by black: its argument, one level deeper, would not fit
        "def f():\n    " + "t" * 92 + " = _raw(\n        " + "n" * 89 + "\n    )\n",
        "async def " + "long_name" * 11 + "(\n    a,\n):\n    pass\n",  # a def line opening its parameters
        "class A:\n    field_name: " + _HUGE + "\n",  # a field's name too long for any line
        # ``x = callee(`` over 100 columns, kept by black: ``x = (`` would not fit either
        "def f():\n    " + "long_name" * 11 + " = g(\n        a,\n        b,\n    )\n",
        # ``x = callee(`` over 100 columns, kept by black: in parentheses, a line below would be too long anyway
        "def f():\n    " + "long_name" * 11 + ' = g(\n        "' + "o" * 110 + '",\n        b,\n    )\n',
        # a lambda's head over 100 columns, its call split below it: black splits no lambda parameters
        "x = f(\n    a,\n    lambda _v0, _p0: " + "LongModelName" * 7 + ".from_wire(\n        _v0, _p0\n    ),\n)\n",
    ],
)
def test_what_the_check_accepts(chunk: str) -> None:
    assert fmt.vouched(chunk)
    assert black.format_str(chunk, mode=fmt.MODE).rstrip("\n") == chunk.rstrip("\n")


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=12))
def test_str_width_counts_columns_as_black_does(text: str) -> None:
    assert fmt.str_width(text) == black.strings.str_width(text)


def test_a_wide_line_is_measured_without_importing_black() -> None:
    # importing black costs a small spec's run a tenth of a second; CJK descriptions in examples made every
    # such run pay it
    code = ("import sys; from generator.output.format import str_width, vouched; "
            "print(str_width('日本語の説明' * 12), 'black' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["144", "False"]


def test_the_check_stays_cheap_on_a_string_of_megabytes() -> None:
    """testing.py holds the fake's contract as one string literal of megabytes (openai's: about 4 MB)."""
    chunk = "_CONTRACT = '" + '{"k": "v\\\\n", ' * 250_000 + "'  # noqa: E501\n"
    tracemalloc.start()
    try:
        assert fmt.vouched(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(chunk), f"{peak} bytes to check {len(chunk)} characters"


# -- the filters against black ---------------------------------------------------------------------

_ALPHABET = st.sampled_from(['"', "'", "\\", "\n", "\r", "\t", " ", "  ", "a", "é", "中", "\x00", "\x0c", "\u2028",
                             "\U0001f600", "\\x41", "\\n", '"""', "{{", "}}"])  # fmt: skip
_TEXT = st.lists(_ALPHABET, max_size=14).map("".join)


def _unchanged(source: str) -> bool:
    return black.format_str(source, mode=fmt.MODE) == source


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_py_str_and_py_bytes_are_black_s_own_literals(text: str) -> None:
    literal = py_str(text)
    assert eval(literal) == text  # noqa: S307 - the literal's value, the point of the test
    assert _unchanged(f"x = {literal}\n"), literal
    data = text.encode("utf-8")
    assert eval(py_bytes(data)) == data  # noqa: S307
    assert _unchanged(f"x = {py_bytes(data)}\n"), py_bytes(data)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from([0, 4, 8]))
def test_docstring_is_black_s_normal_form(text: str, indent: int) -> None:
    doc = docstring(text, indent)
    source = {0: f"{doc}\n", 4: f"def f():\n    {doc}\n", 8: f"class A:\n    def f(self):\n        {doc}\n"}[indent]
    namespace: dict[str, Any] = {}
    exec(compile(source, "<docstring>", "exec"), namespace)  # noqa: S102 - it must compile
    assert _unchanged(source), source


@pytest.mark.parametrize(
    "value", [1e16, 1.5e-7, 1e300, -0.0, 10**30, True, None, [1, "a'b"], (1,), (1, 2), {"k": ('x"',)}, 2.5]
)
def test_py_literal_is_black_s_own_literal(value: Any) -> None:
    literal = py_literal(value)
    assert eval(literal) == value  # noqa: S307
    assert _unchanged(f"x = {literal}\n"), literal


@pytest.mark.parametrize("items", [[], ["a"], ["a", "b"], [f"item_{i}" for i in range(30)]])
def test_fit_is_a_fixed_point_of_black(items: list[str]) -> None:
    for one_tuple in (False, True):
        source = f"def f():\n    x = {fit(4, '(' if one_tuple else '[', items, ')' if one_tuple else ']', one_tuple)}\n"
        assert _unchanged(source), source


@pytest.mark.parametrize(
    "expr",
    [
        "self.enterprise_has_strong_password_required_for_external_users",
        "self.two_factor_authentication_requirement_for_models.to_wire()",
        "self." + "x" * 90,  # too long even on a line of its own: wrapped all the same
        "client." + "long_operation_name_" * 6 + "get()",
    ],
)
@pytest.mark.parametrize("prefix", ['out["enterprise_has_strong_password_required"] = ', "result = await ", "return "])
def test_a_dotted_right_hand_side_is_wrapped_as_black_wraps_it(expr: str, prefix: str) -> None:
    for indent in (8, 12):
        line = statement(indent, prefix, expr)
        source = "class A:\n    async def f(self):\n        if x:\n" + " " * indent + line + "\n"
        if indent == 8:
            source = source.replace("        if x:\n", "", 1)
        assert ("(\n" in line) == (indent + len(prefix + expr) > 100), line
        assert _unchanged(source), source
        assert fmt.vouched(source)


def test_a_bare_call_too_long_is_left_as_black_leaves_it() -> None:
    """An expression statement has no parentheses to wrap it in: black leaves it, or splits its call."""
    for expr in ("client." + "long_operation_name_" * 6 + "get()", "client." + "long_name_" * 11 + "get(a=1, b=2)"):
        for prefix in ("", "await "):
            line = statement(8, prefix, expr)
            source = "async def f():\n    with C() as client:\n        " + line + "\n"
            assert _unchanged(source), source
            assert fmt.vouched(source)


@pytest.mark.parametrize(
    ("prefix", "expr", "wrapped"),
    [
        ("self.with_raw_response = ", "AsyncMessagingV1DomainConfigMessagingServiceResourceWithRawResponse(self)", True),
        ('out["a_rather_long_key_name_here_and_more_words"] = ', "SomeModelNameThatIsLongEnoughToMatter.from_wire(data, path)", True),
        ("value = ", "some_function_name_that_is_quite_long(argument_number_one, argument_number_two, arg3)", False),
        # ``return`` and ``await`` take the same second opinion as an assignment
        ("return ", "_m." + "N" * 72 + ".from_wire(a)", True),
        ("return ", "_m." + "N" * 80 + ".from_wire(a, b)", False),
        ("result = await ", "_m." + "N" * 65 + ".from_wire(a)", True),
        ("result = await ", "_m." + "N" * 68 + ".from_wire(a)", True),  # split again inside the parentheses
        ("result = await ", "_m." + "N" * 80 + ".from_wire(a)", False),
    ],
)
def test_a_call_whose_head_does_not_fit_is_wrapped_as_black_wraps_it(prefix: str, expr: str, wrapped: bool) -> None:
    line = statement(8, prefix, expr)
    assert line.startswith(prefix.removesuffix("await ") + "(\n") == wrapped, line
    source = "class A:\n    async def f(self):\n        " + line + "\n"
    assert _unchanged(source), line
    assert fmt.vouched(source)


@pytest.mark.parametrize(
    "item",
    [
        'Server("https://{box-upload-server}/api/2.0", {"box-upload-server": "upload.box.com", "more": "a"})',
        'OAuthFlow("authorizationCode", "https://api.example.com/oauth2/token", ("manage_app_users", '
        '"manage_data_retention", "manage_enterprise_properties", "root_readwrite"))',
    ],
)
def test_a_one_tuple_too_long_is_split_as_black_splits_it(item: str) -> None:
    source = f"X = Operation(\n    {fit(4, 'servers=(', [item], '),', one_tuple=True)}\n)\n"
    assert "\n        " in source  # split, not left to black
    assert _unchanged(source), source


@pytest.mark.parametrize(
    "expr",
    [
        "_wire.d_list(_wire.d_required(obj, 'key', path), path + '.key', lambda _v0, _p0: Model.from_wire(_v0, _p0))",
        "_wire.d_one_of(data, path, [lambda _v0, _p0: _wire.d_str(_v0, _p0), lambda _v0, _p0: _wire.d_enum(_v0, _p0, "
        "SomeVeryLongEnumerationNameForTheTest)], 'SomeModel')",
        "(None if self.some_long_field_name is None else [_wire.to_json_value(_x0) for _x0 in self.some_long_field_name])",
        "client.resource_with_a_long_name.operation_with_a_long_name(single_argument='a fairly long value here')",
        "f(x=models.Thing(first=models.Kind.SOMETHING_LONG, second=[1, 2, 3, 4, 5, 6, 7, 8, 9], third='text here'))",
        "lambda _v0, _p0: _wire.d_enum(_v0, _p0, BetaCreateModelResponsePropertiesPromptCacheRetentionXX)",
        # a tuple display among the arguments: exploded one item per line
        "OAuthFlow('authorizationCode', 'https://api.example.com/oauth2/token', ('manage_app_users', "
        "'manage_data_retention', 'manage_enterprise_properties', 'manage_groups', 'root_readwrite'))",
    ],
)
def test_statement_is_a_fixed_point_of_black(expr: str) -> None:
    expr = expr.replace("'", '"')
    for depth in (1, 2, 3):
        head = "def f():\n" + "".join(" " * (4 * level) + "if x:\n" for level in range(1, depth))
        pad = " " * (4 * depth)
        if expr.startswith("lambda"):  # an argument: inside a call
            source = f"{head}{pad}g(\n{pad}    {statement(4 * depth + 4, '', expr, ',')}\n{pad})\n"
        else:
            source = f"{head}{pad}{statement(4 * depth, 'value = ', expr)}\n"
        assert _unchanged(source), source


_UNION = "dict[str, _m.PostPostRequestObjectWithAdditionalPropertiesTypeObjectPropertiesValue]"
_ATOMIC = "PostShieldInformationBarrierSegmentMembersRequestShieldInformationBarrierSegment"


@pytest.mark.parametrize(
    "annotation",
    [
        _ATOMIC,  # a name too long for the line: in parentheses on a line of its own
        _ATOMIC + " | Unset",  # a union too long for a line of its own: one operand per line
        _UNION + " | Unset",
        _UNION + " | None | Unset",
        "list[" + _UNION + "] | Unset",  # an operand too long: split at its brackets in turn
        _UNION,  # a subscript alone: split at its brackets without parentheses
        "list[" + _UNION + "]",
        "dict[str, list[" + _ATOMIC + "]]",
        # an item too long for its line even so: black leaves it, and the layout around it the same
        "dict[str, _m." + _ATOMIC + "AndMoreWordsToIt] | Unset",
        # a name too long for any line: alone on its line all the same (a name without a union: see below)
        _HUGE + " | Unset",
        "list[_m." + _HUGE + "] | Unset",
    ],
)
def test_long_annotations_are_laid_out_as_black_lays_them_out(annotation: str) -> None:
    for indent in (4, 8):
        head = "class A:\n" if indent == 4 else "class A:\n    def f(self):\n"
        pad = " " * indent
        for line in (
            bare_annotation(indent, "a_field_name_long_enough", annotation),
            annotated(indent, "a_field_name_long_enough", annotation, "UNSET"),
            annotated(indent, "_f_a_field_name", annotation, "field(default=UNSET, repr=False)"),
        ):
            assert "\n" in line, line  # laid out here, not left to black
            assert _unchanged(head + pad + line + "\n"), line
    # a parameter of an exploded signature: the template indents its lines
    for col in (4, 8):
        line = param(col, "a_parameter_name_long_enough", annotation, "UNSET")
        signature = "\n".join(" " * col + part for part in line.split("\n"))
        source = "def f(\n" + signature + "\n):\n    pass\n" if col == 4 else (
            "class A:\n    def f(\n        self,\n" + signature + "\n    ):\n        pass\n")
        assert _unchanged(source), source


@pytest.mark.parametrize(
    ("prefix", "expr"),
    [
        ("_f_terms_of_service_requirement = ", "CollaborationAcceptanceRequirementsStatusTermsOfServiceRequirement"
         '.from_wire(obj["terms_of_service_requirement"], path + ".terms_of_service_requirement")'),
        ("_f_connector = ", "decode_one_of_with_improperly_placed_discriminator_request_connector_properties"
         '(obj["connector_properties"], path + ".connector_properties")'),
        ("_f_missing_type_on_completely_empty_schema = ", 'obj["missing type (on completely empty schema), and more"]'),
        # a call with a trailer: split before it
        ("_f_binary_with_default = ", '_wire.d_str(_wire.d_required(obj, "binary (with default)", path), path + '
         "'[\"binary (with default)\"]').encode()"),
        # a comprehension: its element and clauses one per line
        ('out["category_applied_input_types"] = ', "{_k0: [_wire.to_json_value(_x1) for _x1 in _x0] for _k0, _x0 in "
         "self.category_applied_input_types.items()}"),
        ("if not ", "isinstance(self.object_with_additional_properties_false_and_no_other_properties, Unset)"),
        ("out: dict[str, Any] = ", "{k: {_k0: _x0.to_wire() for _k0, _x0 in v.items()} for k, v in "
         "self.additional_properties.items()}"),
        ("extra = ", "{k: _wire.d_str(v, _wire.member_path(path, k)) for k, v in obj.items() if k not in known_names}"),
        # a target too long for ``target = (``: split at the call's bracket, its one argument alone
        ("self.put_metadata_templates_enterprise_security_classification_6_vm_vochw_u_wo_schema_add = ",
         "_raw(resource.put_metadata_templates_enterprise_security_classification_6_vm_vochw_u_wo_schema_add)"),
        # a comprehension's element too long: split in turn
        ("extra = ", "{k: _wire.d_map(v, _wire.member_path(path, k), lambda _v0, _p0: MetadataFull.from_wire(_v0, "
         "_p0)) for k, v in obj.items()}"),
        # a key of 90 characters: the target split at its brackets too; a ``for`` clause too long stays
        ('out["object with `additionalProperties: { type: object, properties: ... }` and custom title"] = ',
         "{_k0: _x0.to_wire() for _k0, _x0 in self.object_with_additional_properties_type_object_properties_and_"
         "custom_title.items()}"),
        ('out["object with `additionalProperties: { type: object, properties: ... }`"] = ',
         "{_k0: _x0.to_wire() for _k0, _x0 in self.object_with_additional_properties_type_object_properties.items()}"),
        # a callee too long even in parentheses: split at its bracket, the first line over 100 columns
        ("_f_usage = ", "decode_realtime_beta_server_event_conversation_item_input_audio_transcription_completed_usage("
         '_wire.d_required(obj, "usage", path), path + ".usage")'),
        ("result = await ", "client.metadata_templates.get_metadata_templates_enterprise_security_classification_x("
         'scope="enterprise")'),
    ],
)
def test_a_value_too_long_is_split_as_black_splits_it(prefix: str, expr: str) -> None:
    for indent in (8, 12):
        suffix = ":" if prefix.startswith("if ") else ""
        line = statement(indent, prefix, expr, suffix) + ("\n" + " " * (indent + 4) + "pass" if suffix else "")
        assert "\n" in line, line
        assert fmt.vouched("class A:\n    def f(self):\n" + " " * indent + line + "\n") or indent == 12, line
        source = "class A:\n    def f(self):\n" + ("        if x:\n" if indent == 12 else "") + " " * indent + line + "\n"
        assert _unchanged(source), source


def test_a_field_of_a_name_too_long_for_any_line_stays_as_black_leaves_it() -> None:
    line = bare_annotation(4, "field_key", _HUGE)
    assert "\n" not in line and _unchanged("class A:\n    " + line + "\n"), line
    # with a value, black's own way (``= (UNSET)``): left to black
    line = annotated(4, "field_key", _HUGE, "UNSET")
    assert "\n" not in line and not fmt.vouched("class A:\n    " + line + "\n"), line
    line = param(8, "field_key", _HUGE, "UNSET")
    assert "\n" not in line and _unchanged("def f(\n    a,\n    " + line + "\n):\n    pass\n"), line


@pytest.mark.parametrize("head", ["{", "[", "options={", "known = {"])
def test_the_one_item_of_a_display_too_long_goes_alone_on_its_line(head: str) -> None:
    close = "}" if head.endswith("{") else "]"
    for item in ('"key": "' + "V" * 90 + '"', '"' + "V" * 100 + '"', '"key": _wire.d_str(' + "v" * 80 + ", path)"):
        if close == "]":
            item = item.replace('"key": ', "")
        line = fit(8, head, [item], close + ("," if not head.endswith("= {") else ""))
        assert line.count("\n") >= 2, line  # laid out here, not left to black
        if head.endswith("= {"):
            source = "def f():\n    if x:\n        " + line + "\n"
        else:
            source = "def f():\n    g(\n        a,\n        " + line + "\n    )\n"
        assert _unchanged(source), source
        assert fmt.vouched(source) or "_wire" in item, source


@pytest.mark.parametrize(
    "condition",
    [
        '"object with `additionalProperties: { type: object, properties: ... }` and custom title" in obj',
        '"a key long enough to push the test over the limit of the line at either indent, no more" in obj',
        '"' + "a key too long even for a line of its own, " * 3 + '" in obj',
    ],
)
def test_a_condition_too_long_is_split_as_black_splits_it(condition: str) -> None:
    for indent in (8, 12):
        line = if_line(indent, condition)
        assert "\n" in line, line
        head = "def f():\n    if y:\n" + ("        if z:\n" if indent == 12 else "")
        source = head + " " * indent + line + "\n" + " " * (indent + 4) + "pass\n"
        assert _unchanged(source), source
        assert fmt.vouched(source), source


def test_an_item_adding_a_string_too_long_is_split_before_its_plus() -> None:
    for literal in ("'[\"" + "k" * 80 + "\"]'", "'[\"" + "k" * 100 + "\"]'", "'[\"a + b " + "k" * 90 + "\"]'"):
        line = statement(12, "", "path + " + literal, ",")
        assert line.startswith("path\n            + "), line
        source = "def f():\n    x = g(\n        a,\n        h(\n            " + line + "\n        ),\n    )\n"
        assert _unchanged(source), source


def _doubtful_by_one_regex(chunk: str) -> bool:
    return any(m.group()[0] != "," or not fmt._in_string(chunk, m.start()) for m in fmt._DOUBTFUL.finditer(chunk))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(' \\\n\t\r\x0c\x1d\x85\u2028,)]}"\'ax')), max_size=40))
def test_the_doubtful_check_is_the_one_regex_taken_apart(chunk: str) -> None:
    assert fmt._doubtful(chunk) == _doubtful_by_one_regex(chunk)


def _scan_char_by_char(expr: str) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []
    depth, quote, j = 0, "", 0
    while j < len(expr):
        ch = expr[j]
        if quote:
            if ch == "\\":
                j += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            out.append((j, ch, depth))
            depth += 1
        elif ch in ")]}":
            depth -= 1
            out.append((j, ch, depth))
        elif ch in ",:= ":
            out.append((j, ch, depth))
        j += 1
    return out if not quote and depth == 0 else []


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("()[]{},:= \"'\\\nab")), max_size=30))
def test_the_layout_scanner_reads_expressions_as_a_character_by_character_reading_does(expr: str) -> None:
    from generator.client.emit import _scan

    assert _scan(expr) == _scan_char_by_char(expr)


def _long_name_spec(words: list[str]) -> dict[str, Any]:
    """A spec whose names are built from ``words`` (long or short): nested inline objects, unions,
    additionalProperties, enums, binary strings, servers with variables, long operationIds and tags."""
    w = (words * 8)[:8]
    name = "_".join(w[:3])
    model = "".join(part.title() for part in w[1:4]).replace("_", "")
    inline = {"type": "object", "properties": {w[4]: {"type": "object", "additionalProperties": {
        "type": "array", "items": {"type": "integer"}}}, w[5]: {"type": "string", "format": "byte"}}}
    props: dict[str, Any] = {
        name: {"type": "string"},
        w[6]: inline,
        f"{w[7]} {w[0]} (with spaces)": {"type": "string", "format": "binary", "default": "x"},
        "either_" + w[1]: {"oneOf": [{"$ref": f"#/components/schemas/{model}Other"}, inline],
                           "discriminator": {"propertyName": "kind"}},
        "kinds_" + w[2]: {"type": "array", "items": {"type": "string", "enum": [w[3].upper(), w[4].upper()]}},
    }  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {"title": " ".join(w[:2]), "version": "1"},
        "servers": [{"url": "https://{" + w[0] + "}.example.com/{version}",
                     "variables": {w[0]: {"default": w[1]}, "version": {"default": "v1", "enum": ["v1", w[2]]}}}],
        "paths": {f"/{w[0]}/{{{w[1]}}}": {"post": {
            "operationId": "_".join(w[:4]),
            "tags": [" ".join(w[2:5])],
            "parameters": [{"name": w[1], "in": "path", "required": True, "schema": {"type": "string"}},
                           {"name": w[5], "in": "query", "schema": {"type": "object", "additionalProperties": inline}}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "items": {"$ref": f"#/components/schemas/{model}"}}}}}},
        }}},
        "components": {"schemas": {
            model: {"type": "object", "required": [name, w[6]], "properties": props},
            f"{model}Other": {"type": "object", "properties": {"kind": {"type": "string"}, w[7]: inline}},
        }},
    }  # fmt: skip


@contextlib.contextmanager
def _cache_folder(folder: Path) -> Iterator[None]:
    before = os.environ.get("APIGEN_CACHE_DIR")
    os.environ["APIGEN_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("APIGEN_CACHE_DIR", None)
        else:
            os.environ["APIGEN_CACHE_DIR"] = before


@settings(max_examples=12, deadline=None)
@given(st.lists(st.from_regex(r"[a-z]{2,8}(?:_[a-z]{2,12}){0,7}", fullmatch=True), min_size=1, max_size=8))
def test_long_names_skip_black_and_give_black_s_output(words: list[str]) -> None:
    """Whatever the names' lengths, the client and the docs' examples are what black writes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, _cache_folder(Path(tmp) / "cache"):
        # a folder of its own per example: a text kept from an earlier example with the same words
        # would not be rendered, so its examples would not reach format_python
        spec = _write(Path(tmp), "long", _long_name_spec(words))
        api, _, files, stable = _emitted(spec)
        python = {k: v for k, v in files.items() if k.endswith(".py")}
        formatted = fmt.start(python, workers=1, stable=stable).result()
        for name, text in python.items():
            assert formatted[name] == black.format_str(text, mode=fmt.MODE), f"{words}: {name}"
        seen: list[str] = []
        real = examples.format_python
        try:
            examples.format_python = lambda name, text, stable=False: seen.append(text) or real(name, text, stable)
            emit_docs(api, ir.PackageInfo("pkg", "pkg", "0"))
        finally:
            examples.format_python = real
        assert seen and api.operations  # the examples were rendered, of an operation that was generated
        for text in seen:
            if fmt.vouched(text):
                assert black.format_str(text, mode=fmt.MODE) == text, f"{words}: {text}"
