"""Every Python example of the docs runs, unchanged but for where it connects, against a server on 127.0.0.1.

Each example is taken out of the generated Markdown (and must be identical in the HTML), parsed, and its
``Client(...)``/``AsyncClient(...)`` call given ``base_url=<server>`` and ``from_env=False``; then it runs.

* Against :class:`SpecServer` (always): answers every operation with its documented response, so the
  example must call the operation it documents and decode what the API documents.
* Against the fake Huawei server of ``tests/fake_huawei`` (when present): it verifies AK/SK signatures,
  WSSE digests and IAM tokens, so the example's credentials must be the right kind for the operation. The
  example's placeholder credentials are swapped for the fake's (same keyword names), and the resources
  the example names (ids from the spec's examples) are put into the fake's store first.
"""

from __future__ import annotations

import ast
import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.docs.conftest import huawei_docs
from tests.docs.spec_server import SpecServer
from tests.docs.support import Example, build, examples_by_operation, html_python_examples, markdown_python_examples

try:
    from tests import fake_huawei
except ImportError:  # the runtime helper's fake server is optional for these tests
    fake_huawei = None  # type: ignore[assignment]


def _examples() -> list[Example]:
    api, files = huawei_docs()
    return examples_by_operation(files, api)


def _id(example: Example) -> str:
    return f"{example.operation_id}-{example.source.count(chr(10))}"


EXAMPLES = _examples()
_CLIENTS = ("Client", "AsyncClient")


class _Connect(ast.NodeTransformer):
    """Point every client the example creates at the test server, with other keyword values if asked."""

    def __init__(self, base_url: str, overrides: dict[str, Any], constants: dict[str, str]) -> None:
        self.base_url = base_url
        self.overrides = overrides
        self.constants = constants
        self.clients = 0

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _CLIENTS:
            self.clients += 1
            keywords = [k for k in node.keywords if k.arg not in ("base_url", "from_env")]
            for keyword in keywords:
                if keyword.arg in self.overrides:
                    keyword.value = ast.Constant(self.overrides[keyword.arg])
            keywords += [
                ast.keyword("base_url", ast.Constant(self.base_url)),
                ast.keyword("from_env", ast.Constant(False)),
            ]
            node.keywords = keywords
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str) and node.value in self.constants:
            return ast.Constant(self.constants[node.value])
        return node


def run_example(
    source: str, base_url: str, overrides: dict[str, Any] | None = None, constants: dict[str, str] | None = None
) -> str:
    tree = ast.parse(source)
    connect = _Connect(base_url, overrides or {}, constants or {})
    tree = ast.fix_missing_locations(connect.visit(tree))
    assert connect.clients >= 1, "the example creates no Client/AsyncClient"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<docs example>", "exec"), {"__name__": "__docs_example__"})
    return out.getvalue()


def test_every_operation_has_sync_and_async_examples(api, docs) -> None:  # type: ignore[no-untyped-def]
    per_operation: dict[str, list[str]] = {}
    for example in EXAMPLES:
        per_operation.setdefault(example.operation_id, []).append(example.source)
    for op in api.operations:
        sources = per_operation.get(op.operation_id, [])
        assert any("AsyncClient" not in s and "with Client(" in s for s in sources), op.operation_id
        assert any("async with AsyncClient(" in s and "asyncio.run(main())" in s for s in sources), op.operation_id


def test_html_shows_the_same_examples_as_markdown(docs) -> None:  # type: ignore[no-untyped-def]
    for name, text in docs.items():
        if name.startswith("tags/") and name.endswith(".md"):
            html_name = "html/" + name[: -len(".md")] + ".html"
            assert html_python_examples(docs[html_name]) == markdown_python_examples(text), html_name


def test_examples_use_placeholders_not_secrets() -> None:
    for example in EXAMPLES:
        tree = ast.parse(example.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CLIENTS:
                for keyword in node.keywords:
                    if keyword.arg in ("sk", "app_secret", "iam_password", "iam_token", "api_key", "bearer_token"):
                        assert isinstance(keyword.value, ast.Constant) and str(keyword.value.value).startswith(
                            "YOUR_"
                        ), (
                            example.operation_id,
                            keyword.arg,
                        )


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_runs_against_the_documented_responses(example: Example, api) -> None:  # type: ignore[no-untyped-def]
    with SpecServer(api) as server:
        run_example(example.source, server.url)
        seen = list(server.seen)
    assert example.operation_id in [s.operation_id for s in seen], [s.operation_id for s in seen]
    assert all(s.operation_id for s in seen), [(s.method, s.path) for s in seen if not s.operation_id]


@pytest.fixture
def fake() -> Iterator[Any]:
    if fake_huawei is None:
        pytest.skip("tests/fake_huawei is not available: the examples ran against the spec server only")
    with fake_huawei.FakeHuawei() as server:
        yield server


def _prepare(fake: Any, example: Example, api: Any) -> dict[str, str]:
    """Make the fake hold what the example names; returns constants to swap (the project id)."""
    op = next(o for o in api.operations if o.operation_id == example.operation_id)
    constants: dict[str, str] = {}
    for p in op.parameters:
        if p.wire_name == "project_id" and p.examples:
            constants[str(p.examples[0])] = fake.project_id
    tree = ast.parse(example.source)
    values: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            for keyword in node.keywords:
                if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    values[str(keyword.arg)] = keyword.value.value
    store = fake.store
    collections = {"apps": store.apps, "signatures": store.signatures, "templates": store.templates}
    for segment, collection in collections.items():
        if f"/{segment}/{{id}}" in op.path and "id" in values and collection:
            template = next(iter(collection.values()))
            collection[values["id"]] = {**template, "id": values["id"]}
    if "file_id" in values:
        store.files[values["file_id"]] = {"file_id": values["file_id"], "file_name": "fake.png", "file_size": 1}
    if "x_subject_token" in values:
        fake.tokens[values["x_subject_token"]] = fake.issue_token(fake_huawei.FAKE_USER, fake.project_id)
    # the spec's token example logs in as its own fake user: let the fake know it
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "PasswordUser":
            user = {k.arg: k.value for k in node.keywords}
            domain = user.get("domain")
            if isinstance(domain, ast.Call) and all(
                isinstance(user.get(k), ast.Constant) for k in ("name", "password")
            ):
                domain_name = next(k.value.value for k in domain.keywords if k.arg == "name")  # type: ignore[attr-defined]
                fake.users[(domain_name, user["name"].value)] = user["password"].value  # type: ignore[union-attr]
    return constants


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_runs_against_the_fake_huawei_server(example: Example, api, fake) -> None:  # type: ignore[no-untyped-def]
    constants = _prepare(fake, example, api)
    overrides: dict[str, Any] = dict(fake.client_credentials())
    overrides["project_id"] = fake.project_id
    run_example(example.source, fake.url, overrides, constants)
    requests = fake.requests_for(example.operation_id)
    assert requests, [r.operation for r in fake.requests]
    assert all(r.status is not None and r.status < 400 for r in fake.requests), [
        (r.operation, r.status) for r in fake.requests
    ]


def test_a_path_fragment_is_not_in_the_curl_example(tmp_path: Path) -> None:
    """Two operations told apart only by a fragment (``/files/{id}#add_link``): a fragment is never sent, so
    the example's URL stops before it and the query follows the path."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: Frag, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n"
        "paths:\n  /files/{id}#add_link:\n    put:\n      operationId: addLink\n      tags: [files]\n"
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}, example: f1}\n"
        "        - {name: fields, in: query, required: true, schema: {type: string}, example: shared_link}\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    _, files = build(spec)
    page = files["tags/files.md"]
    assert "curl -X PUT" in page
    assert "https://api.example.com/files/f1?fields=shared_link" in page
    assert "#add_link" not in page.split("```sh", 1)[1].split("```", 1)[0]
