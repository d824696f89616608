"""No secret or token value in logs (at DEBUG, every logger), reprs or exception texts.

Runs the client through every kind of authentication, success and failure, sync and async, with all
logging captured, then scans everything a person or a log shipper could see.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from tests.runtime import rt_support
from tests.fake_huawei import (
    FAKE_AK,
    FAKE_APP_KEY,
    FAKE_APP_SECRET,
    FAKE_DOMAIN,
    FAKE_PASSWORD,
    FAKE_SK,
    FAKE_USER,
    FakeHuawei,
)

from apigen_runtime._credentials import AccessKey, AppKey, IamPassword, IamToken
from apigen_runtime._errors import ApiError
from apigen_runtime._retry import RetryConfig

FAST = RetryConfig(max_retries=1, initial_delay=0.0, max_delay=0.0)
SECURITY_TOKEN = "FAKE-temporary-security-token-0001"
WRONG = "FAKE-wrong-password-9"


def _texts_of(value: Any) -> list[str]:
    texts = [repr(value), str(value)]
    if isinstance(value, BaseException):
        cause = value.__cause__ or value.__context__
        while cause is not None:
            texts += [repr(cause), str(cause)]
            cause = cause.__cause__ or cause.__context__
    return texts


def _exercise(fake: FakeHuawei, seen: list[Any]) -> None:
    everything = dict(
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        iam_username=FAKE_USER,
        iam_password=FAKE_PASSWORD,
        iam_domain=FAKE_DOMAIN,
        retry=FAST,
        from_env=False,
    )
    with rt_support.Client(base_url=fake.url, **everything) as client:
        seen += [client, client.send(), client.list_apps(), client.create_template("x")]
        fake.expire_tokens()
        seen.append(client.list_apps())
        fake.fail("listApps", 503)
        seen.append(client.list_apps())
        seen += list(client._auths.values()) + list(client._token_sources.values())
    with rt_support.Client(base_url=fake.url, auth_preference=["wsse"], **everything) as client:
        seen.append(client.send())
        fake.reset_after_body("batchSendSms")
        with pytest.raises(ApiError) as info:
            client.send()
        seen.append(info.value)
        fake.malformed_json("batchSendSms")
        with pytest.raises(ApiError) as info:
            client.send()
        seen.append(info.value)
    keys = [AccessKey(FAKE_AK, FAKE_SK, SECURITY_TOKEN)]
    with rt_support.Client(
        base_url=fake.url, credentials=keys, project_id=fake.project_id, from_env=False
    ) as client:
        seen += [client, client.list_apps()]
    with rt_support.Client(
        base_url=fake.url,
        iam_username=FAKE_USER,
        iam_password=WRONG,
        iam_domain=FAKE_DOMAIN,
        from_env=False,
    ) as client:
        with pytest.raises(ApiError) as info:
            client.list_apps()
        seen += [client, info.value]
    with rt_support.Client(
        base_url=fake.url, app_key=FAKE_APP_KEY, app_secret=WRONG, from_env=False
    ) as client:
        with pytest.raises(ApiError) as info:
            client.send()
        seen.append(info.value)
    token = fake.issue_token(FAKE_USER, fake.project_id).value
    with rt_support.Client(
        base_url=fake.url, iam_token=token, project_id=fake.project_id, from_env=False
    ) as client:
        seen += [client, client.list_apps()]
    seen += [
        AccessKey(FAKE_AK, FAKE_SK, SECURITY_TOKEN),
        AppKey(FAKE_APP_KEY, FAKE_APP_SECRET),
        IamPassword(FAKE_USER, FAKE_PASSWORD, FAKE_DOMAIN),
        IamToken(token),
    ]


@pytest.mark.anyio
async def test_nothing_secret_is_logged_printed_or_raised(
    fake_huawei: FakeHuawei, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[Any] = []
    _exercise(fake_huawei, seen)
    async with rt_support.AsyncClient(
        base_url=fake_huawei.url,
        iam_username=FAKE_USER,
        iam_password=FAKE_PASSWORD,
        iam_domain=FAKE_DOMAIN,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        from_env=False,
    ) as client:
        seen += [client, await client.send(), await client.list_apps()]

    secrets = [*fake_huawei.secret_values(), SECURITY_TOKEN, WRONG, FAKE_AK, FAKE_APP_KEY]
    assert len(fake_huawei.tokens) >= 4  # tokens were really issued, and are part of the scan
    texts = [text for value in seen for text in _texts_of(value)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [record.exc_text or "" for record in caplog.records]
    texts.append(caplog.text)
    leaks = sorted({secret for secret in secrets for text in texts if secret in text})
    assert leaks == []

    ours = [r for r in caplog.records if r.name == "huawei_sms_test"]
    assert any(
        "<redacted>" in r.getMessage() and "authorization" in r.getMessage().lower() for r in ours
    )
    assert any(
        "x-subject-token" in r.getMessage().lower() for r in ours
    )  # the header is there, its value is not
    assert any(r.levelno == logging.INFO and "retrying" in r.getMessage() for r in ours)


def test_redaction_of_query_parameters_and_configured_names() -> None:
    import httpx

    from apigen_runtime._logging import redact_headers, redact_url

    url = httpx.URL(
        "https://user:pw@api.example.com/x?api_key=FAKE-k&limit=2&sig=FAKE-s&customKey=FAKE-c"
    )
    text = redact_url(url, frozenset({"sig"}))
    assert (
        text
        == "https://api.example.com/x?api_key=<redacted>&limit=2&sig=<redacted>&customKey=<redacted>"
    )
    headers = redact_headers(httpx.Headers({"X-Api-Key": "FAKE", "X-WSSE": "FAKE", "Accept": "x"}))
    assert headers == {"x-api-key": "<redacted>", "x-wsse": "<redacted>", "accept": "x"}
