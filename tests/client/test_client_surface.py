"""The client's public surface: resources, close/aclose, with_options; the rest is private.

``with_options`` is checked against a 127.0.0.1 recording server: the copy sends its headers, uses its
timeout, retries and request validation, the original keeps its own, and closing the copy leaves the
shared connection pool open. The construction and missing-credentials messages are asserted exactly.
"""

from __future__ import annotations

import functools
import time
from typing import Any

import anyio
import httpx
import pytest

from tests.fake_huawei.server import FAKE_AK, FAKE_DOMAIN, FAKE_PASSWORD, FAKE_PROJECT_ID, FAKE_SK, FAKE_USER, FakeHuawei
from tests.support.recorder import Recorded, Recorder, Reply

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")

RESOURCES = {"apps", "countries", "projects", "signatures", "sms", "templates", "tokens"}
KW: dict[str, Any] = dict(iam_token="fake-iam-token", project_id="0" * 32, from_env=False, retry=0)
PAGE = {"results": [], "total": 0}
FAST_RETRY = dict(initial_delay=0.0, max_delay=0.0)


def public(client: object) -> set[str]:
    return {name for name in dir(client) if not name.startswith("__")} - {
        name for name in dir(client) if name.startswith("_")
    }


def test_dir_of_the_client_is_resources_close_and_with_options() -> None:
    client = huawei_sms.Client(from_env=False)
    try:
        assert public(client) == RESOURCES | {"close", "with_options"}
        assert public(client.with_options(retry=1)) == RESOURCES | {"close", "with_options"}
    finally:
        client.close()
    assert public(huawei_sms.AsyncClient(from_env=False)) == RESOURCES | {"aclose", "with_options"}


def test_the_copy_sends_its_headers_and_the_original_keeps_its_own(recorder: Recorder) -> None:
    recorder.default = Reply(200, PAGE)
    with huawei_sms.Client(base_url=recorder.url, headers={"X-A": "a", "X-B": "b"}, **KW) as client:
        copy = client.with_options(headers={"X-B": "copy", "X-C": "c"})
        copy.templates.list_templates()
        client.templates.list_templates()
        first, second = recorder.requests
        assert (first.headers["x-a"], first.headers["x-b"], first.headers["x-c"]) == ("a", "copy", "c")
        assert (second.headers["x-a"], second.headers["x-b"]) == ("a", "b")
        assert "x-c" not in second.headers
        assert copy.templates is not client.templates  # the copy's resources call the copy


def test_the_copy_uses_its_timeout(recorder: Recorder) -> None:
    def slow(request: Recorded) -> Reply:
        time.sleep(0.3)
        return Reply(200, PAGE)

    recorder.respond = slow
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        with pytest.raises(huawei_sms.ApiTimeoutError) as caught:
            client.with_options(timeout=0.05).templates.list_templates()
        assert str(caught.value).startswith("listTemplates: ReadTimeout: ")
        assert client.templates.list_templates().total == 0  # the default 30 s read timeout
    assert len(recorder.requests) == 2


def test_the_copy_uses_its_retries_and_the_original_keeps_its_own(recorder: Recorder) -> None:
    recorder.default = Reply(503, {"error": "busy"})
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        retrying = client.with_options(retry=huawei_sms.RetryConfig(max_retries=2, **FAST_RETRY))
        with pytest.raises(huawei_sms.ServerError):
            retrying.templates.list_templates()
        assert len(recorder.requests) == 3
        with pytest.raises(huawei_sms.ServerError):
            client.templates.list_templates()
        assert len(recorder.requests) == 4  # retry=0: one attempt
        with pytest.raises(huawei_sms.ServerError):
            client.with_options(retry=1).templates.list_templates()
        assert len(recorder.requests) == 6


def test_the_copy_can_turn_request_validation_off(recorder: Recorder) -> None:
    recorder.default = Reply(200, PAGE)
    with huawei_sms.Client(base_url=recorder.url, **KW) as client:
        client.with_options(validate_requests=False).templates.list_templates(limit=1000)
        with pytest.raises(ValueError):
            client.templates.list_templates(limit=1000)
    [request] = recorder.requests
    assert ("limit", "1000") in request.query


def test_closing_the_copy_leaves_the_shared_pool_open(recorder: Recorder) -> None:
    recorder.default = Reply(200, PAGE)
    client = huawei_sms.Client(base_url=recorder.url, **KW)
    with client.with_options(headers={"X-Copy": "1"}) as copy:
        copy.templates.list_templates()
    copy.close()  # twice is fine too
    client.templates.list_templates()  # the pool is still open
    copy.templates.list_templates()  # and the copy still works through it
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        copy.templates.list_templates()  # closing the original closes the shared pool
    assert [r.headers.get("x-copy") for r in recorder.requests] == ["1", None, "1"]


def test_the_copy_shares_credentials_and_token_caches() -> None:
    with huawei_sms.Client(**KW) as client:
        copy = client.with_options(timeout=1.0)
        assert copy._credentials is client._credentials
        assert copy._token_caches is client._token_caches and copy._resolved is client._resolved
        assert copy._token_sources is not client._token_sources and copy._auths is not client._auths
        assert copy._http is client._http


# -- token fetches and lookups a copy causes: its settings, the caches shared ------------------------------

IAM_USER: dict[str, Any] = dict(iam_username=FAKE_USER, iam_password=FAKE_PASSWORD, iam_domain=FAKE_DOMAIN,
                                project_id=FAKE_PROJECT_ID, from_env=False, retry=0)  # fmt: skip


def test_the_copys_token_fetch_uses_its_timeout_and_the_token_is_shared() -> None:
    with FakeHuawei() as fake, huawei_sms.Client(base_url=fake.url, region=fake.region, **IAM_USER) as client:
        impatient = client.with_options(timeout=0.5)  # made before any token exists
        fake.slow("createToken", 1.5)
        with pytest.raises(huawei_sms.ApiTimeoutError):
            impatient.templates.list_templates()  # the token request gave up after 0.5 s
        assert (fake.count("createToken"), fake.count("listTemplates")) == (1, 0)
        fake.slow("createToken", 0.3)
        client.templates.list_templates()  # the original waits (30 s read timeout)
        impatient.templates.list_templates()  # and the copy uses the token it fetched
        assert (fake.count("createToken"), fake.count("listTemplates")) == (2, 2)


class Unreachable(httpx.HTTPTransport):
    """A real connection to the fake server, except the next ``times`` requests to ``path``: refused as if
    the server were down (never sent, so retried even for a POST)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.times = path, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path and self.times > 0:
            self.times -= 1
            raise httpx.ConnectError("connection refused (by the test)", request=request)
        return super().handle_request(request)


def test_the_copys_token_fetch_uses_its_retries() -> None:
    transport = Unreachable("/v3/auth/tokens")
    with FakeHuawei() as fake, huawei_sms.Client(base_url=fake.url, region=fake.region, transport=transport,
                                                 **IAM_USER) as client:  # fmt: skip
        retrying = client.with_options(retry=huawei_sms.RetryConfig(max_retries=1, **FAST_RETRY))
        transport.times = 1
        with pytest.raises(huawei_sms.ApiConnectionError):
            client.templates.list_templates()  # retry=0
        transport.times = 1
        assert retrying.templates.list_templates().total >= 0  # the token request was tried again
        client.templates.list_templates()  # with the copy's token
        assert (fake.count("createToken"), fake.count("listTemplates"), transport.times) == (1, 2, 0)


@pytest.mark.anyio
async def test_async_copies_made_before_the_first_fetch_share_one_token_and_one_lookup() -> None:
    """The copies' token cache and lookup lock are the original's: four concurrent first calls make one
    token request (IAM) and one project lookup (account AK/SK)."""
    with FakeHuawei() as fake:
        async with huawei_sms.AsyncClient(base_url=fake.url, region=fake.region, **IAM_USER) as client:
            copies = [client, *(client.with_options(headers={"X-Copy": str(i)}) for i in range(3))]
            fake.slow("createToken", 0.3)
            async with anyio.create_task_group() as group:
                for each in copies:
                    group.start_soon(functools.partial(each.templates.list_templates))
        assert (fake.count("createToken"), fake.count("listTemplates")) == (1, 4)
        async with huawei_sms.AsyncClient(base_url=fake.url, ak=FAKE_AK, sk=FAKE_SK, region=fake.region,
                                          from_env=False, retry=0) as client:  # fmt: skip
            copies = [client, *(client.with_options(headers={"X-Copy": str(i)}) for i in range(3))]
            fake.slow("listProjects", 0.3)
            async with anyio.create_task_group() as group:
                for each in copies:
                    group.start_soon(functools.partial(each.apps.list_apps, limit=2))
        assert (fake.count("listProjects"), fake.count("listApps")) == (1, 4)


@pytest.mark.anyio
async def test_async_with_options(recorder: Recorder) -> None:
    recorder.default = Reply(200, PAGE)
    async with huawei_sms.AsyncClient(base_url=recorder.url, **KW) as client:
        async with client.with_options(headers={"X-Copy": "1"}) as copy:
            await copy.templates.list_templates()
        await client.templates.list_templates()
        await copy.templates.list_templates()
    assert [r.headers.get("x-copy") for r in recorder.requests] == ["1", None, "1"]


# -- messages that say each thing once -------------------------------------------------------------

IAM = (
    "iam_username/iam_password/iam_domain or iam_token (environment: HUAWEICLOUD_IAM_USERNAME, "
    "HUAWEICLOUD_IAM_PASSWORD, HUAWEICLOUD_IAM_DOMAIN, HUAWEICLOUD_IAM_TOKEN)"
)
AKSK = "ak/sk (environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)"


def test_the_missing_credentials_message_names_each_alternative_once(recorder: Recorder) -> None:
    with huawei_sms.Client(base_url=recorder.url, from_env=False) as client:
        with pytest.raises(huawei_sms.MissingCredentialsError) as caught:
            client.templates.list_templates()
    assert str(caught.value) == f"listTemplates: no matching credentials; configure {IAM}; or {AKSK}"
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(ak="a"), "sk is required with ak"),
        (dict(iam_username="u"), "iam_password is required with iam_username"),
        (dict(iam_username="u", iam_password="p"), "iam_domain is required with iam_username, iam_password"),
        (
            dict(base_url={"nope": "http://127.0.0.1:9"}),
            "base_url names 'nope', which is not a tag of this API "
            "(its tags: apps, countries, projects, signatures, sms, templates, tokens)",
        ),
        (
            dict(base_url={"nope": "x", "zed": "y"}),
            "base_url names 'nope', 'zed', which are not tags of this API "
            "(its tags: apps, countries, projects, signatures, sms, templates, tokens)",
        ),
        (
            dict(server_variables={"nope": "x"}),
            "server_variables names 'nope', which the servers of this API do not have "
            "(their variables: region)",
        ),
        (dict(max_response_size=0), "max_response_size must be at least 1 byte"),
    ],
)
def test_construction_errors_say_each_thing_once(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        huawei_sms.Client(from_env=False, **kwargs)
    assert str(caught.value) == message


def test_a_value_not_found_by_its_lookup_says_how_to_give_it(recorder: Recorder) -> None:
    recorder.default = Reply(200, {"projects": []})
    with huawei_sms.Client(base_url=recorder.url, ak="fake-ak", sk="fake-sk", from_env=False, retry=0) as client:
        with pytest.raises(huawei_sms.ApiError) as caught:
            client.countries.list_countries()
    assert str(caught.value) == (
        "listCountries: no project_id given, and none is visible to these credentials "
        "(name=cn-north-4); pass project_id= to the client or set HUAWEICLOUD_SDK_PROJECT_ID"
    )
