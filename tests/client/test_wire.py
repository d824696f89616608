"""The generated Huawei client against a real server on 127.0.0.1: every operation, sync and async.

For each operation the arguments come from the spec's own request examples; the test asserts the method,
path, query string, headers and body bytes that went over the wire (computed here independently of the
client's encoders), then that the spec's response example decodes into the typed model and encodes back
to the same JSON.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest

huawei_sms = pytest.importorskip("huawei_sms", reason="the generated client is installed by `make test`")

from generator.model import ir  # noqa: E402
from generator.pipeline import analyse  # noqa: E402
from tests.support.paths import SPEC  # noqa: E402
from tests.support.recorder import Recorder, Reply  # noqa: E402

API = analyse(SPEC).api
OPERATIONS = [op for op in API.operations]
PROJECT = "0123456789abcdef0123456789abcdef"
CLIENT_KW = dict(
    iam_token="fake-iam-token", app_key="fake-app-key", app_secret="fake-app-secret",
    project_id=PROJECT, from_env=False, retry=0,
)  # fmt: skip


def _sample(t: ir.TypeRef) -> Any:
    if isinstance(t, ir.Nullable):
        return _sample(t.inner)
    if isinstance(t, ir.ArrayType):
        return [_sample(t.item)]
    if isinstance(t, ir.Primitive):
        return {"str": "sample value", "int": 7, "float": 1.5, "bool": True}.get(t.kind, "x")
    model = API.model(t.name) if isinstance(t, ir.ModelRef) else None
    if isinstance(model, ir.EnumModel):
        return model.members[0].value
    raise AssertionError(f"no sample for {t}")


def _param_value(p: ir.Parameter) -> Any:
    if p.examples:
        return p.examples[0]
    if p.has_default:
        return p.default
    return _sample(p.type)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _python_value(t: ir.TypeRef, wire: Any) -> Any:
    """Turn a wire example into the Python value an argument of type ``t`` takes (via the generated models)."""
    if isinstance(t, ir.Nullable):
        return None if wire is None else _python_value(t.inner, wire)
    if isinstance(t, ir.ArrayType):
        return [_python_value(t.item, w) for w in wire]
    if isinstance(t, ir.ModelRef):
        model = API.model(t.name)
        if isinstance(model, ir.ObjectModel):
            return getattr(huawei_sms.models, t.name).from_wire(wire)
        if isinstance(model, ir.EnumModel):
            return getattr(huawei_sms.models, t.name)(wire)
        decode = getattr(huawei_sms.models, "decode_" + "".join("_" + c.lower() if c.isupper() else c for c in t.name).lstrip("_"))
        return decode(wire)
    return wire


class Case:
    """One operation's call arguments and the request and reply expected for them."""

    def __init__(self, op: ir.Operation) -> None:
        self.op = op
        self.kwargs: dict[str, Any] = {}
        path = op.path
        self.query: list[tuple[str, str]] = []
        self.headers: dict[str, str] = {}
        for p in op.arguments:
            if p.set_by == "client":
                path = path.replace("{" + p.wire_name + "}", PROJECT)
                continue
            if not p.required and not p.examples:
                continue
            value = _param_value(p)
            self.kwargs[p.name] = _python_value(p.type, value)
            if p.location == "path":
                path = path.replace("{" + p.wire_name + "}", quote(_text(value), safe=""))
            elif p.location == "query":
                values = value if isinstance(value, list) else [value]
                self.query.extend((p.wire_name, _text(v)) for v in values)
            elif p.location == "header":
                self.headers[p.wire_name.lower()] = _text(value)
        self.path = path
        self.body_example: Any = None
        self.content_type = ""
        if op.body is not None:
            media = op.body.chosen
            assert media.examples, f"{op.operation_id}: the spec has no request example"
            example = media.examples[0].value
            self.body_example = example
            self.content_type = media.content_type
            if op.body.flattened is not None:
                for f in op.body.flattened:
                    if isinstance(example, dict) and f.wire_name in example:
                        self.kwargs[f.name] = _python_value(f.type, example[f.wire_name])
            else:
                self.kwargs[op.body.body_param] = _python_value(media.type, example)  # type: ignore[arg-type]
        success = op.success_responses[0]
        self.status = int(success.status) if success.status.isdigit() else 200
        decoded = success.decoded
        self.reply_example = decoded.examples[0].value if decoded is not None and decoded.examples else None
        self.reply_headers = {h.name: "fake-header-value" for h in success.headers if h.name.lower() != "content-type"}

    def reply(self) -> Reply:
        return Reply(self.status, self.reply_example, self.reply_headers)

    def check_request(self, recorder: Recorder) -> None:
        [request] = recorder.requests
        assert request.method == self.op.method
        assert request.path == self.path
        assert sorted(request.query) == sorted(self.query)
        for name, value in self.headers.items():
            assert request.headers.get(name) == value, name
        assert request.headers["user-agent"].startswith("huawei_sms/")
        if self.op.body is None:
            assert request.body == b""
            return
        assert request.headers["content-type"].split(";")[0] == self.content_type
        assert int(request.headers["content-length"]) == len(request.body)
        kind = self.op.body.chosen.kind
        if kind == "json":
            assert json.loads(request.body) == self.body_example
        elif kind == "form":
            expected = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in self.body_example.items()]
            assert sorted(parse_qsl(request.body.decode("ascii"), keep_blank_values=True)) == sorted(expected)
            assert request.body.decode("ascii").split("&")[0].split("=")[0] == next(iter(self.body_example))
        elif kind == "multipart":
            boundary = request.headers["content-type"].split("boundary=")[1]
            assert request.body.startswith(f"--{boundary}\r\n".encode())
            assert request.body.endswith(f"--{boundary}--\r\n".encode())
            for name in self.body_example:
                assert f'name="{name}"'.encode() in request.body

    def check_result(self, result: Any) -> None:
        if self.reply_example is None:
            return
        assert _encode(result) == self.reply_example


def _encode(value: Any) -> Any:
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value.to_wire() if hasattr(value, "to_wire") else value


def test_the_client_exposes_every_operation_of_the_spec() -> None:
    """Counted against the spec itself, not the IR: every operation of every path is a method."""
    from generator.spec.load import load_spec

    doc = load_spec(SPEC).document
    spec_ops = {op["operationId"] for item in doc["paths"].values() for m, op in item.items()
                if m in ("get", "put", "post", "delete", "head", "patch", "options", "trace")}  # fmt: skip
    assert len(spec_ops) == 28  # the spec issue's count
    exposed = set()
    for cls in (huawei_sms.Client, huawei_sms.AsyncClient):
        client = cls(base_url="http://127.0.0.1:9", from_env=False)
        for resource in API.resources:
            obj = getattr(client, resource.name)
            for op in resource.operations:
                assert callable(getattr(obj, op.name)) and callable(getattr(obj.with_raw_response, op.name))
                exposed.add(op.operation_id)
    assert exposed == spec_ops


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_sync_wire(op: ir.Operation, recorder: Recorder) -> None:
    case = Case(op)
    recorder.replies[(op.method, case.path)] = case.reply()
    with huawei_sms.Client(base_url=recorder.url, **CLIENT_KW) as client:
        method = getattr(getattr(client, op.tag), op.name)
        result = method(**case.kwargs)
    case.check_request(recorder)
    case.check_result(result)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
@pytest.mark.anyio
async def test_async_wire_with_raw_response(op: ir.Operation, recorder: Recorder) -> None:
    case = Case(op)
    recorder.replies[(op.method, case.path)] = case.reply()
    async with huawei_sms.AsyncClient(base_url=recorder.url, **CLIENT_KW) as client:
        raw = getattr(getattr(client, op.tag).with_raw_response, op.name)
        response = await raw(**case.kwargs)
    case.check_request(recorder)
    assert response.status_code == case.status
    for name in case.reply_headers:
        assert response.headers[name] == "fake-header-value"
    case.check_result(response.parsed)


def _pages(total: int, page_size: int) -> Any:
    def respond(request: Any) -> Reply:
        query = dict(request.query)
        offset, limit = int(query["offset"]), int(query["limit"])
        items = [{"id": f"app-{i}", "app_name": f"app {i}"} for i in range(offset, min(offset + limit, total))]
        return Reply(200, {"results": items, "total": total})

    return respond


def test_iterators_walk_every_page(recorder: Recorder) -> None:
    recorder.respond = _pages(total=23, page_size=10)
    with huawei_sms.Client(base_url=recorder.url, **CLIENT_KW) as client:
        apps = list(client.apps.iter_list_apps(limit=10))
    assert [a.id for a in apps] == [f"app-{i}" for i in range(23)]
    assert [dict(r.query)["offset"] for r in recorder.requests] == ["0", "10", "20"]
    assert all(r.path == f"/v2/{PROJECT}/msgsms/apps" for r in recorder.requests)


@pytest.mark.anyio
async def test_async_iterators_stop_at_an_empty_page(recorder: Recorder) -> None:
    recorder.respond = lambda request: Reply(200, {"results": [] if dict(request.query)["offset"] != "5" else
                                                   [{"id": "only"}], "total": 100})  # fmt: skip
    async with huawei_sms.AsyncClient(base_url=recorder.url, **CLIENT_KW) as client:
        apps = [a async for a in client.apps.iter_list_apps(offset=5, limit=3)]
    assert [a.id for a in apps] == ["only"]
    assert [dict(r.query)["offset"] for r in recorder.requests] == ["5", "6"]


def test_model_reprs_hide_secrets() -> None:
    m = huawei_sms.models
    user = m.PasswordUser(name="fake-user", password="fake-password-1", domain=m.PasswordUserDomain(name="fake-domain"))
    app = m.CreateAppResponse.from_wire({"app_key": "fake-app-key", "app_secret": "fake-app-secret-2"})
    totp = m.TotpUser(id="fake-user-id", passcode="123456")
    texts = [repr(user), str(user), repr(app), repr(totp)]
    for secret in ("fake-password-1", "fake-app-secret-2", "123456"):
        assert not any(secret in t for t in texts), texts
    assert "fake-user" in repr(user) and "fake-app-key" in repr(app)  # the rest stays visible
    assert user.to_wire()["password"] == "fake-password-1"  # hidden from repr, not from the wire


def test_the_package_readme_states_the_real_retry_policy() -> None:
    """The README's table is rendered from the runtime sources; check it against the runtime's own decisions."""
    import re
    from pathlib import Path

    readme = (Path(huawei_sms.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| HTTP (\d{3}) \| `(\w+)` \| (yes|no) \| (yes|no) \|$", readme, re.M)
    assert len(rows) >= 8
    for status, exception, idempotent, other in rows:
        assert huawei_sms.should_retry("GET", int(status)) is (idempotent == "yes"), status
        assert huawei_sms.should_retry("POST", int(status)) is (other == "yes"), status
        assert huawei_sms.error_class_for_status(int(status)).__name__ == exception
