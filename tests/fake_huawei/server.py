"""A fake Huawei Cloud (IAM, SMS sending, MSGSMS management) on 127.0.0.1, for tests, docs examples and benches.

::

    with FakeHuawei() as fake:
        client = Client(base_url=fake.url, **fake.client_credentials(), from_env=False)
        client.sms.batch_send_sms(...)
        assert fake.count("batchSendSms") == 1

It is a real HTTP/1.1 server (``ThreadingHTTPServer`` in a daemon thread) that:

* issues IAM tokens (``POST /v3/auth/tokens`` -> ``X-Subject-Token``) for :data:`FAKE_USER`, validates them,
  lists projects (``GET /v3/projects?name=<region>``);
* verifies AK/SK signatures (account keys for IAM/MSGSMS, app keys for SMS sending) and WSSE digests with its
  own code (:mod:`.verify`), rejecting stale dates and replayed nonces;
* answers every operation of the spec with plausible canned JSON (apps, signatures, templates, files,
  countries, in an in-memory store), in Huawei's three error shapes;
* records every request (:attr:`FakeHuawei.requests`) and injects faults per operation: connection reset
  before or after the request body, slow responses, any status (500/502/503/504, 429 with Retry-After), any
  body (malformed JSON, wrong field types), expired tokens.

All keys and passwords here are obviously fake.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
import secrets
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

from .verify import AuthFailure, verify_sdk_hmac, verify_wsse

FAKE_AK = "FAKEAK0000EXAMPLE0001"
FAKE_SK = "FAKE-sk-not-a-real-secret-0000000000001"
FAKE_APP_KEY = "fake-app-key-00000000000000000001"
FAKE_APP_SECRET = "FAKE-app-secret-not-real-00000001"
FAKE_USER = "fake-user"
FAKE_PASSWORD = "FAKE-password-not-real-1"
FAKE_DOMAIN = "fake-domain"
FAKE_DOMAIN_ID = "0d0000000000fake0000000000domain"
FAKE_PROJECT_ID = "0a0000000000fake000000000project"
FAKE_REGION = "cn-north-4"

FAKE_SECRETS = (FAKE_SK, FAKE_APP_SECRET, FAKE_PASSWORD)
"""Values that must never appear in logs, reprs or exception messages (tokens are added as issued)."""

JSON = "application/json;charset=UTF-8"


@dataclass
class RecordedRequest:
    """One request as the server received it (``body`` is None when the connection was reset before it)."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes | None
    operation: str
    fault: str | None = None
    status: int | None = None
    received_at: float = field(default_factory=time.monotonic)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl((self.body or b"").decode(), keep_blank_values=True))


@dataclass
class Fault:
    """A misbehaviour for the next ``times`` requests of ``operation`` (None: any operation)."""

    kind: str  # reset_before_body | reset_after_body | slow | respond
    operation: str | None = None
    times: int = 1
    delay: float = 0.0
    status: int = 500
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Token:
    value: str
    user: str
    project_id: str | None
    expires: float
    expired: bool = False


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(
            status,
            json.dumps(data, ensure_ascii=False).encode(),
            {"Content-Type": JSON, **(headers or {})},
        )


def _now_text(offset: float = 0.0, micro: bool = True) -> str:
    when = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(seconds=offset)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def _msgsms_error(status: int, code: str, message: str) -> Reply:
    return Reply.json(status, {"error_code": code, "error_msg": message, "error_detail": message})


def _gateway_error(status: int, code: str, message: str) -> Reply:
    return Reply.json(
        status, {"error_code": code, "error_msg": message, "request_id": uuid.uuid4().hex}
    )


def _keystone_unauthorized() -> Reply:
    return Reply.json(
        401,
        {
            "error": {
                "code": 401,
                "message": "The request you have made requires authentication.",
                "title": "Unauthorized",
            }
        },
    )


_P = r"(?P<project_id>[^/]+)"
_ID = r"(?P<id>[^/]+)"
_MS = f"/v2/{_P}/msgsms"
# (method, path pattern, operation id, family); family decides the authentication checked
ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    (m, re.compile(p + r"/?"), op, fam)
    for m, p, op, fam in [
        ("POST", "/v3/auth/tokens", "createToken", "token"),
        ("GET", "/v3/auth/tokens", "validateToken", "iam"),
        ("GET", "/v3/projects", "listProjects", "iam"),
        ("GET", f"/v3/projects/{_P}", "showProject", "iam"),
        ("GET", "/v3/auth/projects", "listAuthProjects", "iam"),
        ("POST", "/sms/batchSendSms/v1", "batchSendSms", "sms"),
        ("POST", "/sms/batchSendDiffSms/v1", "batchSendDiffSms", "sms"),
        ("POST", f"{_MS}/apps", "createApp", "msgsms"),
        ("GET", f"{_MS}/apps", "listApps", "msgsms"),
        ("GET", f"{_MS}/apps/{_ID}", "showApp", "msgsms"),
        ("PUT", f"{_MS}/apps/{_ID}", "updateApp", "msgsms"),
        ("GET", f"{_MS}/apps-count", "showAppCount", "msgsms"),
        ("POST", f"{_MS}/signatures", "createSignature", "msgsms"),
        ("GET", f"{_MS}/signatures", "listSignatures", "msgsms"),
        ("GET", f"{_MS}/signatures/{_ID}", "showSignature", "msgsms"),
        ("PUT", f"{_MS}/signatures/{_ID}", "updateSignature", "msgsms"),
        ("DELETE", f"{_MS}/signatures/{_ID}", "deleteSignature", "msgsms"),
        ("PUT", f"{_MS}/signatures/{_ID}/active", "enableSignature", "msgsms"),
        ("POST", f"{_MS}/upload-files", "uploadSignatureFile", "msgsms"),
        ("GET", f"{_MS}/upload-files", "showSignatureFile", "msgsms"),
        ("POST", f"{_MS}/templates/batch-delete", "batchDeleteTemplates", "msgsms"),
        ("POST", f"{_MS}/templates", "createTemplate", "msgsms"),
        ("GET", f"{_MS}/templates", "listTemplates", "msgsms"),
        ("GET", f"{_MS}/templates/{_ID}", "showTemplate", "msgsms"),
        ("PUT", f"{_MS}/templates/{_ID}", "updateTemplate", "msgsms"),
        ("DELETE", f"{_MS}/templates/{_ID}", "deleteTemplate", "msgsms"),
        ("GET", f"{_MS}/templates/{_ID}/varilable", "listTemplateVariables", "msgsms"),
        ("GET", f"{_MS}/country", "listCountries", "msgsms"),
    ]
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = (
        True  # headers and body are separate writes: no 40 ms delayed-ACK stalls
    )
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _dispatch(self) -> None:
        try:
            self.server.fake._handle(self)
        except (ConnectionError, BrokenPipeError, socket.timeout, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0) instead of an orderly close."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def reply(self, reply: Reply) -> None:
        self.send_response(reply.status)
        headers = {"X-Request-Id": uuid.uuid4().hex, **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # many concurrent test clients connect at once
    fake: FakeHuawei


class FakeHuawei:
    """The fake server; a context manager. ``url`` is its base URL, ``requests`` what it received."""

    def __init__(
        self,
        *,
        region: str = FAKE_REGION,
        project_id: str = FAKE_PROJECT_ID,
        token_ttl: float = 24 * 3600.0,
        aksk_max_skew: float = 15 * 60.0,
        wsse_max_skew: float = 24 * 3600.0,
        verify_auth: bool = True,
    ) -> None:
        self.region = region
        self.project_id = project_id
        self.token_ttl = token_ttl
        self.aksk_max_skew = aksk_max_skew
        self.wsse_max_skew = wsse_max_skew
        self.verify_auth = verify_auth
        self.account_keys: dict[str, str] = {FAKE_AK: FAKE_SK}
        self.app_keys: dict[str, str] = {FAKE_APP_KEY: FAKE_APP_SECRET}
        self.users: dict[tuple[str, str], str] = {(FAKE_DOMAIN, FAKE_USER): FAKE_PASSWORD}
        self.recipient_status: dict[str, str] = {}
        self.requests: list[RecordedRequest] = []
        self.tokens: dict[str, Token] = {}
        self._faults: list[Fault] = []
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.store = _Store(self)

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> FakeHuawei:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeHuawei:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "the fake server is not running"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client_credentials(self) -> dict[str, str]:
        """Keyword arguments for the generated ``Client`` with every fake credential."""
        return {
            "app_key": FAKE_APP_KEY,
            "app_secret": FAKE_APP_SECRET,
            "ak": FAKE_AK,
            "sk": FAKE_SK,
            "iam_username": FAKE_USER,
            "iam_password": FAKE_PASSWORD,
            "iam_domain": FAKE_DOMAIN,
            "region": self.region,
        }

    def secret_values(self) -> list[str]:
        """Every secret the server knows, including the tokens it issued (for leak scans)."""
        with self._lock:
            return [*FAKE_SECRETS, *self.tokens]

    # -- inspection ----------------------------------------------------------------------------------

    def requests_for(self, operation: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.operation == operation]

    def count(self, operation: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if operation is None or r.operation == operation)

    def clear(self) -> None:
        """Forget recorded requests and pending faults (tokens and the store stay)."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    # -- fault injection -----------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def reset_before_body(self, operation: str | None = None, times: int = 1) -> None:
        """Read the request line and headers, then abort the connection (RST) without reading the body."""
        self.inject(Fault("reset_before_body", operation, times))

    def reset_after_body(self, operation: str | None = None, times: int = 1) -> None:
        """Read the whole request (an SMS would be sent), then abort the connection (RST) without answering."""
        self.inject(Fault("reset_after_body", operation, times))

    def slow(self, operation: str | None, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` after reading the request, then answer normally."""
        self.inject(Fault("slow", operation, times, delay=seconds))

    def respond(
        self,
        operation: str | None,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        raw: bytes | None = None,
    ) -> None:
        """Answer the next requests of ``operation`` with this status and body (JSON-encoded unless ``raw``)."""
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        merged = {"Content-Type": JSON, **(headers or {})}
        self.inject(Fault("respond", operation, times, status=status, body=payload, headers=merged))

    def fail(
        self, operation: str | None, status: int, times: int = 1, retry_after: str | None = None
    ) -> None:
        """A Huawei-shaped error with ``status`` (SMS ``{code, description}``, others ``{error_code, error_msg}``)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        if operation in ("batchSendSms", "batchSendDiffSms"):
            body: dict[str, str] = {"code": "E000000", "description": f"fake failure {status}"}
        else:
            body = {
                "error_code": f"MSGSMS.{status}",
                "error_msg": f"fake failure {status}",
                "error_detail": "injected",
            }
        self.respond(operation, status, body, headers=headers, times=times)

    def malformed_json(self, operation: str | None, times: int = 1) -> None:
        self.respond(operation, 200, raw=b'{"code": "000000", "result": [', times=times)

    def expire_tokens(self) -> None:
        """Every token issued so far is now rejected as expired (401)."""
        with self._lock:
            for token in self.tokens.values():
                token.expired = True

    def _take_fault(self, operation: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.operation in (None, operation):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- handling ------------------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        raw_path, _, raw_query = handler.path.partition("?")
        method = handler.command
        route = None
        match = None
        for route_method, pattern, op, family in ROUTES:
            match = pattern.fullmatch(raw_path)
            if match is not None and route_method == method:
                route = (op, family)
                break
        operation, family = route if route else ("unknown", "none")
        headers = {k.lower(): v for k, v in handler.headers.items()}
        record = RecordedRequest(
            method,
            unquote(raw_path),
            parse_qsl(raw_query, keep_blank_values=True),
            headers,
            None,
            operation,
        )
        fault = self._take_fault(operation)
        if fault is not None and fault.kind == "reset_before_body":
            record.fault = fault.kind
            self._record(record)
            handler.reset()
            return
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        record.body = body
        self._record(record)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "reset_after_body":
                handler.reset()
                return
            if fault.kind == "slow":
                if self._stopping.wait(fault.delay):
                    handler.reset()
                    return
            elif fault.kind == "respond":
                record.status = fault.status
                handler.reply(Reply(fault.status, fault.body, fault.headers))
                return
        if route is None or match is None:
            reply = _gateway_error(
                404,
                "APIGW.0101",
                "The API does not exist or has not been published in the environment",
            )
        else:
            try:
                reply = self._authorize(
                    family, operation, handler, raw_path, raw_query, body, match.groupdict()
                )
                if reply is None:
                    reply = self.store.answer(operation, match.groupdict(), record)
            except Exception as exc:  # a bug in the fake: answer 500 rather than hang the client
                reply = _msgsms_error(
                    500, "FAKE.0500", f"fake server error: {type(exc).__name__}: {exc}"
                )
        record.status = reply.status
        handler.reply(reply)

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)

    def _authorize(
        self,
        family: str,
        operation: str,
        handler: _Handler,
        raw_path: str,
        raw_query: str,
        body: bytes,
        params: dict[str, str],
    ) -> Reply | None:
        """None when the request may proceed, else the error reply."""
        if family == "token" or not self.verify_auth:
            return None
        header: Callable[[str], str | None] = handler.headers.get
        token = header("X-Auth-Token")
        if family == "sms":
            authorization = header("Authorization") or ""
            try:
                if authorization.startswith("SDK-HMAC-SHA256"):
                    verify_sdk_hmac(
                        method=handler.command,
                        raw_path=raw_path,
                        raw_query=raw_query,
                        header=header,
                        body=body,
                        secrets=self.app_keys,
                        max_skew=self.aksk_max_skew,
                    )
                else:
                    with self._lock:
                        verify_wsse(
                            header=header,
                            secrets=self.app_keys,
                            seen_nonces=self._nonces,
                            max_skew=self.wsse_max_skew,
                        )
            except AuthFailure as failure:
                if failure.code.startswith("APIGW"):
                    return _gateway_error(401, failure.code, failure.message)
                return Reply.json(401, {"code": failure.code, "description": failure.message})
            return None
        if token is not None:
            with self._lock:
                known = self.tokens.get(token)
            if known is None or known.expired or known.expires < time.time():
                if family == "iam":
                    return _keystone_unauthorized()
                return _gateway_error(
                    401, "APIGW.0301", "Incorrect IAM authentication information: token expired"
                )
            if family == "msgsms" and params.get("project_id") != known.project_id:
                return _gateway_error(
                    403, "APIGW.0302", "The IAM token is not scoped to this project"
                )
            return None
        try:
            verify_sdk_hmac(
                method=handler.command,
                raw_path=raw_path,
                raw_query=raw_query,
                header=header,
                body=body,
                secrets=self.account_keys,
                max_skew=self.aksk_max_skew,
            )
        except AuthFailure as failure:
            return _gateway_error(401, failure.code, failure.message)
        if family == "msgsms" and header("X-Project-Id") != params.get("project_id"):
            return _gateway_error(
                401, "APIGW.0301", "Incorrect IAM authentication information: X-Project-Id mismatch"
            )
        return None

    def issue_token(self, user: str, project_id: str | None) -> Token:
        token = Token(
            "MIIF-FAKE-TOKEN-" + secrets.token_urlsafe(32),
            user,
            project_id,
            time.time() + self.token_ttl,
        )
        with self._lock:
            self.tokens[token.value] = token
        return token


class _Store:
    """Canned resources and per-operation answers."""

    def __init__(self, fake: FakeHuawei) -> None:
        self.fake = fake
        self.apps: dict[str, dict[str, Any]] = {}
        self.signatures: dict[str, dict[str, Any]] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)
        self._sms = itertools.count(1)
        self._add_app({"app_name": "fake-app", "region": "cn"})
        self._add_signature(
            {"signature_name": "FakeSign", "signature_type": "COMMON", "app_id": "app-1"}
        )
        self._add_template(
            {"template_name": "fake-verification", "template_content": "Your code is ${NUM_6}."}
        )

    def _next(self, prefix: str) -> str:
        return f"{prefix}-{next(self._counter)}"

    def _add_app(self, body: Mapping[str, Any]) -> dict[str, Any]:
        app_id = self._next("app")
        app = {
            "id": app_id,
            "app_name": body.get("app_name", app_id),
            "app_key": f"fake-app-key-{app_id}",
            "app_access_addr": "https://smsapi.cn-north-4.myhuaweicloud.com:443",
            "region": body.get("region", "cn"),
            "status": "NORMAL",
            "up_link_addr": body.get("up_link_addr", ""),
            "industry": body.get("industry", 1),
            "platform": "SMS",
            "protocol": "HTTP",
            "is_support_multiomp": False,
            "customer_id": "fake-customer",
            "tenant": {
                "customer_id": "fake-customer",
                "customer_name": "Fake Customer",
                "enterprise_name": "Fake Ltd",
            },
            "create_time": _now_text(micro=False),
            "update_time": _now_text(micro=False),
        }
        self.apps[app_id] = app
        return app

    def _add_signature(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sig_id = self._next("sig")
        sig = {
            "id": sig_id,
            "signature_id": f"8822{next(self._counter):08d}",
            "signature_name": body.get("signature_name", "FakeSign"),
            "signature_type": body.get("signature_type", "COMMON"),
            "signature_source": body.get("signature_source", 1),
            "status": "PASSED",
            "channel_num": "csms10000001",
            "app_key": FAKE_APP_KEY,
            "app_name": "fake-app",
            "site": "CN",
            "create_time": _now_text(micro=False),
            "update_time": _now_text(micro=False),
        }
        self.signatures[sig_id] = sig
        return sig

    def _add_template(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tpl_id = self._next("tpl")
        tpl = {
            "id": tpl_id,
            "template_id": uuid.uuid5(uuid.NAMESPACE_URL, tpl_id).hex,
            "template_name": body.get("template_name", tpl_id),
            "template_content": body.get("template_content", "Hello ${TXT_20}."),
            "template_type": body.get("template_type", "VERIFICATION"),
            "template_desc": body.get("template_desc", ""),
            "status": "PASSED",
            "flow_status": "PASSED",
            "has_variable": "1",
            "universal_template": body.get("universal_template", 0),
            "region": "cn",
            "site": "CN",
            "app_key": FAKE_APP_KEY,
            "app_name": "fake-app",
            "is_support_multiomp": False,
            "create_time": _now_text(micro=False),
            "update_time": _now_text(micro=False),
        }
        self.templates[tpl_id] = tpl
        return tpl

    @staticmethod
    def _page(items: list[dict[str, Any]], query: Mapping[str, str]) -> dict[str, Any]:
        try:
            offset = int(query.get("offset", "0"))
            limit = int(query.get("limit", "10"))
        except ValueError:
            offset, limit = 0, 10
        return {"results": items[offset : offset + limit], "total": len(items)}

    def answer(self, operation: str, params: dict[str, str], record: RecordedRequest) -> Reply:
        fake = self.fake
        query = dict(record.query)
        ident = params.get("id", "")
        if (
            "project_id" in params
            and operation != "showProject"
            and params["project_id"] != fake.project_id
        ):
            return _msgsms_error(404, "MSGSMS.0404", "The project does not exist.")
        body: Any = None
        if record.body and (record.header("Content-Type") or "").startswith("application/json"):
            try:
                body = json.loads(record.body)
            except ValueError:
                return _msgsms_error(400, "MSGSMS.0001", "The request body is not valid JSON.")
        handler = getattr(self, "op_" + operation, None)
        if handler is None:
            return _msgsms_error(404, "MSGSMS.0404", f"{operation} is not implemented by the fake")
        result: Reply = handler(params=params, query=query, body=body, ident=ident, record=record)
        return result

    # -- IAM -----------------------------------------------------------------------------------------

    def _project(self) -> dict[str, Any]:
        fake = self.fake
        return {
            "id": fake.project_id,
            "name": fake.region,
            "domain_id": FAKE_DOMAIN_ID,
            "description": "",
            "enabled": True,
            "is_domain": False,
            "parent_id": FAKE_DOMAIN_ID,
            "links": {"self": f"https://iam.myhuaweicloud.com/v3/projects/{fake.project_id}"},
        }

    def op_createToken(self, body: Any, **_: Any) -> Reply:
        fake = self.fake
        try:
            identity = body["auth"]["identity"]
            user = identity["password"]["user"]
            name, password, domain = user["name"], user["password"], user["domain"]["name"]
            methods = identity["methods"]
            scope = body["auth"].get("scope", {})
        except (KeyError, TypeError):
            return Reply.json(
                400, {"error_msg": "The request body is invalid.", "error_code": "IAM.0011"}
            )
        if "password" not in methods or fake.users.get((domain, name)) != password:
            return Reply.json(
                401, {"error_msg": "The username or password is wrong.", "error_code": "IAM.0002"}
            )
        project_id: str | None = None
        if "project" in scope:
            wanted = scope["project"]
            if (
                wanted.get("id", fake.project_id) != fake.project_id
                or wanted.get("name", fake.region) != fake.region
            ):
                return Reply.json(
                    400, {"error_msg": "The project does not exist.", "error_code": "IAM.0008"}
                )
            project_id = fake.project_id
        token = fake.issue_token(name, project_id)
        issued = _dt.datetime.now(_dt.timezone.utc)
        expires = issued + _dt.timedelta(seconds=fake.token_ttl)
        domain_obj = {"id": FAKE_DOMAIN_ID, "name": domain}
        data: dict[str, Any] = {
            "token": {
                "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "issued_at": issued.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "methods": ["password"],
                "catalog": [],
                "roles": [{"id": "0", "name": "op_fine_grained"}],
                "user": {
                    "domain": domain_obj,
                    "id": "fake-user-id-0001",
                    "name": name,
                    "password_expires_at": "",
                },
            }
        }
        if project_id is not None:
            data["token"]["project"] = {"domain": domain_obj, "id": project_id, "name": fake.region}
        else:
            data["token"]["domain"] = domain_obj
        return Reply.json(201, data, {"X-Subject-Token": token.value})

    def op_validateToken(self, record: RecordedRequest, **_: Any) -> Reply:
        subject = record.header("X-Subject-Token") or ""
        with self.fake._lock:
            token = self.fake.tokens.get(subject)
        if token is None or token.expired:
            return Reply.json(
                404, {"error_msg": "The token does not exist.", "error_code": "IAM.0005"}
            )
        expires = _dt.datetime.fromtimestamp(token.expires, _dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        data = {
            "token": {
                "expires_at": expires,
                "issued_at": _now_text(),
                "methods": ["password"],
                "roles": [],
                "user": {
                    "domain": {"id": FAKE_DOMAIN_ID, "name": FAKE_DOMAIN},
                    "id": "fake-user-id-0001",
                    "name": token.user,
                },
            }
        }
        return Reply.json(200, data, {"X-Subject-Token": subject})

    def op_listProjects(self, query: Mapping[str, str], **_: Any) -> Reply:
        projects = [self._project()]
        if "name" in query:
            projects = [p for p in projects if p["name"] == query["name"]]
        links = {
            "self": "https://iam.myhuaweicloud.com/v3/projects",
            "next": None,
            "previous": None,
        }
        return Reply.json(200, {"projects": projects, "links": links})

    def op_listAuthProjects(self, **_: Any) -> Reply:
        return Reply.json(
            200,
            {
                "projects": [self._project()],
                "links": {"self": "https://iam.myhuaweicloud.com/v3/auth/projects"},
            },
        )

    def op_showProject(self, params: Mapping[str, str], **_: Any) -> Reply:
        if params.get("project_id") != self.fake.project_id:
            return Reply.json(
                404, {"error_msg": "The project does not exist.", "error_code": "IAM.0008"}
            )
        return Reply.json(200, {"project": self._project()})

    # -- SMS sending ---------------------------------------------------------------------------------

    def _results(self, sender: str, recipients: list[str]) -> list[dict[str, Any]]:
        results = []
        seen: set[str] = set()
        for number in recipients:
            status = self.fake.recipient_status.get(number, "000000")
            if number in seen:
                status = "E200041"
            seen.add(number)
            results.append(
                {
                    "smsMsgId": f"{uuid.uuid4()}_{next(self._sms)}",
                    "from": sender,
                    "originTo": number,
                    "status": status,
                    "createTime": _now_text(micro=False),
                    "countryId": "CN",
                    "total": 1,
                }
            )
        return results

    def op_batchSendSms(self, record: RecordedRequest, **_: Any) -> Reply:
        form = record.form()
        missing = [name for name in ("from", "to", "templateId") if not form.get(name)]
        if missing:
            return Reply.json(
                400,
                {
                    "code": "E000503",
                    "description": f"Parameter error: {', '.join(missing)} missing.",
                },
            )
        recipients = [n for n in form["to"].split(",") if n]
        if len(recipients) > 500:
            return Reply.json(400, {"code": "E200015", "description": "Too many recipients."})
        if "templateParas" in form:
            try:
                paras = json.loads(form["templateParas"])
                assert isinstance(paras, list)
            except (ValueError, AssertionError):
                return Reply.json(
                    400, {"code": "E200028", "description": "templateParas is not a JSON array."}
                )
        return Reply.json(
            200,
            {
                "code": "000000",
                "description": "Success",
                "result": self._results(form["from"], recipients),
            },
        )

    def op_batchSendDiffSms(self, body: Any, **_: Any) -> Reply:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("smsContent"), list)
            or "from" not in body
        ):
            return Reply.json(
                400,
                {
                    "code": "E000503",
                    "description": "Parameter error: from and smsContent are required.",
                },
            )
        results: list[dict[str, Any]] = []
        for item in body["smsContent"]:
            results.extend(self._results(body["from"], list(item.get("to", []))))
        return Reply.json(200, {"code": "000000", "description": "Success", "result": results})

    # -- MSGSMS management ---------------------------------------------------------------------------

    def op_createApp(self, body: Any, **_: Any) -> Reply:
        app = self._add_app(body or {})
        data = {"id": app["id"], "app_name": app["app_name"], "app_key": app["app_key"]}
        if (body or {}).get("show_secret"):
            data["app_secret"] = "FAKE-created-app-secret-" + app["id"]
        return Reply.json(200, data)

    def op_listApps(self, query: Mapping[str, str], **_: Any) -> Reply:
        items = [
            a
            for a in self.apps.values()
            if "app_name" not in query or a["app_name"] == query["app_name"]
        ]
        return Reply.json(200, self._page(items, query))

    def op_showApp(self, ident: str, **_: Any) -> Reply:
        app = self.apps.get(ident)
        return (
            Reply.json(200, app)
            if app
            else _msgsms_error(404, "MSGSMS.0101", "The application does not exist.")
        )

    def op_updateApp(self, ident: str, body: Any, **_: Any) -> Reply:
        app = self.apps.get(ident)
        if app is None:
            return _msgsms_error(404, "MSGSMS.0101", "The application does not exist.")
        app.update({k: v for k, v in (body or {}).items() if k in app})
        return Reply.json(
            200, {"id": app["id"], "app_name": app["app_name"], "app_key": app["app_key"]}
        )

    def op_showAppCount(self, **_: Any) -> Reply:
        return Reply.json(200, {"total": 100, "used": len(self.apps)})

    def op_createSignature(self, body: Any, **_: Any) -> Reply:
        sig = self._add_signature(body or {})
        return Reply.json(200, {k: sig[k] for k in ("id", "signature_id", "signature_name")})

    def op_listSignatures(self, query: Mapping[str, str], **_: Any) -> Reply:
        return Reply.json(200, self._page(list(self.signatures.values()), query))

    def op_showSignature(self, ident: str, **_: Any) -> Reply:
        sig = self.signatures.get(ident)
        return (
            Reply.json(200, sig)
            if sig
            else _msgsms_error(404, "MSGSMS.0201", "The signature does not exist.")
        )

    def op_updateSignature(self, ident: str, body: Any, **_: Any) -> Reply:
        sig = self.signatures.get(ident)
        if sig is None:
            return _msgsms_error(404, "MSGSMS.0201", "The signature does not exist.")
        sig.update({k: v for k, v in (body or {}).items() if k in sig})
        return Reply.json(200, {k: sig[k] for k in ("id", "signature_id", "signature_name")})

    def op_deleteSignature(self, ident: str, **_: Any) -> Reply:
        if self.signatures.pop(ident, None) is None:
            return _msgsms_error(404, "MSGSMS.0201", "The signature does not exist.")
        return Reply(200)  # the body is empty

    def op_enableSignature(self, ident: str, **_: Any) -> Reply:
        sig = self.signatures.get(ident)
        if sig is None:
            return _msgsms_error(404, "MSGSMS.0201", "The signature does not exist.")
        sig["status"] = "PASSED"
        return Reply(200)  # the body is empty

    def op_uploadSignatureFile(
        self, query: Mapping[str, str], record: RecordedRequest, **_: Any
    ) -> Reply:
        content_type = record.header("Content-Type") or ""
        if not content_type.startswith("multipart/form-data") or b'name="file"' not in (
            record.body or b""
        ):
            return _msgsms_error(
                400, "MSGSMS.0001", "A multipart body with a file field is required."
            )
        file_id = uuid.uuid4().hex
        self.files[file_id] = {
            "file_id": file_id,
            "file_name": "fake.png",
            "file_desc": query.get("file_desc", ""),
            "file_size": len(record.body or b""),
            "file_type": 1,
            "file_ref": 0,
            "module_type": 1,
            "operator": FAKE_USER,
            "update_time": _now_text(micro=False),
        }
        return Reply.json(200, {"file_id": file_id})

    def op_showSignatureFile(self, query: Mapping[str, str], **_: Any) -> Reply:
        info = self.files.get(query.get("file_id", ""))
        return (
            Reply.json(200, info)
            if info
            else _msgsms_error(404, "MSGSMS.0301", "The file does not exist.")
        )

    def op_createTemplate(self, body: Any, **_: Any) -> Reply:
        tpl = self._add_template(body or {})
        return Reply.json(200, {"id": tpl["id"], "template_name": tpl["template_name"]})

    def op_listTemplates(self, query: Mapping[str, str], **_: Any) -> Reply:
        return Reply.json(200, self._page(list(self.templates.values()), query))

    def op_showTemplate(self, ident: str, **_: Any) -> Reply:
        tpl = self.templates.get(ident)
        return (
            Reply.json(200, tpl)
            if tpl
            else _msgsms_error(404, "MSGSMS.0401", "The template does not exist.")
        )

    def op_updateTemplate(self, ident: str, body: Any, **_: Any) -> Reply:
        tpl = self.templates.get(ident)
        if tpl is None:
            return _msgsms_error(404, "MSGSMS.0401", "The template does not exist.")
        tpl.update({k: v for k, v in (body or {}).items() if k in tpl})
        return Reply.json(200, {"id": tpl["id"], "template_name": tpl["template_name"]})

    def op_deleteTemplate(self, ident: str, **_: Any) -> Reply:
        if self.templates.pop(ident, None) is None:
            return _msgsms_error(404, "MSGSMS.0401", "The template does not exist.")
        return Reply(200)  # the body is empty

    def op_listTemplateVariables(self, ident: str, query: Mapping[str, str], **_: Any) -> Reply:
        if ident not in self.templates:
            return _msgsms_error(404, "MSGSMS.0401", "The template does not exist.")
        variables = [
            {
                "id": 1,
                "temp_name": self.templates[ident]["template_name"],
                "user_name": FAKE_USER,
                "variable_index": 1,
                "variable_type": "NUM_6",
                "variable_length": 6,
                "variable_desc": "verification code",
            }
        ]
        return Reply.json(200, self._page(variables, query))

    def op_batchDeleteTemplates(self, body: Any, **_: Any) -> Reply:
        ids = (body or {}).get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 50:
            return _msgsms_error(400, "MSGSMS.0001", "ids must hold 1 to 50 template ids.")
        done = [str(i) for i in ids if self.templates.pop(str(i), None) is not None]
        failed = [
            {"id": str(i), "error_msg": "The template does not exist."}
            for i in ids
            if str(i) not in done
        ]
        return Reply.json(
            200,
            {
                "success_count": len(done),
                "success_ids": done,
                "failed_count": len(failed),
                "failed_template_list": failed,
            },
        )

    def op_listCountries(self, query: Mapping[str, str], **_: Any) -> Reply:
        countries = [
            {"country_id": 93, "country_name_en": "Afghanistan", "country_name_zh": "阿富汗"},
            {"country_id": 86, "country_name_en": "China", "country_name_zh": "中国"},
            {"country_id": 49, "country_name_en": "Germany", "country_name_zh": "德国"},
        ]
        if "country_name_en" in query:
            countries = [c for c in countries if c["country_name_en"] == query["country_name_en"]]
        if "country_name_zh" in query:
            countries = [c for c in countries if c["country_name_zh"] == query["country_name_zh"]]
        return Reply.json(200, countries)
