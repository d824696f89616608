"""Credentials the client can be given, and the environment variables it reads them from.

Each class covers one kind of security scheme; the client picks, per operation, the first alternative of
the operation's security requirements whose schemes all have a credential. Secret values never appear in
``repr``/``str`` (and the client never logs them or puts them in exception messages).

Environment variables (read when ``from_env=True``, the default; explicit arguments win):

==================================  ======================================================================
``HUAWEICLOUD_SDK_AK``              account access key (AK/SK signing of management calls)
``HUAWEICLOUD_SDK_SK``              account secret key
``HUAWEICLOUD_SDK_SECURITY_TOKEN``  security token of temporary account keys (sent as ``X-Security-Token``)
``HUAWEICLOUD_SDK_PROJECT_ID``      project id (otherwise resolved once from the region's project)
``HUAWEICLOUD_SDK_DOMAIN_ID``       account (domain) id, sent as ``X-Domain-Id`` for global calls
``HUAWEICLOUD_SDK_REGION``          region, e.g. ``cn-north-4`` (fills ``{region}`` in server URLs)
``HUAWEICLOUD_SMS_APP_KEY``         SMS application key (AK/SK signing or X-WSSE of SMS sending)
``HUAWEICLOUD_SMS_APP_SECRET``      SMS application secret
``HUAWEICLOUD_IAM_USERNAME``        IAM user name (the client obtains and caches an IAM token)
``HUAWEICLOUD_IAM_PASSWORD``        IAM user password
``HUAWEICLOUD_IAM_DOMAIN``          account (domain) name the IAM user belongs to
``HUAWEICLOUD_IAM_TOKEN``           a ready IAM token, used as is (never refreshed)
==================================  ======================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, Union

ENV_AK: Final = "HUAWEICLOUD_SDK_AK"
ENV_SK: Final = "HUAWEICLOUD_SDK_SK"
ENV_SECURITY_TOKEN: Final = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
ENV_PROJECT_ID: Final = "HUAWEICLOUD_SDK_PROJECT_ID"
ENV_DOMAIN_ID: Final = "HUAWEICLOUD_SDK_DOMAIN_ID"
ENV_REGION: Final = "HUAWEICLOUD_SDK_REGION"
ENV_APP_KEY: Final = "HUAWEICLOUD_SMS_APP_KEY"
ENV_APP_SECRET: Final = "HUAWEICLOUD_SMS_APP_SECRET"
ENV_IAM_USERNAME: Final = "HUAWEICLOUD_IAM_USERNAME"
ENV_IAM_PASSWORD: Final = "HUAWEICLOUD_IAM_PASSWORD"
ENV_IAM_DOMAIN: Final = "HUAWEICLOUD_IAM_DOMAIN"
ENV_IAM_TOKEN: Final = "HUAWEICLOUD_IAM_TOKEN"

ENVIRONMENT_VARIABLES: Final = (
    ENV_AK,
    ENV_SK,
    ENV_SECURITY_TOKEN,
    ENV_PROJECT_ID,
    ENV_DOMAIN_ID,
    ENV_REGION,
    ENV_APP_KEY,
    ENV_APP_SECRET,
    ENV_IAM_USERNAME,
    ENV_IAM_PASSWORD,
    ENV_IAM_DOMAIN,
    ENV_IAM_TOKEN,
)
"""Every environment variable the client reads."""

_HIDDEN = "***"


def _shown(identifier: str) -> str:
    """An identifier (AK, app key) shortened enough to recognise but not to reuse."""
    return identifier[:4] + "..." if len(identifier) > 4 else "..."


@dataclass(frozen=True, repr=False)
class AccessKey:
    """Account AK/SK (``HUAWEICLOUD_SDK_AK``/``_SK``); ``security_token`` for temporary keys (``_SECURITY_TOKEN``).

    Signs management calls (``SDK-HMAC-SHA256``) and adds ``X-Project-Id`` (or ``X-Domain-Id``) and
    ``X-Security-Token``.
    """

    ak: str
    sk: str
    security_token: str | None = None

    def __repr__(self) -> str:
        token = ", security_token=***" if self.security_token else ""
        return f"AccessKey(ak={_shown(self.ak)!r}, sk={_HIDDEN}{token})"


@dataclass(frozen=True, repr=False)
class AppKey:
    """SMS application key and secret (``HUAWEICLOUD_SMS_APP_KEY``/``_APP_SECRET``): sign or WSSE-authenticate sends."""

    app_key: str
    app_secret: str

    def __repr__(self) -> str:
        return f"AppKey(app_key={_shown(self.app_key)!r}, app_secret={_HIDDEN})"


@dataclass(frozen=True, repr=False)
class IamPassword:
    """An IAM user's password (``HUAWEICLOUD_IAM_USERNAME``/``_PASSWORD``/``_DOMAIN``): the client fetches tokens.

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
class IamToken:
    """A ready IAM token (``HUAWEICLOUD_IAM_TOKEN``), sent as is and never refreshed."""

    token: str

    def __repr__(self) -> str:
        return f"IamToken(token={_HIDDEN})"


@dataclass(frozen=True, repr=False)
class ApiKey:
    """An API key for ``apiKey`` schemes (header, query or cookie); ``scheme`` limits it to one scheme name."""

    key: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"ApiKey(key={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class BearerToken:
    """A bearer token for ``http``/``bearer``, ``oauth2`` and ``openIdConnect`` schemes."""

    token: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"BearerToken(token={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class BasicAuth:
    """A user name and password for ``http``/``basic`` schemes."""

    username: str
    password: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password={_HIDDEN}, scheme={self.scheme!r})"


Credential = Union[AccessKey, AppKey, IamPassword, IamToken, ApiKey, BearerToken, BasicAuth]


def credentials_from_env(environ: Mapping[str, str]) -> list[Credential]:
    """The credentials the environment variables describe (incomplete pairs are ignored)."""
    found: list[Credential] = []
    ak, sk = environ.get(ENV_AK), environ.get(ENV_SK)
    if ak and sk:
        found.append(AccessKey(ak, sk, environ.get(ENV_SECURITY_TOKEN) or None))
    app_key, app_secret = environ.get(ENV_APP_KEY), environ.get(ENV_APP_SECRET)
    if app_key and app_secret:
        found.append(AppKey(app_key, app_secret))
    token = environ.get(ENV_IAM_TOKEN)
    if token:
        found.append(IamToken(token))
    user, password, domain = (
        environ.get(ENV_IAM_USERNAME),
        environ.get(ENV_IAM_PASSWORD),
        environ.get(ENV_IAM_DOMAIN),
    )
    if user and password and domain:
        found.append(IamPassword(user, password, domain))
    return found


def _required(value: str | None, name: str) -> str:
    if not value:
        raise ValueError(f"{name} is required with the credentials given")
    return value


def from_arguments(
    *,
    app_key: str | None = None,
    app_secret: str | None = None,
    ak: str | None = None,
    sk: str | None = None,
    security_token: str | None = None,
    iam_username: str | None = None,
    iam_password: str | None = None,
    iam_domain: str | None = None,
    iam_token: str | None = None,
    project_id: str | None = None,
    api_key: str | None = None,
    bearer_token: str | None = None,
) -> list[Credential]:
    """The credentials the client's keyword arguments describe; half a pair is a ``ValueError``."""
    found: list[Credential] = []
    if app_key is not None or app_secret is not None:
        found.append(AppKey(_required(app_key, "app_key"), _required(app_secret, "app_secret")))
    if ak is not None or sk is not None:
        found.append(AccessKey(_required(ak, "ak"), _required(sk, "sk"), security_token))
    if iam_token is not None:
        found.append(IamToken(iam_token))
    if iam_username is not None or iam_password is not None:
        user = _required(iam_username, "iam_username")
        password = _required(iam_password, "iam_password")
        found.append(
            IamPassword(user, password, _required(iam_domain, "iam_domain"), project_id=project_id)
        )
    if api_key is not None:
        found.append(ApiKey(api_key))
    if bearer_token is not None:
        found.append(BearerToken(bearer_token))
    return found
