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


class TokenCache:
    """One cached token and the locks its fetches wait on, shared by a client and its ``with_options``
    copies (each fetches through its own :class:`TokenSource`, with its own timeout and retries)."""

    def __init__(self, refresh_margin: float = 300.0, static: str | None = None) -> None:
        self.margin = refresh_margin
        self.value: str | None = static
        self.valid_until = float("inf") if static is not None else 0.0
        self.static = static is not None
        self.lock = threading.Lock()
        self.alock: anyio.Lock | None = None
        self.fetches = 0

    def current(self, stale: str | None) -> str | None:
        if self.value is not None and self.value != stale and time.monotonic() < self.valid_until:
            return self.value
        if self.static:
            return self.value
        return None

    def store(self, token: FetchedToken, started: float) -> str:
        self.fetches += 1
        self.value = token.value
        # keep a token at least half its life even when the margin is larger than that
        self.valid_until = started + max(token.lifetime - self.margin, token.lifetime / 2)
        return token.value


class TokenSource:
    """A token from ``cache``, fetched at most once at a time with ``fetch``/``afetch`` when it is missing
    or stale (a new cache of its own unless one is given)."""

    def __init__(
        self,
        fetch: Callable[[], FetchedToken] | None,
        afetch: Callable[[], Awaitable[FetchedToken]] | None,
        refresh_margin: float = 300.0,
        static: str | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        self._fetch = fetch
        self._afetch = afetch
        self.cache = cache if cache is not None else TokenCache(refresh_margin, static)

    @property
    def fetches(self) -> int:
        """Tokens fetched into the cache (by this source or another sharing it)."""
        return self.cache.fetches

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(cached={self.cache.value is not None}, fetches={self.fetches})"
        )

    def get(self, stale: str | None = None) -> str:
        """A valid token; ``stale`` is one the server just rejected (fetch a new one unless already done)."""
        cache = self.cache
        current = cache.current(stale)
        if current is not None:
            return current
        with cache.lock:
            current = cache.current(stale)
            if current is not None:
                return current
            if self._fetch is None:
                raise RuntimeError("this token source cannot fetch tokens synchronously")
            started = time.monotonic()
            return cache.store(self._fetch(), started)

    async def aget(self, stale: str | None = None) -> str:
        """:meth:`get` for asyncio/trio tasks."""
        cache = self.cache
        current = cache.current(stale)
        if current is not None:
            return current
        if cache.alock is None:  # no await since the check: one lock for every task of the loop
            cache.alock = anyio.Lock()
        async with cache.alock:
            current = cache.current(stale)
            if current is not None:
                return current
            if self._afetch is None:
                raise RuntimeError("this token source cannot fetch tokens asynchronously")
            started = time.monotonic()
            return cache.store(await self._afetch(), started)


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
