"""X-WSSE ``UsernameToken`` authentication for Huawei SMS sending (app_key/app_secret).

``PasswordDigest`` is Base64 of the lower-case **hex** SHA-256 of ``Nonce + Created + app_secret``: what
the documentation's own example decodes to and what the service checks (not Base64 of the raw digest).
Every request (and every retry) gets a fresh nonce from :mod:`secrets` and a fresh ``Created`` time.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import secrets
from collections.abc import Callable, Generator
from typing import Final

import httpx

from ._auth import AuthContext, AuthKind
from ._credentials import Credential
from ._keys import AppKey
from ._operation import SecurityScheme

AUTHORIZATION_PREFIX: Final = "WSSE"
CREATED_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"


def password_digest(nonce: str, created: str, app_secret: str) -> str:
    """Base64 of the lower-case hex SHA-256 of ``nonce + created + app_secret``."""
    hex_digest = hashlib.sha256((nonce + created + app_secret).encode()).hexdigest()
    return base64.b64encode(hex_digest.encode("ascii")).decode("ascii")


def new_nonce() -> str:
    """32 random characters of ``[0-9a-f]`` (the service accepts 1-128 of ``[0-9A-Za-z]``)."""
    return secrets.token_hex(16)


def created_at(now: _dt.datetime) -> str:
    return now.astimezone(_dt.timezone.utc).strftime(CREATED_FORMAT)


def authorization_header(
    realm: str = "SDP", profile: str = "UsernameToken", type_: str = "Appkey"
) -> str:
    return f'WSSE realm="{realm}",profile="{profile}",type="{type_}"'


def wsse_header(app_key: str, app_secret: str, nonce: str, created: str) -> str:
    digest = password_digest(nonce, created, app_secret)
    return f'UsernameToken Username="{app_key}",PasswordDigest="{digest}",Nonce="{nonce}",Created="{created}"'


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


class WsseAuth(httpx.Auth):
    """Adds ``Authorization: WSSE ...`` and a freshly computed ``X-WSSE: UsernameToken ...`` to each request."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        realm: str = "SDP",
        profile: str = "UsernameToken",
        type_: str = "Appkey",
        header: str = "X-WSSE",
        clock: Callable[[], _dt.datetime] = _utcnow,
    ) -> None:
        self._app_key = app_key
        self._app_secret = app_secret
        self._authorization = authorization_header(realm, profile, type_)
        self._header = header
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}(app_key={self._app_key[:4]}...)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._authorization
        request.headers[self._header] = wsse_header(
            self._app_key, self._app_secret, new_nonce(), created_at(self._clock())
        )
        yield request


def _build(scheme: SecurityScheme, credential: Credential, context: AuthContext) -> httpx.Auth:
    assert isinstance(credential, AppKey)
    options = scheme.options
    return WsseAuth(
        credential.app_key,
        credential.app_secret,
        realm=str(options.get("realm", "SDP")),
        profile=str(options.get("profile", "UsernameToken")),
        type_=str(options.get("type", "Appkey")),
        header=scheme.parameter or "X-WSSE",
    )


AUTH_KIND = AuthKind(
    kind="wsse",
    credentials=lambda scheme: (AppKey,),
    build=_build,
    hint=lambda scheme: "app_key/app_secret (AppKey)",
    headers=lambda scheme: (scheme.parameter or "X-WSSE", "Authorization"),
)
"""The ``wsse`` kind, for the client."""
