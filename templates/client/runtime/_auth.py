"""Choosing the authentication of each call from the operation's security requirements.

An operation lists alternatives (``Operation.security``), each a set of scheme names that must all be
satisfied; the client takes the first alternative whose schemes all have a configured credential
(alternatives naming a scheme in ``auth_preference`` are tried first) and turns each scheme into an
``httpx.Auth``. A new operation in the API description therefore needs no hand-written code.

The standard kinds are built here: ``apiKey`` (header, query, cookie), ``http`` ``basic`` and ``bearer``
(other ``http`` schemes as a raw ``Authorization: <scheme> <value>``), ``oauth2`` (client credentials or
password flow with a cached, refreshed token, or a ready access token), ``openIdConnect`` (a bearer
token) and ``mutualTLS`` (the certificate of the httpx client: nothing to add). Other kinds, declared with
``x-apigen-auth``, are implemented by extension modules shipped in the package only when the API
description uses them; each gives the client an :class:`AuthKind`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from ._credentials import (
    ApiKey,
    BasicAuth,
    BearerToken,
    Credential,
    HttpAuthorization,
    OAuth2ClientCredentials,
    OAuth2Password,
)
from ._operation import ApiInfo, Operation, SecurityScheme
from ._tokens import TokenAuth, TokenSource


class AuthContext(Protocol):
    """What building an auth needs from the client: token sources, and values the client supplies."""

    @property
    def _api_info(self) -> ApiInfo: ...

    def _oauth2_source(
        self, scheme: SecurityScheme, credential: OAuth2ClientCredentials | OAuth2Password
    ) -> TokenSource: ...

    def _operation_token_source(
        self,
        key: tuple[str, ...],
        operation: Operation,
        body: bytes,
        decode: Callable[[httpx.Response], object],
        refresh_margin: float,
    ) -> TokenSource: ...

    def _configured_value(self, name: str) -> str | None: ...

    def _region_for(self, operation: Operation) -> str | None: ...

    def _base_url_for(self, operation: Operation) -> str: ...


@dataclass(frozen=True)
class AuthKind:
    """An ``x-apigen-auth`` kind an extension module implements.

    ``credentials`` gives the credential classes that satisfy a scheme of this kind, ``build`` the
    ``httpx.Auth`` applying one, ``headers`` the headers it sets (redacted in logs and never carried to
    another origin), ``hint`` what to configure when nothing does.
    """

    kind: str
    credentials: Callable[[SecurityScheme], tuple[type[Credential], ...]]
    build: Callable[[SecurityScheme, Credential, AuthContext], httpx.Auth]
    hint: Callable[[SecurityScheme], str]
    headers: Callable[[SecurityScheme], tuple[str, ...]] = field(default=lambda scheme: ())


VALUE_EXTENSION = "apigen.client_values"
"""The request extension holding the values of the client-supplied parameters of the call."""


def _scheme_of(credential: Credential) -> str | None:
    scheme = getattr(credential, "scheme", None)
    return scheme if isinstance(scheme, str) else None


def matches(
    scheme: SecurityScheme, credential: Credential, kinds: Mapping[str, AuthKind] | None = None
) -> bool:
    """Whether ``credential`` can satisfy ``scheme``."""
    wanted = _scheme_of(credential)
    if wanted is not None and wanted != scheme.name:
        return False
    kind = scheme.kind
    extension = (kinds or {}).get(kind)
    if extension is not None:
        return isinstance(credential, extension.credentials(scheme))
    if kind == "apiKey":
        return isinstance(credential, ApiKey)
    if kind == "http":
        sub = scheme.scheme.lower()
        if sub == "basic":
            return isinstance(credential, BasicAuth)
        if sub == "bearer":
            return isinstance(credential, BearerToken)
        return isinstance(credential, (HttpAuthorization, BearerToken))
    if kind == "oauth2":
        return isinstance(credential, BearerToken) or (
            isinstance(credential, (OAuth2ClientCredentials, OAuth2Password))
        )
    if kind == "openIdConnect":
        return isinstance(credential, BearerToken)
    return False


def hint(scheme: SecurityScheme, kinds: Mapping[str, AuthKind] | None = None) -> str:
    extension = (kinds or {}).get(scheme.kind)
    if extension is not None:
        return extension.hint(scheme)
    if scheme.kind == "apiKey":
        return f"an API key for {scheme.name} (ApiKey)"
    if scheme.kind == "http" and scheme.scheme.lower() == "basic":
        return f"a user name and password for {scheme.name} (BasicAuth)"
    if scheme.kind == "oauth2":
        return f"an OAuth2 client id and secret or an access token for {scheme.name}"
    if scheme.kind == "http" and scheme.scheme.lower() not in ("bearer", ""):
        return f"the {scheme.scheme} credentials for {scheme.name} (HttpAuthorization)"
    return f"a bearer token for {scheme.name} (BearerToken)"


def choose(
    operation: Operation,
    api: ApiInfo,
    credentials: Sequence[Credential],
    preference: Sequence[str] = (),
    kinds: Mapping[str, AuthKind] | None = None,
    hints: Mapping[str, str] | None = None,
) -> list[tuple[SecurityScheme, Credential]] | str:
    """The (scheme, credential) pairs of the first satisfiable alternative, or a message naming what is missing.

    An operation without security requirements, or with an empty alternative, gives ``[]`` (anonymous).
    ``hints`` (scheme -> text) are the generated client's words for what to configure.
    """
    alternatives = list(operation.security)
    if not alternatives:
        return []
    if preference:
        alternatives.sort(key=lambda alt: not any(name in preference for name in alt))
    for alternative in alternatives:
        chosen: list[tuple[SecurityScheme, Credential]] = []
        for name in alternative:
            scheme = api.security_schemes.get(name)
            if scheme is not None and scheme.kind == "mutualTLS":
                # satisfied by the TLS layer: the certificate goes on the httpx client you pass
                # (``http_client=httpx.Client(cert=...)``); there is no header to add here
                continue
            credential = (
                None
                if scheme is None
                else next((c for c in credentials if matches(scheme, c, kinds)), None)
            )
            if scheme is None or credential is None:
                break
            chosen.append((scheme, credential))
        else:
            return chosen
    wanted: list[str] = []
    for alternative in operation.security:
        schemes = [api.security_schemes.get(name) for name in alternative]
        text = " + ".join(
            (hints or {}).get(n) or hint(s, kinds) if s is not None else f"unknown scheme {n!r}"
            for s, n in zip(schemes, alternative)
        )
        if (
            text not in wanted
        ):  # two schemes served by one credential (one key signs both): said once
            wanted.append(text)
    # the error names the operation; the alternatives are said once each, "; or " between them
    return "no matching credentials; configure " + "; or ".join(wanted)


def build(
    scheme: SecurityScheme,
    credential: Credential,
    context: AuthContext,
    kinds: Mapping[str, AuthKind] | None = None,
) -> httpx.Auth:
    """The ``httpx.Auth`` that applies ``credential`` the way ``scheme`` says."""
    extension = (kinds or {}).get(scheme.kind)
    if extension is not None:
        return extension.build(scheme, credential, context)
    if isinstance(credential, ApiKey):
        return ApiKeyAuth(scheme.location or "header", scheme.parameter, credential.key)
    if isinstance(credential, BasicAuth):
        return httpx.BasicAuth(credential.username, credential.password)
    if isinstance(credential, HttpAuthorization):
        return ApiKeyAuth("header", "Authorization", f"{_scheme_word(scheme)} {credential.value}")
    if isinstance(credential, (OAuth2ClientCredentials, OAuth2Password)):
        return TokenAuth(context._oauth2_source(scheme, credential), "Authorization", "Bearer ")
    if isinstance(credential, BearerToken):
        return ApiKeyAuth("header", "Authorization", f"Bearer {credential.token}")
    raise TypeError(f"{scheme.name}: no way to apply a {type(credential).__name__}")


def _scheme_word(scheme: SecurityScheme) -> str:
    """The auth-scheme token as usually capitalised (``Digest``), or as the API description spells it."""
    word = scheme.scheme or "Bearer"
    return word[:1].upper() + word[1:]


def scheme_headers(api: ApiInfo, kinds: Mapping[str, AuthKind] | None = None) -> list[str]:
    """Every header, query or cookie name a security scheme of the API uses (never sent to another origin)."""
    names: list[str] = []
    for scheme in api.security_schemes.values():
        names.append(scheme.parameter)
        extension = (kinds or {}).get(scheme.kind)
        if extension is not None:
            names.extend(extension.headers(scheme))
        for key, value in scheme.options.items():
            if key.endswith("-header") and isinstance(value, str):
                names.append(value)
    return [n for n in names if n]


class ApiKeyAuth(httpx.Auth):
    """Puts a key in a header, a query parameter or a cookie."""

    def __init__(self, location: str, name: str, value: str) -> None:
        self._location = location
        self._name = name
        self._value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(location={self._location!r}, name={self._name!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._location == "query":
            request.url = request.url.copy_merge_params({self._name: self._value})
        elif self._location == "cookie":
            cookie = f"{self._name}={self._value}"
            existing = request.headers.get("Cookie")
            request.headers["Cookie"] = f"{existing}; {cookie}" if existing else cookie
        else:
            request.headers[self._name] = self._value
        yield request


def _runs_last(auth: httpx.Auth) -> bool:
    """Signers (which must see every other header) and token auths (which may resend) run last."""
    return bool(getattr(auth, "runs_last", False))


class ChainAuth(httpx.Auth):
    """Several schemes at once (an alternative naming more than one): header setters first, signers last.

    Each part may yield once; a token part (which may retry on 401) must be the only multi-step one.
    """

    def __init__(self, parts: Sequence[httpx.Auth]) -> None:
        self._parts = sorted(parts, key=_runs_last)
        self.requires_request_body = any(p.requires_request_body for p in parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._parts!r})"

    def _apply_simple(self, request: httpx.Request) -> list[httpx.Auth]:
        rest: list[httpx.Auth] = []
        for part in self._parts:
            if _runs_last(part):
                rest.append(part)
            else:
                next(part.sync_auth_flow(request))  # header/query setters: one step, no I/O
        return rest

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        rest = self._apply_simple(request)
        for part in rest[:-1]:
            next(part.sync_auth_flow(request))
        if rest:
            yield from rest[-1].sync_auth_flow(request)
        else:
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        rest = self._apply_simple(request)
        for part in rest[:-1]:
            await part.async_auth_flow(request).__anext__()
        if rest:
            flow = rest[-1].async_auth_flow(request)
            outgoing = await flow.__anext__()
            while True:
                response = yield outgoing
                try:
                    outgoing = await flow.asend(response)
                except StopAsyncIteration:
                    return
        else:
            yield request
