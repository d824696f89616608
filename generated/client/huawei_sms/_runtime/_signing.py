"""Huawei Cloud AK/SK request signing (``SDK-HMAC-SHA256``), as Huawei's API signing guide and SDK do it.

An extension module, shipped only with a package whose API description declares an ``x-apigen-auth``
``sdk-hmac-sha256`` scheme (``keys: account``: :class:`~._keys.AccessKey`; ``keys: application``:
:class:`~._keys.AppKey`); :data:`AUTH_KIND` is what the client is given.

The pure functions build each part of the signature; :class:`SdkHmacAuth` is the ``httpx.Auth`` that
applies them to a request just before it is sent (again on every retry, with a fresh ``X-Sdk-Date``).

Signed headers: ``host``, ``content-type`` and every ``x-*`` header present when the request is signed
(``x-sdk-date``, ``x-project-id``, ``x-security-token``, ...), never ``authorization`` nor names containing
``_``. Headers a proxy or the transport may rewrite (``user-agent``, ``accept-encoding``, ``connection``)
are left unsigned on purpose.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Final
from urllib.parse import quote, unquote, urlsplit

import httpx

from ._auth import VALUE_EXTENSION, AuthContext, AuthKind
from ._credentials import Credential
from ._keys import AccessKey, AppKey
from ._operation import SecurityScheme

ALGORITHM: Final = "SDK-HMAC-SHA256"
DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256: Final = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED_PAYLOAD: Final = "UNSIGNED-PAYLOAD"
CONTENT_SHA256_HEADER: Final = "X-Sdk-Content-Sha256"


def encode(text: str) -> str:
    """Percent-encode everything but ``A-Z a-z 0-9 - _ . ~`` (UTF-8, upper-case hex)."""
    return quote(text, safe="~")


@functools.lru_cache(maxsize=512)
def canonical_uri(raw_path: str) -> str:
    """Decode the path, re-encode each segment, and end with ``/`` (the request URL itself is unchanged)."""
    uri = "/".join(encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def parse_query(raw_query: str) -> list[tuple[str, str]]:
    """(name, value) pairs of an encoded query string; ``name`` alone means an empty value."""
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Sorted by name then value (a repeated name once per value), each encoded, ``name=value`` joined by ``&``."""
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in sorted(pairs))


def is_signed_header(name: str) -> bool:
    """Whether a header (lower-case name) is signed: host, content-type and x-*, never authorization or ``_``."""
    return (name in ("host", "content-type") or name.startswith("x-")) and "_" not in name


def needs_unsigned_payload(content_type: str | None) -> bool:
    """The official SDK leaves bodies that are neither JSON nor BSON unhashed (``UNSIGNED-PAYLOAD``)."""
    if not content_type:
        return False
    return not content_type.startswith(("application/json", "application/bson"))


def payload_hash(body: bytes, headers: Mapping[str, str]) -> str:
    """Hex SHA-256 of the body; the ``x-sdk-content-sha256`` value when present; the empty hash for no body."""
    if not body:
        return EMPTY_SHA256
    declared = headers.get("x-sdk-content-sha256")
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    signed: list[str],
    body: bytes,
) -> str:
    """``METHOD\\nURI\\nQUERY\\nHEADERS\\nSIGNED\\nHASH``; ``headers`` maps lower-case names to values."""
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    return "\n".join(
        (
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(parse_query(raw_query)),
            canonical_headers,
            ";".join(signed),
            payload_hash(body, headers),
        )
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(secret_key: str, to_sign: str) -> str:
    return hmac.new(secret_key.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    sdk_date: str,
    signed: list[str] | None = None,
) -> str:
    """The ``Authorization`` header value; ``headers`` (lower-case names) must already hold host and x-sdk-date.

    ``signed`` defaults to every header of ``headers`` that :func:`is_signed_header` accepts.
    """
    names = sorted(signed if signed is not None else (n for n in headers if is_signed_header(n)))
    canonical = canonical_request(method, raw_path, raw_query, headers, names, body)
    sig = signature(secret_key, string_to_sign(canonical, sdk_date))
    return f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, Signature={sig}"


def sdk_date(now: _dt.datetime) -> str:
    return now.astimezone(_dt.timezone.utc).strftime(DATE_FORMAT)


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


_last_date: tuple[int, str] = (0, "")


def _current_sdk_date() -> str:
    """``X-Sdk-Date`` for now, formatted once per second (the hot path of every signed call)."""
    global _last_date
    second = int(time.time())
    cached = _last_date
    if cached[0] != second:
        cached = _last_date = (second, time.strftime(DATE_FORMAT, time.gmtime(second)))
    return cached[1]


def verify_push_signature(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    max_skew: float = 900.0,
    now: float | None = None,
) -> bool:
    """Whether a request your server received carries a valid ``SDK-HMAC-SHA256`` signature by this key pair.

    For Huawei's signed callbacks (push authentication of status reports, batch status reports and uplink
    SMS): pass the method, the URL as received (path and query; scheme and host are ignored), its headers,
    the raw body, and the push AK/SK configured on the application; answer ``401`` when this is False.

    Checks the access key, that ``host`` and ``x-sdk-date`` are signed, that ``X-Sdk-Date`` is within
    ``max_skew`` seconds of now, and the signature over method, path, query, signed headers and body.
    Huawei's signer leaves bodies that are not JSON unhashed (``X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD``,
    itself signed): for those, as for any such request, the signature does not cover the body.
    """
    lower = {name.lower(): value for name, value in headers.items()}
    scheme, _, params = lower.get("authorization", "").partition(" ")
    if scheme != ALGORITHM:
        return False
    fields = {
        key.strip(): value.strip()
        for key, _, value in (p.partition("=") for p in params.split(","))
    }
    access, signed_list, given = (
        fields.get("Access", ""),
        fields.get("SignedHeaders", ""),
        fields.get("Signature", ""),
    )
    if not (access and signed_list and given) or not hmac.compare_digest(access, access_key):
        return False
    names = signed_list.split(";")
    if "host" not in names or "x-sdk-date" not in names or any(name not in lower for name in names):
        return False
    declared = lower.get("x-sdk-content-sha256")
    if declared is not None and body:
        # a declared hash replaces the body's only when it is signed, and must match unless it is UNSIGNED-PAYLOAD
        if "x-sdk-content-sha256" not in names:
            return False
        if declared != UNSIGNED_PAYLOAD and not hmac.compare_digest(
            declared, hashlib.sha256(body).hexdigest()
        ):
            return False
    date = lower["x-sdk-date"]
    try:
        signed_at = calendar.timegm(time.strptime(date, DATE_FORMAT))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - signed_at) > max_skew:
        return False
    parts = urlsplit(url)
    expected = authorization(
        method=method,
        raw_path=parts.path or "/",
        raw_query=parts.query,
        headers={name: lower[name] for name in names},
        body=body,
        access_key=access_key,
        secret_key=secret_key,
        sdk_date=date,
        signed=names,
    )
    return hmac.compare_digest(expected.rpartition("Signature=")[2], given)


class SdkHmacAuth(httpx.Auth):
    """Signs each request with an AK/SK pair (``SDK-HMAC-SHA256``).

    ``extra_headers`` are added (and signed) first: ``X-Project-Id``/``X-Domain-Id`` and ``X-Security-Token``
    for account keys. ``extra_headers`` may be a callable, evaluated per request (a project id resolved later).
    """

    requires_request_body = True
    runs_last = True  # signs every header the other parts of a chain set

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        extra_headers: (
            Mapping[str, str] | Callable[[httpx.Request], Mapping[str, str]] | None
        ) = None,
        clock: Callable[[], _dt.datetime] | None = None,
    ) -> None:
        self._access_key = access_key
        self._secret_key = secret_key
        self._extra_headers = extra_headers
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}(access_key={self._access_key[:4]}...)"

    def sign(self, request: httpx.Request) -> None:
        headers = request.headers
        extra = (
            self._extra_headers(request) if callable(self._extra_headers) else self._extra_headers
        )
        if extra:
            headers.update(extra)
        # one pass over the raw headers: httpx.Headers lookups scan the whole list each time
        signed: dict[str, str] = {}
        for raw_name, raw_value in headers.raw:
            name = raw_name.decode("latin-1").lower()
            if (name == "host" or name == "content-type" or name[:2] == "x-") and "_" not in name:
                value = raw_value.decode("latin-1")
                signed[name] = f"{signed[name]}, {value}" if name in signed else value
        if needs_unsigned_payload(signed.get("content-type")):
            headers[CONTENT_SHA256_HEADER] = signed["x-sdk-content-sha256"] = UNSIGNED_PAYLOAD
        date = _current_sdk_date() if self._clock is None else sdk_date(self._clock())
        headers["X-Sdk-Date"] = signed["x-sdk-date"] = date
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        headers["Authorization"] = authorization(  # replaces an earlier attempt's signature
            method=request.method,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=signed,
            body=request.content,
            access_key=self._access_key,
            secret_key=self._secret_key,
            sdk_date=date,
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


def _keys(scheme: SecurityScheme) -> str:
    return str(scheme.options.get("keys", "account"))


def account_headers(
    scheme: SecurityScheme, credential: AccessKey, context: AuthContext
) -> Callable[[httpx.Request], Mapping[str, str]]:
    """Per request: ``X-Project-Id`` (or ``X-Domain-Id``) and ``X-Security-Token`` for account keys."""
    project_header = str(scheme.options.get("project-header", "X-Project-Id"))
    domain_header = str(scheme.options.get("domain-header", "X-Domain-Id"))
    token_header = str(scheme.options.get("security-token-header", "X-Security-Token"))
    project_value = str(scheme.options.get("project-value", "project_id"))

    def headers(request: httpx.Request) -> Mapping[str, str]:
        extra: dict[str, str] = {}
        values = request.extensions.get(VALUE_EXTENSION) or {}
        project = values.get(project_value) or context._configured_value(project_value)
        if project:
            extra[project_header] = project
        elif credential.domain_id:
            extra[domain_header] = credential.domain_id
        if credential.security_token:
            extra[token_header] = credential.security_token
        return extra

    return headers


def _build(scheme: SecurityScheme, credential: Credential, context: AuthContext) -> httpx.Auth:
    if isinstance(credential, AccessKey):
        return SdkHmacAuth(
            credential.ak, credential.sk, account_headers(scheme, credential, context)
        )
    assert isinstance(credential, AppKey)
    return SdkHmacAuth(credential.app_key, credential.app_secret)


def _hint(scheme: SecurityScheme) -> str:
    if _keys(scheme) == "application":
        return "app_key/app_secret (AppKey)"
    return "ak/sk (AccessKey)"


AUTH_KIND = AuthKind(
    kind="sdk-hmac-sha256",
    credentials=lambda scheme: (AppKey,) if _keys(scheme) == "application" else (AccessKey,),
    build=_build,
    hint=_hint,
    headers=lambda scheme: ("X-Sdk-Date", CONTENT_SHA256_HEADER, "Authorization"),
)
"""The ``sdk-hmac-sha256`` kind, for the client."""
