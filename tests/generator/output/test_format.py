from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.model import ir
from generator.client.emit import ClientEmitter
from generator.output import format as fmt
from generator.output.format import MODE, FormatError, format_files, quick_chunks, split_chunks
from generator.pipeline import analyse
from tests.support.paths import CORPUS, SPEC


def _emitted(spec: Path) -> dict[str, str]:
    return ClientEmitter(analyse(spec).api, ir.PackageInfo("pkg", "pkg", "0")).emit().files


def _specs() -> list[Path]:
    twilio = CORPUS / "vendors" / "twilio-messaging-v1.yaml"
    return [SPEC, twilio] if twilio.exists() else [SPEC]


@pytest.mark.parametrize("spec", _specs(), ids=lambda p: p.stem)
def test_chunked_formatting_equals_black_on_the_whole_file(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    files = {k: v for k, v in _emitted(spec).items() if k.endswith(".py")}
    chunked = format_files(files, workers=2)
    for name, text in files.items():
        assert chunked[name] == black.format_str(text, mode=MODE), name
    assert len(split_chunks(files["pkg/models.py"])) > 10


def test_the_cache_is_used_and_an_edit_reformats_only_its_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    cache = tmp_path / "black"
    text = "x   =  1\n\n\ndef f( a ):\n  return a\n\n\nclass C :\n  y=2\n"
    first = format_files({"m.py": text})
    assert first["m.py"] == black.format_str(text, mode=MODE)
    entries = {p.name for p in cache.rglob("*") if p.is_file()}
    assert len(entries) == 3
    edited = text.replace("y=2", "y=3")
    format_files({"m.py": edited})
    assert len({p.name for p in cache.rglob("*") if p.is_file()} - entries) == 1


def test_unparsable_code_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(FormatError, match="pkg/bad.py: generated code does not parse"):
        format_files({"pkg/bad.py": "def f(:\n"})


def test_the_runtime_is_kept_black_formatted_at_the_source() -> None:
    """Runtime files are copied verbatim and not formatted per run, so they must already be black's output."""
    from generator.client.emit import TEMPLATES

    runtime = TEMPLATES / "client" / "runtime"
    sources = sorted([*runtime.glob("*.py"), *runtime.glob("extensions/*.py")])
    assert len(sources) > 5
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, f"{path} is not black-formatted (line length 100)"


# texts where a line at column 0 looks like a cut but is not one, or where comments belong to what follows
TRICKY = [
    "import x\n# about f\ndef f(): pass\n",
    "import x\n# about x\n\ndef f(): pass\n",
    "x = 1\n# a\n\n# b\ndef f(): pass\nclass A: pass\n",
    "x = 1\n\n\n\n\n# a\n# b\n@dec\n# between\n@dec2\ndef f(): pass\n",
    '"""doc"""\n# c\nclass A:\n    pass\n# trailing\n',
    "x = '''\n# not a comment\ndef g(): pass\n'''\ndef f(): pass\n",
    "x = (\n1,\n)\n@dec(\n  1,\n)\ndef f(): pass\n",
    "x = [\ndef_ for def_ in y\n]\nclass A: pass\n",
    "def f():\n    return 1\n    # the block's comment\n# the next def's comment\ndef g(): pass\n",
    "x = 1\n    # indented, before a def\ndef f(): pass\n",
    "x = 1 + \\\n2\ndef f(): pass\n",
    "x = 1\nasync  def f(): pass\n\n\n\nasync def g(): pass\n",
    "x = 'a\u2028b'\ndef f(): pass\nclass B: pass\n",
    "x = 1\n\x0cdef f(): pass\n",
    "# fmt: off\nx = [1,2,\n  3]\n# fmt: on\ndef f(): pass\n",
    "from typing import (\n    A,\n)\nclass C(A,): pass\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_chunks_found_without_parsing_give_black_output(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    assert format_files({"m.py": text})["m.py"] == black.format_str(text, mode=MODE)
    assert format_files({"m.py": text})["m.py"] == black.format_str(text, mode=MODE)  # from the cache


def test_a_false_cut_inside_a_string_is_redone_where_the_parser_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    text = "x = '''\ndef g(): pass\n'''\n\n\ndef f(): pass\n"
    assert quick_chunks(text) == ["x = '''\n", "def g(): pass\n'''\n\n\n", "def f(): pass\n"]
    assert split_chunks(text) == ["x = '''\ndef g(): pass\n'''\n\n\n", "def f(): pass\n"]
    assert format_files({"m.py": text})["m.py"] == 'x = """\ndef g(): pass\n"""\n\n\ndef f():\n    pass\n'
    cached = sorted(p.read_text(encoding="utf-8") for p in (tmp_path / "black").rglob("*") if p.is_file())
    assert cached == ["def f():\n    pass\n", 'x = """\ndef g(): pass\n"""\n']  # what failed is not kept


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x = 1\n",
        "def f():\n    pass\n",
        "x = 1\n\n\n# c\n# d\ndef f():\n    pass\n",
        "x = 1\n    # indented, may belong above\ndef f(): pass\n",
        "@d\ndef f(): pass\n",
        "x = 1 \\\ndef f(): pass\n",
        "# only\n\ndef f(): pass\nclass A: pass\n",
        "x = 1\n\n# a\n\n# b\ndef g(): pass\n",
        "x = '''\ndef inside():\n'''\n",
        "async  def f(): pass\nasync def g(): pass\n",
        "x = 1\n#c\n\n\n",
    ],
)
def test_cuts_found_without_a_list_of_lines_are_the_same(text: str) -> None:
    lines = fmt._LINES.findall(text)
    starts, seen, previous = [], False, ""
    for number, line in enumerate(lines):  # the line-by-line rule, as quick_chunks states it
        if seen and fmt._CANDIDATE.match(line) and not previous.startswith("@") and not previous.rstrip("\n").endswith("\\"):
            starts.append(fmt._attached(lines, number))
        if line.strip() and not line.strip().startswith("#"):
            seen, previous = True, line
    assert fmt._quick_cuts(text) == fmt._cut(lines, starts)


def test_a_file_of_vouched_chunks_comes_back_as_the_same_object() -> None:
    text = 'x = 1\n\n\ndef f():\n    return "a"\n\n\nclass A:\n    pass\n'
    files = {"pkg/mod.py": text, "pkg/other.py": text.replace("\n\n\nclass", "\n\n\n\nclass")}
    out = fmt.start(files, workers=1, stable=frozenset(files)).result()
    assert out["pkg/mod.py"] is text
    assert out["pkg/other.py"] == text  # four blank lines are not black's: that joint is rebuilt
    assert fmt._joins_back(text, fmt._quick_bounds(text))
    assert not fmt._joins_back(files["pkg/other.py"], fmt._quick_bounds(files["pkg/other.py"]))


def test_a_stable_file_with_a_pragma_is_one_chunk_taken_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file holding a ``# fmt:`` pragma is one chunk (black reads pragmas across the file): vouched for, it
    is its own output, kept as its span of the text, and nothing goes to black."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    text = "def f():\n    return [1,  2]  # fmt: skip\n\n\ndef h():\n    return 2\n"
    pending = fmt.start({"m.py": text}, workers=1, stable=frozenset(["m.py"]))
    assert pending.skipped == 1 and not pending._missing
    assert pending.result()["m.py"] == text == black.format_str(text, mode=fmt.MODE)
