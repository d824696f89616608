"""Tokens the client fetches itself (OAuth2, or an extension's token operation): a thread- and task-safe
cache, and the ``httpx.Auth`` that sends the token and, on a 401, refreshes it once and retries once.

Concurrent requests that find no valid token wait on one lock while the first of them fetches it, so 50
simultaneous calls make one token request, not 50. The cache expiry is measured on the monotonic clock
from the token's lifetime as the server states it, so a wrong local clock does not keep an expired token
alive.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass

import anyio
import httpx

from ._limits import aread_capped, limit_of, read_capped


@dataclass(frozen=True)
class FetchedToken:
    value: str
    lifetime: float  # seconds the token stays valid from when it was received


class TokenSource:
    """One cached token, fetched at most once at a time; ``fetch``/``afetch`` obtain a new one."""

    def __init__(
        self,
        fetch: Callable[[], FetchedToken] | None,
        afetch: Callable[[], Awaitable[FetchedToken]] | None,
        refresh_margin: float = 300.0,
        static: str | None = None,
    ) -> None:
        self._fetch = fetch
        self._afetch = afetch
        self._margin = refresh_margin
        self._value: str | None = static
        self._valid_until = float("inf") if static is not None else 0.0
        self._static = static is not None
        self._lock = threading.Lock()
        self._alock: anyio.Lock | None = None
        self.fetches = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(cached={self._value is not None}, fetches={self.fetches})"

    def _current(self, stale: str | None) -> str | None:
        if (
            self._value is not None
            and self._value != stale
            and time.monotonic() < self._valid_until
        ):
            return self._value
        if self._static:
            return self._value
        return None

    def _store(self, token: FetchedToken, started: float) -> str:
        self.fetches += 1
        self._value = token.value
        # keep a token at least half its life even when the margin is larger than that
        self._valid_until = started + max(token.lifetime - self._margin, token.lifetime / 2)
        return token.value

    def get(self, stale: str | None = None) -> str:
        """A valid token; ``stale`` is one the server just rejected (fetch a new one unless already done)."""
        current = self._current(stale)
        if current is not None:
            return current
        with self._lock:
            current = self._current(stale)
            if current is not None:
                return current
            if self._fetch is None:
                raise RuntimeError("this token source cannot fetch tokens synchronously")
            started = time.monotonic()
            return self._store(self._fetch(), started)

    async def aget(self, stale: str | None = None) -> str:
        """:meth:`get` for asyncio/trio tasks."""
        current = self._current(stale)
        if current is not None:
            return current
        if self._alock is None:
            self._alock = anyio.Lock()
        async with self._alock:
            current = self._current(stale)
            if current is not None:
                return current
            if self._afetch is None:
                raise RuntimeError("this token source cannot fetch tokens asynchronously")
            started = time.monotonic()
            return self._store(await self._afetch(), started)


class TokenAuth(httpx.Auth):
    """Sends the cached token in ``header`` (after ``prefix``); on a 401 refreshes it once and retries once."""

    runs_last = True  # may send the request twice: the last part of a chain of schemes

    def __init__(
        self, source: TokenSource, header: str = "Authorization", prefix: str = "Bearer "
    ) -> None:
        self._source = source
        self._header = header
        self._prefix = prefix

    def __repr__(self) -> str:
        return f"{type(self).__name__}(header={self._header!r})"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._source.get()
        request.headers[self._header] = self._prefix + token
        response = yield request
        if response.status_code == 401:
            read_capped(response, *limit_of(request))  # httpx reads it before the retry otherwise
            fresh = self._source.get(stale=token)
            if fresh != token:
                request.headers[self._header] = self._prefix + fresh
                yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._source.aget()
        request.headers[self._header] = self._prefix + token
        response = yield request
        if response.status_code == 401:
            await aread_capped(response, *limit_of(request))
            fresh = await self._source.aget(stale=token)
            if fresh != token:
                request.headers[self._header] = self._prefix + fresh
                yield request
