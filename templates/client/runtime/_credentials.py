"""Credentials for the standard security schemes, and how the generated ``Client`` makes them.

Each class covers one kind of scheme; the client picks, per operation, the first alternative of the
operation's security requirements whose schemes all have a credential. A credential made from a
``Client`` keyword names its scheme (``scheme``), so two API keys of two schemes never mix. Secret values
never appear in ``repr``/``str`` (and the client never logs them or puts them in exception messages).

The generated ``Client`` calls one ``*_credential`` function per scheme with the values of its keywords
and the names of their environment variables (read unless ``from_env=False``; explicit keywords win).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_HIDDEN = "***"


@dataclass(frozen=True, repr=False)
class Credential:
    """Base class of every credential (the standard ones here, an extension's in its module)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


@dataclass(frozen=True, repr=False)
class ApiKey(Credential):
    """An API key for ``apiKey`` schemes (header, query or cookie); ``scheme`` limits it to one scheme name."""

    key: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"ApiKey(key={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class BearerToken(Credential):
    """A bearer token for ``http``/``bearer``, ``oauth2`` (a ready access token) and ``openIdConnect``."""

    token: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"BearerToken(token={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class BasicAuth(Credential):
    """A user name and password for ``http``/``basic`` schemes."""

    username: str
    password: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class HttpAuthorization(Credential):
    """The credentials of another ``http`` scheme (``Digest``, ``HOBA``, ...): sent as ``Authorization: <scheme> <value>``."""

    value: str
    scheme: str | None = None

    def __repr__(self) -> str:
        return f"HttpAuthorization(value={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class OAuth2ClientCredentials(Credential):
    """An OAuth2 client id and secret: the client fetches access tokens (client-credentials flow).

    Tokens are cached until ``refresh_margin`` seconds before they expire, refreshed once on a 401, and
    fetched once for any number of concurrent calls. ``scopes`` default to every scope the flow declares.
    """

    client_id: str
    client_secret: str
    scheme: str | None = None
    scopes: tuple[str, ...] | None = None
    refresh_margin: float = 60.0

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(client_id={self.client_id!r}, client_secret={_HIDDEN}, scheme={self.scheme!r})"


@dataclass(frozen=True, repr=False)
class OAuth2Password(Credential):
    """A resource owner's user name and password (OAuth2 password flow), with the client id and secret."""

    username: str
    password: str
    client_id: str = ""
    client_secret: str = ""
    scheme: str | None = None
    scopes: tuple[str, ...] | None = None
    refresh_margin: float = 60.0

    def __repr__(self) -> str:
        return (
            f"OAuth2Password(username={self.username!r}, password={_HIDDEN}, client_id={self.client_id!r}, "
            f"client_secret={_HIDDEN}, scheme={self.scheme!r})"
        )


# -- from keywords and environment variables ----------------------------------------------------------


def gather(
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
    required: Sequence[str],
) -> list[dict[str, str]]:
    """The value sets one scheme's keywords give: the keywords' own first, then the environment's.

    ``values`` maps each key to its keyword's value, ``keywords`` to the keyword's name (for messages),
    ``env_names`` to its environment variable. Explicit values must include every ``required`` key
    (half a pair is a ``ValueError`` naming the keyword); the environment's count only when complete.
    """
    found: list[dict[str, str]] = []
    given = {k: v for k, v in values.items() if v is not None}
    if any(k in given for k in required):
        for key in required:
            if not given.get(key):
                named = ", ".join(keywords.get(k, k) for k in values if k in given)
                raise ValueError(f"{keywords.get(key, key)} is required with {named}")
        found.append(given)
    from_env = {k: env[n] for k, n in env_names.items() if env.get(n)}
    if required and all(k in from_env for k in required):
        found.append(from_env)
    return found


def api_key_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    return [
        ApiKey(v["api_key"], scheme) for v in gather(values, keywords, env, env_names, ("api_key",))
    ]


def basic_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    sets = gather(values, keywords, env, env_names, ("username", "password"))
    return [BasicAuth(v["username"], v["password"], scheme) for v in sets]


def bearer_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    sets = gather(values, keywords, env, env_names, ("bearer_token",))
    return [BearerToken(v["bearer_token"], scheme) for v in sets]


def http_authorization_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    sets = gather(values, keywords, env, env_names, ("authorization",))
    return [HttpAuthorization(v["authorization"], scheme) for v in sets]


def oauth2_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    """A ready ``access_token``; else a resource owner's password with the client; else the client alone."""
    found: list[Credential] = []
    ids = {k: values.get(k) for k in ("client_id", "client_secret")}
    names = {k: n for k, n in env_names.items() if k in ("client_id", "client_secret")}
    owner = {k: values.get(k) for k in ("oauth_username", "oauth_password")}
    owner_names = {k: n for k, n in env_names.items() if k in ("oauth_username", "oauth_password")}
    for v in gather({"access_token": values.get("access_token")}, keywords, env,
                    {k: n for k, n in env_names.items() if k == "access_token"}, ("access_token",)):  # fmt: skip
        found.append(BearerToken(v["access_token"], scheme))
    clients = gather(ids, keywords, env, names, ("client_id", "client_secret"))
    owners = gather(owner, keywords, env, owner_names, ("oauth_username", "oauth_password"))
    for person in owners:
        client = clients[0] if clients else {"client_id": "", "client_secret": ""}
        found.append(
            OAuth2Password(person["oauth_username"], person["oauth_password"], client["client_id"],
                           client["client_secret"], scheme)  # fmt: skip
        )
    for client in clients:
        found.append(OAuth2ClientCredentials(client["client_id"], client["client_secret"], scheme))
    return found
