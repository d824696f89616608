"""IAM tokens: the request body, reading the token from the response, a thread- and task-safe cache, and
the ``httpx.Auth`` that sends ``X-Auth-Token`` and, on a 401, refreshes the token once and retries once.

Concurrent requests that find no valid token wait on one lock while the first of them fetches it, so 50
simultaneous calls make one token request, not 50. The cache expiry is measured on the monotonic clock
from the token's lifetime as the server states it (``expires_at`` minus the response's ``Date``), so a
wrong local clock does not keep an expired token alive.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import json
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from ._credentials import IamPassword
from ._limits import aread_capped, limit_of, read_capped
from ._wire import DecodeError

DEFAULT_TOKEN_HEADER = "X-Auth-Token"
DEFAULT_SUBJECT_HEADER = "X-Subject-Token"
DEFAULT_EXPIRES_AT = "/token/expires_at"


def token_request_body(credential: IamPassword, default_project: str | None) -> bytes:
    """The JSON body of ``POST /v3/auth/tokens`` for a password, scoped to a project or the domain."""
    scope: dict[str, Any]
    if credential.scope == "domain":
        scope = {"domain": {"name": credential.domain}}
    elif credential.project_id:
        scope = {"project": {"id": credential.project_id}}
    else:
        name = credential.project_name or default_project
        if not name:
            raise ValueError(
                "a project-scoped IAM token needs project_id, project_name or a region"
            )
        scope = {"project": {"name": name}}
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": credential.username,
                        "password": credential.password,
                        "domain": {"name": credential.domain},
                    }
                },
            },
            "scope": scope,
        }
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class FetchedToken:
    value: str
    lifetime: float  # seconds the token stays valid from when it was received


def _json_pointer(data: Any, pointer: str) -> tuple[Any, str]:
    path = "$"
    for raw in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            raise DecodeError(f"{path}.{key}", "required field is missing")
        path = f"{path}.{key}"
    return data, path


def _parse_time(text: Any, path: str) -> _dt.datetime:
    if not isinstance(text, str):
        raise DecodeError(path, "expected an RFC 3339 date-time string")
    try:
        value = _dt.datetime.fromisoformat(
            text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        )
    except ValueError:
        raise DecodeError(path, f"expected an RFC 3339 date-time, got {text[:40]!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


def parse_token_response(
    response: httpx.Response,
    subject_header: str = DEFAULT_SUBJECT_HEADER,
    expires_at: str = DEFAULT_EXPIRES_AT,
) -> FetchedToken:
    """The token (response header) and its lifetime (``expires_at`` in the body against the ``Date`` header)."""
    value = response.headers.get(subject_header)
    if not value:
        raise DecodeError(f"headers.{subject_header}", "the token header is missing")
    try:
        data = json.loads(response.content)
    except RecursionError:
        raise DecodeError("$", "malformed JSON: nested too deeply") from None
    except ValueError as exc:
        raise DecodeError(
            "$", f"malformed JSON: {exc.msg if isinstance(exc, json.JSONDecodeError) else exc}"
        ) from None
    raw, path = _json_pointer(data, expires_at)
    expires = _parse_time(raw, path)
    now = _dt.datetime.now(_dt.timezone.utc)
    date_header = response.headers.get("Date")
    if date_header:
        try:
            server_now = email.utils.parsedate_to_datetime(date_header)
            if server_now.tzinfo is not None:
                now = server_now
        except (TypeError, ValueError, IndexError):
            pass
    return FetchedToken(value, (expires - now).total_seconds())


def parse_project_id(response: httpx.Response, name: str) -> str | None:
    """The id of the project called ``name`` in a ``GET /v3/projects`` body (``{"projects": [...]}``)."""
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        raise DecodeError("$", "malformed JSON") from None
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise DecodeError("$.projects", "expected an array")
    for index, project in enumerate(projects):
        if isinstance(project, dict) and project.get("name") == name:
            project_id = project.get("id")
            if not isinstance(project_id, str):
                raise DecodeError(f"$.projects[{index}].id", "expected a string")
            return project_id
    return None


class TokenSource:
    """One cached token (one IAM endpoint, user, domain and scope), fetched at most once at a time.

    ``fetch`` and ``afetch`` obtain a new token (the client calls the create-token operation).
    """

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


class IamTokenAuth(httpx.Auth):
    """Sends the cached IAM token in ``X-Auth-Token``; on a 401 refreshes it once and retries the request once."""

    def __init__(self, source: TokenSource, header: str = DEFAULT_TOKEN_HEADER) -> None:
        self._source = source
        self._header = header

    def __repr__(self) -> str:
        return f"{type(self).__name__}(header={self._header!r})"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._source.get()
        request.headers[self._header] = token
        response = yield request
        if response.status_code == 401:
            read_capped(response, *limit_of(request))  # httpx reads it before the retry otherwise
            fresh = self._source.get(stale=token)
            if fresh != token:
                request.headers[self._header] = fresh
                yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._source.aget()
        request.headers[self._header] = token
        response = yield request
        if response.status_code == 401:
            await aread_capped(response, *limit_of(request))
            fresh = await self._source.aget(stale=token)
            if fresh != token:
                request.headers[self._header] = fresh
                yield request
