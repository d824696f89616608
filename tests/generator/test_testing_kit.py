"""The testing kit every generated package ships (``<package>.testing.FakeApi``).

For the Huawei client and each corpus spec (the large ones too, generated without black), every operation is
called once through the fake and returns a decoded value, recorded as the operation called, with the fake
finding nothing wrong in the request. A request that breaks the spec is reported naming the field (an
object parameter's property too, in each style); operations alike on the wire (a fragment, a query in the
path) are told apart by what the request carries; scripted failures surface as the same exceptions as
against a real server; and one test is written the way an application's own suite would use the kit.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.client.emit import ClientEmitter
from generator.model import ir
from generator.output.format import format_files
from generator.output.write import apply
from generator.pipeline import analyse
from tests.support.paths import CORPUS, LARGE, SPEC, corpus_roots

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")
from huawei_sms import testing as kit  # noqa: E402

PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_KW: dict[str, Any] = dict(
    app_key="fake-app-key", app_secret="fake-app-secret", iam_token="fake-iam-token", project_id=PROJECT,
    from_env=False, retry=0,
)  # fmt: skip


# -- calling any operation with made-up arguments ------------------------------------------------------


class Caller:
    """Arguments for every operation of a generated package, made from the spec (examples first, then the
    fake's own sample values), as the Python values the methods take."""

    def __init__(self, api: ir.Api, pkg: ModuleType) -> None:
        self.api, self.pkg = api, pkg
        self.contract = pkg.testing._contract()
        self.fake_mod = pkg._runtime._fake
        self.ops = {op["id"]: op for op in self.contract["operations"]}

    def sample(self, schema: Any, rules: Any = None) -> Any:
        return self.fake_mod.sample(schema, self.contract["models"], rules)

    def python(self, t: ir.TypeRef | None, wire: Any) -> Any:
        models = self.pkg.models
        if t is None:
            return wire
        if isinstance(wire, str) and not (isinstance(t, ir.Primitive) and t.kind in ("str", "any")):
            try:  # an example written as JSON text
                wire = json.loads(wire)
            except ValueError:
                pass
        if isinstance(t, ir.Nullable):
            return None if wire is None else self.python(t.inner, wire)
        if isinstance(t, ir.ArrayType):
            return [self.python(t.item, w) for w in wire]
        if isinstance(t, ir.MapType):
            return {k: self.python(t.value, v) for k, v in wire.items()}
        if isinstance(t, ir.Primitive):
            if t.format == "date-time":
                return dt.datetime.fromisoformat(wire.replace("Z", "+00:00"))
            if t.format == "date":
                return dt.date.fromisoformat(wire)
            if t.format == "uuid":
                return uuid.UUID(wire)
            if t.format == "byte":
                return b"fake-bytes"
            if t.format == "binary":
                return b"fake-bytes"
            return wire
        model = self.api.model(t.name)
        if isinstance(model, ir.ObjectModel):
            return getattr(models, t.name).from_wire(wire)
        if isinstance(model, ir.EnumModel):
            values = [m.value for m in model.members]  # an example may write "4" as 4
            return getattr(models, t.name)(wire if wire in values else type(values[0])(wire))
        return getattr(models, model.decoder)(wire)

    def kwargs(self, op: ir.Operation) -> dict[str, Any]:
        contract = self.ops[op.operation_id]
        by_wire = {(p["in"], p["name"]): p for p in contract["params"]}
        out: dict[str, Any] = {}
        for p in op.arguments:
            if not p.required or p.set_by == "client":
                continue
            spec_param = by_wire[(p.location, p.wire_name)]
            out[p.name] = self.either(p.type, p.examples[0] if p.examples else None, spec_param["type"],
                                      spec_param.get("rules"))  # fmt: skip
        body = op.body
        if body is None or not body.required and body.flattened is None:
            return out
        media = body.chosen
        example = media.examples[0].value if media.examples else None
        if body.flattened is not None:
            model = self.contract["models"].get(media.type.name) if isinstance(media.type, ir.ModelRef) else None
            fields = {f["wire"]: f for f in model["fields"]} if model else {}
            for f in body.flattened:
                spec_field = fields[f.wire_name]
                if isinstance(example, dict) and f.wire_name in example or f.required:
                    given = example.get(f.wire_name) if isinstance(example, dict) else None
                    out[f.name] = self.either(f.type, given, spec_field["type"], spec_field.get("rules"))
            return out
        if media.kind in ("binary", "other"):
            out[body.body_param] = b"fake-file-content"
        elif media.kind == "text":
            out[body.body_param] = example if isinstance(example, str) else "fake text"
        else:
            schema = next(m["schema"] for m in self.ops[op.operation_id]["body"]["media"] if m["type"] == media.content_type)
            out[body.body_param] = self.either(media.type, example, schema, None)
        return out

    def either(self, t: ir.TypeRef | None, example: Any, schema: Any, rules: Any) -> Any:
        """The spec's example as a Python value, or (none, or one its own schema rejects) a made-up one."""
        if example is not None:
            try:
                return self.python(t, example)
            except (ValueError, TypeError, KeyError, AttributeError):
                pass
        return self.python(t, self.sample(schema, rules))


def _resource(client: Any, api: ir.Api, op: ir.Operation) -> Any:
    resource = next(r for r in api.resources if op in r.operations)
    attr = resource.name if hasattr(client, resource.name) else resource.name + "_"
    return getattr(client, attr)


# -- the Huawei client -----------------------------------------------------------------------------------

API = analyse(SPEC).api


def test_every_huawei_operation_answers_through_the_fake() -> None:
    caller = Caller(API, huawei_sms)
    fake = kit.FakeApi()
    with huawei_sms.Client(**HUAWEI_KW, transport=fake) as client:
        for op in API.operations:
            result = getattr(_resource(client, API, op), op.name)(**caller.kwargs(op))
            assert result is not None or not any(r.decoded for r in op.success_responses), op.operation_id
    assert [r.operation_id for r in fake.calls()] == [op.operation_id for op in API.operations]
    assert fake.violations == []


@pytest.mark.anyio
async def test_the_async_client_uses_the_same_fake() -> None:
    fake = kit.FakeApi()
    async with huawei_sms.AsyncClient(**HUAWEI_KW, transport=fake) as client:
        page = await client.templates.list_templates(limit=5)
        sent = await client.sms.batch_send_sms(from_="8800000000000", to=["+8613800000000"], template_id="t1")
    assert page.total == 1 and sent.code == "000000"
    assert [c.operation_id for c in fake.calls()] == ["listTemplates", "batchSendSms"]


def test_a_request_that_breaks_the_spec_is_reported_naming_the_field() -> None:
    fake = kit.FakeApi()
    with huawei_sms.Client(**HUAWEI_KW, validate_requests=False, transport=fake) as client:
        with pytest.raises(kit.SpecViolation) as caught:
            client.templates.list_templates(limit=1000)
        assert caught.value.violations == ["query parameter limit: must be <= 500, got 1000 (maximum)"]
        with pytest.raises(kit.SpecViolation) as caught:
            client.sms.batch_send_sms(from_="8800000000000", to=[f"+86138{i:08}" for i in range(501)], template_id="t1")
        assert caught.value.violations == ["body.to: at most 500 items allowed, got 501 (maxItems)"]
    lenient = kit.FakeApi(strict=False)
    with httpx.Client(transport=lenient, base_url="https://smsapi.cn-north-4.myhuaweicloud.com:443") as http:
        answer = http.post("/sms/batchSendSms/v1", content=b'{"to": 1}', headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert lenient.violations == [
        "batchSendSms: Content-Type: application/json is not one of application/x-www-form-urlencoded",
        "batchSendSms: credentials: none of appAkSk or wsse was presented",
    ]
    assert answer.json()["violations"] == [v.split(": ", 1)[1] for v in lenient.violations]


def test_scripted_failures_surface_as_against_a_real_server() -> None:
    fake = kit.FakeApi()
    send = dict(from_="8800000000000", to=["+8613800000000"], template_id="t1")
    with huawei_sms.Client(**{**HUAWEI_KW, "retry": 2}, transport=fake, timeout=0.05) as client:
        fake.fail("batchSendSms", 401)
        with pytest.raises(huawei_sms.UnauthorizedError) as unauthorized:
            client.sms.batch_send_sms(**send)
        assert unauthorized.value.error_code == "E000001"  # the spec's own example of that error
        fake.fail("listTemplates", 503, {"error_code": "MSGSMS.0503", "error_msg": "fake outage"}, times=3)
        with pytest.raises(huawei_sms.ServerError) as outage:
            client.templates.list_templates()
        assert outage.value.status_code == 503 and len(fake.calls("listTemplates")) == 3  # a GET is retried
        fake.reset("batchSendSms")
        with pytest.raises(huawei_sms.ApiConnectionError):
            client.sms.batch_send_sms(**send)
        assert len(fake.calls("batchSendSms")) == 2  # the reset send was never repeated
        fake.reset("batchSendSms", before_sending=True)
        assert client.sms.batch_send_sms(**send).code == "000000"  # never reached the server: retried
        fake.delay("listApps", 1.0, times=None)
        with pytest.raises(huawei_sms.ApiTimeoutError):
            client.apps.list_apps()
        fake.clear()
        fake.respond("listApps", {"results": [{"id": "app-1", "app_name": "fake app"}], "total": 1})
        assert [a.app_name for a in client.apps.list_apps().results] == ["fake app"]


# -- the way an application's own tests use it -------------------------------------------------------------


def notify_order(client: huawei_sms.Client, phones: list[str], order: str) -> list[str]:
    """Application code under test: texts an order number; returns the numbers that could not be reached."""
    sent = client.sms.batch_send_sms(from_="8800000000000", to=phones, template_id="fake-order-template",
                                     template_paras=[order], extend=order)  # fmt: skip
    return [r.origin_to for r in huawei_sms.failed_recipients(sent.result) if isinstance(r.origin_to, str)]


@pytest.fixture
def fake_sms() -> Iterator[tuple[kit.FakeApi, huawei_sms.Client]]:
    fake = kit.FakeApi()
    with huawei_sms.Client(app_key="fake-app-key", app_secret="fake-app-secret", from_env=False, transport=fake) as client:
        yield fake, client


def test_application_code_against_the_fake(fake_sms: tuple[kit.FakeApi, huawei_sms.Client]) -> None:
    fake, client = fake_sms
    fake.respond("batchSendSms", {"code": "000000", "description": "Success", "result": [
        {"smsMsgId": "fake-1", "from": "8800000000000", "originTo": "+8613800000000", "status": "000000"},
        {"smsMsgId": "fake-2", "from": "8800000000000", "originTo": "+8613800000001", "status": "E200041"},
    ]})  # fmt: skip
    assert notify_order(client, ["+8613800000000", "+8613800000001"], "A-17") == ["+8613800000001"]
    [call] = fake.calls("batchSendSms")
    assert call.form() == {"from": "8800000000000", "to": "+8613800000000,+8613800000001",
                           "templateId": "fake-order-template", "templateParas": '["A-17"]', "extend": "A-17"}  # fmt: skip
    assert call.headers["authorization"].startswith("SDK-HMAC-SHA256 Access=fake-app-key,")
    fake.fail("batchSendSms", 403)
    with pytest.raises(huawei_sms.ForbiddenError):
        notify_order(client, ["+8613800000000"], "A-18")


# -- every corpus spec -----------------------------------------------------------------------------------

SMALL = [p for p in corpus_roots() if p.name not in LARGE] if CORPUS.is_dir() else []
BIG = [p for p in corpus_roots() if p.name in LARGE] if CORPUS.is_dir() else []


def _package(spec: Path, root: Path, *, formatted: bool = True) -> tuple[ir.Api, ModuleType]:
    name = "kit_" + "".join(c if c.isalnum() else "_" for c in f"{spec.parent.name}_{spec.stem}".lower())
    result = analyse(spec)
    files = ClientEmitter(result.api, ir.PackageInfo(name, name.replace("_", "-"), "0.0.1")).emit().files
    apply(root / name, format_files(files) if formatted else files)
    sys.path.insert(0, str(root / name))
    try:
        importlib.import_module(f"{name}.testing")  # not imported by the package itself
        return result.api, importlib.import_module(name)
    finally:
        sys.path.remove(str(root / name))


def _params(specs: list[Path]) -> list[Any]:
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in specs] or [
        pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason="../shared/corpus is absent: the corpus tests need it"))
    ]


def _every_operation_through_the_fake(api: ir.Api, pkg: ModuleType) -> None:
    """Each operation called once, in the spec's order: every call answers with a decoded value, is
    recorded as the operation that was called (also where routes differ only by a fragment) and breaks
    nothing in the description. Failures are collected, so one run names them all."""
    caller = Caller(api, pkg)
    fake = pkg.testing.FakeApi()
    credentials = [pkg.ApiKey("fake-api-key"), pkg.BearerToken("fake-token"), pkg.BasicAuth("fake-user", "fake-pw")]
    failed: list[str] = []
    with pkg.Client(base_url="https://api.fake.invalid", credentials=credentials, from_env=False, retry=0,
                    transport=fake) as client:  # fmt: skip
        for op in api.operations:
            before = len(fake.calls())
            try:
                getattr(_resource(client, api, op), op.name)(**caller.kwargs(op))
            except Exception as exc:  # noqa: BLE001 - named in the failure below
                failed.append(f"{op.operation_id}: {type(exc).__name__}: {str(exc)[:300]}")
                continue
            got = [c.operation_id for c in fake.calls()[before:]]
            if got != [op.operation_id]:
                failed.append(f"{op.operation_id}: recorded as {got}")
    assert failed == [], f"{len(failed)} of {len(api.operations)} operations failed:\n" + "\n".join(failed)
    assert fake.violations == []
    assert len(fake.calls()) == len(api.operations)
    assert json.loads(pkg.testing._CONTRACT)["title"] == api.title


@pytest.mark.parametrize("spec", _params(SMALL))
def test_every_corpus_operation_answers_through_the_fake(spec: Path, tmp_path: Path) -> None:
    _every_operation_through_the_fake(*_package(spec, tmp_path))


@pytest.mark.parametrize("spec", _params(BIG))
def test_every_large_corpus_operation_answers_through_the_fake(spec: Path, tmp_path: Path) -> None:
    """The large specs (OpenAI, Box, DigitalOcean: about 1,250 operations) on a budget: generated without
    black (formatting changes no behaviour, and would be most of the cost), imported, each operation
    called once through the fake."""
    _every_operation_through_the_fake(*_package(spec, tmp_path, formatted=False))


# -- signatures and WSSE digests, recomputed when the fake knows the keys ----------------------------------


def test_the_fake_verifies_the_official_signing_vector() -> None:
    """Huawei's published test vector (FACTS.md), checked by the fake's own verifier."""
    request = httpx.Request(
        "GET",
        "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
        "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers={
            "Content-Type": "application/json",
            "X-Sdk-Date": "20191115T033655Z",
            "Authorization": "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
            "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
        },
    )
    verify = huawei_sms._runtime._fake_verify.verify_hmac
    assert verify(request, b"", {"QTWAOYTTINDUT2QVKYUC": "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}) == ""
    assert verify(request, b"", {"QTWAOYTTINDUT2QVKYUC": "not-the-secret"}) == "the signature does not verify"
    assert verify(request, b"{}", {"QTWAOYTTINDUT2QVKYUC": "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}) == (
        "the signature does not verify"  # the body is signed too
    )


@pytest.mark.parametrize("preference", [(), ("wsse",)], ids=["sdk-hmac-sha256", "wsse"])
def test_signatures_and_digests_are_checked_with_the_keys(preference: tuple[str, ...]) -> None:
    send = dict(from_="8800000000000", to=["+8613800000000"], template_id="t1", template_paras=["1"])
    fake = kit.FakeApi(keys={"fake-app-key": "fake-app-secret"})
    with huawei_sms.Client(**HUAWEI_KW, auth_preference=preference, transport=fake) as client:
        assert client.sms.batch_send_sms(**send).code == "000000"
    wrong = {**HUAWEI_KW, "app_secret": "fake-wrong-secret"}
    scheme = "wsse" if preference else "appAkSk"
    problem = "the PasswordDigest does not verify" if preference else "the signature does not verify"
    with huawei_sms.Client(**wrong, auth_preference=preference, transport=fake) as client:
        with pytest.raises(kit.SpecViolation) as caught:
            client.sms.batch_send_sms(**send)
    assert caught.value.violations == [f"credentials: {scheme}: {problem}"]


# -- operations that look alike on the wire -------------------------------------------------------------

_ALIKE = """\
openapi: 3.0.3
info: {title: Look-alikes, version: "1"}
servers: [{url: "https://api.fake.invalid"}]
paths:
  /files/{id}:
    put:
      operationId: updateFile
      tags: [files]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200":
          description: the file
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /files/{id}#add_link:
    put:
      operationId: addLink
      tags: [files]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: fields, in: query, required: true, schema: {type: string, enum: [link]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [link]
              properties: {link: {type: object, properties: {access: {type: string, enum: [open, company]}}}}
      responses:
        "200":
          description: the file with its link
          content: {application/json: {schema: {$ref: "#/components/schemas/Linked"}}}
  /responses:
    get:
      operationId: listResponses
      tags: [responses]
      parameters: [{name: limit, in: query, schema: {type: integer, maximum: 10}}]
      responses:
        "200": {description: a page, content: {application/json: {schema: {type: object, properties: {stable: {type: boolean}}}}}}
  /responses?beta=true:
    get:
      operationId: listBetaResponses
      tags: [responses]
      parameters: [{name: limit, in: query, schema: {type: integer, maximum: 10}}]
      responses:
        "200": {description: a page, content: {application/json: {schema: {type: object, properties: {beta: {type: boolean}}}}}}
components:
  schemas:
    File:
      type: object
      required: [id]
      properties: {id: {type: string}}
    Linked:
      type: object
      required: [id, link]
      properties: {id: {type: string}, link: {type: string}}
"""


@pytest.fixture(scope="module")
def alike(tmp_path_factory: pytest.TempPathFactory) -> tuple[ir.Api, ModuleType]:
    root = tmp_path_factory.mktemp("alike")
    (root / "alike").mkdir()
    spec = root / "alike" / "openapi.yaml"
    spec.write_text(_ALIKE, encoding="utf-8")
    return _package(spec, root / "out", formatted=False)


def test_operations_told_apart_by_a_fragment_or_a_query_in_the_path(alike: tuple[ir.Api, ModuleType]) -> None:
    """The client sends neither the fragment nor a second ``?``; the fake takes each request for the
    operation it fits, whether or not the client named it (a plain httpx request does not)."""
    api, pkg = alike
    fake = pkg.testing.FakeApi()
    with pkg.Client(base_url="https://api.fake.invalid", from_env=False, retry=0, transport=fake) as client:
        link = pkg.models.AddLinkRequestLink.from_wire({"access": "open"})
        assert client.files.add_link(id="f1", fields=pkg.models.AddLinkFields("link"), link=link).link == "string"
        assert client.files.update_file(id="f1", name="n").id == "string"
        client.responses.list_beta_responses(limit=3)
        client.responses.list_responses(limit=3)
    sent = fake.calls()
    assert [c.operation_id for c in sent] == ["addLink", "updateFile", "listBetaResponses", "listResponses"]
    assert [str(c.url) for c in sent] == [
        "https://api.fake.invalid/files/f1?fields=link",
        "https://api.fake.invalid/files/f1",
        "https://api.fake.invalid/responses?beta=true&limit=3",
        "https://api.fake.invalid/responses?limit=3",
    ]
    assert fake.violations == []
    plain = pkg.testing.FakeApi()
    with httpx.Client(transport=plain, base_url="https://api.fake.invalid") as http:
        assert http.put("/files/f1", params={"fields": "link"}, json={"link": {}}).json()["link"] == "string"
        assert "link" not in http.put("/files/f1", json={"name": "n"}).json()
        assert http.get("/responses", params={"beta": "true"}).json() == {"beta": True}
        assert http.get("/responses").json() == {"stable": True}
    assert [c.operation_id for c in plain.calls()] == ["addLink", "updateFile", "listBetaResponses", "listResponses"]


def test_a_request_that_fits_none_of_the_look_alikes_says_so(alike: tuple[ir.Api, ModuleType]) -> None:
    api, pkg = alike
    fake = pkg.testing.FakeApi(strict=False)
    with httpx.Client(transport=fake, base_url="https://api.fake.invalid") as http:
        assert http.put("/files/f1", params={"fields": "link"}, json={"link": {"access": "all"}, "name": 5}).status_code == 400
        assert http.get("/responses", params={"beta": "true", "limit": "11"}).status_code == 400
    assert fake.violations == [
        'addLink: body.link.access: "all" is not one of "open", "company" (enum)',  # updateFile: body.name
        "addLink: the request fits none of the 2 operations at PUT /files/{id} (updateFile, addLink); the problems"
        " above are those of addLink, the closest",
        "listBetaResponses: query parameter limit: must be <= 10, got 11 (maximum)",
        "listBetaResponses: the request fits none of the 2 operations at GET /responses (listResponses,"
        " listBetaResponses); the problems above are those of listBetaResponses, the closest",
    ]


# -- object-typed parameters: their properties checked, in each serialisation style -------------------------

_OBJECTS = """\
openapi: 3.0.3
info: {title: Object parameters, version: "1"}
servers: [{url: "https://api.fake.invalid"}]
paths:
  /things/{sel}:
    get:
      operationId: findThings
      tags: [things]
      parameters:
        - {name: sel, in: path, required: true, schema: {$ref: "#/components/schemas/Sel"}}
        - {name: who, in: query, required: true, schema: {$ref: "#/components/schemas/Who"}}
        - {name: span, in: query, explode: false, schema: {$ref: "#/components/schemas/Span"}}
        - {name: deep, in: query, required: true, style: deepObject, schema: {$ref: "#/components/schemas/Deep"}}
        - {name: X-Meta, in: header, explode: true, schema: {$ref: "#/components/schemas/Meta"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}
components:
  schemas:
    Sel:
      type: object
      required: [a]
      properties: {a: {type: integer}, b: {type: string, enum: [x, "y"]}, c: {type: string}}
    Who:
      type: object
      required: [role]
      properties:
        role: {type: string, enum: [admin, user]}
        age: {type: integer, minimum: 0}
        name: {type: string, maxLength: 5}
    Span:
      type: object
      required: [lo]
      properties: {lo: {type: integer}, hi: {type: integer}}
    Deep:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [a, b]}, size: {type: integer}}
    Meta:
      type: object
      required: [id]
      properties: {id: {type: integer}}
"""


@pytest.fixture(scope="module")
def objects(tmp_path_factory: pytest.TempPathFactory) -> tuple[ir.Api, ModuleType]:
    root = tmp_path_factory.mktemp("objects")
    (root / "objects").mkdir()
    spec = root / "objects" / "openapi.yaml"
    spec.write_text(_OBJECTS, encoding="utf-8")
    return _package(spec, root / "out", formatted=False)


def test_object_parameters_from_the_client_fit(objects: tuple[ir.Api, ModuleType]) -> None:
    api, pkg = objects
    m, fake = pkg.models, pkg.testing.FakeApi()
    with pkg.Client(base_url="https://api.fake.invalid", from_env=False, retry=0, transport=fake) as client:
        client.things.find_things(
            sel=m.Sel.from_wire({"a": 1, "b": "y", "c": "p,q"}), who=m.Who.from_wire({"role": "admin", "age": 3, "name": "ann"}),
            span=m.Span.from_wire({"lo": 1, "hi": 2}), deep=m.Deep.from_wire({"kind": "b", "size": 7}),
            x_meta=m.Meta.from_wire({"id": 5}),
        )  # fmt: skip
        for who, problem in [({"role": "boss"}, "who.role: 'boss' is not one of 'admin', 'user' (enum)"),
                             ({"role": "user", "name": "annabel"}, "who.name: at most 5 characters allowed, got 7")]:
            with pytest.raises(ValueError, match=re.escape(problem)):  # the client's own checks, before sending
                client.things.find_things(sel=m.Sel.from_wire({"a": 1}), who=m.Who.from_wire(who),
                                          deep=m.Deep.from_wire({"kind": "a"}))  # fmt: skip
    [call] = fake.calls("findThings")
    assert (call.url.raw_path.decode().split("?")[0], call.query, call.headers["x-meta"]) == (
        "/things/a,1,b,y,c,p%2Cq",  # a value's own comma escaped, the style's not
        [("deep[kind]", "b"), ("deep[size]", "7"), ("span", "lo,1,hi,2"), ("role", "admin"), ("age", "3"), ("name", "ann")],
        "id=5",
    )  # fmt: skip
    assert fake.violations == []


def test_object_parameters_are_checked_property_by_property(objects: tuple[ir.Api, ModuleType]) -> None:
    """Types, required properties, enums and rules of each property, named ``<parameter>.<property>``; a
    text not in the parameter's style is reported as such."""
    api, pkg = objects
    fake = pkg.testing.FakeApi(strict=False)
    with httpx.Client(transport=fake, base_url="https://api.fake.invalid") as http:
        bad = http.get("/things/a,x,b,z", params=[("role", "boss"), ("age", "-1"), ("name", "annabel"),
                                                  ("span", "1,2,3"), ("deep[size]", "big")],
                       headers={"X-Meta": "id=five"})  # fmt: skip
        missing = http.get("/things/b,x", params={"span": "hi,2"})
    assert bad.status_code == missing.status_code == 400
    assert fake.violations == [
        "findThings: path parameter sel.a: expected integer, got string",
        'findThings: path parameter sel.b: "z" is not one of "x", "y" (enum)',
        "findThings: query parameter deep.kind: required, not sent",
        "findThings: query parameter deep.size: expected integer, got string",
        "findThings: query parameter span: '1,2,3' is not an object in style form (name,value,...)",
        'findThings: query parameter who.role: "boss" is not one of "admin", "user" (enum)',
        "findThings: query parameter who.age: must be >= 0, got -1 (minimum)",
        "findThings: query parameter who.name: at most 5 characters allowed, got 7 (maxLength)",
        "findThings: header parameter X-Meta.id: expected integer, got string",
        "findThings: path parameter sel.a: required, not sent",
        "findThings: query parameter deep: required, not sent",
        "findThings: query parameter span.lo: required, not sent",
        "findThings: query parameter who: required, not sent",
    ]
