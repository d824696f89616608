"""The request loop shared by ``Client`` and ``AsyncClient``: build, authenticate, send, retry, classify, decode.

The loop is written once, as a generator (:meth:`BaseClient._steps`) that yields what it needs done
(send this request, sleep this long, look up a value the client supplies) and receives the outcome; the sync and the
async client each drive it with their own I/O in a dozen lines. Which failures are retried is decided by
the pure functions of :mod:`._retry` (never a POST/PATCH that may have reached the server, unless the
operation carries an idempotency key: then one key per logical call, the same on every attempt).

Which server an operation goes to is decided by the server variables (:meth:`BaseClient._server_for`):
among an operation's servers, the first whose variable ``enum`` (or ``x-apigen-regions``) holds the
value given wins. ``base_url`` keys and ``server_variables`` names the API does not have are a
``ValueError`` at construction, so a typo never sends a request to the production host.

Redirects are never followed inside httpx's ``send``: with an ``http_client`` that has
``follow_redirects=True`` the loop follows them itself (:mod:`._redirects`), authenticating again only on
the original origin, never carrying a credential to another one, and refusing to re-send a body (307/308)
there. Response bodies are streamed and read at most ``max_response_size`` bytes (default 32 MiB): a larger
``Content-Length`` fails before reading, a longer body as soon as it passes the limit
(:class:`~._errors.ResponseTooLargeError`).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, Union
from urllib.parse import quote, urlsplit

import anyio
import httpx

from . import _auth, _errors, _limits, _oauth2, _redirects, _wire
from ._credentials import Credential, OAuth2ClientCredentials, OAuth2Password
from ._limits import DEFAULT_MAX_RESPONSE_SIZE
from ._logging import install_httpcore_redaction, log_exchange, register_sensitive, sensitive_names
from ._operation import ApiInfo, Lookup, Operation, SecurityScheme, Server
from ._response import ApiResponse
from ._tokens import FetchedToken, TokenCache, TokenSource
from ._retry import (
    DEFAULT_RETRY,
    RETRYABLE_STATUSES,
    RetryConfig,
    never_sent,
    parse_retry_after,
    retry_delay,
    should_retry,
)
from ._types import UNSET, Unset
from ._wire import DecodeError

T = TypeVar("T")
_B = TypeVar("_B", bound="BaseClient")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
"""Timeouts in seconds: 5 to connect, 30 between bytes read or written, 10 waiting for a pooled connection."""


@dataclass
class RequestData:
    """One request as generated code describes it, before the runtime adds the URL base, auth and retries.

    ``path_params`` values are already percent-encoded; a ``None`` value is filled in from the client
    (configured, or looked up once through the operation its ``x-apigen-lookup`` names). ``query``, ``headers`` and
    ``cookies`` are (name, text) pairs; query texts are percent-encoded by the runtime.
    """

    path_params: dict[str, str | None] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    content: bytes | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides: ``timeout`` (seconds or ``httpx.Timeout``; ``None`` waits forever), retries
    (``max_retries``, or a whole :class:`RetryConfig` as ``retry``) and ``extra_headers`` (sent last, so they
    win; an auth header set here is still replaced by the operation's authentication) and
    ``max_response_size`` (bytes of response body read at most, for this call)."""

    timeout: float | httpx.Timeout | None | Unset = UNSET
    extra_headers: Mapping[str, str] | None = None
    max_retries: int | Unset = UNSET
    retry: RetryConfig | Unset = UNSET
    max_response_size: int | Unset = UNSET


Decoder = Callable[[httpx.Response], T]


@dataclass(frozen=True)
class _Send:
    request: httpx.Request
    auth: httpx.Auth | None
    operation: str
    max_size: int


@dataclass(frozen=True)
class _Sleep:
    seconds: float


@dataclass(frozen=True)
class _Resolve:
    operation: Operation
    name: str


_Step = Union[_Send, _Sleep, _Resolve]


class BaseClient:
    """Configuration, authentication and the request loop common to the sync and async clients.

    The generated ``Client`` takes one keyword (or group) per security scheme of the API description and
    one per server variable, turns them (and their environment variables) into ``credentials``, and
    passes the rest through.
    """

    _api: ClassVar[ApiInfo]
    _extensions: ClassVar[tuple[_auth.AuthKind, ...]] = ()  # the x-apigen-auth kinds this API uses
    _credential_hints: ClassVar[Mapping[str, str]] = (
        {}
    )  # scheme -> what to configure, in the client's words
    _value_env: ClassVar[Mapping[str, str]] = (
        {}
    )  # client-supplied parameter -> its environment variable

    def __init__(
        self,
        *,
        credentials: Iterable[Credential] | None = None,
        base_url: str | Mapping[str, str] | None = None,
        server_variables: Mapping[str, str] | None = None,
        client_values: Mapping[str, str | None] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        retry: RetryConfig | int = DEFAULT_RETRY,
        headers: Mapping[str, str] | None = None,
        auth_preference: Sequence[str] = (),
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        validate_requests: bool = True,
    ) -> None:
        """Configure the client.

        ``credentials``: credential objects; each operation uses the first alternative of its security
        requirements that they satisfy. ``base_url`` sends every operation to one URL (a string) or the
        operations of some tags elsewhere (a mapping from tag to URL: an unknown tag is a ``ValueError``).
        ``server_variables`` fill the server URL templates (an unknown name is a ``ValueError``);
        ``client_values`` are the parameters the client supplies (``x-apigen-set-by: client``).

        ``timeout`` defaults to :data:`DEFAULT_TIMEOUT` (5 s connect, 30 s read/write, 10 s pool; with your
        own ``http_client``, that client's timeout). ``retry`` is a :class:`RetryConfig` or a number of
        retries; see :mod:`._retry` for which failures are retried. ``http_client`` (an ``httpx.Client`` for
        ``Client``, an ``httpx.AsyncClient`` for ``AsyncClient``) or ``transport`` customise the connection;
        a client you pass is not closed by :meth:`close`. Redirects are followed only when that client has
        ``follow_redirects=True``, and never with credentials to another origin (see :mod:`._redirects`).

        ``max_response_size`` (bytes, default :data:`DEFAULT_MAX_RESPONSE_SIZE`, 32 MiB) bounds every
        response body read: a larger one raises :class:`ResponseTooLargeError` without being read further.

        ``validate_requests`` (default on) checks every request against the constraints of the API
        description before sending (``maxLength``, ``maxItems``, ``minimum``/``maximum``, ``pattern``, enums):
        a value that breaks one raises ``ValueError`` naming the argument and the constraint, and nothing
        is sent. ``validate_requests=False`` leaves it to the server.
        """
        self._validate_requests = bool(validate_requests)
        if isinstance(max_response_size, bool) or not isinstance(max_response_size, int):
            raise TypeError("max_response_size must be a number of bytes (an int)")
        if max_response_size < 1:
            raise ValueError("max_response_size must be at least 1 byte")
        self._max_response_size = max_response_size
        self._credentials: tuple[Credential, ...] = tuple(credentials or ())
        self._kinds: dict[str, _auth.AuthKind] = {k.kind: k for k in self._extensions}
        self._check_routing(base_url, server_variables)
        self._base_url = base_url
        self._server_variables = {
            k: v for k, v in (server_variables or {}).items() if v is not None
        }
        self._client_values: dict[str, str] = {
            k: v for k, v in (client_values or {}).items() if v is not None
        }
        self._retry = retry if isinstance(retry, RetryConfig) else RetryConfig(max_retries=retry)
        self._headers = dict(headers or {})
        self._auth_preference = tuple(auth_preference)
        self._logger = logging.getLogger(self._api.package)
        install_httpcore_redaction()
        self._user_agent = (
            f"{self._api.package}/{self._api.package_version} python-httpx/{httpx.__version__}"
        )
        scheme_headers = _auth.scheme_headers(self._api, self._kinds)
        self._sensitive = sensitive_names(scheme_headers)
        register_sensitive(self._sensitive)
        self._credential_names = _redirects.credential_names(scheme_headers)
        self._lock = threading.Lock()
        self._auths: dict[str, httpx.Auth | None] = {}
        # the tokens, shared with the with_options copies; each client fetches them through its own
        # sources (its own timeout and retries), and builds its own auths over those
        self._token_caches: dict[tuple[str, ...], TokenCache] = {}
        self._token_sources: dict[tuple[str, ...], TokenSource] = {}
        self._resolved: dict[tuple[str, ...], str] = {}  # values looked up, shared with the copies
        self._resolve_lock = threading.Lock()
        self._resolve_alock = _SharedAsyncLock()
        self._host_headers: dict[str, str | None] = {}
        self._http_timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT
        self._owns_http = True
        self._init_http(http_client, transport, timeout)

    def _check_routing(
        self, base_url: str | Mapping[str, str] | None, server_variables: Mapping[str, str] | None
    ) -> None:
        """``base_url`` tags and ``server_variables`` names must be the API's own: a typo is an error."""
        if isinstance(base_url, Mapping):
            tags = sorted({op.tag for op in self._api.operations.values()})
            unknown = sorted(k for k in base_url if k not in tags)
            if unknown:
                raise ValueError(
                    f"base_url names {', '.join(repr(k) for k in unknown)}, which "
                    f"{'is not a tag' if len(unknown) == 1 else 'are not tags'} of this API "
                    f"(its tags: {', '.join(tags) or 'none'})"
                )
        if server_variables:
            known = sorted(
                {
                    name
                    for op in self._api.operations.values()
                    for s in op.servers
                    for name in s.variables
                }
            )
            unknown = sorted(k for k in server_variables if k not in known)
            if unknown:
                raise ValueError(
                    f"server_variables names {', '.join(repr(k) for k in unknown)}, which the servers of "
                    f"this API do not have (their variables: {', '.join(known) or 'none'})"
                )

    def _init_http(
        self,
        http_client: httpx.Client | httpx.AsyncClient | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        timeout: float | httpx.Timeout | None | Unset,
    ) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(api={self._api.title!r}, credentials={list(self._credentials)!r}, "
            f"server_variables={self._server_variables!r})"
        )

    def with_options(
        self: _B,
        *,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        retry: RetryConfig | int | Unset = UNSET,
        headers: Mapping[str, str] | None = None,
        validate_requests: bool | Unset = UNSET,
    ) -> _B:
        """A copy of this client with other settings; what is not given stays as it is.

        ``timeout`` (seconds or ``httpx.Timeout``; ``None`` waits forever), ``retry`` (a
        :class:`RetryConfig` or a number of retries) and ``validate_requests`` replace this client's;
        ``headers`` are merged into its headers (a name given here wins). The copy shares this client's
        connection pool, credentials, token caches and looked-up values (what one of them fetches, the
        other uses; the copy's own fetches use its timeout and retries): closing the copy leaves the
        connections open (this client still uses them), and closing this client closes them for both.
        """
        copy = object.__new__(type(self))
        copy.__dict__.update(
            {
                name: value
                for name, value in self.__dict__.items()
                if not isinstance(getattr(type(self), name, None), functools.cached_property)
            }
        )  # the resources are built again, bound to the copy
        if not isinstance(timeout, Unset):
            copy._http_timeout = timeout
        if not isinstance(retry, Unset):
            copy._retry = (
                retry if isinstance(retry, RetryConfig) else RetryConfig(max_retries=retry)
            )
        copy._headers = {**self._headers, **(headers or {})}
        if not isinstance(validate_requests, Unset):
            copy._validate_requests = bool(validate_requests)
        copy._owns_http = False
        copy._auths = {}  # built again over the copy's token sources: its fetches use its settings
        copy._token_sources = {}
        return copy

    @property
    def _api_info(self) -> ApiInfo:
        """The API description's facts this client runs on (operations, servers, security schemes)."""
        return self._api

    # -- configuration -------------------------------------------------------------------------------

    def _server_for(self, operation: Operation) -> str:
        """The operation's server for the configured variables: the first whose choices hold a given value."""
        if not operation.servers:
            raise _errors.ApiError(
                f"{operation.operation_id}: the API description names no server; pass base_url"
            )
        url = self._chosen_server(operation).render(self._server_variables)
        if "://" not in url:
            # a relative server URL is relative to where the description is served: no host to send to
            example = "https://api.example.com" + ("" if url.startswith("/") else "/") + url
            raise _errors.ApiError(
                f"{operation.operation_id}: the API description's server {url!r} is relative;"
                f" pass base_url (e.g. base_url={example!r})"
            )
        return url

    def _chosen_server(self, operation: Operation) -> Server:
        """The first server whose choices hold a configured variable's value, else the first server."""
        for name, value in self._server_variables.items():
            for server in operation.servers:
                if server.serves(name, value):
                    return server
        return operation.servers[0]

    def _base_url_for(self, operation: Operation) -> str:
        """The URL an operation is sent to: ``base_url`` (or its entry for the tag), else its server."""
        if isinstance(self._base_url, str):
            return self._base_url.rstrip("/")
        if isinstance(self._base_url, Mapping) and operation.tag in self._base_url:
            return self._base_url[operation.tag].rstrip("/")
        return self._server_for(operation)

    def _variable_for(self, operation: Operation, name: str) -> str | None:
        """A server variable's value for an operation: configured, else its servers' default."""
        value = self._server_variables.get(name)
        if value:
            return value
        for server in operation.servers:
            if name in server.variables:
                return server.variables[name]
        for op in self._api.operations.values():
            for server in op.servers:
                if name in server.variables:
                    return server.variables[name]
        return None

    def _region_for(self, operation: Operation) -> str | None:
        return self._variable_for(operation, "region")

    def _configured_value(self, name: str) -> str | None:
        """A client-supplied parameter as configured (``None`` when not given nor looked up yet)."""
        return self._client_values.get(name)

    def _client_value(self, operation: Operation, name: str) -> str:
        """A parameter the client supplies: configured, or an error naming what to pass."""
        value = self._client_values.get(name)
        if value is None:
            raise _errors.ApiError(
                f"{operation.operation_id}: no {name} given; pass {name}= to the client"
            )
        return value

    def _missing_client_values(self, data: RequestData) -> list[str]:
        return [name for name, value in data.path_params.items() if value is None]

    def _max_size_for(self, options: RequestOptions | None) -> int:
        if options is None or isinstance(options.max_response_size, Unset):
            return self._max_response_size
        return options.max_response_size

    def _retry_for(self, options: RequestOptions | None) -> RetryConfig:
        if options is None:
            return self._retry
        config = self._retry if isinstance(options.retry, Unset) else options.retry
        if not isinstance(options.max_retries, Unset):
            config = RetryConfig(
                max_retries=options.max_retries,
                initial_delay=config.initial_delay,
                max_delay=config.max_delay,
                max_retry_after=config.max_retry_after,
            )
        return config

    # -- authentication ------------------------------------------------------------------------------

    def _auth_for(self, operation: Operation) -> httpx.Auth | None:
        """The ``httpx.Auth`` for an operation (cached), chosen from its security requirements."""
        try:
            return self._auths[operation.operation_id]
        except KeyError:
            pass
        chosen = _auth.choose(
            operation,
            self._api,
            self._credentials,
            self._auth_preference,
            self._kinds,
            self._credential_hints,
        )
        if isinstance(chosen, str):
            raise _errors.MissingCredentialsError(operation.operation_id, chosen)
        parts = [
            _auth.build(scheme, credential, self, self._kinds) for scheme, credential in chosen
        ]
        auth = None if not parts else parts[0] if len(parts) == 1 else _auth.ChainAuth(parts)
        with self._lock:
            return self._auths.setdefault(operation.operation_id, auth)

    def _operation_token_source(
        self,
        key: tuple[str, ...],
        operation: Operation,
        body: bytes,
        decode: Callable[[httpx.Response], object],
        refresh_margin: float,
    ) -> TokenSource:
        """The token cache fed by an operation of the API (an extension's token operation), one per ``key``."""
        with self._lock:
            source = self._token_sources.get(key)
            if source is None:
                cache = self._token_caches.setdefault(key, TokenCache(refresh_margin))
                data = RequestData(content=body, content_type="application/json")

                def decoded(response: httpx.Response) -> FetchedToken:
                    token = decode(response)
                    assert isinstance(token, FetchedToken)
                    return token

                fetch, afetch = self._call_fetchers(operation, data, decoded)
                source = TokenSource(fetch, afetch, cache=cache)
                self._token_sources[key] = source
            return source

    def _oauth2_source(
        self, scheme: SecurityScheme, credential: OAuth2ClientCredentials | OAuth2Password
    ) -> TokenSource:
        """The token cache of an OAuth2 credential, fed by the flow's token URL, one per (URL, client, user)."""
        flow = _oauth2.flow_for(scheme, credential)
        if flow is None:
            wanted = "password" if isinstance(credential, OAuth2Password) else "clientCredentials"
            raise _errors.MissingCredentialsError(
                scheme.name, f"the API description declares no {wanted} flow with a tokenUrl"
            )
        base = self._base_url if isinstance(self._base_url, str) else self._default_server()
        url = _oauth2.token_url(flow, base)
        user = credential.username if isinstance(credential, OAuth2Password) else ""
        key = ("oauth2", scheme.name, url, credential.client_id, user)
        with self._lock:
            source = self._token_sources.get(key)
            if source is None:
                cache = self._token_caches.setdefault(key, TokenCache(credential.refresh_margin))
                body, headers = _oauth2.token_request(
                    credential, flow, str(scheme.options.get("client-auth", "basic"))
                )
                fetch, afetch = self._http_fetchers(scheme.name, url, body, headers)
                source = TokenSource(fetch, afetch, cache=cache)
                self._token_sources[key] = source
            return source

    def _default_server(self) -> str:
        for op in self._api.operations.values():
            if op.servers:
                return self._base_url_for(op)
        return ""

    def _token_response(self, name: str, response: httpx.Response) -> FetchedToken:
        if response.status_code >= 400:
            raise _errors.status_error(
                f"{name} token request",
                response,
                shapes=self._api.errors,
                request_id_header=self._api.request_id_header,
            )
        try:
            return _oauth2.parse_token(response)
        except DecodeError as exc:
            raise _errors.ApiDecodeError(
                f"{name} token request",
                exc.path,
                exc.message,
                response.content,
                status_code=response.status_code,
            ) from None

    def _call_fetchers(
        self, operation: Operation, data: RequestData, decode: Decoder[FetchedToken]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        raise NotImplementedError

    def _http_fetchers(
        self, name: str, url: str, body: bytes, headers: Mapping[str, str]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        raise NotImplementedError

    # -- client-supplied values looked up through an operation ----------------------------------------

    def _lookup_call(
        self, operation: Operation, name: str
    ) -> tuple[Operation, tuple[str, ...], RequestData, Decoder[str | None]]:
        lookup = self._api.lookups.get(name)
        list_op = self._api.operations.get(lookup.operation) if lookup is not None else None
        if lookup is None or list_op is None:
            raise _errors.ApiError(f"{operation.operation_id}: no {name} given; {self._pass(name)}")
        texts = {
            var: value
            for var in _template_names(lookup)
            if (value := self._variable_for(list_op, var)) is not None
        }
        if len(texts) < len(_template_names(lookup)):
            raise _errors.ApiError(
                f"{operation.operation_id}: no {name} given; pass {name}= to the client"
            )
        if isinstance(
            _auth.choose(list_op, self._api, self._credentials, self._auth_preference, self._kinds),
            str,
        ):
            raise _errors.MissingCredentialsError(
                operation.operation_id,
                f"no {name} given, and looking it up ({list_op.operation_id}) needs other "
                f"credentials; {self._pass(name)}",
            )
        query = [(k, _fill(v, texts)) for k, v in lookup.query]
        match = [(k, _fill(v, texts)) for k, v in lookup.match]
        key = (name, *(f"{k}={v}" for k, v in query))

        def decode(response: httpx.Response) -> str | None:
            return _lookup_value(response, lookup, match)

        return list_op, key, RequestData(query=query), decode

    def _pass(self, name: str) -> str:
        env = self._value_env.get(name)
        return f"pass {name}= to the client" + (f" or set {env}" if env else "")

    def _found_value(
        self, operation: Operation, name: str, key: tuple[str, ...], value: str | None
    ) -> str:
        if value is None:
            raise _errors.ApiError(
                f"{operation.operation_id}: no {name} given, and none is visible to these credentials "
                f"({', '.join(key[1:])}); {self._pass(name)}"
            )
        self._resolved[key] = value
        return value

    def _cached_value(self, operation: Operation, name: str) -> str | None:
        lookup = self._api.lookups.get(name)
        if lookup is None:
            return None
        list_op = self._api.operations.get(lookup.operation)
        if list_op is None:
            return None
        texts = {var: self._variable_for(list_op, var) or "" for var in _template_names(lookup)}
        key = (name, *(f"{k}={_fill(v, texts)}" for k, v in lookup.query))
        return self._resolved.get(key)

    # -- building a request --------------------------------------------------------------------------

    def _host_header(self, base: str) -> str | None:
        """``host:port`` when the base URL spells out a port (``:443`` too): the Host that AK/SK signs."""
        try:
            return self._host_headers[base]
        except KeyError:
            pass
        netloc = urlsplit(base).netloc.rpartition("@")[2]
        host = (
            netloc.lower()
            if netloc.rpartition(":")[2].isdigit() and not netloc.endswith("]")
            else None
        )
        self._host_headers[base] = host
        return host

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation,
        data: RequestData,
        options: RequestOptions | None,
        client_values: Mapping[str, str],
    ) -> httpx.Request:
        # a fragment (``/files/{id}#add_shared_link``) tells operations apart in the description and is
        # never sent; a query written into the path (``/responses?beta=true``) is sent with the others
        path = operation.path.split("#", 1)[0]
        for name, value in data.path_params.items():
            if value is None:
                value = quote(client_values[name], safe="")
            path = path.replace("{" + name + "}", value)
        base = self._base_url_for(operation)
        url = base + path
        if data.query:
            url += ("&" if "?" in path else "?") + "&".join(
                f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in data.query
            )
        headers: dict[str, str] = {"User-Agent": self._user_agent}
        host = self._host_header(base)
        if host is not None:
            headers["Host"] = host
        headers.update(self._headers)
        if data.content_type is not None:
            headers["Content-Type"] = data.content_type
        headers.update(data.headers)
        if data.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in data.cookies)
        timeout = self._http_timeout
        if options is not None:
            if options.extra_headers:
                headers.update(options.extra_headers)
            if not isinstance(options.timeout, Unset):
                timeout = options.timeout
        extensions: dict[str, Any] = {
            _limits.LIMIT_EXTENSION: self._max_size_for(options),
            _limits.OPERATION_EXTENSION: operation.operation_id,
        }
        if client_values:
            extensions[_auth.VALUE_EXTENSION] = dict(client_values)
        return http.build_request(
            operation.method,
            url,
            headers=headers,
            content=data.content,
            timeout=timeout,
            extensions=extensions,
        )

    # -- the request loop ----------------------------------------------------------------------------

    def _steps(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation,
        data: RequestData,
        decode: Decoder[T],
        options: RequestOptions | None,
    ) -> Generator[_Step, Any, ApiResponse[T]]:
        retry = self._retry_for(options)
        auth = self._auth_for(operation)
        values: dict[str, str] = {}
        for name in self._missing_client_values(data):
            value = self._client_values.get(name)
            if value is None and name in self._api.lookups:
                value = self._cached_value(operation, name)
                if value is None:
                    value = yield _Resolve(operation, name)
            values[name] = value if value is not None else self._client_value(operation, name)
        request = self._build_request(http, operation, data, options, values)
        keyed = bool(operation.idempotency_key)
        if keyed and operation.idempotency_key not in request.headers:
            # one key per logical call: every retry below re-sends this same request, key included
            request.headers[operation.idempotency_key] = str(uuid.uuid4())
        method = operation.method.upper()
        max_size = self._max_size_for(options)
        # redirects: followed here (never inside httpx's send) when the httpx client says so
        follow = http.follow_redirects
        pristine = httpx.Headers(request.headers)  # before authentication adds anything
        trusted: httpx.URL | None = request.url  # None once a redirect left the first origin
        body = data.content
        redirects = 0
        attempt = 0
        while True:
            attempt += 1
            outcome = yield _Send(request, auth, operation.operation_id, max_size)
            if isinstance(outcome, httpx.Response):
                if self._logger.isEnabledFor(logging.DEBUG):
                    log_exchange(
                        self._logger, operation.operation_id, attempt, outcome, self._sensitive
                    )
                if follow and _redirects.is_redirect(outcome):
                    redirects += 1
                    try:
                        if redirects > http.max_redirects:
                            raise _redirects.RedirectRefused(
                                f"more than {http.max_redirects} redirects (max_redirects)"
                            )
                        request, same, body = _redirects.redirect_request(
                            request,
                            outcome,
                            pristine=pristine,
                            body=body,
                            trusted=trusted,
                            credentials=self._credential_names,
                        )
                    except _redirects.RedirectRefused as refused:
                        raise _errors.ApiRedirectError(
                            operation.operation_id, outcome.status_code, str(refused)
                        ) from None
                    if not same:
                        trusted, auth = None, None
                    method, attempt = request.method, 0
                    continue
                retry_after = None
                if outcome.status_code in RETRYABLE_STATUSES:
                    retry_after = parse_retry_after(outcome.headers.get("Retry-After"))
                    if should_retry(method, outcome.status_code, keyed):
                        delay = retry_delay(attempt, retry, retry_after)
                        if delay is not None:
                            self._log_retry(
                                operation, attempt, retry, f"HTTP {outcome.status_code}", delay
                            )
                            yield _Sleep(delay)
                            continue
                return self._handle_response(
                    operation, outcome, decode, attempts=attempt, retry_after=retry_after
                )
            if isinstance(outcome, _errors.ApiError) or not isinstance(
                outcome, httpx.TransportError
            ):
                raise outcome
            if should_retry(method, outcome, keyed):
                delay = retry_delay(attempt, retry, None)
                if delay is not None:
                    self._log_retry(operation, attempt, retry, type(outcome).__name__, delay)
                    yield _Sleep(delay)
                    continue
            raise self._transport_error(operation, outcome, attempt) from outcome

    def _log_retry(
        self, operation: Operation, attempt: int, retry: RetryConfig, reason: str, delay: float
    ) -> None:
        self._logger.info(
            "%s: attempt %d of %d failed (%s); retrying in %.2f s",
            operation.operation_id,
            attempt,
            retry.max_retries + 1,
            reason,
            delay,
        )

    def _transport_error(
        self, operation: Operation, error: httpx.TransportError, attempts: int
    ) -> _errors.ApiError:
        cls = (
            _errors.ApiTimeoutError
            if isinstance(error, httpx.TimeoutException)
            else _errors.ApiConnectionError
        )
        detail = str(error) or "no detail"
        return cls(
            operation.operation_id,
            f"{type(error).__name__}: {detail}",
            attempts=attempts,
            request_sent=not never_sent(error),
        )

    # -- classifying a response ----------------------------------------------------------------------

    def _handle_response(
        self,
        operation: Operation,
        response: httpx.Response,
        decode: Decoder[T],
        *,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> ApiResponse[T]:
        """Raise the typed error of an error response; otherwise decode it."""
        if response.status_code >= 400:
            error = _errors.status_error(
                operation.operation_id,
                response,
                retry_after=retry_after,
                attempts=attempts,
                shapes=self._api.errors,
                request_id_header=self._api.request_id_header,
            )
            error.parsed = _error_body(operation, response)
            raise error
        if operation.result_code is not None:
            _check_result_code(self._api, operation, response, attempts)
        try:
            parsed = decode(response)
        except DecodeError as exc:
            raise _errors.ApiDecodeError(
                operation.operation_id,
                exc.path,
                exc.message,
                response.content,
                status_code=response.status_code,
                request_id=response.headers.get(self._api.request_id_header),
            ) from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise _errors.ApiDecodeError(
                operation.operation_id,
                "$",
                (
                    "malformed JSON (nested too deeply)"
                    if isinstance(exc, RecursionError)
                    else f"malformed JSON ({type(exc).__name__})"
                ),
                response.content,
                status_code=response.status_code,
                request_id=response.headers.get(self._api.request_id_header),
            ) from None
        return ApiResponse(
            status_code=response.status_code,
            headers=response.headers,
            parsed=parsed,
            content=response.content,
            http_response=response,
        )


class _SharedAsyncLock:
    """An ``anyio.Lock`` made on first use (it needs a running event loop), held by a client and its
    ``with_options`` copies alike, so that one lookup of a value serves them all."""

    def __init__(self) -> None:
        self._lock: anyio.Lock | None = None

    def get(self) -> anyio.Lock:
        if self._lock is None:
            self._lock = anyio.Lock()
        return self._lock


def _error_body(operation: Operation, response: httpx.Response) -> Any:
    """The error body decoded with the schema declared for its status (exact, ``4XX``, ``default``)."""
    status = response.status_code
    decoder = (
        operation.errors.get(str(status))
        or operation.errors.get(f"{status // 100}XX")
        or operation.errors.get("default")
    )
    if decoder is None:
        return None
    try:
        return decoder(_wire.response_json(response), "$")
    except (DecodeError, ValueError, TypeError, RecursionError):
        return None  # the fields (code, message, ...) and the raw body are still on the error


def _template_names(lookup: Lookup) -> list[str]:
    """The server variables a lookup's query and match texts name (``{region}``)."""
    names: list[str] = []
    for _, text in (*lookup.query, *lookup.match):
        rest = text
        while "{" in rest and "}" in rest.split("{", 1)[1]:
            name, rest = rest.split("{", 1)[1].split("}", 1)
            if name not in names:
                names.append(name)
    return names


def _fill(text: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _lookup_value(
    response: httpx.Response, lookup: Lookup, match: Sequence[tuple[str, str]]
) -> str | None:
    """The ``value`` field of the first item at ``lookup.items`` whose ``match`` fields have those texts."""
    data = _wire.response_json(response)
    path = "$"
    for raw in lookup.items.strip("/").split("/") if lookup.items.strip("/") else []:
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(data, dict) or key not in data:
            raise DecodeError(f"{path}.{key}", "required field is missing")
        data, path = data[key], f"{path}.{key}"
    if not isinstance(data, list):
        raise DecodeError(path, "expected an array")
    for index, item in enumerate(data):
        if isinstance(item, dict) and all(str(item.get(k)) == v for k, v in match):
            value = item.get(lookup.value)
            if not isinstance(value, str):
                raise DecodeError(f"{path}[{index}].{lookup.value}", "expected a string")
            return value
    return None


def _check_result_code(
    api: ApiInfo, operation: Operation, response: httpx.Response, attempts: int
) -> None:
    result_code = operation.result_code
    assert result_code is not None
    try:
        data = _wire.response_json(response)
    except DecodeError:
        return  # the decoder reports the malformed body
    if isinstance(data, dict) and result_code.field in data:
        code = data[result_code.field]
        if str(code) not in result_code.success:
            raise _errors.status_error(
                operation.operation_id,
                response,
                _errors.ResultCodeError,
                attempts=attempts,
                shapes=api.errors,
                request_id_header=api.request_id_header,
            )


_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)


def _checked_http(
    client: BaseClient,
    http_type: type[_H],
    transport_type: type[httpx.BaseTransport] | type[httpx.AsyncBaseTransport],
    name: str,
    http_client: httpx.Client | httpx.AsyncClient | None,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
    timeout: float | httpx.Timeout | None | Unset,
) -> _H:
    """The httpx client to use: the caller's (checked to be the right kind) or a new one we own."""
    other = "AsyncClient" if name == "Client" else "Client"
    if http_client is not None and not isinstance(http_client, http_type):
        raise TypeError(
            f"{name} needs an httpx.{http_type.__name__} (use {other} for the other kind)"
        )
    if transport is not None and not isinstance(transport, transport_type):
        raise TypeError(
            f"{name} needs an httpx.{transport_type.__name__} (use {other} for the other kind)"
        )
    client._owns_http = http_client is None
    if isinstance(timeout, Unset):
        timeout = http_client.timeout if http_client is not None else DEFAULT_TIMEOUT
    client._http_timeout = timeout
    if http_client is not None:
        return http_client
    return http_type(transport=transport, timeout=timeout)  # type: ignore[arg-type]


_S = TypeVar("_S", bound="SyncAPIClient")
_A = TypeVar("_A", bound="AsyncAPIClient")


class SyncAPIClient(BaseClient):
    """The synchronous client: one ``httpx.Client`` (yours, or one it creates and closes). Thread-safe."""

    _http: httpx.Client

    def _init_http(
        self,
        http_client: httpx.Client | httpx.AsyncClient | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        timeout: float | httpx.Timeout | None | Unset,
    ) -> None:
        self._http = _checked_http(
            self, httpx.Client, httpx.BaseTransport, "Client", http_client, transport, timeout
        )

    def _call(
        self,
        operation: Operation,
        data: RequestData,
        decode: Decoder[T],
        options: RequestOptions | None = None,
    ) -> ApiResponse[T]:
        """Send one operation (with authentication and retries) and decode its response."""
        steps = self._steps(self._http, operation, data, decode, options)
        result: Any = None
        while True:
            try:
                step = steps.send(result)
            except StopIteration as done:
                response: ApiResponse[T] = done.value
                return response
            if isinstance(step, _Send):
                try:
                    result = _limits.read_capped(
                        self._http.send(
                            step.request, auth=step.auth, follow_redirects=False, stream=True
                        ),
                        step.max_size,
                        step.operation,
                    )
                except Exception as exc:  # handed to the loop, which classifies or re-raises it
                    result = exc
            elif isinstance(step, _Sleep):
                time.sleep(step.seconds)
                result = None
            else:
                result = self._resolve(step.operation, step.name)

    def _resolve(self, operation: Operation, name: str) -> str:
        list_op, key, data, decode = self._lookup_call(operation, name)
        with self._resolve_lock:
            cached = self._resolved.get(key)
            if cached is not None:
                return cached
            return self._found_value(operation, name, key, self._call(list_op, data, decode).parsed)

    def _call_fetchers(
        self, operation: Operation, data: RequestData, decode: Decoder[FetchedToken]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        def fetch() -> FetchedToken:
            return self._call(operation, data, decode).parsed

        return fetch, None

    def _http_fetchers(
        self, name: str, url: str, body: bytes, headers: Mapping[str, str]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        def fetch() -> FetchedToken:
            request = self._http.build_request(
                "POST", url, content=body, headers=headers, timeout=self._http_timeout
            )
            response = _limits.read_capped(
                self._http.send(request, follow_redirects=False, stream=True),
                self._max_response_size,
                f"{name} token request",
            )
            return self._token_response(name, response)

        return fetch, None

    def close(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    """The async client (asyncio or trio): one ``httpx.AsyncClient`` (yours, or one it creates and closes)."""

    _http: httpx.AsyncClient

    def _init_http(
        self,
        http_client: httpx.Client | httpx.AsyncClient | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        timeout: float | httpx.Timeout | None | Unset,
    ) -> None:
        self._http = _checked_http(
            self,
            httpx.AsyncClient,
            httpx.AsyncBaseTransport,
            "AsyncClient",
            http_client,
            transport,
            timeout,
        )

    async def _call(
        self,
        operation: Operation,
        data: RequestData,
        decode: Decoder[T],
        options: RequestOptions | None = None,
    ) -> ApiResponse[T]:
        """Send one operation (with authentication and retries) and decode its response."""
        steps = self._steps(self._http, operation, data, decode, options)
        result: Any = None
        while True:
            try:
                step = steps.send(result)
            except StopIteration as done:
                response: ApiResponse[T] = done.value
                return response
            if isinstance(step, _Send):
                try:
                    result = await _limits.aread_capped(
                        await self._http.send(
                            step.request, auth=step.auth, follow_redirects=False, stream=True
                        ),
                        step.max_size,
                        step.operation,
                    )
                except Exception as exc:  # handed to the loop, which classifies or re-raises it
                    result = exc
            elif isinstance(step, _Sleep):
                await anyio.sleep(step.seconds)
                result = None
            else:
                result = await self._resolve(step.operation, step.name)

    async def _resolve(self, operation: Operation, name: str) -> str:
        list_op, key, data, decode = self._lookup_call(operation, name)
        async with self._resolve_alock.get():
            cached = self._resolved.get(key)
            if cached is not None:
                return cached
            return self._found_value(
                operation, name, key, (await self._call(list_op, data, decode)).parsed
            )

    def _call_fetchers(
        self, operation: Operation, data: RequestData, decode: Decoder[FetchedToken]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        async def afetch() -> FetchedToken:
            return (await self._call(operation, data, decode)).parsed

        return None, afetch

    def _http_fetchers(
        self, name: str, url: str, body: bytes, headers: Mapping[str, str]
    ) -> tuple[Callable[[], FetchedToken] | None, Callable[[], Awaitable[FetchedToken]] | None]:
        async def afetch() -> FetchedToken:
            request = self._http.build_request(
                "POST", url, content=body, headers=headers, timeout=self._http_timeout
            )
            response = await _limits.aread_capped(
                await self._http.send(request, follow_redirects=False, stream=True),
                self._max_response_size,
                f"{name} token request",
            )
            return self._token_response(name, response)

        return None, afetch

    async def aclose(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
