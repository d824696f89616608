"""The client of every corpus spec with security schemes authenticates the way the spec says.

For each spec (the readme security specs, Twilio, OpenAI, Box; skipped with the reason when the corpus is
absent) the client is generated into a temporary folder and imported; for every scheme one operation
using it is called against a server on 127.0.0.1, with the scheme's ``Client`` keywords and then with
their environment variables only, and the credential is checked on the wire. The package of a non-Huawei
spec holds no Huawei name.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.contract import SchemeArgs
from generator.model import ir
from tests.client.generated_client import Generated, emit_client, generate_client
from tests.support.paths import CORPUS, LARGE, corpus_roots
from tests.support.recorder import Recorded, Recorder, Reply

SPECS = [
    "readme-3.0/security.yaml",
    "readme-3.1/security.yaml",
    "readme-3.0/security-multiple.yaml",
    "vendors/twilio-messaging-v1.yaml",
    "large/openai.yaml",
    "large/box.json",
]
# names that belong to the Huawei extensions: a package of another spec has none of them
HUAWEI_NAMES = ("HUAWEICLOUD", "app_key", "iam_", "SMS", "WSSE", "project_id")


def _spec(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the corpus auth tests need ../shared/corpus")
    return path


@pytest.fixture(scope="module", params=SPECS)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    spec = _spec(request.param)
    package = "corpus_auth_" + re.sub(r"\W", "_", Path(request.param).stem).lower()
    return generate_client(spec, package, tmp_path_factory.mktemp(package))


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    with Recorder() as running:
        yield running


@pytest.fixture
def recorder(server: Recorder) -> Recorder:
    server.requests.clear()
    server.respond = None
    server.default = Reply(200, {})
    return server


def _slot(scheme: ir.SecurityScheme | None) -> str:
    """Where a scheme puts its credential: two schemes of one alternative with one slot overwrite each other."""
    if scheme is None:
        return ""
    if scheme.kind == "apiKey":
        return f"{scheme.location}:{scheme.parameter.lower()}"
    return "header:authorization"


def _operation_for(api: ir.Api, scheme: str) -> tuple[ir.Operation, tuple[str, ...]] | None:
    """An operation using ``scheme``: one whose alternative is the scheme alone when there is one (never one
    where another scheme of the alternative writes the same header, which the spec cannot mean)."""
    schemes = {s.name: s for s in api.security_schemes}
    slot = _slot(schemes.get(scheme))
    candidates = [
        (op, alt)
        for op in api.operations
        for alt in op.security
        if scheme in alt and not any(_slot(schemes.get(n)) == slot for n in alt if n != scheme)
    ]
    candidates.sort(key=lambda c: (len(c[1]), c[0].path, c[0].method))
    return candidates[0] if candidates else None


def _values(args: SchemeArgs) -> dict[str, str]:
    keywords = args.alternative if args.kind == "oauth2" and args.alternative else args.keywords
    return {k.name: f"FAKE-{k.name}" for k in keywords}


def _expected(scheme: ir.SecurityScheme, args: SchemeArgs, values: dict[str, str], seen: Recorded) -> None:
    """The credential ``values`` are on the wire of ``seen`` the way ``scheme`` puts them."""
    given = list(values.values())
    if scheme.kind == "apiKey":
        if scheme.location == "query":
            assert (scheme.parameter, given[0]) in seen.query, seen.query
        elif scheme.location == "cookie":
            assert f"{scheme.parameter}={given[0]}" in seen.headers.get("cookie", ""), seen.headers
        else:
            assert seen.headers[scheme.parameter.lower()] == given[0], seen.headers
    elif scheme.kind == "http" and scheme.scheme == "basic":
        user, password = given
        assert seen.headers["authorization"] == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    elif scheme.kind == "http" and scheme.scheme not in ("bearer", ""):
        word = scheme.scheme[:1].upper() + scheme.scheme[1:]
        assert seen.headers["authorization"] == f"{word} {given[0]}"
    else:  # bearer, oauth2 (a ready access token), openIdConnect
        assert seen.headers["authorization"] == f"Bearer {given[0]}", (args.kind, seen.headers)


def _call(generated: Generated, client: Any, op: ir.Operation) -> Recorded:
    runtime = generated.module._runtime._base_client
    operation = generated.module._api.API.operations[op.operation_id]
    data = runtime.RequestData(path_params={name: "x" for name in re.findall(r"\{([^}]+)\}", op.path)})
    client._call(operation, data, lambda response: None)
    return client


def _schemes(generated: Generated) -> list[tuple[ir.SecurityScheme, SchemeArgs, ir.Operation, tuple[str, ...]]]:
    out = []
    for scheme in generated.api.security_schemes:
        args = generated.plan.scheme(scheme.name)
        found = _operation_for(generated.api, scheme.name)
        if args is None or not args.supported or scheme.kind == "mutualTLS" or found is None:
            continue
        out.append((scheme, args, *found))
    assert out, "the spec has security schemes its operations use"
    return out


def _alternative_values(generated: Generated, alternative: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in alternative:
        args = generated.plan.scheme(name)
        if args is not None and args.supported:
            values.update(_values(args))
    return values


def test_each_scheme_from_client_keywords(generated: Generated, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith(generated.plan.env_prefix):
            monkeypatch.delenv(name)
    for scheme, args, op, alternative in _schemes(generated):
        recorder.requests.clear()
        values = _alternative_values(generated, alternative)
        with generated.module.Client(
            base_url=recorder.url, auth_preference=[scheme.name], from_env=False, retry=0, **values
        ) as client:
            _call(generated, client, op)
        assert len(recorder.requests) == 1, (scheme.name, op.operation_id)
        _expected(scheme, args, _values(args), recorder.requests[0])


def test_each_scheme_from_environment_variables(
    generated: Generated, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    for scheme, args, op, alternative in _schemes(generated):
        recorder.requests.clear()
        with monkeypatch.context() as env:
            for name in alternative:
                other = generated.plan.scheme(name)
                if other is None or not other.supported:
                    continue
                keywords = other.alternative if other.kind == "oauth2" and other.alternative else other.keywords
                for keyword in keywords:
                    env.setenv(keyword.env, f"FAKE-{keyword.name}")
            with generated.module.Client(base_url=recorder.url, auth_preference=[scheme.name], retry=0) as client:
                _call(generated, client, op)
        assert len(recorder.requests) == 1, (scheme.name, op.operation_id)
        _expected(scheme, args, _values(args), recorder.requests[0])


def test_the_readme_names_each_scheme_keyword_and_variable(generated: Generated) -> None:
    readme = generated.files["README.md"]
    for scheme, args, _, _ in _schemes(generated):
        keywords = args.alternative if args.kind == "oauth2" and args.alternative else args.keywords
        for keyword in keywords:
            assert f"{keyword.name}=..." in readme and f"`{keyword.env}`" in readme, (scheme.name, keyword)
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{scheme.name}` |"))
        assert "=..." in row, row


def test_no_huawei_name_in_another_vendors_package(generated: Generated) -> None:
    source = Path(CORPUS / next(s for s in SPECS if generated.module.__name__.endswith(
        re.sub(r"\W", "_", Path(s).stem).lower()))).read_text(encoding="utf-8")
    for path, text in generated.files.items():
        assert "huawei" not in text.lower(), path
        for name in HUAWEI_NAMES:
            if name not in source:
                assert name not in text, (path, name)
    runtime = {p.rsplit("/", 1)[-1] for p in generated.files if "/_runtime/" in p}
    assert not runtime & {"_signing.py", "_wsse.py", "_iam.py", "_keys.py", "_results.py"}, runtime


SMALL = [p for p in corpus_roots() if p.name not in LARGE] if CORPUS.is_dir() else []


@pytest.mark.parametrize("spec", SMALL or [None], ids=lambda p: str(p.relative_to(CORPUS)) if p else "no-corpus")
def test_no_huawei_module_or_name_in_any_corpus_package(spec: Path | None) -> None:
    if spec is None:
        pytest.skip(f"../shared/corpus is absent ({CORPUS})")
    source = spec.read_text(encoding="utf-8")
    _, emitter, emitted = emit_client(spec, "corpus_names")
    assert emitter.plan.modules == () or "x-apigen-" in source
    for path, text in emitted.files.items():
        assert "huawei" not in text.lower(), path
        for name in HUAWEI_NAMES:
            if name not in source:
                assert name not in text, (path, name)
