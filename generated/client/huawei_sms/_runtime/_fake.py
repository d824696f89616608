"""An in-process fake of an API, built from its description: the engine behind ``<package>.testing``.

:class:`FakeTransport` is an httpx transport (sync and async) that answers every operation of the API
description from its examples, or from its schemas when it has none; checks each request against the
description (operation, parameters, body and content type, credentials present); records what was sent;
and fails a call when told to (an error status with a body, a delay, a connection reset). Nothing here
knows a particular API: the generated ``testing`` module hands it the description as data.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

import anyio
import httpx

from ._limits import OPERATION_EXTENSION
from ._patterns import from_pattern

Schema = Mapping[str, Any]

_MAX_DEPTH = 6  # generated answers stop following optional fields this deep (recursive models)


class SpecViolation(AssertionError):
    """A request did not match the API description; ``violations`` lists each problem (path: message)."""

    def __init__(self, operation: str, violations: list[str]) -> None:
        super().__init__(
            f"{operation}: the request does not match the API description: " + "; ".join(violations)
        )
        self.operation = operation
        self.violations = violations


@dataclass
class RecordedRequest:
    """One request the fake received: which operation it matched and what was sent."""

    operation_id: str  # "" when it matched no operation
    method: str
    url: httpx.URL
    headers: httpx.Headers
    content: bytes
    path_params: dict[str, str] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    @property
    def query(self) -> list[tuple[str, str]]:
        return list(self.url.params.multi_items())

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.content)

    def form(self) -> dict[str, str]:
        """The body parsed as ``application/x-www-form-urlencoded`` (the last value of a repeated field)."""
        return dict(parse_qsl(self.content.decode("utf-8"), keep_blank_values=True))


@dataclass
class _Script:
    status: int | None = None
    body: Any = None
    has_body: bool = False
    headers: Mapping[str, str] | None = None
    delay: float = 0.0
    reset: str = ""  # "", "before" (never reached the server), "after" (reached it, no answer)
    times: int | None = 1  # None: every call from now on


class Verifier(Protocol):
    """How the fake recognises and checks one vendor auth kind (shipped by the extension that implements it)."""

    uses_authorization: bool  # it carries its credential in the Authorization header

    def present(self, request: httpx.Request) -> bool: ...

    def verify(self, request: httpx.Request, content: bytes, keys: Mapping[str, str]) -> str: ...


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The fake API: pass it as ``transport=`` to the client. See the generated ``testing`` module."""

    def __init__(
        self,
        contract: Mapping[str, Any],
        *,
        strict: bool = True,
        check_auth: bool = True,
        keys: Mapping[str, str] | None = None,
        verifiers: Mapping[str, Verifier] | None = None,
    ) -> None:
        self._contract = contract
        self.keys = dict(keys or {})  # key -> secret: the verifiers' signatures are then recomputed
        # by auth kind: how a vendor scheme's credentials are recognised and verified (runtime extensions)
        self.verifiers: Mapping[str, Verifier] = dict(verifiers or {})
        self._models: Mapping[str, Any] = contract.get("models", {})
        self._schemes: Mapping[str, Any] = contract.get("security_schemes", {})
        self._operations: list[Mapping[str, Any]] = list(contract.get("operations", []))
        self._by_id = {op["id"]: op for op in self._operations}
        self._specificity: dict[str, int] = {}
        self._routes = sorted(
            ((op, _route(op["path"])) for op in self._operations),
            key=lambda pair: (
                -pair[0]["path"].count("/"),
                pair[0]["path"].count("{"),
                pair[0]["path"],
            ),
        )
        self.strict = strict
        self.check_auth = check_auth
        self.requests: list[RecordedRequest] = []
        self._scripts: dict[str, list[_Script]] = {}
        self._lock = threading.Lock()

    # -- scripting -----------------------------------------------------------------------------------
    @property
    def operation_ids(self) -> list[str]:
        return [op["id"] for op in self._operations]

    def respond(
        self,
        operation_id: str,
        body: Any = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Answer ``operation_id`` with ``body`` (JSON data, or bytes) and ``status`` (every call by default)."""
        self._add(operation_id, _Script(status, body, True, headers, times=times))

    def fail(
        self,
        operation_id: str,
        status: int = 500,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next call(s) with an error ``status``; ``body`` defaults to the description's own
        example of that error (or a small JSON object)."""
        self._add(operation_id, _Script(status, body, body is not None, headers, times=times))

    def delay(self, operation_id: str, seconds: float, *, times: int | None = 1) -> None:
        """Answer after ``seconds``; longer than the request's read timeout: ``httpx.ReadTimeout``, as a
        real server that does not answer in time."""
        self._add(operation_id, _Script(delay=seconds, times=times))

    def reset(
        self, operation_id: str, *, before_sending: bool = False, times: int | None = 1
    ) -> None:
        """Drop the connection: after the request arrived (``httpx.RemoteProtocolError``: it may have been
        acted on, so a POST is not retried) or, with ``before_sending``, before (``httpx.ConnectError``).
        """
        self._add(
            operation_id,
            _Script(reset="before" if before_sending else "after", times=times),
        )

    def _add(self, operation_id: str, script: _Script) -> None:
        if operation_id not in self._by_id:
            raise KeyError(f"no operation {operation_id!r} in the API description")
        with self._lock:
            self._scripts.setdefault(operation_id, []).append(script)

    def _next_script(self, operation_id: str) -> _Script | None:
        """The oldest script with calls left; else the newest one for every call (``times=None``)."""
        with self._lock:
            queue = self._scripts.get(operation_id)
            if not queue:
                return None
            counted = next((s for s in queue if s.times is not None), None)
            if counted is None:
                return queue[-1]
            assert counted.times is not None
            counted.times -= 1
            if counted.times <= 0:
                queue.remove(counted)
            return counted

    # -- what was sent -------------------------------------------------------------------------------
    def calls(self, operation_id: str | None = None) -> list[RecordedRequest]:
        """The requests received (for one operation, or all), oldest first."""
        return [r for r in self.requests if operation_id is None or r.operation_id == operation_id]

    @property
    def violations(self) -> list[str]:
        """Every problem found in the requests received so far, prefixed with the operation."""
        return [
            f"{r.operation_id or r.method + ' ' + r.url.path}: {v}"
            for r in self.requests
            for v in r.violations
        ]

    def clear(self) -> None:
        """Forget the requests received and the scripted answers."""
        with self._lock:
            self.requests.clear()
            self._scripts.clear()

    # -- httpx ---------------------------------------------------------------------------------------
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        recorded, script, answer = self._receive(request, content)
        if script is not None and script.delay:
            limit = _read_timeout(request)
            if limit is not None and script.delay >= limit:
                time.sleep(limit)
                raise httpx.ReadTimeout("the fake API did not answer in time", request=request)
            time.sleep(script.delay)
        return self._finish(request, recorded, script, answer)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        content = await request.aread()
        recorded, script, answer = self._receive(request, content)
        if script is not None and script.delay:
            limit = _read_timeout(request)
            if limit is not None and script.delay >= limit:
                await anyio.sleep(limit)
                raise httpx.ReadTimeout("the fake API did not answer in time", request=request)
            await anyio.sleep(script.delay)
        return self._finish(request, recorded, script, answer)

    def _receive(
        self, request: httpx.Request, content: bytes
    ) -> tuple[RecordedRequest, _Script | None, Mapping[str, Any] | None]:
        op, params, problems = self._choose(request, content)
        recorded = RecordedRequest(
            operation_id=op["id"] if op else "",
            method=request.method,
            url=request.url,
            headers=request.headers,
            content=content,
            path_params=params,
        )
        script = self._next_script(op["id"]) if op else None
        if script is not None and script.reset == "before":
            raise httpx.ConnectError(
                "connection reset by the fake API (before sending)", request=request
            )
        if op is None:
            recorded.violations.append(
                f"no operation of the API description is {request.method} {request.url.path}"
            )
        else:
            recorded.violations.extend(problems)
        with self._lock:
            self.requests.append(recorded)
        if script is not None and script.reset == "after":
            raise httpx.RemoteProtocolError(
                "connection reset by the fake API (the request was sent)",
                request=request,
            )
        return recorded, script, op

    def _finish(
        self,
        request: httpx.Request,
        recorded: RecordedRequest,
        script: _Script | None,
        op: Mapping[str, Any] | None,
    ) -> httpx.Response:
        if recorded.violations:
            if self.strict:
                raise SpecViolation(
                    recorded.operation_id or f"{request.method} {request.url.path}",
                    recorded.violations,
                )
            body = {
                "error": "request does not match the API description",
                "violations": recorded.violations,
            }
            return httpx.Response(400, json=body, request=request)
        assert op is not None
        if script is not None and script.status is not None:
            status = script.status
            body = script.body if script.has_body else self._error_body(op, status)
            return _response(status, body, script.headers, request)
        status, body, headers, content_type = self._answer(op)
        if script is not None and script.headers:
            headers = {**headers, **script.headers}
        return _response(status, body, headers, request, content_type)

    # -- matching and checking -----------------------------------------------------------------------
    def _choose(
        self, request: httpx.Request, content: bytes
    ) -> tuple[Mapping[str, Any] | None, dict[str, str], list[str]]:
        """The operation a request is taken for, its path parameters and the request's problems.

        Several operations can share a method and path on the wire (they differ by a fragment, or by a
        query written into the path). The request is taken for one it fits (no problems): the one the
        generated client named in the request, if it fits, else the most specific (the most required
        parameters and body fields). When it fits none: the named one, else the one with the fewest
        problems, and one more problem says which operations were tried."""
        candidates = self._match(request)
        if len(candidates) == 1:
            op, params = candidates[0]
            return op, params, self._check(op, request, content, params)
        if not candidates:
            return None, {}, []
        named = request.extensions.get(OPERATION_EXTENSION)
        checked = [
            (op, params, self._check(op, request, content, params)) for op, params in candidates
        ]
        checked.sort(  # stable: among equals, the routes' order
            key=lambda c: (
                bool(c[2]),
                c[0]["id"] != named,
                len(c[2]),
                -self._required_count(c[0]),
            )
        )
        op, params, problems = checked[0]
        if problems:
            tried = ", ".join(c[0]["id"] for c in candidates)
            template = op["path"].split("#", 1)[0].split("?", 1)[0]
            problems = problems + [
                f"the request fits none of the {len(candidates)} operations at {op['method']} "
                f"{template} ({tried}); the problems above are those of {op['id']}, the closest"
            ]
        return op, params, problems

    def _required_count(self, op: Mapping[str, Any]) -> int:
        """How much a request must carry to fit ``op``: its required parameters (besides the path's),
        the query written into its path, and its body with the body's required top-level fields."""
        count = self._specificity.get(op["id"])
        if count is None:
            count = len(_route(op["path"])[2])
            count += sum(1 for p in op.get("params", []) if p.get("required") and p["in"] != "path")
            body = op.get("body")
            if body is not None and body.get("required"):
                fields = [
                    sum(1 for f in model["fields"] if f["required"])
                    for model in (self._object_model(m.get("schema")) for m in body["media"])
                    if model is not None
                ]
                count += 1 + max(fields, default=0)
            self._specificity[op["id"]] = count
        return count

    def _match(self, request: httpx.Request) -> list[tuple[Mapping[str, Any], dict[str, str]]]:
        """The operations the request's method and path fit, the most specific route first (several only
        when routes differ in nothing the request shows, e.g. by a fragment)."""
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        found: list[tuple[Mapping[str, Any], dict[str, str]]] = []
        best: re.Pattern[str] | None = None
        for op, (pattern, names, _fixed) in self._routes:
            if op["method"] != request.method.upper() or (
                best is not None and pattern.pattern != best.pattern
            ):
                continue
            match = pattern.search(path) or pattern.search(
                unquote(path)
            )  # a template with `<`, spaces...
            if match is not None:
                best = pattern
                found.append(
                    (
                        op,
                        {name: unquote(value) for name, value in zip(names, match.groups())},
                    )
                )
        return found

    def _check(
        self,
        op: Mapping[str, Any],
        request: httpx.Request,
        content: bytes,
        path_params: dict[str, str],
    ) -> list[str]:
        errors: list[str] = []
        query: dict[str, list[str]] = {}
        for k, v in request.url.params.multi_items():
            query.setdefault(k, []).append(v)
        for k, v in _route(op["path"])[2]:
            if v not in query.get(k, []):
                errors.append(
                    f"query parameter {k}: must be {v!r} (written into the path {op['path']})"
                )
        cookies = _cookies(request.headers.get("cookie", ""))
        for p in op.get("params", []):
            name, where = p["name"], p["in"]
            label = f"{where} parameter {name}"
            texts: list[str] | None
            kind = _kind(p["type"], self._models)
            if kind in ("object", "map") and p.get("style") != "json":
                errors.extend(
                    self._object_param_errors(
                        p, label, query, op["path"], path_params, request, cookies
                    )
                )
                continue
            if where == "path":
                texts = [path_params[name]] if name in path_params else None
            elif where == "query":
                texts = _query_values(p, query)
            elif where == "header":
                texts = [request.headers[name]] if name in request.headers else None
            else:
                texts = [cookies[name]] if name in cookies else None
            if texts is None:
                if p.get("required"):
                    errors.append(f"{label}: required, not sent")
                continue
            if kind in ("union", "any"):
                continue  # a value of several shapes spread over text: its presence is what is checked
            value = _from_text(p, _unstyled(p, texts), self._models)
            errors.extend(
                f"{label}{e}"
                for e in self._value_errors(value, p["type"], p.get("rules", {}), p.get("wire"))
            )
        body = op.get("body")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if body is not None:
            if not content:
                if body.get("required"):
                    errors.append("body: required, not sent")
            else:
                media = next((m for m in body["media"] if _media_matches(m["type"], ctype)), None)
                if media is None:
                    allowed = ", ".join(m["type"] for m in body["media"])
                    errors.append(f"Content-Type: {ctype or 'none'} is not one of {allowed}")
                else:
                    errors.extend(self._body_errors(media, content, request))
        elif content:
            errors.append("body: the operation takes no request body")
        if self.check_auth:
            problem = self._auth_problem(op, request, content)
            if problem:
                errors.append(problem)
        return errors

    def _object_param_errors(
        self,
        p: Mapping[str, Any],
        label: str,
        query: Mapping[str, list[str]],
        op_path: str,
        path_params: Mapping[str, str],
        request: httpx.Request,
        cookies: Mapping[str, str],
    ) -> list[str]:
        """An object (or map) parameter read back from its style (``form`` exploded or not, ``deepObject``,
        ``simple``, ``label``, ``matrix``) and checked property by property: required properties, then
        each scalar's type, enum and rules (``query parameter filter.role: ...``)."""
        name, where = str(p["name"]), str(p["in"])
        schema = _resolve(p["type"], self._models)
        model = self._object_model(schema)
        style = str(p.get("style") or ("form" if where in ("query", "cookie") else "simple"))
        explode = bool(p.get("explode", style == "form"))
        text: str | None = None
        decode: Callable[[str], str] = _same
        if where == "path":  # as sent: a value's own "," or "=" is escaped, the style's are not
            raw = _raw_path_params(op_path, request).get(name)
            text, decode = (raw, unquote) if raw is not None else (path_params.get(name), _same)
        elif where == "header":
            text = request.headers.get(name)
        elif where == "cookie":
            text = cookies.get(name)
        elif style == "form" and explode:  # the properties are query parameters of their own
            if (
                model is None
            ):  # a map's keys are any names: nothing tells them from other parameters
                return []
            pairs = {f["wire"]: query[f["wire"]][-1] for f in model["fields"] if f["wire"] in query}
            if not pairs:
                return [f"{label}: required, not sent"] if p.get("required") else []
            return self._properties_errors(pairs, schema, model, label)
        elif style == "deepObject":
            texts = _query_values(p, query)
            if texts is None:
                return [f"{label}: required, not sent"] if p.get("required") else []
            pairs = dict(t.partition("=")[::2] for t in texts)
            return self._properties_errors(pairs, schema, model, label)
        elif name in query:
            text = query[name][-1]
        if text is None:
            return [f"{label}: required, not sent"] if p.get("required") else []
        if where == "cookie" and text.startswith("{"):  # the client sends an object cookie as JSON
            try:
                return [
                    f"{label}{e}" for e in self._value_errors(json.loads(text), schema, {}, None)
                ]
            except ValueError:
                pass
        found = _object_pairs(text, style, explode, name, decode)
        if found is None:
            shape = "name=value,..." if explode else "name,value,..."
            return [f"{label}: {decode(text)[:60]!r} is not an object in style {style} ({shape})"]
        return self._properties_errors(found, schema, model, label)

    def _properties_errors(
        self,
        pairs: Mapping[str, str],
        schema: Schema,
        model: Mapping[str, Any] | None,
        label: str,
    ) -> list[str]:
        errors: list[str] = []
        if model is None:  # a map: each value against the map's value schema
            value_schema = schema.get("value")
            fields: list[Mapping[str, Any]] = [
                {"wire": k, "type": value_schema, "required": False} for k in pairs
            ]
        else:
            fields = list(model["fields"])
        for f in fields:
            wire, sub = str(f["wire"]), label + _member("", str(f["wire"]))
            if wire not in pairs:
                if f["required"] and not f.get("read_only"):
                    errors.append(f"{sub}: required, not sent")
                continue
            if _kind(f["type"], self._models) not in (
                "str",
                "int",
                "float",
                "bool",
                "enum",
                "null",
            ):
                continue  # a nested value spread over one text: beyond what the styles define
            value = _scalar(pairs[wire], f["type"], self._models)
            errors.extend(
                f"{sub}{e}" for e in self._value_errors(value, f["type"], f.get("rules", {}), None)
            )
        return errors

    def _body_errors(
        self, media: Mapping[str, Any], content: bytes, request: httpx.Request
    ) -> list[str]:
        kind, schema = media["kind"], media.get("schema")
        if kind == "json":
            try:
                data = json.loads(content)
            except ValueError as exc:
                return [f"body: not JSON ({exc})"]
            return (
                [f"body{e}" for e in self._value_errors(data, schema, {}, None)] if schema else []
            )
        if kind == "form":
            try:
                pairs = parse_qsl(
                    content.decode("ascii"), keep_blank_values=True, strict_parsing=True
                )
            except (UnicodeDecodeError, ValueError) as exc:
                return [f"body: not form-urlencoded ({exc})"]
            return self._fields_errors(pairs, schema)
        if kind == "multipart":
            boundary = request.headers.get("content-type", "").partition("boundary=")[2].strip('"')
            names = re.findall(rb'Content-Disposition: form-data; name="([^"]*)"', content)
            if not boundary or not content.startswith(b"--" + boundary.encode()):
                return ["body: not multipart/form-data with the boundary of its Content-Type"]
            model = self._object_model(schema)
            if model is None:
                return []
            sent = {n.decode() for n in names}
            return [
                f"body.{f['wire']}: required, not sent"
                for f in model["fields"]
                if f["required"] and f["wire"] not in sent
            ]
        return []

    def _fields_errors(self, pairs: list[tuple[str, str]], schema: Schema | None) -> list[str]:
        model = self._object_model(schema)
        if model is None:
            return []
        values: dict[str, list[str]] = {}
        for k, v in pairs:
            values.setdefault(k, []).append(v)
        errors = []
        for f in model["fields"]:
            texts = values.get(f["wire"])
            if texts is None:
                if f["required"]:
                    errors.append(f"body.{f['wire']}: required, not sent")
                continue
            value = _from_text({"type": f["type"], "explode": True}, texts, self._models)
            errors.extend(
                f"body.{f['wire']}{e}"
                for e in self._value_errors(
                    value, f["type"], f.get("rules", {}), f.get("wire_encoding")
                )
            )
        return errors

    def _object_model(self, schema: Schema | None) -> Mapping[str, Any] | None:
        while schema is not None and schema.get("t") == "nullable":
            schema = schema["inner"]
        if schema is None or schema.get("t") != "ref":
            return None
        model = self._models.get(schema["name"])
        return model if model is not None and model["kind"] == "object" else None

    def _value_errors(
        self,
        value: Any,
        schema: Schema | None,
        rules: Mapping[str, Any],
        wire: Mapping[str, Any] | None,
    ) -> list[str]:
        errors: list[str] = []
        _validate(value, schema, rules, "", self._models, errors, 0)
        if wire is not None and isinstance(value, str) and not errors:
            if wire["kind"] == "join":
                items: Any = value.split(wire["sep"]) if value else []
            else:
                try:
                    items = json.loads(value)
                except ValueError:
                    return [f": not JSON text (x-apigen-wire: json), got {value[:40]!r}"]
            _validate(
                items,
                wire.get("value"),
                wire.get("rules", {}),
                "",
                self._models,
                errors,
                0,
            )
        return errors

    def _auth_problem(self, op: Mapping[str, Any], request: httpx.Request, content: bytes) -> str:
        alternatives = op.get("security", [])
        if not alternatives or any(not alt for alt in alternatives):
            return ""
        for alt in alternatives:
            # one Authorization header cannot carry two schemes: with several in one alternative, it must be there
            sharing = [n for n in alt if _uses_authorization(self._schemes.get(n), self.verifiers)]
            if len(sharing) > 1 and "authorization" in request.headers:
                alt = [n for n in alt if n not in sharing]
            if all(self._scheme_present(name, request) for name in alt):
                return self._verify(alt, request, content)
        names = " or ".join(" + ".join(alt) for alt in alternatives)
        return f"credentials: none of {names} was presented"

    def _scheme_present(self, name: str, request: httpx.Request) -> bool:
        scheme = self._schemes.get(name)
        if scheme is None:
            return True
        kind, headers = str(scheme["kind"]), request.headers
        authorization: str = headers.get("authorization", "")
        where, parameter = str(scheme.get("location", "")), str(scheme.get("parameter", ""))
        if (
            parameter
        ):  # an apiKey (also under an x-apigen-auth kind): its header, query parameter or cookie
            if where == "header" and parameter not in headers:
                return False
            if where == "query" and parameter not in request.url.params:
                return False
            if where == "cookie" and parameter not in _cookies(headers.get("cookie", "")):
                return False
        if kind == "http":
            return authorization.lower().startswith(str(scheme.get("scheme", "")).lower() + " ")
        if kind in ("oauth2", "openIdConnect"):
            return authorization.lower().startswith("bearer ")
        verifier = self.verifiers.get(kind)
        if (
            verifier is not None
        ):  # a vendor scheme (an x-apigen-auth kind): its extension knows its headers
            return verifier.present(request)
        return True  # mutualTLS is the TLS layer's business; a fake has none

    def _verify(self, alternative: list[str], request: httpx.Request, content: bytes) -> str:
        """With ``keys``: the signature or digest of the alternative's signing schemes, recomputed by their verifiers."""
        if not self.keys:
            return ""
        for name in alternative:
            verifier = self.verifiers.get(str(self._schemes.get(name, {}).get("kind", "")))
            if verifier is None:
                continue
            problem = verifier.verify(request, content, self.keys)
            if problem:
                return f"credentials: {name}: {problem}"
        return ""

    # -- answers -------------------------------------------------------------------------------------
    def _answer(self, op: Mapping[str, Any]) -> tuple[int, Any, dict[str, str], str]:
        responses = op.get("responses", [])
        ranked = [r for r in responses if r["status"][:1] == "2" and r["status"].isdigit()]
        ranked += [r for r in responses if r["status"][:1] == "2" and not r["status"].isdigit()]
        ranked += [r for r in responses if r["status"][:1] in ("1", "3") and r["status"].isdigit()]
        ranked += [r for r in responses if r["status"] == "default"]
        if not ranked:
            return 200, None, {}, ""
        chosen = ranked[0]
        status = int(chosen["status"]) if chosen["status"].isdigit() else 200
        headers = {
            h["name"]: _header_text(sample(h["type"], self._models))
            for h in chosen.get("headers", [])
            if h["name"].lower() != "content-type"
        }
        body = self._body_of(chosen, op)
        return status, body, headers, chosen.get("content_type", "")

    def _body_of(self, response: Mapping[str, Any], op: Mapping[str, Any] | None = None) -> Any:
        """A response's first example when it fits the response's schema, else a value made from the schema."""
        schema = response.get("schema")
        if "example" in response:
            body = response["example"]
            if (
                isinstance(body, str)
                and schema is not None
                and _kind(schema, self._models) != "str"
            ):
                try:  # an example written as JSON text
                    body = json.loads(body)
                except ValueError:
                    pass
            if schema is None or self._fits(body, schema):
                return body
        if schema is None:
            return response.get("example")
        body = sample(schema, self._models)
        code = op.get("result_code") if op is not None else None
        if code and isinstance(body, dict):
            body[code["field"]] = code["success"][0]
        return body

    def _fits(self, value: Any, schema: Schema) -> bool:
        errors: list[str] = []
        _validate(value, schema, {}, "", self._models, errors, 0)
        return not errors

    def _error_body(self, op: Mapping[str, Any], status: int) -> Any:
        responses = op.get("responses", [])
        exact = [r for r in responses if r["status"] == str(status)]
        ranged = [r for r in responses if r["status"].upper() == f"{status // 100}XX"]
        default = [r for r in responses if r["status"] == "default"]
        for r in exact + ranged + default:
            if "example" in r or r.get("schema") is not None:
                return self._body_of(r)
        return {"error": f"HTTP {status} (scripted by the fake API)"}


# -- helpers -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _route(template: str) -> tuple[re.Pattern[str], list[str], list[tuple[str, str]]]:
    """A pattern matching request paths that end with ``template``, the variable of each group, and the
    query written into the template (``/responses?beta=true``), which the request must carry."""
    out, pos, names = [], 0, []
    template = template.split("#", 1)[0]  # a fragment (``/cookies#exploded``) is never sent
    template, _, fixed = template.partition("?")
    for match in re.finditer(r"\{([^{}]+)\}", template):
        out.append(re.escape(template[pos : match.start()]))
        out.append("([^/]+)")
        names.append(match.group(1))
        pos = match.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out) + "/?$"), names, parse_qsl(fixed, keep_blank_values=True)


def _uses_authorization(
    scheme: Mapping[str, Any] | None, verifiers: Mapping[str, Verifier]
) -> bool:
    if scheme is None:
        return False
    if scheme["kind"] in ("http", "oauth2", "openIdConnect"):
        return True
    verifier = verifiers.get(str(scheme["kind"]))
    if verifier is not None and verifier.uses_authorization:
        return True
    return (
        str(scheme.get("location")) == "header"
        and str(scheme.get("parameter", "")).lower() == "authorization"
    )


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout")
    if isinstance(timeout, Mapping):
        value = timeout.get("read")
        return float(value) if isinstance(value, (int, float)) else None
    return None


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            out[name] = value
    return out


def _media_matches(declared: str, sent: str) -> bool:
    declared = declared.split(";")[0].strip().lower()
    if declared in ("*/*", sent):
        return True
    if declared.endswith("/*"):
        return sent.startswith(declared[:-1])
    return False


def _query_values(p: Mapping[str, Any], query: Mapping[str, list[str]]) -> list[str] | None:
    name = p["name"]
    if p.get("style") == "deepObject":
        keys = [k for k in query if k.startswith(name + "[")]
        return [f"{k[len(name) + 1:-1]}={query[k][-1]}" for k in keys] or None
    return query.get(name)


def _unstyled(p: Mapping[str, Any], texts: list[str]) -> list[str]:
    """Path texts without their ``label`` (``.a.b``) or ``matrix`` (``;name=a``) decoration."""
    style = p.get("style", "")
    if p.get("in") != "path" or style not in ("label", "matrix"):
        return texts
    text = texts[0]
    if style == "label":
        parts = text[1:].split("." if p.get("explode") else ",") if text.startswith(".") else [text]
    else:
        prefix = ";" + str(p["name"]) + "="
        parts = (
            [t for t in text.split(prefix) if t]
            if p.get("explode")
            else text.removeprefix(prefix).split(",")
        )
        parts = [t.rstrip(";") for t in parts]
    return parts


def _same(text: str) -> str:
    return text


def _raw_path_params(template: str, request: httpx.Request) -> dict[str, str]:
    """The path parameters of a request as sent (still percent-encoded)."""
    pattern, names, _fixed = _route(template)
    match = pattern.search(request.url.raw_path.split(b"?", 1)[0].decode("ascii"))
    return dict(zip(names, match.groups())) if match is not None else {}


def _object_pairs(
    text: str, style: str, explode: bool, name: str, decode: Callable[[str], str] = _same
) -> dict[str, str] | None:
    """An object's properties from one text of its style: ``a,1,b,2`` (not exploded), ``a=1,b=2``
    (exploded), with ``label`` (``.``) and ``matrix`` (``;name=``, or ``;a=1;b=2`` exploded) prefixes;
    ``None`` when the text is not of that shape. ``decode`` each name and value once cut apart."""
    if style == "label":
        if not text.startswith("."):
            return None
        parts = text[1:].split("." if explode else ",")
    elif style == "matrix":
        if explode:
            parts = [t for t in text.split(";") if t]
        elif text.startswith(f";{name}="):
            parts = text[len(name) + 2 :].split(",")
        else:
            return None
    else:
        parts = text.split(",") if text else []
    if explode:
        if not all("=" in t for t in parts):
            return None
        cut = [t.partition("=") for t in parts]
        return {decode(k): decode(v) for k, _, v in cut}
    if len(parts) % 2:
        return None
    return {decode(k): decode(v) for k, v in zip(parts[::2], parts[1::2])}


def _from_text(p: Mapping[str, Any], texts: list[str], models: Mapping[str, Any]) -> Any:
    """A parameter or form field's text(s) read back as the JSON value its type describes (best effort)."""
    schema = p["type"]
    kind = _kind(schema, models)
    if kind == "array":
        if len(texts) > 1 or p.get("explode", True) and p.get("style", "form") == "form":
            items = texts
        else:
            separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(p.get("style", ""), ",")
            items = texts[0].split(separator) if texts[0] else []
        item = _resolve(schema, models).get("item")
        return [_scalar(t, item, models) for t in items]
    if p.get("style") == "json":
        try:
            return json.loads(texts[-1])
        except ValueError:
            return texts[-1]
    return _scalar(texts[-1], schema, models)


def _scalar(text: str, schema: Schema | None, models: Mapping[str, Any]) -> Any:
    kind = _kind(schema, models)
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if kind == "null" and text == "":
        return None
    if kind == "enum":
        model = models[_resolve(schema, models)["name"]]
        for v in model["values"]:
            if str(v) == text or (isinstance(v, bool) and text == ("true" if v else "false")):
                return v
    return text


def _resolve(schema: Schema | None, models: Mapping[str, Any]) -> Schema:
    while schema is not None and schema.get("t") == "nullable":
        schema = schema["inner"]
    return schema or {"t": "any"}


def _kind(schema: Schema | None, models: Mapping[str, Any]) -> str:
    s = _resolve(schema, models)
    t = s["t"]
    if t == "ref":
        model = models.get(s["name"])
        return "any" if model is None else model["kind"]
    return str(t)


_JSON_KIND = {"str": str, "bool": bool}


def _validate(
    value: Any,
    schema: Schema | None,
    rules: Mapping[str, Any],
    path: str,
    models: Mapping[str, Any],
    errors: list[str],
    depth: int,
) -> None:
    """Append ``path: problem`` for each way ``value`` (JSON data) breaks ``schema`` and ``rules``."""
    if schema is None or depth > 64:
        return
    t = schema["t"]
    if t == "nullable":
        if value is not None:
            _validate(value, schema["inner"], rules, path, models, errors, depth + 1)
        return
    if t == "any":
        _rules(value, rules, path, errors)
        return
    if t == "null":
        if value is not None:
            errors.append(f"{path}: expected null, got {_json_type(value)}")
        return
    if t in ("str", "bool"):
        if not isinstance(value, _JSON_KIND[t]):
            errors.append(
                f"{path}: expected {'string' if t == 'str' else 'boolean'}, got {_json_type(value)}"
            )
            return
        if isinstance(value, str):
            _format(value, str(schema.get("f", "")), path, errors)
    elif t == "int":
        if isinstance(value, bool) or not (
            isinstance(value, int) or isinstance(value, float) and value.is_integer()
        ):
            errors.append(f"{path}: expected integer, got {_json_type(value)}")
            return
    elif t == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: expected number, got {_json_type(value)}")
            return
    elif t == "array":
        if not isinstance(value, list):
            errors.append(f"{path}: expected array, got {_json_type(value)}")
            return
        for i, item in enumerate(value):
            _validate(
                item,
                schema["item"],
                schema.get("item_rules", {}),
                f"{path}[{i}]",
                models,
                errors,
                depth + 1,
            )
    elif t == "map":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object, got {_json_type(value)}")
            return
        for k, item in value.items():
            _validate(item, schema["value"], {}, _member(path, k), models, errors, depth + 1)
    elif t == "ref":
        _validate_model(value, models.get(schema["name"]), path, models, errors, depth)
    _rules(value, rules, path, errors)


def _validate_model(
    value: Any,
    model: Mapping[str, Any] | None,
    path: str,
    models: Mapping[str, Any],
    errors: list[str],
    depth: int,
) -> None:
    if model is None:
        return
    kind = model["kind"]
    if kind == "enum":
        if value not in model["values"] or isinstance(value, bool) != any(
            isinstance(v, bool) for v in model["values"]
        ):
            allowed = ", ".join(json.dumps(v) for v in model["values"])
            errors.append(f"{path}: {json.dumps(value)} is not one of {allowed} (enum)")
        return
    if kind == "union":
        for variant in model["variants"]:
            attempt: list[str] = []
            _validate(value, variant, {}, path, models, attempt, depth + 1)
            if not attempt:
                return
        errors.append(f"{path}: matches none of the variants of {model['name']}")
        return
    if not isinstance(value, dict):
        errors.append(f"{path}: expected object, got {_json_type(value)}")
        return
    known = set()
    for f in model["fields"]:
        wire = f["wire"]
        known.add(wire)
        sub = _member(path, wire)
        if wire not in value:
            if f["required"] and not f.get("read_only"):
                errors.append(f"{sub}: required, not sent")
            continue
        if f.get("read_only"):
            continue
        before = len(errors)
        _validate(value[wire], f["type"], f.get("rules", {}), sub, models, errors, depth + 1)
        encoding = f.get("wire_encoding")
        if encoding is not None and len(errors) == before and isinstance(value[wire], str):
            text = value[wire]
            if encoding["kind"] == "join":
                decoded: Any = text.split(encoding["sep"]) if text else []
            else:
                try:
                    decoded = json.loads(text)
                except ValueError:
                    errors.append(f"{sub}: not JSON text (x-apigen-wire: json)")
                    continue
            _validate(
                decoded,
                encoding.get("value"),
                encoding.get("rules", {}),
                sub,
                models,
                errors,
                depth + 1,
            )
    additional = model.get("additional")
    if additional is not None:
        for k, item in value.items():
            if k not in known:
                _validate(item, additional, {}, _member(path, k), models, errors, depth + 1)


_FORMATS = {
    "date-time": re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?"),
    "date": re.compile(r"\d{4}-\d\d-\d\d"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}"),
}


def _format(value: str, fmt: str, path: str, errors: list[str]) -> None:
    pattern = _FORMATS.get(fmt)
    if pattern is not None and not pattern.fullmatch(value):
        errors.append(f"{path}: {value[:40]!r} is not a {fmt} (format)")
    if fmt == "byte":
        try:
            base64.b64decode(value, validate=True)
        except ValueError:
            errors.append(f"{path}: not base64 (format byte)")


def _rules(value: Any, rules: Mapping[str, Any], path: str, errors: list[str]) -> None:
    for keyword, limit in rules.items():
        problem = _rule(value, keyword, limit, rules)
        if problem:
            errors.append(f"{path}: {problem} ({keyword})")


def _rule(value: Any, keyword: str, limit: Any, rules: Mapping[str, Any]) -> str:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(value, str):
        if keyword == "maxLength" and len(value) > limit:
            return f"at most {limit} characters allowed, got {len(value)}"
        if keyword == "minLength" and len(value) < limit:
            return f"at least {limit} characters needed, got {len(value)}"
        if keyword == "pattern":
            try:
                if re.search(limit, value) is None:
                    return f"does not match {limit!r}"
            except re.error:
                return ""
    if isinstance(value, list):
        if keyword == "maxItems" and len(value) > limit:
            return f"at most {limit} items allowed, got {len(value)}"
        if keyword == "minItems" and len(value) < limit:
            return f"at least {limit} items needed, got {len(value)}"
        if (
            keyword == "uniqueItems"
            and limit is True
            and len({json.dumps(v, sort_keys=True) for v in value}) < len(value)
        ):
            return "items are not unique"
    if number:
        exclusive_max = rules.get("exclusiveMaximum") is True
        exclusive_min = rules.get("exclusiveMinimum") is True
        if keyword == "maximum" and (value > limit or exclusive_max and value == limit):
            return f"must be {'<' if exclusive_max else '<='} {limit}, got {value}"
        if keyword == "minimum" and (value < limit or exclusive_min and value == limit):
            return f"must be {'>' if exclusive_min else '>='} {limit}, got {value}"
        if keyword == "exclusiveMaximum" and not isinstance(limit, bool) and value >= limit:
            return f"must be < {limit}, got {value}"
        if keyword == "exclusiveMinimum" and not isinstance(limit, bool) and value <= limit:
            return f"must be > {limit}, got {value}"
        if keyword == "multipleOf" and limit > 0:
            quotient = value / limit
            if not math.isclose(quotient, round(quotient), rel_tol=0, abs_tol=1e-9):
                return f"must be a multiple of {limit}, got {value}"
    if keyword == "enum" and isinstance(limit, list) and value not in limit:
        return f"{json.dumps(value)} is not one of {', '.join(json.dumps(v) for v in limit)}"
    return ""


def _member(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key)}]"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# -- generated values ----------------------------------------------------------------------------------

_TEXT_CANDIDATES = (
    "string",
    "example",
    "a",
    "A",
    "0",
    "1",
    "abc123",
    "example-1",
    "example.com",
    "user@example.com",
    "https://example.com",
    "2024-01-01",
    "00000000",
)


def sample(
    schema: Schema | None,
    models: Mapping[str, Any],
    rules: Mapping[str, Any] | None = None,
    depth: int = 0,
    trail: frozenset[str] = frozenset(),
) -> Any:
    """A JSON value of ``schema`` that keeps ``rules`` where it easily can (lengths, bounds, enums, patterns)."""
    rules = rules or {}
    if schema is None:
        return None
    t = schema["t"]
    if "enum" in rules and rules["enum"]:
        return rules["enum"][0]
    if t == "nullable":
        return sample(schema["inner"], models, rules, depth, trail)
    if t == "str":
        return _sample_text(schema.get("f", ""), rules)
    if t in ("int", "float"):
        low, high = rules.get("minimum"), rules.get("maximum")
        value: float = 0
        if isinstance(low, (int, float)) and not isinstance(low, bool):
            value = low + (1 if rules.get("exclusiveMinimum") is True else 0)
        elif isinstance(high, (int, float)) and not isinstance(high, bool) and high < 0:
            value = high
        exclusive_low = rules.get("exclusiveMinimum")
        if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
            value = max(value, exclusive_low + 1)
        step = rules.get("multipleOf")
        if isinstance(step, (int, float)) and step > 0 and value % step:
            value = math.ceil(value / step) * step
        return int(value) if t == "int" else float(value)
    if t == "bool":
        return True
    if t == "null":
        return None
    if t == "any":
        return {}
    if t == "array":
        count = max(1, int(rules.get("minItems", 1) or 0))
        if rules.get("maxItems") == 0 or depth > _MAX_DEPTH:
            count = int(rules.get("minItems", 0) or 0)
        return [
            sample(schema["item"], models, schema.get("item_rules"), depth + 1, trail)
            for _ in range(count)
        ]
    if t == "map":
        return {}
    if t == "ref":
        return _sample_model(schema["name"], models, depth, trail)
    return None


def _sample_text(fmt: str, rules: Mapping[str, Any]) -> str:
    fixed = {
        "date-time": "2024-01-01T00:00:00Z",
        "date": "2024-01-01",
        "uuid": "00000000-0000-0000-0000-000000000000",
        "byte": "",
        "email": "user@example.com",
        "uri": "https://example.com",
        "url": "https://example.com",
        "hostname": "example.com",
        "ipv4": "192.0.2.1",
        "ipv6": "2001:db8::1",
        "time": "00:00:00",
    }
    candidates = [fixed[fmt]] if fmt in fixed else []
    low, high = int(rules.get("minLength", 0) or 0), rules.get("maxLength")
    pattern = rules.get("pattern")
    if isinstance(pattern, str):
        candidates.append(from_pattern(pattern, low))
    candidates += _TEXT_CANDIDATES
    for text in candidates:
        if len(text) < low:
            text = text + "x" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        try:
            if isinstance(pattern, str) and re.search(pattern, text) is None:
                continue
        except re.error:
            pass
        return text
    return candidates[0]


def _sample_model(name: str, models: Mapping[str, Any], depth: int, trail: frozenset[str]) -> Any:
    model = models.get(name)
    if model is None:
        return {}
    if model["kind"] == "enum":
        return model["values"][0] if model["values"] else None
    if model["kind"] == "union":
        variants = model["variants"]
        if not variants:
            return {}
        # prefer a variant that does not lead back here
        chosen = next((v for v in variants if v.get("name") not in trail | {name}), variants[0])
        value = sample(chosen, models, None, depth + 1, trail | {name})
        disc = model.get("discriminator")
        target = models.get(str(chosen.get("name", "")))
        if disc and isinstance(value, dict) and target is not None and target["kind"] == "object":
            prop = disc["property"]
            declared = next((f for f in target["fields"] if f["wire"] == prop), None)
            free = declared is None or (
                _kind(declared["type"], models) == "str" and "enum" not in declared.get("rules", {})
            )
            tag = next((k for k, v in disc["mapping"].items() if v == target["name"]), None)
            if free and tag is not None:  # a property the variant fixes itself (an enum) is kept
                value[prop] = tag
        return value
    out: dict[str, Any] = {}
    deep = depth > _MAX_DEPTH or name in trail
    for f in model["fields"]:
        if deep and not f["required"]:
            continue
        if depth > _MAX_DEPTH * 2:
            continue
        out[f["wire"]] = sample(f["type"], models, f.get("rules"), depth + 1, trail | {name})
    return out


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


def _response(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None,
    request: httpx.Request,
    content_type: str = "",
) -> httpx.Response:
    out = dict(headers or {})
    if isinstance(body, bytes):
        content = body
    elif body is None:
        content = b""
    elif isinstance(body, str) and content_type and "json" not in content_type:
        content = body.encode()
    else:
        content = json.dumps(body).encode()
        content_type = content_type or "application/json"
    if content and content_type and not any(k.lower() == "content-type" for k in out):
        out["Content-Type"] = content_type
    return httpx.Response(status, headers=out, content=content, request=request)


def contract(text: str) -> dict[str, Any]:
    """The API description the generated ``testing`` module embeds, as data."""
    data: dict[str, Any] = json.loads(text)
    return data
