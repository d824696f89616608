"""Fuzz: hostile specs never crash the generator, never touch the machine, and never mislead the client.

Each example is a small multi-file spec (root, a path-items file, a schemas file) built from hostile
identifiers and strings, with one mutation of the kinds real and malicious specs contain: wrong types
anywhere, deep nesting, ``$ref`` cycles, missing, absolute, escaping and remote ``$ref``s, special files,
YAML alias bombs, invalid UTF-8, lone surrogates, huge integers, a manifest that points outside ``-o``.

For every example, ``apigen generate`` runs in a subprocess and must:

- exit 0, 1 or 2 within a time bound, with no traceback and no "internal error";
- write nothing outside ``-o`` (and its ``--report``), read nothing it may not (no secret from outside the
  spec's folder appears in any output or message), delete nothing it did not write;
- on failure, leave ``-o`` as it was and write no report;
- on success, produce files that all compile, a package that imports with no side effect, and a client whose
  every operation sends exactly the HTTP method and path the spec gives it (a recording server on 127.0.0.1,
  every operation called once).

The example count is bounded (``APIGEN_FUZZ_EXAMPLES`` per mutation, default 3) and the draws are
derandomised, so CI runs the same cases every time; raise the count locally to explore.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.paths import REPO

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "3"))
RUN_TIMEOUT = 120  # seconds: an alias bomb or a device must be refused well within this
SECRET = "TOPSECRET-7f3a9c"  # written outside the spec's folder: must never appear anywhere

IDENTIFIERS = [
    # keywords, soft keywords, builtins and names generated code uses itself
    "class", "def", "None", "True", "match", "case", "type", "_", "self", "cls", "response", "data",
    "client", "options", "field", "wire", "api", "unset", "UNSET", "Unset", "Any", "httpx", "_m", "json",
    "models", "resources", "_runtime", "str", "list", "id", "body", "result",
    # dunders
    "__init__", "__class__", "__dict__",
    # unicode: right-to-left, combining marks, bidi override, emoji, fullwidth
    "\u0645\u0631\u062d\u0628\u0627", "e\u0301te\u0301", "a\u202eb", "\U0001f600", "\uff21\uff22",
    # empty, long, separators, near-collisions across tags
    "", "a" * 500, "a/b", "..\\x", "../../etc", "x2", "x-2", "HTTPServer", "HttpServer", "userId", "user_id",
    "2fa", "-", "$", "a b",
]  # fmt: skip
STRINGS = [
    '"""', "'''", "\\", "\\\\'", "{{ 7*7 }}", "{% raw %}", "</script><script>alert(1)</script>",
    "\"); __import__('os').system('touch PWNED'); (\"", "'''; import os; os.system('touch PWNED') #",
    '"""; import os; os.system("touch PWNED"); """', "\x00\x01", "line\r\nbreak", "tab\there", "\u2028",
    "<!-- -->", "${HOME}", "%s%d", "`rm -rf /`",
]  # fmt: skip
PATH_PARAM_NAMES = ["id", "class", "type", "x2", "x-2", "userId", "user_id", "\u00e9t\u00e9", "self", "__init__"]
METHODS = ["get", "put", "post", "delete", "patch", "head", "options"]

identifier = st.one_of(st.sampled_from(IDENTIFIERS), st.text(min_size=0, max_size=12))
hostile_text = st.one_of(st.sampled_from(STRINGS), st.text(max_size=30))


@st.composite
def base_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid-looking spec: ``{"root": ..., "ops": ..., "schemas": ..., "ops_meta": [(method, path)]}``."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    n_ops = draw(st.integers(min_value=1, max_value=4))
    schemas: dict[str, Any] = {}
    ops: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    meta: list[tuple[str, str, str | None]] = []
    tags = []
    for i in range(n_ops):
        method = draw(st.sampled_from(METHODS))
        tag = draw(identifier)
        tags.append(tag)
        path_param = draw(st.one_of(st.none(), st.sampled_from(PATH_PARAM_NAMES)))
        path = f"/p{i}" + (f"/{{{path_param}}}" if path_param is not None else "")
        params: list[dict[str, Any]] = []
        if path_param is not None:
            params.append({"name": path_param, "in": "path", "required": True, "schema": {"type": "string"},
                           "description": draw(hostile_text)})  # fmt: skip
        for q in range(draw(st.integers(min_value=0, max_value=3))):
            params.append({"name": draw(identifier) or f"q{q}", "in": "query",
                           "schema": {"type": draw(st.sampled_from(["string", "integer", "boolean"]))},
                           "description": draw(hostile_text)})  # fmt: skip
        schema_name = draw(identifier) or f"S{i}"
        properties = {}
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            properties[draw(identifier)] = {
                "type": draw(st.sampled_from(["string", "integer", "number", "boolean"])),
                "description": draw(hostile_text),
                "example": draw(st.one_of(hostile_text, st.integers(), st.booleans())),
            }
        schemas[schema_name] = {"type": "object", "description": draw(hostile_text), "properties": properties}
        ref = {"$ref": f"../schemas/models.yaml#/{_escape(schema_name)}"}
        operation: dict[str, Any] = {
            "operationId": draw(identifier),
            "summary": draw(hostile_text),
            "description": draw(hostile_text),
            "tags": [tag],
            "parameters": params,
            "responses": {"200": {"description": draw(hostile_text),
                                  "content": {"application/json": {"schema": ref}}}},
        }  # fmt: skip
        if method in ("post", "put", "patch") and draw(st.booleans()):
            operation["requestBody"] = {"content": {"application/json": {"schema": ref}}}
        if operation["operationId"] == "":
            del operation["operationId"]
        key = f"op{i}"
        ops[key] = {method: operation}
        paths[path] = {"$ref": f"paths/ops.yaml#/{key}"}
        meta.append((method.upper(), f"/p{i}", path_param))
    root = {
        "openapi": version,
        "info": {"title": draw(st.one_of(hostile_text, identifier)) or "T", "version": "1",
                 "description": draw(hostile_text)},
        "servers": [{"url": "http://127.0.0.1:9/base"}],
        "tags": [{"name": t, "description": draw(hostile_text)} for t in dict.fromkeys(tags)],
        "paths": paths,
    }  # fmt: skip
    return {"root": root, "ops": ops, "schemas": schemas, "meta": meta}


def _escape(token: str) -> str:
    from urllib.parse import quote

    return quote(token.replace("~", "~0").replace("/", "~1"), safe="~")


# -- mutations: each takes the spec dict and the folder, may rewrite files, returns what to expect ---------


def _write(spec: dict[str, Any], root: Path) -> None:
    files = {"openapi.yaml": spec["root"], "paths/ops.yaml": spec["ops"], "schemas/models.yaml": spec["schemas"]}
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _any_schema(spec: dict[str, Any]) -> dict[str, Any]:
    return next(iter(spec["schemas"].values()))


def m_none(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    _write(spec, root)


def m_wrong_type(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    """Replace one node anywhere (in any of the three files) with a value of another type."""
    part = data.draw(st.sampled_from(["root", "ops", "schemas"]))
    nodes: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k in list(node):
                nodes.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for i in range(len(node)):
                nodes.append((node, i))
                walk(node[i])

    walk(spec[part])
    if nodes:
        parent, key = data.draw(st.sampled_from(nodes))
        parent[key] = data.draw(st.sampled_from([None, 0, -1, 1.5, True, "x", [], [1, "a"], {}, {"type": 7}]))
    _write(spec, root)


def m_deep(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    """A schema nested hundreds of levels deep, written as JSON text (no Python serialiser recurses that far)."""
    depth = data.draw(st.sampled_from([60, 300, 1200]))
    _write(spec, root)
    kinds = [data.draw(st.sampled_from(["object", "array"])) for _ in range(depth)]
    text = '{"type": "string"}'
    for kind in kinds:
        text = f'{{"type": "object", "properties": {{"x": {text}}}}}' if kind == "object" else f'{{"type": "array", "items": {text}}}'
    (root / "schemas" / "deep.json").write_text(text, encoding="utf-8")
    _any_schema(spec)["properties"]["deep"] = {"$ref": "deep.json"}
    _write(spec, root)


def m_ref_cycle(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    schemas = spec["schemas"]
    kind = data.draw(st.sampled_from(["array-of-self", "oneof-self", "mutual", "ref-loop", "self-ref"]))
    if kind == "array-of-self":
        schemas["Loop"] = {"type": "array", "items": {"$ref": "#/Loop"}}
    elif kind == "oneof-self":
        schemas["Loop"] = {"oneOf": [{"type": "string"}, {"$ref": "#/Loop"}]}
    elif kind == "mutual":
        schemas["Loop"] = {"type": "object", "properties": {"b": {"$ref": "#/Loop2"}}}
        schemas["Loop2"] = {"type": "object", "properties": {"a": {"$ref": "#/Loop"}}}
    elif kind == "ref-loop":
        schemas["Loop"] = {"$ref": "#/Loop2"}
        schemas["Loop2"] = {"$ref": "#/Loop"}
    else:
        schemas["Loop"] = {"$ref": "#/Loop"}
    _any_schema(spec)["properties"]["loop"] = {"$ref": "#/Loop"}
    for op in spec["ops"].values():  # circular request bodies too
        for operation in op.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"] = {"content": {"application/json": {"schema": {
                    "$ref": "../schemas/models.yaml#/Loop"}}}}  # fmt: skip
    _write(spec, root)


def m_bad_ref(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from([
        "#/Nope", "missing.yaml", "missing.yaml#/X", "/etc/hostname", "/etc/passwd", "/etc/shadow", "/dev/zero",
        "/dev/urandom", "/proc/self/environ", "../../outside-secret.yaml", "../../outside-secret.yaml#/key",
        "file:///etc/passwd", "http://127.0.0.1:9/x.yaml", "https://example.invalid/s.yaml", "//host/x",
        "fifo.yaml", "link.yaml", "link.yaml#/key", ".", "..", "schemas", "#", "#/", "%2e%2e/%2e%2e/outside-secret.yaml",
    ]))  # fmt: skip
    _any_schema(spec)["properties"]["bad"] = {"$ref": target}
    _write(spec, root)
    os.mkfifo(root / "schemas" / "fifo.yaml")
    (root / "schemas" / "link.yaml").symlink_to(root.parent / "outside-secret.yaml")


def m_alias_bomb(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    _write(spec, root)
    levels = data.draw(st.sampled_from([9, 12]))
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    target = data.draw(st.sampled_from(["root", "schemas"]))
    if target == "root":
        text = (root / "openapi.yaml").read_text(encoding="utf-8")
        (root / "openapi.yaml").write_text(f"x-bomb:\n{textwrap.indent(bomb, '  ')}{text}", encoding="utf-8")
    else:
        text = (root / "schemas" / "models.yaml").read_text(encoding="utf-8")
        (root / "schemas" / "models.yaml").write_text(
            f"Bomb:\n  type: object\n  x-bomb:\n{textwrap.indent(bomb, '    ')}{text}", encoding="utf-8"
        )
        _any_schema(spec)["properties"]["bomb"] = {"$ref": "#/Bomb"}


def m_encoding(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    """Invalid UTF-8, a lone surrogate, a 5,000-digit integer, a NUL byte, a BOM."""
    _write(spec, root)
    kind = data.draw(st.sampled_from(["invalid-utf8-root", "invalid-utf8-ref", "surrogate", "huge-int", "nul", "bom"]))
    models = root / "schemas" / "models.yaml"
    if kind == "invalid-utf8-root":
        (root / "openapi.yaml").write_bytes(b"# \xff\xfe\x80\n" + (root / "openapi.yaml").read_bytes())
    elif kind == "invalid-utf8-ref":
        models.write_bytes(models.read_bytes() + b"\nBroken:\n  description: \"\xc3\x28\"\n")
    elif kind == "surrogate":
        schema = _any_schema(spec)
        schema["description"] = "lone \ud800 surrogate"
        models.write_text(json.dumps(spec["schemas"], ensure_ascii=True), encoding="utf-8")
    elif kind == "huge-int":
        _any_schema(spec)["example"] = 0
        text = json.dumps(spec["schemas"]).replace('"example": 0', '"example": ' + "9" * 5000, 1)
        models.write_text(text, encoding="utf-8")
    elif kind == "nul":
        models.write_bytes(models.read_bytes() + b"\nNul:\n  description: \"a\x00b\"\n")
    else:
        (root / "openapi.yaml").write_bytes(b"\xef\xbb\xbf" + (root / "openapi.yaml").read_bytes())


def m_huge_string(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    size = data.draw(st.sampled_from([200_000, 3_000_000]))
    _any_schema(spec)["description"] = "d" * size
    _write(spec, root)


def m_manifest(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    """A manifest in -o that lists files outside it: they must survive."""
    _write(spec, root)
    out = root.parent / "out"
    out.mkdir()
    victim = root.parent / "victim.txt"
    entries = data.draw(st.sampled_from([
        ["../victim.txt"], [str(victim)], ["client/../../victim.txt"], ["./../victim.txt"], ["a/../../victim.txt"],
    ]))  # fmt: skip
    manifest = {"generator": "apigen", "files": {e: "0" * 64 for e in entries}}
    (out / ".apigen-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def m_collide(spec: dict[str, Any], root: Path, data: st.DataObject) -> None:
    """Names that collide after sanitising, across tags: operationIds, tags, schema names."""
    pairs = data.draw(st.sampled_from([("userId", "user_id"), ("x2", "x-2"), ("HTTPServer", "HttpServer"),
                                       ("getPets", "get_pets"), ("api", "API")]))  # fmt: skip
    ops = [op for item in spec["ops"].values() for op in item.values()]
    for i, op in enumerate(ops):
        op["operationId"] = pairs[i % 2]
        op["tags"] = [pairs[(i + 1) % 2]]
    spec["schemas"][pairs[0]] = {"type": "object", "properties": {"a": {"type": "string"}}}
    spec["schemas"][pairs[1]] = {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    _write(spec, root)


MUTATIONS = {
    "none": m_none, "wrong-type": m_wrong_type, "deep": m_deep, "ref-cycle": m_ref_cycle, "bad-ref": m_bad_ref,
    "alias-bomb": m_alias_bomb, "encoding": m_encoding, "huge-string": m_huge_string, "manifest": m_manifest,
    "collide": m_collide,
}  # fmt: skip


# -- the checks -----------------------------------------------------------------------------------------


def _snapshot(base: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``base`` except ``skip`` (the output): path -> (mode type, size)."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        if here == skip or skip in here.parents:
            dirnames.clear()
            continue
        for name in dirnames + filenames:
            p = here / name
            if p == skip:
                continue
            st_ = p.lstat()
            out[str(p.relative_to(base))] = (stat.S_IFMT(st_.st_mode), st_.st_size if stat.S_ISREG(st_.st_mode) else 0)
    return out


def _tree(path: Path) -> dict[str, bytes]:
    if not path.exists():
        return {}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


CHILD = r'''
import inspect, json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, sys.argv[1])
before = set(os.listdir("."))
import importlib
pkg = importlib.import_module(sys.argv[2])
side_effects = sorted(set(os.listdir(".")) - before)
seen = []

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def _h(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        seen.append((self.command, self.path.split("?")[0]))
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _h
    def log_message(self, *a):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d/base" % server.server_address[1]
VALUES = {"str": "v", "int": 1, "float": 1.5, "bool": True}

def value_for(annotation):
    text = str(annotation).split(" | ")[0].strip()
    if text in VALUES:
        return VALUES[text]
    if text.startswith("list["):
        return []
    if text.startswith("dict["):
        return {}
    return None

calls = []
import functools
client = pkg.Client(base_url=url)
resources = [a for a, v in vars(pkg.Client).items() if isinstance(v, functools.cached_property)]
for attr in sorted(resources):
    resource = getattr(client, attr)
    for name, method in inspect.getmembers(resource, inspect.ismethod):
        if name.startswith("_") or name.startswith("iter_") or name in ("with_raw_response",):
            continue
        kwargs = {}
        for p in inspect.signature(method).parameters.values():
            if p.kind is p.KEYWORD_ONLY and p.default is p.empty:
                kwargs[p.name] = value_for(p.annotation)
        doc = (method.__doc__ or "")
        start = len(seen)
        error = ""
        try:
            method(**kwargs)
        except Exception as exc:
            error = type(exc).__name__
        calls.append({"attr": attr, "method": name, "doc": doc, "sent": seen[start:], "error": error})
client.close()
server.shutdown()
print(json.dumps({"side_effects": side_effects, "calls": calls}))
'''


def _run_apigen(spec_root: Path, out: Path, report: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate", str(spec_root / "openapi.yaml"), "-o", str(out),
         "--report", str(report)],
        cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _check_example(tmp: Path, spec: dict[str, Any], mutation: str, data: st.DataObject) -> None:
    root = tmp / "work" / "spec"
    root.mkdir(parents=True)
    base = tmp / "work"
    (base / "outside-secret.yaml").write_text(f"key: {SECRET}\n{SECRET}: 1\n", encoding="utf-8")
    (base / "victim.txt").write_text("do not delete\n", encoding="utf-8")
    meta = spec["meta"]
    MUTATIONS[mutation](spec, root, data)
    out, report = base / "out", base / "reports" / "report.json"
    before_out = _tree(out)
    before = _snapshot(base, out)
    done = _run_apigen(root, out, report, cwd=base)
    where = f"[{mutation}] exit {done.returncode}\n{done.stderr[-3000:]}"

    assert done.returncode in (0, 1, 2), where
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, where
    assert SECRET not in done.stderr and SECRET not in done.stdout, where
    assert (base / "victim.txt").read_text(encoding="utf-8") == "do not delete\n", where
    after = _snapshot(base, out)
    created = sorted(set(after) - set(before) - {"reports", "reports/report.json"})
    removed = sorted(set(before) - set(after))
    assert not created and not removed, (where, created, removed)
    assert not (base / "PWNED").exists() and not (tmp / "PWNED").exists(), where

    if done.returncode != 0:
        assert not report.exists(), where
        assert _tree(out) == before_out, where
        return
    files = _tree(out)
    assert report.exists(), where
    for name, content in files.items():
        assert SECRET.encode() not in content, (where, name)
        if name.endswith(".py"):
            compile(content, name, "exec")
    packages = [p.parent for p in (out / "client").glob("*/__init__.py")]
    assert len(packages) == 1, (where, packages)
    package = packages[0]
    sandbox = base / "sandbox"
    sandbox.mkdir()
    (sandbox / "child.py").write_text(CHILD, encoding="utf-8")
    child = subprocess.run(
        [sys.executable, "child.py", str(out / "client"), package.name], cwd=sandbox, capture_output=True,
        text=True, timeout=120, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"), stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert child.returncode == 0, (where, child.stderr[-3000:])
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["side_effects"] == [], (where, result["side_effects"])
    assert not (sandbox / "PWNED").exists(), where
    generated_ids = json.loads(report.read_text(encoding="utf-8"))["operations"]["generated"]
    by_path = {f"/base/p{i}": (m, param) for i, (m, _, param) in enumerate(meta)}
    hits: dict[str, int] = {}
    for call in result["calls"]:
        if not call["sent"] and call["error"] in ("TypeError", "ValueError"):
            continue  # a required argument this script could not synthesise: nothing went out
        assert len(call["sent"]) == 1, (where, call)
        method, path = call["sent"][0]
        prefix = "/".join(path.split("/")[:3])
        assert prefix in by_path, (where, call)
        expected_method, param = by_path[prefix]
        assert method == expected_method, (where, call)  # the method documented is the method sent
        assert path == prefix + ("/v" if param is not None else ""), (where, call)
        assert f"``{expected_method} /p" in call["doc"], (where, call)
        hits[prefix] = hits.get(prefix, 0) + 1
    assert all(n == 1 for n in hits.values()), (where, hits)  # no two methods send the same operation
    if mutation in ("none", "collide", "huge-string"):
        # nothing in these specs stops an argument being synthesised: every generated operation was called
        assert len(hits) == len(generated_ids), (where, hits, generated_ids)


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)  # fmt: skip
@given(spec=base_specs(), data=st.data())
def test_hostile_spec(tmp_path_factory: pytest.TempPathFactory, mutation: str, spec: dict[str, Any],
                      data: st.DataObject) -> None:  # fmt: skip
    _check_example(tmp_path_factory.mktemp("fuzz"), spec, mutation, data)
