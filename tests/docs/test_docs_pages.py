"""The generated docs: every page parses strictly, every internal link resolves, nothing comes from elsewhere,
and every operation, model, response and error the API has is documented."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import ir
from generator.reference.pages import emit_docs
from generator.contract import read_policy
from tests.docs.support import PACKAGE, broken_links, build, html_ids_and_links, is_external, parse_html_strict
from tests.support.paths import GENERATED, REPO

RUNTIME = REPO / "templates" / "client" / "runtime"


def test_pages_and_site_layout(api, docs) -> None:  # type: ignore[no-untyped-def]
    expected = {"README.md", "models.md", "html/index.html", "html/models.html", "html/style.css", "html/site.js"}
    expected |= {"html/nav.js", "html/search-index.js"}
    for r in api.resources:
        expected |= {f"tags/{r.name}.md", f"html/tags/{r.name}.html"}
    if api.webhooks:
        expected |= {"webhooks.md", "html/webhooks.html"}
    assert set(docs) == expected


def test_every_html_page_parses_with_the_strict_parser(docs) -> None:  # type: ignore[no-untyped-def]
    pages = [name for name in docs if name.endswith(".html")]
    assert pages
    for name in pages:
        parse_html_strict(docs[name], name)


def test_every_internal_link_and_anchor_resolves(docs) -> None:  # type: ignore[no-untyped-def]
    assert broken_links(docs) == []


def test_the_site_loads_nothing_from_elsewhere(docs) -> None:  # type: ignore[no-untyped-def]
    for name, text in docs.items():
        if not name.endswith(".html"):
            continue
        _, links = html_ids_and_links(text, name)
        for link in links:
            if link.tag != "a":  # stylesheets, scripts, images, frames: only local files
                assert not is_external(link.href), (name, link)
        assert "@import" not in docs["html/style.css"] and "url(" not in docs["html/style.css"]
        root = "../" if name.startswith("html/tags/") else ""
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
        assert scripts == [(f' src="{root}site.js"', ""), (f' src="{root}nav.js" defer', "")], name  # none inline
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', text)
        assert len(stylesheets) == 1 and stylesheets[0].endswith("style.css"), name


def _nav_data(docs: dict[str, str]) -> dict:  # type: ignore[type-arg]
    text = docs["html/nav.js"]
    prefix = "window.apigenNav = "
    start = text.index(prefix) + len(prefix)
    return json.loads(text[start : text.rindex(";")])  # type: ignore[no-any-return]


def test_every_operation_is_in_the_index_table_the_navigation_and_its_tag_page(api, docs) -> None:  # type: ignore[no-untyped-def]
    index_md, index_html = docs["README.md"], docs["html/index.html"]
    nav = _nav_data(docs)
    nav_links = {op[2] for tag in nav["tags"] for op in tag[2]}
    for r in api.resources:
        md, page = docs[f"tags/{r.name}.md"], docs[f"html/tags/{r.name}.html"]
        for op in r.operations:
            anchor = op.operation_id
            assert f"](tags/{r.name}.md#{anchor})" in index_md, op.operation_id
            assert f'href="tags/{r.name}.html#{anchor}"' in index_html, op.operation_id
            assert f'<a id="{anchor}"></a>' in md
            assert f'<section class="operation" id="{anchor}">' in page
            assert f'href="../tags/{r.name}.html#{anchor}"' in page.split("</nav>")[0], op.operation_id  # its sidebar
            assert f"tags/{r.name}.html#{anchor}" in nav_links, op.operation_id  # nav.js: every page's sidebar
    for name, text in docs.items():  # a page carries its own part of the navigation only: nothing quadratic
        if name.startswith("html/tags/"):
            others = [r for r in api.resources if f"html/tags/{r.name}.html" != name]
            sidebar = text.split("</nav>")[0]
            for r in others:
                assert f"tags/{r.name}.html#" not in sidebar, (name, r.name)
    assert [m[0] for m in nav["models"]] == [m.name for m in api.models]


def test_operations_without_a_summary_show_method_and_path_once(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Fleet, version: '1'}\nservers: [{url: 'https://fleet.example.com'}]\n"
        "paths:\n  /spacecraft:\n    get:\n      operationId: listSpacecraft\n      tags: [fleet]\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    api, docs = build(spec)
    page = docs["html/tags/fleet.html"]
    sidebar = page.split("</nav>")[0]
    assert '<span class="method m-get">GET</span> <span class="label">/spacecraft</span>' in sidebar
    assert "GET GET" not in page and "GET /spacecraft</span>" not in sidebar
    assert "<h2>/spacecraft " in page
    assert _nav_data(docs)["tags"][0][2] == [["GET", "/spacecraft", "tags/fleet.html#listSpacecraft"]]


def test_every_section_has_an_anchor_and_a_link_to_it(api, docs) -> None:  # type: ignore[no-untyped-def]
    page = docs["html/tags/sms.html"]
    ids, _ = html_ids_and_links(page, "html/tags/sms.html")
    op = next(o for o in api.operations if o.operation_id == "batchSendSms")
    assert op.body is not None and op.callbacks and not [p for p in op.parameters if p.set_by not in ("auth", "transport")]
    parts = ("servers", "authentication", "body", "responses", "errors", "callbacks", "examples")
    expected = [f"batchSendSms-{part}" for part in parts]
    assert "batchSendSms-parameters" not in ids  # no section, no anchor
    expected += [f"batchSendSms-body-{re.sub(r'[^A-Za-z0-9_.-]+', '-', m.content_type)}" for m in op.body.media]
    expected += [f"batchSendSms-response-{r.status}" for r in op.responses]
    expected += [f"batchSendSms-callback-{cb.name}" for cb in op.callbacks]
    for anchor in expected:  # the link to each (and copy-link) is added by site.js: see the browser tests
        assert anchor in ids, anchor


def test_no_repository_path_is_published(docs) -> None:  # type: ignore[no-untyped-def]
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout: no list of the repository's files")
    paths = [p for p in tracked if "/" in p and not p.startswith(("generated/", "spec/"))]
    for name, text in docs.items():
        for path in paths:
            assert path not in text, (name, path)


def _section(text: str, anchor: str) -> str:
    start = text.index(f'<a id="{anchor}"></a>')
    following = [m.start() for m in re.finditer(r'^<a id="[^"]+"></a>\n\n## ', text[start + 1 :], re.M)]
    return text[start : start + 1 + following[0]] if following else text[start:]


def test_each_operation_section_is_complete(api, docs) -> None:  # type: ignore[no-untyped-def]
    for r in api.resources:
        page = docs[f"tags/{r.name}.md"]
        for op in r.operations:
            section = _section(page, op.operation_id)
            server = op.servers[0].url.rstrip("/") if op.servers else ""
            assert f"`{op.method} {server}{op.path}`" in section, op.operation_id
            assert "### Servers" in section and "### Authentication" in section and "### Responses" in section
            assert "### Errors" in section and "### Examples" in section and "```sh\ncurl -X " + op.method in section
            for p in op.parameters:
                assert f"`{p.wire_name}`" in section, (op.operation_id, p.wire_name)
            for response in op.responses:
                assert f"#### {response.status}\n" in section, (op.operation_id, response.status)
                for header in response.headers:
                    assert f"`{header.name}`" in section
                for media in response.media:
                    assert f"`{media.content_type}`" in section
            if op.body is not None:
                assert "### Request body" in section
                for media in op.body.media:
                    assert f"`{media.content_type}`" in section
                    for example in media.examples:
                        assert f"`{example.name}`" in section
            for callback in op.callbacks:
                assert callback.name in section and "Payload" in section
            for alternative in op.security:
                for scheme in alternative:
                    assert f"[{scheme}](../README.md#scheme-{scheme})" in section


def test_x_subject_token_is_documented_and_read_in_the_example(docs) -> None:  # type: ignore[no-untyped-def]
    section = _section(docs["tags/tokens.md"], "createToken")
    assert "| `X-Subject-Token` |" in section
    assert 'response.headers["X-Subject-Token"]' in section


def test_errors_tables_come_from_the_runtime_policy(api, docs) -> None:  # type: ignore[no-untyped-def]
    policy = read_policy(RUNTIME)
    sms = _section(docs["tags/sms.md"], "batchSendSms")
    assert "| HTTP 503 | `ServerError` | no |" in sms  # POST: never retried once it may have reached the server
    assert "| HTTP 429 | `RateLimitError` | no |" in sms
    assert "`ResultCodeError`" in sms
    listing = _section(docs["tags/apps.md"], "listApps")
    retries = f"yes (up to {policy.max_retries} retries)"
    for status in policy.retryable_statuses:
        assert f"| HTTP {status} | `{policy.exception_for(status)}` | {retries} |" in listing
    assert "| HTTP 500 | `ServerError` | no |" in listing
    index = docs["README.md"]
    for condition, exception, idempotent, other in policy.error_rows():
        assert f"`{exception}` | {'yes' if idempotent else 'no'} | {'yes' if other else 'no'} |" in index, condition


def test_the_policy_the_docs_read_is_the_one_the_client_runs() -> None:
    """Read as data by the docs; imported here from the generated package: both must agree."""
    huawei_sms = pytest.importorskip("huawei_sms")
    if not hasattr(huawei_sms, "policy_table"):
        pytest.skip("the generated package does not export policy_table yet")
    policy = read_policy(RUNTIME)
    assert set(policy.retryable_statuses) == set(huawei_sms.RETRYABLE_STATUSES)
    assert set(policy.idempotent_methods) == set(huawei_sms.IDEMPOTENT_METHODS)
    for row in huawei_sms.policy_table():
        match = re.fullmatch(r"HTTP (\d+)", row.condition)
        if match:
            status = int(match.group(1))
            assert policy.exception_for(status) == row.exception.__name__, row
            assert policy.status_retried("GET", status) == row.retried_idempotent, row
            assert policy.status_retried("POST", status) == row.retried_non_idempotent, row
    for failure in policy.transport:
        import httpx

        error = getattr(httpx, failure.httpx_name)("x")
        assert huawei_sms.should_retry("POST", error) == policy.transport_retried("POST", failure), failure
        assert huawei_sms.should_retry("GET", error) == policy.transport_retried("GET", failure), failure
    for status in range(100, 600):
        assert policy.exception_for(status) == huawei_sms.error_class_for_status(status).__name__, status


def test_a_missing_policy_name_stops_generation_with_a_clear_message(tmp_path: Path, api) -> None:  # type: ignore[no-untyped-def]
    templates = tmp_path / "templates"
    runtime = templates / "client" / "runtime"
    (runtime / "extensions").mkdir(parents=True)
    for source in [*RUNTIME.glob("*.py"), *RUNTIME.glob("extensions/*.py")]:
        target = runtime / source.relative_to(RUNTIME)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    contract = runtime / "_contract.py"
    contract.write_text(
        contract.read_text(encoding="utf-8").replace("RETRYABLE_STATUSES =", "RETRY_STATUSES ="), encoding="utf-8"
    )
    from generator.contract import DocsError

    with pytest.raises(DocsError, match=r"_contract\.py: RETRYABLE_STATUSES is missing"):
        emit_docs(api, PACKAGE, templates=templates)


def test_docs_are_byte_identical_across_hash_seeds(docs) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import hashlib, json; from tests.docs.support import build; from tests.support.paths import SPEC; "
        "print(json.dumps({k: hashlib.sha256(v.encode()).hexdigest() for k, v in build(SPEC)[1].items()}, sort_keys=True))"
    )
    outputs = set()
    for seed in ("0", "1", "987"):
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=dict(os.environ, PYTHONHASHSEED=seed),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_no_timestamps_or_absolute_paths(docs) -> None:  # type: ignore[no-untyped-def]
    import datetime

    today = datetime.date.today().isoformat()
    for name, text in docs.items():
        assert today not in text, name
        assert str(REPO) not in text, name


def test_the_link_checker_finds_broken_links_and_anchors(docs) -> None:  # type: ignore[no-untyped-def]
    broken = dict(docs)
    broken["tags/sms.md"] += "\n[gone](../models.md#NoSuchModel) [lost](missing.md)\n"
    broken["html/models.html"] = broken["html/models.html"].replace(
        'href="index.html#errors"', 'href="index.html#nowhere"'
    )
    problems = broken_links(broken)
    assert any("no anchor 'NoSuchModel'" in p for p in problems)
    assert any("missing file 'tags/missing.md'" in p for p in problems)
    assert any("no anchor 'nowhere'" in p for p in problems)


def test_the_committed_docs_are_the_generated_ones(docs) -> None:  # type: ignore[no-untyped-def]
    """``apigen check`` fails CI on drift; this says which docs file drifted."""
    on_disk = GENERATED / "docs"
    if not on_disk.is_dir():
        pytest.skip("generated/docs has not been generated yet")
    stale = [name for name, text in docs.items() if (on_disk / name).read_text(encoding="utf-8") != text]
    assert stale == [], "run `apigen generate`"


def test_emit_docs_needs_only_the_ir(api) -> None:  # type: ignore[no-untyped-def]
    """The docs are a function of the IR and the package info: the same IR gives the same pages."""
    again = emit_docs(api, ir.PackageInfo(package="other_name", distribution="other-name", version="9.9.9"))
    assert "from other_name import Client" in again["tags/sms.md"]
    assert "huawei_sms" not in again["tags/sms.md"]


def test_callback_and_webhook_parameters_are_not_client_arguments(docs) -> None:  # type: ignore[no-untyped-def]
    """What the API sends to the user's server: no Python names, no notes about what the client sets."""
    page = docs["webhooks.md"]
    assert "| `X-Sdk-Date` | header |" in page
    assert "Python: `x_sdk_date`" not in page and "set by the client" not in page
    callbacks = docs["tags/sms.md"].split("### Callbacks", 1)[1].split("### Examples", 1)[0]
    assert "set by the client" not in callbacks and "`POST {$request.body#/statusCallback}`" in callbacks


def test_many_models_are_split_into_one_page_per_initial(tmp_path: Path) -> None:
    from generator.reference.pages import MODELS_PER_PAGE

    names = [f"{'ABCXYZ'[i % 6]}Thing{i}" for i in range(MODELS_PER_PAGE + 5)]
    schemas = "".join(
        f"    {n}:\n      type: object\n      properties:\n        first: {{$ref: '#/components/schemas/{names[0]}'}}\n"
        for n in names
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Many, version: '1'}\nservers: [{url: 'https://many.example.com'}]\n"
        "paths:\n  /things:\n    get:\n      operationId: getThing\n      tags: [things]\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/AThing0'}\n"
        f"components:\n  schemas:\n{schemas}",
        encoding="utf-8",
    )
    api, docs = build(spec)
    pages = sorted(n for n in docs if n.startswith("html/models/"))
    assert pages == [f"html/models/{k}.html" for k in ("a", "b", "c", "x", "y", "z")]
    assert broken_links(docs) == []  # types, the index, nav.js-free links of every page
    index = docs["html/models.html"]
    for model in api.models:
        page = "html/" + _nav_model_href(docs, model.name).split("#")[0]
        assert f'<section class="model" id="{model.name}">' in docs[page], model.name
        assert f'href="{page[len("html/"):]}#{model.name}"' in index, model.name
    assert '<a href="../models/a.html#AThing0">' in docs["html/tags/things.html"]


def _nav_model_href(docs: dict[str, str], name: str) -> str:
    return dict((m[0], m[1]) for m in _nav_data(docs)["models"])[name]  # type: ignore[no-any-return]
