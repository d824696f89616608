from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.model import ir
from generator.client.emit import ClientEmitter
from generator.output.format import MODE, FormatError, format_files, split_chunks
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

    sources = sorted((TEMPLATES / "client" / "runtime").glob("*.py"))
    assert len(sources) > 5
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, f"{path} is not black-formatted (line length 100)"
