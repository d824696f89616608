"""A minimal server on 127.0.0.1 that answers every operation of an API with its documented response.

It knows nothing of Huawei: routes and answers come from the IR (the first documented success response,
its first example or a sample built from its schema, and its documented headers). The docs' examples run
against it to prove each one calls the operation it documents and decodes what the API documents.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from generator.model import ir
from generator.reference.examples import Samples, example_value


@dataclass(frozen=True)
class Seen:
    operation_id: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes
    status: int


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(regex + "/?")


class SpecServer:
    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.samples = Samples(api)
        routes = []
        for op in api.operations:
            literal = len(re.sub(r"\{[^}]+\}", "", op.path))
            routes.append((op.path.count("{"), -literal, op.path, op.method, _pattern(op.path), op))
        routes.sort(key=lambda r: r[:4])
        self.routes = [(method, pattern, op) for _, _, _, method, pattern, op in routes]
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> SpecServer:
        handler = _handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def operations(self) -> list[str]:
        with self._lock:
            return [s.operation_id for s in self.seen]

    def answer(self, method: str, path: str, query: list[tuple[str, str]]) -> tuple[str, int, dict[str, str], bytes]:
        for route_method, pattern, op in self.routes:
            if route_method == method and pattern.fullmatch(path):
                return (op.operation_id, *self.response(op, query))
        return "", 404, {"Content-Type": "application/json"}, b'{"error": "no such operation"}'

    def response(self, op: ir.Operation, query: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
        responses = [r for r in op.responses if r.is_success] or [r for r in op.responses if r.status == "default"]
        if not responses:
            return 204, {}, b""
        response = responses[0]
        status = int(response.status) if response.status.isdigit() else 200
        headers = {h.name: _header_value(self.samples.value(h.type)) for h in response.headers}
        media = response.decoded
        if media is None or media.type is None and media.kind == "json":
            return status, headers, b""
        value: Any = (
            example_value(media.type, media.examples[0].value) if media.examples else self.samples.value(media.type)
        )
        if op.pagination and isinstance(value, dict) and dict(query).get(op.pagination.offset, "0") not in ("", "0"):
            value = {**value, op.pagination.items: []}  # one page only: the iterators stop
        headers["Content-Type"] = media.content_type if "*" not in media.content_type else "application/octet-stream"
        if media.kind == "json":
            body = json.dumps(value, ensure_ascii=False).encode()
        else:
            body = (value if isinstance(value, str) else json.dumps(value)).encode()
        return status, headers, body


def _header_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _handler(server: SpecServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def handle_any(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = parse_qsl(parts.query, keep_blank_values=True)
            operation_id, status, headers, payload = server.answer(self.command, parts.path, query)
            with server._lock:
                server.seen.append(
                    Seen(
                        operation_id, self.command, parts.path, tuple(query), tuple(self.headers.items()), body, status
                    )
                )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any

    return Handler
