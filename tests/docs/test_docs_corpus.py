"""The docs of every corpus spec (``../shared/corpus``): built without crashing, strict HTML, links that
resolve, and Python examples that run against the spec's own documented responses.

Each spec's client and docs are generated into a temporary directory under a package name of their own.
Examples are skipped only where the test server cannot stand in for the API: operations whose only
success is a 1xx/3xx status, operations that share a wire route with another (``/cookies#form``), and
operations whose every credential alternative is a kind the client does not support (mutual TLS).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from generator.model import ir
from generator.contract import client_plan, load_runtime
from generator.reference.examples import credential_doc
from generator.pipeline import generate
from generator.output.write import apply
from tests.docs.spec_server import SpecServer
from tests.docs.support import broken_links, examples_by_operation, parse_html_strict
from tests.docs.test_docs_examples import run_example
from tests.support.paths import CORPUS, LARGE, REPO, corpus_roots

RUNTIME = REPO / "templates" / "client" / "runtime"

# the large specs' docs are checked for size in test_docs_size.py (their 2,000+ examples are not
# each executed here: that alone would take longer than the rest of the suite)
SPECS = [p for p in corpus_roots() if p.name not in LARGE]


def _id(spec: Path) -> str:
    return str(spec.relative_to(CORPUS))


def test_the_corpus_is_there() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus is absent ({CORPUS}): the corpus docs tests need it")
    assert SPECS


def _runnable(api: ir.Api, op: ir.Operation) -> bool:
    if not any(r.status.startswith("2") or r.status == "default" for r in op.responses) and op.responses:
        return False
    route = re.sub(r"\{[^}]+\}", "{}", op.path.split("#")[0])
    same = [
        o for o in api.operations if o.method == op.method and re.sub(r"\{[^}]+\}", "{}", o.path.split("#")[0]) == route
    ]
    if len(same) > 1:
        return False
    schemes = {s.name: s for s in api.security_schemes}
    plan = client_plan(api, ir.PackageInfo("corpus_docs", "corpus-docs", "0.0.1"), load_runtime(RUNTIME))
    if op.security and all(
        not alt or any(not credential_doc(schemes[n], plan).supported for n in alt if n in schemes)
        for alt in op.security
    ):
        return any(not alt for alt in op.security)
    return True


_PARAMS = SPECS or [pytest.param(None, marks=pytest.mark.skip(reason=f"../shared/corpus is absent ({CORPUS})"))]


@pytest.mark.parametrize("spec", _PARAMS, ids=lambda s: _id(s) if s else "no-corpus")
def test_corpus_docs_build_parse_link_and_run(spec: Path, tmp_path: Path) -> None:
    index = SPECS.index(spec)
    package = ir.PackageInfo(f"corpus_docs_{index}", f"corpus-docs-{index}", "0.0.1")
    result = generate(spec, package)
    assert not result.errors, f"{_id(spec)}: {result.errors[:3]}"  # every corpus root generates (test_corpus)
    docs = {name[len("docs/") :]: text for name, text in result.files.items() if name.startswith("docs/")}
    assert "README.md" in docs and "html/index.html" in docs
    for name, text in docs.items():
        if name.endswith(".html"):
            parse_html_strict(text, f"{_id(spec)}: {name}")
    assert broken_links(docs) == []

    apply(tmp_path, result.files)
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        api = result.api
        if not all(re.fullmatch(r"[A-Za-z0-9_.-]+", op.operation_id) for op in api.operations):
            return  # examples are found by operation anchor; such ids get sanitised anchors
        by_id = {op.operation_id: op for op in api.operations}
        failures = []
        for example in examples_by_operation(docs, api):
            if not _runnable(api, by_id[example.operation_id]):
                continue
            with SpecServer(api) as server:
                try:
                    run_example(example.source, server.url)
                except Exception as exc:  # collected: one report for the spec
                    failures.append(f"{example.operation_id}: {type(exc).__name__}: {exc}")
                    continue
                if example.operation_id not in server.operations():
                    failures.append(f"{example.operation_id}: called {server.operations()}")
        assert failures == []
    finally:
        sys.path.remove(str(tmp_path / "client"))
