"""A server on 127.0.0.1 that streams a large response body and records how much of it it could send.

Each connection reads one request, then answers ``status`` with ``total`` bytes of body in ``chunk``-sized
writes, either chunked (no ``Content-Length``) or under a declared ``Content-Length`` (which may lie:
``declared``). The send buffer is kept small so that ``sent`` is close to what the client really read;
``closed_early`` tells whether the client hung up before the whole body was written.
"""

from __future__ import annotations

import socket
import threading


class StreamingServer:
    def __init__(
        self,
        total: int,
        *,
        chunk: int = 64 * 1024,
        chunked: bool = True,
        declared: int | None = None,
        status: int = 200,
    ) -> None:
        self.total = total
        self.chunk = chunk
        self.chunked = chunked
        self.declared = declared if declared is not None else total
        self.status = status
        self.sent = 0
        self.closed_early = False
        self.requests = 0
        self.done = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> StreamingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._sock.close()

    def _serve(self) -> None:
        try:
            conn, _ = self._sock.accept()
        except OSError:
            return
        with conn:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(65536)
                if not data:
                    return
                request += data
            self.requests += 1
            head = f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\n"
            head += (
                "Transfer-Encoding: chunked\r\n"
                if self.chunked
                else f"Content-Length: {self.declared}\r\n"
            )
            try:
                conn.sendall((head + "\r\n").encode())
                piece = b"x" * self.chunk
                while self.sent < self.total:
                    part = piece[: min(self.chunk, self.total - self.sent)]
                    framed = b"%x\r\n%s\r\n" % (len(part), part) if self.chunked else part
                    conn.sendall(framed)
                    self.sent += len(part)
                if self.chunked:
                    conn.sendall(b"0\r\n\r\n")
            except OSError:
                self.closed_early = True
            finally:
                self.done.set()
