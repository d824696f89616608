"""Huawei IAM tokens (``x-apigen-auth: {kind: iam-token}``): the credentials, the token request body,
reading the token from the answer of the API's own token operation, and the :data:`AUTH_KIND` the client
is given.

An extension module, shipped only with a package whose API description declares an ``iam-token`` scheme.
The scheme names the operation that issues tokens (``token-operation``), the response header carrying
the token (``token-header``) and the JSON pointer of its expiry (``expires-at``). The token is cached and
refreshed by the core's :class:`~._tokens.TokenSource` (one fetch for any number of concurrent calls,
refreshed once on a 401); its lifetime is ``expires_at`` minus the response's ``Date``, so a wrong local
clock does not keep an expired token alive.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from ._auth import AuthContext, AuthKind
from ._credentials import Credential, gather
from ._operation import SecurityScheme
from ._tokens import FetchedToken, TokenAuth, TokenSource
from ._wire import DecodeError

_HIDDEN = "***"


@dataclass(frozen=True, repr=False)
class IamPassword(Credential):
    """An IAM user's password: the client fetches tokens through the API's token operation.

    ``domain`` is the account name the user belongs to. The token is scoped to a project: ``project_id``,
    else ``project_name``, else the client's region (Huawei names each region's default project after it);
    ``scope="domain"`` asks for a domain-scoped token instead. Tokens are cached until ``refresh_margin``
    seconds before they expire.
    """

    username: str
    password: str
    domain: str
    project_id: str | None = None
    project_name: str | None = None
    scope: Literal["project", "domain"] = "project"
    refresh_margin: float = 300.0

    def __repr__(self) -> str:
        return (
            f"IamPassword(username={self.username!r}, password={_HIDDEN}, domain={self.domain!r})"
        )


@dataclass(frozen=True, repr=False)
class IamToken(Credential):
    """A ready IAM token, sent as is and never refreshed."""

    token: str

    def __repr__(self) -> str:
        return f"IamToken(token={_HIDDEN})"


def iam_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    """A ready ``iam_token`` first; then a user's password (user name, password and domain together)."""
    found: list[Credential] = []
    token_names = {k: n for k, n in env_names.items() if k == "iam_token"}
    for v in gather(
        {"iam_token": values.get("iam_token")}, keywords, env, token_names, ("iam_token",)
    ):
        found.append(IamToken(v["iam_token"]))
    user = {k: values.get(k) for k in ("iam_username", "iam_password", "iam_domain")}
    names = {k: n for k, n in env_names.items() if k in user}
    for v in gather(user, keywords, env, names, ("iam_username", "iam_password", "iam_domain")):
        found.append(IamPassword(v["iam_username"], v["iam_password"], v["iam_domain"]))
    return found


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


def _source(
    scheme: SecurityScheme, credential: IamPassword | IamToken, context: AuthContext
) -> TokenSource:
    """The token cache for an IAM credential, one per (IAM endpoint, user, domain, scope)."""
    if isinstance(credential, IamToken):
        return TokenSource(None, None, static=credential.token)
    op_id = scheme.options.get("token-operation")
    if not isinstance(op_id, str) or not op_id:
        raise ValueError(
            f"{scheme.name}: x-apigen-auth names no token-operation (the operation issuing tokens)"
        )
    token_op = context._api_info.operations.get(op_id)
    if token_op is None:
        raise ValueError(f"{scheme.name}: the API description has no token operation {op_id!r}")
    region = context._region_for(token_op)
    project_id = credential.project_id or context._configured_value("project_id")
    if project_id and credential.project_id is None:
        credential = IamPassword(credential.username, credential.password, credential.domain, project_id,
                                 credential.project_name, credential.scope, credential.refresh_margin)  # fmt: skip
    body = token_request_body(credential, region)
    scope = (
        credential.scope + ":" + (credential.project_id or credential.project_name or region or "")
    )
    key = ("iam", context._base_url_for(token_op), credential.username, credential.domain, scope)
    header = str(scheme.options.get("token-header", DEFAULT_SUBJECT_HEADER))
    pointer = str(scheme.options.get("expires-at", DEFAULT_EXPIRES_AT))

    def decode(response: httpx.Response) -> FetchedToken:
        return parse_token_response(response, header, pointer)

    return context._operation_token_source(key, token_op, body, decode, credential.refresh_margin)


def _build(scheme: SecurityScheme, credential: Credential, context: AuthContext) -> httpx.Auth:
    assert isinstance(credential, (IamPassword, IamToken))
    return TokenAuth(
        _source(scheme, credential, context), scheme.parameter or DEFAULT_TOKEN_HEADER, ""
    )


AUTH_KIND = AuthKind(
    kind="iam-token",
    credentials=lambda scheme: (IamPassword, IamToken),
    build=_build,
    hint=lambda scheme: "iam_username/iam_password/iam_domain or iam_token (IamPassword, IamToken)",
    headers=lambda scheme: (str(scheme.options.get("token-header", DEFAULT_SUBJECT_HEADER)),),
)
"""The ``iam-token`` kind, for the client."""
