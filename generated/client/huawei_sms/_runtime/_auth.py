"""Choosing the authentication of each call from the operation's security requirements.

An operation lists alternatives (``Operation.security``), each a set of scheme names that must all be
satisfied; the client takes the first alternative whose schemes all have a configured credential
(alternatives naming a scheme in ``auth_preference`` are tried first) and turns each scheme into an
``httpx.Auth``. A new operation in the API description therefore needs no hand-written code.

Scheme kinds: ``iam-token`` (:class:`~._iam.IamTokenAuth`), ``sdk-hmac-sha256`` with ``keys`` ``account``
or ``application`` (:class:`~._signing.SdkHmacAuth`), ``wsse`` (:class:`~._wsse.WsseAuth`), and the
standard ``apiKey`` (header, query, cookie), ``http`` (``bearer``, ``basic``), ``oauth2`` and
``openIdConnect`` (bearer token).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from typing import Protocol

import httpx

from ._credentials import (
    AccessKey,
    ApiKey,
    AppKey,
    BasicAuth,
    BearerToken,
    Credential,
    IamPassword,
    IamToken,
)
from ._iam import IamTokenAuth, TokenSource
from ._operation import ApiInfo, Operation, SecurityScheme
from ._signing import SdkHmacAuth
from ._wsse import WsseAuth

# kind -> hint for the error message naming what to configure
_HINTS: Mapping[str, str] = {
    "iam-token": "iam_username/iam_password/iam_domain or iam_token (IamPassword, IamToken)",
    "sdk-hmac-sha256/account": "ak/sk (AccessKey; HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)",
    "sdk-hmac-sha256/application": "app_key/app_secret (AppKey; HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)",
    "wsse": "app_key/app_secret (AppKey; HUAWEICLOUD_SMS_APP_KEY, HUAWEICLOUD_SMS_APP_SECRET)",
    "apiKey": "api_key (ApiKey)",
    "http/basic": "BasicAuth(username, password)",
}


class AuthContext(Protocol):
    """What building an auth needs from the client: IAM token sources and per-request account headers."""

    def token_source(
        self, scheme: SecurityScheme, credential: IamPassword | IamToken
    ) -> TokenSource: ...

    def account_headers(
        self, scheme: SecurityScheme, credential: AccessKey
    ) -> Callable[[httpx.Request], Mapping[str, str]]: ...


def _keys(scheme: SecurityScheme) -> str:
    return str(scheme.options.get("keys", "account"))


def matches(scheme: SecurityScheme, credential: Credential) -> bool:
    """Whether ``credential`` can satisfy ``scheme``."""
    wanted = getattr(credential, "scheme", None)
    if wanted is not None and wanted != scheme.name:
        return False
    kind = scheme.kind
    if kind == "iam-token":
        return isinstance(credential, (IamToken, IamPassword))
    if kind == "sdk-hmac-sha256":
        return isinstance(credential, AppKey if _keys(scheme) == "application" else AccessKey)
    if kind == "wsse":
        return isinstance(credential, AppKey)
    if kind == "apiKey":
        return isinstance(credential, ApiKey)
    if kind == "http" and scheme.scheme.lower() == "basic":
        return isinstance(credential, BasicAuth)
    if kind in ("http", "oauth2", "openIdConnect"):
        return isinstance(credential, BearerToken)
    return False


def hint(scheme: SecurityScheme) -> str:
    if scheme.kind == "sdk-hmac-sha256":
        key = f"sdk-hmac-sha256/{_keys(scheme)}"
    elif scheme.kind == "http" and scheme.scheme.lower() == "basic":
        key = "http/basic"
    else:
        key = scheme.kind
    return _HINTS.get(key, "bearer_token (BearerToken)")


def choose(
    operation: Operation,
    api: ApiInfo,
    credentials: Sequence[Credential],
    preference: Sequence[str] = (),
) -> list[tuple[SecurityScheme, Credential]] | str:
    """The (scheme, credential) pairs of the first satisfiable alternative, or a message naming what is missing.

    An operation without security requirements, or with an empty alternative, gives ``[]`` (anonymous).
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
                else next((c for c in credentials if matches(scheme, c)), None)
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
            hint(s) if s is not None else f"unknown scheme {n!r}"
            for s, n in zip(schemes, alternative)
        )
        if text not in wanted:  # two schemes served by one credential (signing or WSSE): said once
            wanted.append(text)
    if len(wanted) == 1:
        return f"no credentials for this operation; configure {wanted[0]}"
    return "no credentials for this operation; configure one of: " + "; or ".join(wanted)


def build(scheme: SecurityScheme, credential: Credential, context: AuthContext) -> httpx.Auth:
    """The ``httpx.Auth`` that applies ``credential`` the way ``scheme`` says."""
    options = scheme.options
    if isinstance(credential, (IamPassword, IamToken)):
        return IamTokenAuth(
            context.token_source(scheme, credential), scheme.parameter or "X-Auth-Token"
        )
    if isinstance(credential, AccessKey):
        return SdkHmacAuth(
            credential.ak, credential.sk, context.account_headers(scheme, credential)
        )
    if isinstance(credential, AppKey):
        if scheme.kind == "wsse":
            return WsseAuth(
                credential.app_key,
                credential.app_secret,
                realm=str(options.get("realm", "SDP")),
                profile=str(options.get("profile", "UsernameToken")),
                type_=str(options.get("type", "Appkey")),
                header=scheme.parameter or "X-WSSE",
            )
        return SdkHmacAuth(credential.app_key, credential.app_secret)
    if isinstance(credential, ApiKey):
        return ApiKeyAuth(scheme.location or "header", scheme.parameter, credential.key)
    if isinstance(credential, BasicAuth):
        return httpx.BasicAuth(credential.username, credential.password)
    return ApiKeyAuth("header", "Authorization", f"Bearer {credential.token}")


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


class ChainAuth(httpx.Auth):
    """Several schemes at once (an alternative naming more than one): header setters first, signers last.

    Each part may yield once; an IAM token part (which may retry on 401) must be the only multi-step one.
    """

    def __init__(self, parts: Sequence[httpx.Auth]) -> None:
        self._parts = sorted(parts, key=lambda a: isinstance(a, (SdkHmacAuth, IamTokenAuth)))
        self.requires_request_body = any(p.requires_request_body for p in parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._parts!r})"

    def _apply_simple(self, request: httpx.Request) -> list[httpx.Auth]:
        rest: list[httpx.Auth] = []
        for part in self._parts:
            if isinstance(part, (SdkHmacAuth, IamTokenAuth)):
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
