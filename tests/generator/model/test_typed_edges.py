"""Shapes public specs have that once produced packages failing ``mypy --strict``: each now type-checks.

- a response whose schema is an enum (the decoder returned ``Any``);
- a JSON request body whose model has a required ``readOnly`` field (flattened into arguments, the model
  was built without it): such a body is taken whole, as ``body``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.model import ir
from generator.pipeline import generate
from generator.output.write import apply

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Edges", "version": "1"},
    "paths": {
        "/kind": {
            "get": {
                "operationId": "getKind",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "string", "enum": ["cat", "dog"]}}}}},
            },
        },
        "/users": {
            "post": {
                "operationId": "createUser",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/User"}}}},
                "responses": {"201": {"description": "made", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/User"}}}}},
            },
        },
    },
    "components": {"schemas": {"User": {
        "type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
    }}},
}  # fmt: skip


def test_enum_responses_and_read_only_required_fields_type_check(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    result = generate(tmp_path / "openapi.yaml", ir.PackageInfo("edges", "edges", "0.1.0"))
    assert not result.errors, result.errors
    create = next(op for op in result.api.operations if op.operation_id == "createUser")
    assert create.body is not None and create.body.flattened is None and create.body.body_param == "body"
    apply(tmp_path / "out", result.files)
    client = tmp_path / "out" / "client"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "edges"],
        env=dict(os.environ, MYPYPATH=str(client)), cwd=client, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
