"""The generated constructor as the generator plans it from a spec: keywords, environment variables and
extension modules, read from the runtime's contract data (never from its source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.contract import DocsError, client_plan, load_runtime
from generator.model import ir
from tests.support.paths import REPO

RUNTIME_DIR = REPO / "templates" / "client" / "runtime"
RUNTIME = load_runtime(RUNTIME_DIR)


def _api(*schemes: ir.SecurityScheme, env: tuple[tuple[str, str], ...] = ()) -> ir.Api:
    return ir.Api("Plain", "1", "", "3.1.0", (), (), (), schemes, (), env=env)


def test_a_spec_without_extensions_gets_no_extension_module() -> None:
    api = _api(ir.SecurityScheme("key", "apiKey", location="header", parameter="X-Key"))
    plan = client_plan(api, ir.PackageInfo("plain", "plain", "0.0.1"), RUNTIME)
    assert plan.modules == () and plan.registers == ()
    assert [(k.name, k.env) for k in plan.keywords] == [("api_key", "PLAIN_API_KEY")]
    assert {name for _, name in plan.public} == set(RUNTIME.core["PUBLIC_NAMES"])


def test_keywords_are_named_after_the_scheme_when_several_want_one() -> None:
    api = _api(
        ir.SecurityScheme("keyHeader", "apiKey", location="header", parameter="X-Key"),
        ir.SecurityScheme("keyQuery", "apiKey", location="query", parameter="key"),
        ir.SecurityScheme("basic", "http", scheme="basic", env=(("username", "MY_USER"),)),
        env=(("", "KEYS_API_"),),
    )
    plan = client_plan(api, ir.PackageInfo("keys", "keys", "0.0.1"), RUNTIME)
    assert [(k.name, k.env) for k in plan.keywords] == [
        ("key_header", "KEYS_API_KEY_HEADER"),
        ("key_query", "KEYS_API_KEY_QUERY"),
        ("username", "MY_USER"),
        ("password", "KEYS_API_PASSWORD"),
    ]


def test_oauth2_keywords_follow_the_flows_the_client_can_run() -> None:
    runnable = ir.SecurityScheme("oauth", "oauth2", flows=(ir.OAuthFlow("clientCredentials", "/token"),))
    browser = ir.SecurityScheme("web", "oauth2", flows=(ir.OAuthFlow("authorizationCode", "/token"),))
    plan = client_plan(_api(runnable, browser), ir.PackageInfo("o", "o", "0.0.1"), RUNTIME)
    oauth, web = plan.scheme("oauth"), plan.scheme("web")
    assert oauth is not None and web is not None
    assert [k.name for k in oauth.keywords] == ["client_id", "client_secret"]
    assert [k.name for k in oauth.alternative] == ["oauth_access_token"] and oauth.extra == ()
    assert [k.name for k in web.keywords] == ["web"] and web.alternative == ()


def test_the_huawei_schemes_share_the_app_key_and_ship_their_modules() -> None:
    schemes = (
        ir.SecurityScheme("appAkSk", "sdk-hmac-sha256", options=(("keys", "application"),),
                          env=(("app_key", "VENDOR_APP_KEY"), ("app_secret", "VENDOR_APP_SECRET"))),
        ir.SecurityScheme("wsse", "wsse", parameter="X-WSSE"),
    )  # fmt: skip
    plan = client_plan(_api(*schemes), ir.PackageInfo("vendor", "vendor", "0.0.1"), RUNTIME)
    assert [(k.name, k.env) for k in plan.keywords] == [
        ("app_key", "VENDOR_APP_KEY"),
        ("app_secret", "VENDOR_APP_SECRET"),
    ]
    wsse = plan.scheme("wsse")
    assert wsse is not None and wsse.shared_with == "appAkSk"
    assert plan.modules == ("_keys", "_signing", "_fake_verify", "_wsse")
    assert plan.registers == (("_signing", "AUTH_KIND"), ("_wsse", "AUTH_KIND"))


def test_an_unknown_kind_is_not_supported_and_gets_no_keyword() -> None:
    plan = client_plan(_api(ir.SecurityScheme("odd", "carrier-pigeon")), ir.PackageInfo("p", "p", "0"), RUNTIME)
    odd = plan.scheme("odd")
    assert odd is not None and not odd.supported and plan.keywords == ()


def test_incomplete_contract_data_is_an_error_naming_the_file(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    (runtime / "extensions").mkdir(parents=True)
    for source in [*RUNTIME_DIR.glob("*.py"), *RUNTIME_DIR.glob("extensions/*.py")]:
        (runtime / source.relative_to(RUNTIME_DIR)).write_text(source.read_text(encoding="utf-8"))
    contract = runtime / "_contract.py"
    contract.write_text(contract.read_text().replace("RETRYABLE_STATUSES = (429, 502, 503, 504)", "RETRYABLE_STATUSES = (429, 503)"))
    assert load_runtime(runtime).policy.retryable_statuses == (429, 503)  # the data moves the docs
    broken = tmp_path / "broken"
    runtime.rename(broken)
    contract = broken / "_contract.py"
    contract.write_text(contract.read_text().replace("STATUS_CLASSES = {", "STATUS_CLASS = {"))
    with pytest.raises(DocsError) as info:
        load_runtime(broken)
    assert str(info.value) == f"{contract}: STATUS_CLASSES is missing; the generator reads it (the runtime's contract)"
