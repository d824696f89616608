"""Names that could collide with or shadow the generated code's own: the package type-checks, imports, and
every method sends exactly the HTTP method and path the spec gives its operation."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.model import ir
from generator.client.emit import ClientEmitter
from generator.pipeline import Result, generate
from generator.output.write import apply
from tests.generator.model.hostile_names import hostile_spec
from tests.support.recorder import Recorded, Recorder, Reply

PACKAGE = "hostile"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, dict[str, object]]:
    root = tmp_path_factory.mktemp("hostile")
    spec = hostile_spec()
    (root / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = generate(root / "openapi.yaml", ir.PackageInfo(PACKAGE, PACKAGE, "0.0.1"))
    assert not result.errors, [str(d) for d in result.errors]
    apply(root / "out", result.files)
    return root / "out" / "client", result, spec


def test_the_package_passes_mypy_strict(built: tuple[Path, Result, dict[str, object]]) -> None:
    client, _, _ = built
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", PACKAGE],
        env=dict(os.environ, MYPYPATH=str(client)), cwd=client, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:]


def test_no_two_names_of_a_scope_are_the_same(built: tuple[Path, Result, dict[str, object]]) -> None:
    _, result, _ = built
    api = result.api
    constants = [op.constant for op in api.operations]
    assert len(set(constants)) == len(constants)
    assert not {"API", "UNSET", "TYPE_CHECKING"} & set(constants)
    modules = [r.name.casefold() for r in api.resources]
    assert len(set(modules)) == len(modules) and all(len(m) <= 64 for m in modules)
    classes = [r.class_name for r in api.resources] + ["Async" + r.class_name for r in api.resources]
    assert len(set(classes)) == len(classes)
    decoders = [m.decoder for m in api.models if isinstance(m, ir.UnionModel)]
    assert len(decoders) >= 3 and len(set(decoders)) == len(decoders)
    for r in api.resources:
        methods = [op.name for op in r.operations] + [op.pagination.iterator for op in r.operations if op.pagination]
        assert len(set(methods)) == len(methods), r.name
    for m in api.models:
        if isinstance(m, ir.ObjectModel):
            assert len({f.name for f in m.fields}) == len(m.fields), m.name


def _expected_path(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: values[m.group(1)], template)


def _reply(request: Recorded) -> Reply:
    if request.path == "/list":
        return Reply(200, {"item": [], "result": 0})
    if request.path == "/servers":
        return Reply(200, [])
    if request.path == "/maps":
        return Reply(200, {"type": "cat", "data": {"a": "2026-12-01T00:00:00Z"}})
    return Reply(204)


def test_every_method_sends_the_method_and_path_of_its_operation(
    built: tuple[Path, Result, dict[str, object]],
) -> None:
    client, result, spec = built
    emitter = ClientEmitter(result.api, ir.PackageInfo(PACKAGE, PACKAGE, "0.0.1"))
    raw_paths = spec["paths"]
    assert isinstance(raw_paths, dict)
    calls, expected = [], []
    for resource in result.api.resources:
        for op in resource.operations:
            raw = raw_paths[op.path][op.method.lower()]  # what the spec says, keyed as the spec keys it
            kwargs, values = {}, {}
            for i, p in enumerate(op.arguments):
                if p.required and p.set_by != "client":
                    kwargs[p.name] = values[p.wire_name] = f"v{i}"
                    if isinstance(p.type, ir.ArrayType):
                        kwargs[p.name] = []
            if op.body is not None and op.body.required and op.body.flattened is None:
                kwargs[op.body.body_param] = "raw"  # sent as bytes: see ``as_bytes`` below
            as_bytes = [op.body.body_param] if op.body and op.body.chosen.kind == "binary" and op.body.required else []
            calls.append({"attr": emitter.resource_attr(resource), "method": op.name, "kwargs": kwargs, "bytes": as_bytes})
            expected.append((op.method, _expected_path(op.path, values), raw.get("operationId", "")))
            assert op.method.lower() in raw_paths[op.path] and raw is not None
    assert len(calls) == len(result.api.operations) >= 80
    script = """
import asyncio, json, sys
import hostile
calls = json.loads(sys.argv[2])
for call in calls:
    call["kwargs"].update({k: call["kwargs"][k].encode() for k in call["bytes"]})
with hostile.Client(base_url=sys.argv[1], from_env=False, retry=0) as client:
    for call in calls:
        getattr(getattr(client, call["attr"]), call["method"])(**call["kwargs"])
    assert list(client.paging.iter_list_all()) == []
async def main():
    async with hostile.AsyncClient(base_url=sys.argv[1], from_env=False, retry=0) as client:
        for call in calls:
            await getattr(getattr(client, call["attr"]), call["method"])(**call["kwargs"])
asyncio.run(main())
print("ok")
"""
    with Recorder() as recorder:
        recorder.respond = _reply
        done = subprocess.run(
            [sys.executable, "-c", script, recorder.url, json.dumps(calls)],
            cwd=client, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"
    sent = [(r.method, r.path) for r in recorder.requests]
    want = [(method, path) for method, path, _ in expected]
    # sync calls, the page walk (one GET /list), then the same calls again, asynchronously
    assert sent == want + [("GET", "/list")] + want
    # the read and the write whose operationIds sanitise alike (userId/user_id, in two tags) stay apart
    by_id = {op_id: (method, path) for method, path, op_id in expected}
    assert by_id["userId"] == ("GET", "/pets") and by_id["user_id"] == ("POST", "/pets")
