"""OAuth2 access tokens for the client-credentials and password flows (RFC 6749 sections 4.3 and 4.4).

The token request is a form POST to the flow's ``tokenUrl`` (relative URLs are resolved against the
operation's server); the client authenticates with HTTP Basic (``client_secret_basic``), or in the form
(``client_secret_post``) when the scheme's ``x-apigen-auth`` says ``client-auth: post``. The answer's
``access_token`` is cached for ``expires_in`` seconds (one hour when the server does not say) by
:class:`~._tokens.TokenSource`, and sent as ``Authorization: Bearer ...`` by :class:`~._tokens.TokenAuth`.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, urljoin

import httpx

from ._credentials import OAuth2ClientCredentials, OAuth2Password
from ._operation import OAuthFlow, SecurityScheme
from ._tokens import FetchedToken
from ._wire import DecodeError

DEFAULT_LIFETIME = 3600.0


class TokenEndpointError(Exception):
    """The token endpoint refused the credentials or answered something else than a token."""

    def __init__(self, status_code: int, error: str) -> None:
        super().__init__(
            f"the OAuth2 token endpoint answered HTTP {status_code}{': ' + error if error else ''}"
        )
        self.status_code = status_code
        self.error = error


def flow_for(
    scheme: SecurityScheme, credential: OAuth2ClientCredentials | OAuth2Password
) -> OAuthFlow | None:
    wanted = "password" if isinstance(credential, OAuth2Password) else "clientCredentials"
    return next((f for f in scheme.flows if f.kind == wanted and f.token_url), None)


def token_url(flow: OAuthFlow, base_url: str) -> str:
    """The flow's token URL, resolved against the server URL when it is relative."""
    return urljoin(base_url.rstrip("/") + "/", flow.token_url)


def _form(fields: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in fields).encode()


def token_request(
    credential: OAuth2ClientCredentials | OAuth2Password,
    flow: OAuthFlow,
    client_auth: str = "basic",
) -> tuple[bytes, dict[str, str]]:
    """The form body and the headers of the token request."""
    scopes = credential.scopes if credential.scopes is not None else flow.scopes
    fields: list[tuple[str, str]]
    if isinstance(credential, OAuth2Password):
        fields = [
            ("grant_type", "password"),
            ("username", credential.username),
            ("password", credential.password),
        ]
    else:
        fields = [("grant_type", "client_credentials")]
    if scopes:
        fields.append(("scope", " ".join(scopes)))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if credential.client_id:
        if client_auth == "post":
            fields += [
                ("client_id", credential.client_id),
                ("client_secret", credential.client_secret),
            ]
        else:
            pair = (
                f"{quote(credential.client_id, safe='')}:{quote(credential.client_secret, safe='')}"
            )
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return _form(fields), headers


def parse_token(response: httpx.Response) -> FetchedToken:
    """``access_token`` and ``expires_in`` of a token response; :class:`TokenEndpointError` otherwise."""
    data: Any = None
    try:
        data = json.loads(response.content) if response.content else None
    except (ValueError, RecursionError):
        data = None
    if response.status_code >= 400:
        error = data.get("error") if isinstance(data, dict) else None
        raise TokenEndpointError(response.status_code, error if isinstance(error, str) else "")
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("access_token"), str)
        or not data["access_token"]
    ):
        raise DecodeError("$.access_token", "the token response has no access_token")
    expires = data.get("expires_in")
    lifetime = (
        float(expires)
        if isinstance(expires, (int, float)) and not isinstance(expires, bool)
        else None
    )
    if lifetime is None and isinstance(expires, str) and expires.isdigit():
        lifetime = float(expires)
    return FetchedToken(
        data["access_token"], lifetime if lifetime and lifetime > 0 else DEFAULT_LIFETIME
    )
