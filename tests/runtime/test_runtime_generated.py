"""The generated ``huawei_sms`` package on the runtime, against the fake server: every operation of the spec.

This also checks the fake server: each canned answer must decode with the models generated from the spec.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from tests.fake_huawei import FAKE_DOMAIN, FAKE_PASSWORD, FAKE_PROJECT_ID, FAKE_USER, FakeHuawei
from tests.fake_huawei.server import ROUTES

huawei_sms = pytest.importorskip(
    "huawei_sms", reason="generated/client is installed by `make test`"
)
m = huawei_sms.models


@pytest.fixture
def client(fake_huawei: FakeHuawei) -> Any:
    with huawei_sms.Client(
        base_url=fake_huawei.url, from_env=False, **fake_huawei.client_credentials()
    ) as c:
        yield c


def test_the_fake_routes_every_operation_of_the_spec() -> None:
    from huawei_sms._api import API

    routed = {op for _, _, op, _ in ROUTES}
    assert set(API.operations) <= routed, set(API.operations) - routed


def test_public_runtime_names_are_exported() -> None:
    for name in (
        "Client",
        "AsyncClient",
        "RetryConfig",
        "RateLimitError",
        "ApiDecodeError",
        "failed_recipients",
        "AppKey",
        "AccessKey",
        "IamPassword",
        "IamToken",
        "RequestOptions",
        "UNSET",
        "should_retry",
    ):
        assert hasattr(huawei_sms, name), name


def test_sms_sending(client: Any, fake_huawei: FakeHuawei) -> None:
    fake_huawei.recipient_status["+8613800000002"] = "E200028"
    sent = client.sms.batch_send_sms(
        from_="csms12345678",
        to="+8613800000001,+8613800000002",
        template_id="fake-template",
        template_paras='["123456"]',
    )
    assert sent.code == "000000" and len(sent.result) == 2
    assert [r.origin_to for r in huawei_sms.failed_recipients(sent.result)] == ["+8613800000002"]
    diff = client.sms.batch_send_diff_sms(
        from_="csms12345678",
        sms_content=[
            m.SmsContent(to=["+8613800000003"], template_id="fake-template", template_paras=["1"])
        ],
    )
    assert diff.result[0].status == "000000"
    assert fake_huawei.count("batchSendSms") == fake_huawei.count("batchSendDiffSms") == 1


def test_sms_result_code_failure_is_typed(client: Any, fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond("batchSendSms", 200, {"code": "E000510", "description": "Rejected."})
    with pytest.raises(huawei_sms.ResultCodeError) as info:
        client.sms.batch_send_sms(from_="c", to="+8613800000001", template_id="t")
    assert info.value.error_code == "E000510" and fake_huawei.count("batchSendSms") == 1


def test_sms_send_never_retried(client: Any, fake_huawei: FakeHuawei) -> None:
    fake_huawei.reset_after_body("batchSendSms")
    with pytest.raises(huawei_sms.ApiConnectionError):
        client.sms.batch_send_sms(from_="c", to="+8613800000001", template_id="t")
    assert fake_huawei.count("batchSendSms") == 1


def test_wrong_field_type_names_the_path(client: Any, fake_huawei: FakeHuawei) -> None:
    fake_huawei.respond(
        "listApps", 200, {"results": [{"id": "a", "industry": "not-a-number"}], "total": 1}
    )
    with pytest.raises(huawei_sms.ApiDecodeError) as info:
        client.apps.list_apps()
    assert info.value.path == "$.results[0].industry" and b"not-a-number" in info.value.body


def test_management_operations(client: Any, fake_huawei: FakeHuawei) -> None:
    apps = client.apps.list_apps(limit=5)
    assert apps.total == 1 and apps.results[0].app_name == "fake-app"
    created = client.apps.create_app(app_name="fake-app-2", region=m.CreateAppRequestRegion.CN)
    assert client.apps.show_app(id=created.id).app_name == "fake-app-2"
    assert (
        client.apps.update_app(
            id=created.id, app_name="renamed", region=m.CreateAppRequestRegion.CN
        ).app_name
        == "renamed"
    )
    assert client.apps.show_app_count(region="cn").used == 2

    assert client.signatures.list_signatures().total == 1
    sig_args = dict(
        app_id=created.id,
        signature_name="FakeSign",
        signature_type=next(iter(m.SignatureRequestSignatureType)),
        signature_source=next(iter(m.SignatureRequestSignatureSource)),
        is_involved_third=next(iter(m.SignatureRequestIsInvolvedThird)),
    )
    sig = client.signatures.create_signature(**sig_args)
    assert client.signatures.show_signature(id=sig.id).signature_name == "FakeSign"
    client.signatures.update_signature(id=sig.id, **sig_args)
    client.signatures.enable_signature(id=sig.id)
    uploaded = client.signatures.upload_signature_file(
        file=huawei_sms.FileUpload(b"\x89PNG fake", "fake.png", "image/png"), file_desc="fake"
    )
    assert (
        client.signatures.show_signature_file(file_id=uploaded.file_id).file_id == uploaded.file_id
    )
    client.signatures.delete_signature(id=sig.id)

    tpl_args = dict(
        app_id=created.id,
        template_name="fake",
        template_content="Code ${NUM_6}",
        template_type=next(iter(m.TemplateRequestTemplateType)),
        region=next(iter(m.TemplateRequestRegion)),
    )
    tpl = client.templates.create_template(**tpl_args)
    assert client.templates.list_templates().total == 2
    assert client.templates.show_template(id=tpl.id).template_name == "fake"
    client.templates.update_template(id=tpl.id, **tpl_args)
    assert client.templates.list_template_variables(id=tpl.id).total == 1
    client.templates.delete_template(id=tpl.id)
    existing = client.templates.list_templates().results[0].id
    deleted = client.templates.batch_delete_templates(ids=[existing, "nope"])
    assert (deleted.success_count, deleted.failed_count) == (1, 1)
    assert [c.country_id for c in client.countries.list_countries(country_name_en="China")] == [86]

    assert client.projects.list_projects(name="cn-north-4").projects[0].id == FAKE_PROJECT_ID
    assert client.projects.list_auth_projects().projects[0].id == FAKE_PROJECT_ID
    assert client.projects.show_project(project_id=FAKE_PROJECT_ID).project.id == FAKE_PROJECT_ID
    failed = [r for r in fake_huawei.requests if r.status is None or r.status >= 400]
    assert failed == []
    assert (
        fake_huawei.count("createToken") == 1 and fake_huawei.count("listProjects") == 2
    )  # one lookup, one call


def test_tokens_resource(client: Any, fake_huawei: FakeHuawei) -> None:
    body = m.PasswordTokenRequest(
        auth=m.PasswordAuth(
            identity=m.PasswordIdentity(
                methods=[m.PasswordIdentityMethodsItem("password")],
                password=m.PasswordCredential(
                    user=m.PasswordUser(
                        name=FAKE_USER,
                        password=FAKE_PASSWORD,
                        domain=m.PasswordUserDomain(name=FAKE_DOMAIN),
                    )
                ),
            ),
            scope=m.TokenScope(project=m.ScopeProject(name="cn-north-4")),
        )
    )
    raw = client.tokens.with_raw_response.create_token(body=body)
    token = raw.headers["X-Subject-Token"]
    assert raw.status_code == 201 and token in fake_huawei.tokens
    assert token not in repr(raw)
    assert client.tokens.validate_token(x_subject_token=token).token.user.name == FAKE_USER


def test_errors_of_the_generated_client(client: Any, fake_huawei: FakeHuawei) -> None:
    with pytest.raises(huawei_sms.NotFoundError) as info:
        client.apps.show_app(id="missing")
    assert (info.value.error_code, info.value.operation) == ("MSGSMS.0101", "showApp")
    fake_huawei.fail("listApps", 503, times=2)
    assert (
        client.apps.list_apps(
            options=huawei_sms.RequestOptions(retry=huawei_sms.RetryConfig(initial_delay=0))
        ).total
        == 1
    )


@pytest.mark.anyio
async def test_async_generated_client(
    fake_huawei: FakeHuawei, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with huawei_sms.AsyncClient(
        base_url=fake_huawei.url, from_env=False, **fake_huawei.client_credentials()
    ) as c:
        sent = await c.sms.batch_send_sms(from_="c", to="+8613800000001", template_id="t")
        apps = await c.apps.list_apps()
    assert sent.code == "000000" and apps.total == 1
    assert any(r.name == "huawei_sms" for r in caplog.records)
    assert not any(secret in caplog.text for secret in fake_huawei.secret_values())
