"""The flows of ``pipeline.py``: what each returns is all a caller needs (no state left in an emitter)."""

from __future__ import annotations

import json
from pathlib import Path

from generator import pipeline
from generator.client.emit import TEMPLATES, ClientEmitter
from generator.model import ir
from generator.output.write import MANIFEST

SPEC_TEXT = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""
PACKAGE = ir.PackageInfo("pets", "pets", "0.1.0")


def _spec(tmp_path: Path) -> Path:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC_TEXT, encoding="utf-8")
    return spec


def test_emit_returns_the_files_and_exactly_the_runtime_sources_as_verbatim(tmp_path: Path) -> None:
    api = pipeline.analyse(_spec(tmp_path)).api
    emitter = ClientEmitter(api, PACKAGE)
    first, second = emitter.emit(), emitter.emit()
    runtime = {f"pets/_runtime/{p.name}" for p in (TEMPLATES / "client" / "runtime").glob("*.py")}
    assert first.verbatim == runtime
    assert runtime <= set(first.files) and "pets/resources/pets.py" in first.files
    assert first == second  # emitting again gives the same result: nothing accumulates in the emitter


def test_docs_returns_the_docs_and_the_other_generated_files_as_they_are(tmp_path: Path) -> None:
    spec, out = _spec(tmp_path), tmp_path / "out"
    generated = pipeline.generate(spec, PACKAGE)
    pipeline.write(out, generated)
    (out / "client" / "pets" / "models.py").write_text("# edited\n", encoding="utf-8")
    (out / "client" / "README.md").unlink()  # gone from disk: it leaves the manifest

    result = pipeline.docs(spec, out, PACKAGE)

    docs = {n for n in generated.files if n.startswith("docs/")}
    client = {n for n in generated.files if n.startswith("client/")}
    assert not result.errors
    assert set(result.files) == docs | client - {"client/README.md"}
    assert result.files["client/pets/models.py"] == "# edited\n"
    assert {n: result.files[n] for n in docs} == {n: generated.files[n] for n in docs}
    plan = pipeline.write(out, result)
    assert set(plan.write) == {MANIFEST} and plan.delete == []  # the docs are as generate wrote them
    assert "client/README.md" not in json.loads((out / MANIFEST).read_text())["files"]


def test_docs_of_a_spec_with_errors_returns_no_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n", encoding="utf-8")
    result = pipeline.docs(bad, tmp_path / "out", PACKAGE)
    assert result.errors and result.files == {}
    assert not (tmp_path / "out").exists()
