"""No spec string can break out of the generated code: quotes, backslashes, triple quotes, Jinja braces, newlines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from generator.model import ir
from generator.pipeline import generate
from generator.output.write import apply

NASTY = 'He said "hi" \\ and \'\'\' then """ closes {{ 7*7 }} {% if x %}\nnew line\n\tend\\'
WEIRD_KEY = 'we"ird\\key'

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": 'Nasty """ title \\ {{ x }}', "version": "1", "description": NASTY},
    "paths": {
        "/things/{thing-id}": {
            "get": {
                "operationId": 'get"thing',
                "summary": NASTY,
                "description": NASTY,
                "tags": ['We"ird tag'],
                "parameters": [
                    {"name": "thing-id", "in": "path", "required": True, "description": NASTY,
                     "schema": {"type": "string", "default": NASTY, "example": NASTY}},
                    {"name": 'quote"d', "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": NASTY,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"},
                                                         "example": {"name": NASTY}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "description": NASTY,
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": NASTY, "default": NASTY},
                    WEIRD_KEY: {"type": "string", "description": NASTY},
                    "kind": {"type": "string", "enum": [NASTY, 'a"b', "", "1"]},
                },
            }
        }
    },
}  # fmt: skip


def test_hostile_spec_strings_yield_valid_code(tmp_path: Path) -> None:
    root = tmp_path / "openapi.yaml"
    root.write_text(yaml.safe_dump(SPEC, allow_unicode=True), encoding="utf-8")
    result = generate(root, ir.PackageInfo("nasty", "nasty", "0.0.1"))
    assert not result.errors, result.errors
    out = tmp_path / "out"
    apply(out, result.files)
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    script = f"""
import inspect
from nasty import Client, models
doc = inspect.getdoc(models.Thing)
assert doc.split() == {NASTY!r}.split(), repr(doc)  # docstrings expand tabs; the text is intact
data = {{{WEIRD_KEY!r}: "v", "kind": 'a"b', "name": {NASTY!r}}}
thing = models.Thing.from_wire(data)
assert thing.we_ird_key == "v" and thing.name == {NASTY!r}
assert thing.to_wire() == data, thing.to_wire()
assert models.ThingKind('a"b') is models.ThingKind.A_B
assert models.ThingKind("") is models.ThingKind.EMPTY
assert models.ThingKind({NASTY!r}).value == {NASTY!r}
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=out / "client", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
