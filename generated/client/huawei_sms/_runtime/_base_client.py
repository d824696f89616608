"""The request loop shared by ``Client`` and ``AsyncClient``: build, authenticate, send, retry, classify, decode.

The loop is written once, as a generator (:meth:`BaseClient._steps`) that yields what it needs done
(send this request, sleep this long, resolve the project id) and receives the outcome; the sync and the
async client each drive it with their own I/O in a dozen lines. Which failures are retried is decided by
the pure functions of :mod:`._retry` (never a POST/PATCH that may have reached the server).

Redirects are never followed inside httpx's ``send``: with an ``http_client`` that has
``follow_redirects=True`` the loop follows them itself (:mod:`._redirects`), authenticating again only on
the original origin, never carrying a credential to another one, and refusing to re-send a body (307/308)
there. Response bodies are streamed and read at most ``max_response_size`` bytes (default 32 MiB): a larger
``Content-Length`` fails before reading, a longer body as soon as it passes the limit
(:class:`~._errors.ResponseTooLargeError`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, Union
from urllib.parse import quote, urlsplit

import anyio
import httpx

from . import _auth, _errors, _iam, _limits, _redirects, _wire
from ._credentials import (
    ENV_DOMAIN_ID,
    ENV_PROJECT_ID,
    ENV_REGION,
    AccessKey,
    Credential,
    IamPassword,
    IamToken,
    credentials_from_env,
    from_arguments,
)
from ._limits import DEFAULT_MAX_RESPONSE_SIZE
from ._logging import install_httpcore_redaction, log_exchange, sensitive_names
from ._operation import ApiInfo, Operation, SecurityScheme
from ._response import ApiResponse
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

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
"""Timeouts in seconds: 5 to connect, 30 between bytes read or written, 10 waiting for a pooled connection."""

_PROJECT_ID = "project_id"
_PROJECT_EXTENSION = "apigen.project_id"


@dataclass
class RequestData:
    """One request as generated code describes it, before the runtime adds the URL base, auth and retries.

    ``path_params`` values are already percent-encoded; a ``None`` value is filled in from the client
    (``project_id``: configured, or resolved once from the region's project). ``query``, ``headers`` and
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
class _ResolveProject:
    operation: Operation


_Step = Union[_Send, _Sleep, _ResolveProject]


class BaseClient:
    """Configuration, authentication and the request loop common to the sync and async clients."""

    _api: ClassVar[ApiInfo]

    def __init__(
        self,
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
        api_key: str | None = None,
        bearer_token: str | None = None,
        credentials: Iterable[Credential] | None = None,
        project_id: str | None = None,
        domain_id: str | None = None,
        region: str | None = None,
        base_url: str | Mapping[str, str] | None = None,
        server_variables: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        retry: RetryConfig | int = DEFAULT_RETRY,
        headers: Mapping[str, str] | None = None,
        auth_preference: Sequence[str] = (),
        from_env: bool = True,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        validate_requests: bool = True,
    ) -> None:
        """Configure the client.

        Credentials (each operation uses the first alternative of its security requirements that they satisfy):

        * ``app_key``/``app_secret``: the SMS application's key pair; signs SMS sending (``SDK-HMAC-SHA256``)
          or authenticates it with X-WSSE (put ``"wsse"`` in ``auth_preference`` to prefer WSSE).
        * ``ak``/``sk`` (+ ``security_token`` for temporary keys): account keys for the management API.
        * ``iam_username``/``iam_password``/``iam_domain``: the client obtains an IAM token, caches it until
          shortly before it expires, and refreshes it once on a 401; or ``iam_token``: a ready token.
        * ``api_key``, ``bearer_token``, or any credential objects in ``credentials`` (they come first).

        Unless ``from_env=False``, credentials and settings missing from the arguments are read from the
        environment: ``HUAWEICLOUD_SDK_AK``, ``HUAWEICLOUD_SDK_SK``, ``HUAWEICLOUD_SDK_SECURITY_TOKEN``,
        ``HUAWEICLOUD_SDK_PROJECT_ID``, ``HUAWEICLOUD_SDK_DOMAIN_ID``, ``HUAWEICLOUD_SDK_REGION``,
        ``HUAWEICLOUD_SMS_APP_KEY``, ``HUAWEICLOUD_SMS_APP_SECRET``, ``HUAWEICLOUD_IAM_USERNAME``,
        ``HUAWEICLOUD_IAM_PASSWORD``, ``HUAWEICLOUD_IAM_DOMAIN``, ``HUAWEICLOUD_IAM_TOKEN``.

        ``project_id`` fills ``{project_id}`` in paths and ``X-Project-Id``; when absent it is resolved once
        from ``GET /v3/projects?name=<region>`` and cached. ``region`` fills ``{region}`` in server URLs
        (other variables: ``server_variables``). ``base_url`` sends every operation to one URL (a string)
        or the operations of some tags elsewhere (a mapping from tag to URL).

        ``timeout`` defaults to :data:`DEFAULT_TIMEOUT` (5 s connect, 30 s read/write, 10 s pool; with your
        own ``http_client``, that client's timeout). ``retry`` is a :class:`RetryConfig` or a number of
        retries; see :mod:`._retry` for which failures are retried (POST/PATCH only when the request
        provably never reached the server). ``http_client`` (an ``httpx.Client`` for ``Client``, an
        ``httpx.AsyncClient`` for ``AsyncClient``) or ``transport`` customise the connection; a client you
        pass is not closed by :meth:`close`. Redirects are followed only when that client has
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
        environ: Mapping[str, str] = os.environ if from_env else {}
        found = list(credentials or ())
        found += from_arguments(
            app_key=app_key,
            app_secret=app_secret,
            ak=ak,
            sk=sk,
            security_token=security_token,
            iam_username=iam_username,
            iam_password=iam_password,
            iam_domain=iam_domain,
            iam_token=iam_token,
            project_id=project_id,
            api_key=api_key,
            bearer_token=bearer_token,
        )
        found += credentials_from_env(environ)
        self._credentials: tuple[Credential, ...] = tuple(found)

        self._base_url = base_url
        variables = dict(server_variables or {})
        region = region or environ.get(ENV_REGION) or None
        if region is not None:
            variables["region"] = region
        self._server_variables = variables
        self._client_values: dict[str, str] = {}
        project_id = project_id or environ.get(ENV_PROJECT_ID) or None
        if project_id is not None:
            self._client_values[_PROJECT_ID] = project_id
        self._domain_id = domain_id or environ.get(ENV_DOMAIN_ID) or None
        self._retry = retry if isinstance(retry, RetryConfig) else RetryConfig(max_retries=retry)
        self._headers = dict(headers or {})
        self._auth_preference = tuple(auth_preference)
        self._logger = logging.getLogger(self._api.package)
        install_httpcore_redaction()
        self._user_agent = (
            f"{self._api.package}/{self._api.package_version} python-httpx/{httpx.__version__}"
        )
        self._sensitive = sensitive_names(
            s.parameter for s in self._api.security_schemes.values() if s.kind == "apiKey"
        )
        self._credential_names = _redirects.credential_names(_scheme_names(self._api))
        self._lock = threading.Lock()
        self._auths: dict[str, httpx.Auth | None] = {}
        self._token_sources: dict[tuple[str, ...], _iam.TokenSource] = {}
        self._projects: dict[str, str] = {}
        self._project_lock = threading.Lock()
        self._project_alock: anyio.Lock | None = None
        self._host_headers: dict[str, str | None] = {}
        self._http_timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT
        self._owns_http = True
        self._init_http(http_client, transport, timeout)

    def _init_http(
        self,
        http_client: httpx.Client | httpx.AsyncClient | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        timeout: float | httpx.Timeout | None | Unset,
    ) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        region = self._server_variables.get("region")
        return f"{type(self).__name__}(api={self._api.title!r}, credentials={list(self._credentials)!r}, region={region!r})"

    # -- configuration -------------------------------------------------------------------------------

    def base_url_for(self, operation: Operation) -> str:
        """The URL an operation is sent to: ``base_url`` (or its entry for the tag), else the first server."""
        if isinstance(self._base_url, str):
            return self._base_url.rstrip("/")
        if isinstance(self._base_url, Mapping) and operation.tag in self._base_url:
            return self._base_url[operation.tag].rstrip("/")
        if not operation.servers:
            raise _errors.ApiError(
                f"{operation.operation_id}: the API description names no server; pass base_url"
            )
        return operation.servers[0].render(self._server_variables)

    def region_for(self, operation: Operation) -> str | None:
        region = self._server_variables.get("region")
        if region:
            return region
        for server in operation.servers:
            if "region" in server.variables:
                return server.variables["region"]
        for op in self._api.operations.values():
            for server in op.servers:
                if "region" in server.variables:
                    return server.variables["region"]
        return None

    def client_value(self, operation: Operation, name: str) -> str:
        """A parameter the client supplies (``project_id``): configured, or an error naming what to pass."""
        value = self._client_values.get(name)
        if value is None:
            raise _errors.ApiError(
                f"{operation.operation_id}: no {name} given; pass {name}= to the client"
            )
        return value

    def missing_client_values(self, data: RequestData) -> list[str]:
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

    def auth_for(self, operation: Operation) -> httpx.Auth | None:
        """The ``httpx.Auth`` for an operation (cached), chosen from its security requirements."""
        try:
            return self._auths[operation.operation_id]
        except KeyError:
            pass
        chosen = _auth.choose(operation, self._api, self._credentials, self._auth_preference)
        if isinstance(chosen, str):
            raise _errors.MissingCredentialsError(operation.operation_id, chosen)
        parts = [_auth.build(scheme, credential, self) for scheme, credential in chosen]
        auth = None if not parts else parts[0] if len(parts) == 1 else _auth.ChainAuth(parts)
        with self._lock:
            return self._auths.setdefault(operation.operation_id, auth)

    def token_source(
        self, scheme: SecurityScheme, credential: IamPassword | IamToken
    ) -> _iam.TokenSource:
        """The token cache for an IAM credential, one per (IAM endpoint, user, domain, scope)."""
        if isinstance(credential, IamToken):
            return _iam.TokenSource(None, None, static=credential.token)
        op_id = str(scheme.options.get("token-operation", "createToken"))
        token_op = self._api.operations.get(op_id)
        if token_op is None:
            raise _errors.ApiError(
                f"{scheme.name}: the API description has no token operation {op_id!r}"
            )
        region = self.region_for(token_op)
        body = _iam.token_request_body(credential, region)
        scope = (
            credential.scope
            + ":"
            + (credential.project_id or credential.project_name or region or "")
        )
        key = (self.base_url_for(token_op), credential.username, credential.domain, scope)
        with self._lock:
            source = self._token_sources.get(key)
            if source is None:
                fetch, afetch = self._token_fetchers(scheme, token_op, body)
                source = _iam.TokenSource(fetch, afetch, credential.refresh_margin)
                self._token_sources[key] = source
            return source

    def _token_fetchers(
        self, scheme: SecurityScheme, operation: Operation, body: bytes
    ) -> tuple[Callable[[], _iam.FetchedToken] | None, Callable[[], Any] | None]:
        raise NotImplementedError

    def _token_call(
        self, scheme: SecurityScheme, body: bytes
    ) -> tuple[RequestData, Decoder[_iam.FetchedToken]]:
        header = str(scheme.options.get("token-header", _iam.DEFAULT_SUBJECT_HEADER))
        pointer = str(scheme.options.get("expires-at", _iam.DEFAULT_EXPIRES_AT))

        def decode(response: httpx.Response) -> _iam.FetchedToken:
            return _iam.parse_token_response(response, header, pointer)

        return RequestData(content=body, content_type="application/json"), decode

    def account_headers(
        self, scheme: SecurityScheme, credential: AccessKey
    ) -> Callable[[httpx.Request], Mapping[str, str]]:
        """Per request: ``X-Project-Id`` (or ``X-Domain-Id``) and ``X-Security-Token`` for account keys."""
        project_header = str(scheme.options.get("project-header", "X-Project-Id"))
        domain_header = str(scheme.options.get("domain-header", "X-Domain-Id"))
        token_header = str(scheme.options.get("security-token-header", "X-Security-Token"))

        def headers(request: httpx.Request) -> Mapping[str, str]:
            extra: dict[str, str] = {}
            project = request.extensions.get(_PROJECT_EXTENSION) or self._client_values.get(
                _PROJECT_ID
            )
            if project:
                extra[project_header] = project
            elif self._domain_id:
                extra[domain_header] = self._domain_id
            if credential.security_token:
                extra[token_header] = credential.security_token
            return extra

        return headers

    # -- the project id ------------------------------------------------------------------------------

    def _project_call(
        self, operation: Operation
    ) -> tuple[Operation, str, RequestData, Decoder[str | None]]:
        region = self.region_for(operation)
        list_op = self._api.operations.get("listProjects")
        if list_op is None or region is None:
            raise _errors.ApiError(
                f"{operation.operation_id}: no project_id given; pass project_id= to the client"
            )
        if isinstance(
            _auth.choose(list_op, self._api, self._credentials, self._auth_preference), str
        ):
            raise _errors.MissingCredentialsError(
                operation.operation_id,
                f"no project_id given, and looking it up ({list_op.operation_id}) needs credentials "
                f"these are not: pass project_id= or set {ENV_PROJECT_ID}",
            )

        def decode(response: httpx.Response) -> str | None:
            return _iam.parse_project_id(response, region)

        return list_op, region, RequestData(query=[("name", region)]), decode

    def _found_project(self, operation: Operation, region: str, project_id: str | None) -> str:
        if project_id is None:
            raise _errors.ApiError(
                f"{operation.operation_id}: no project named {region!r} is visible to these credentials; "
                "pass project_id= to the client"
            )
        self._projects[region] = project_id
        return project_id

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

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation,
        data: RequestData,
        options: RequestOptions | None,
        client_values: Mapping[str, str],
    ) -> httpx.Request:
        path = operation.path
        for name, value in data.path_params.items():
            if value is None:
                value = quote(client_values[name], safe="")
            path = path.replace("{" + name + "}", value)
        base = self.base_url_for(operation)
        url = base + path
        if data.query:
            url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in data.query)
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
        if _PROJECT_ID in client_values:
            extensions[_PROJECT_EXTENSION] = client_values[_PROJECT_ID]
        return http.build_request(
            operation.method,
            url,
            headers=headers,
            content=data.content,
            timeout=timeout,
            extensions=extensions,
        )

    def user_agent(self) -> str:
        return self._user_agent

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
        auth = self.auth_for(operation)
        values: dict[str, str] = {}
        for name in self.missing_client_values(data):
            value = self._client_values.get(name)
            if value is None and name == _PROJECT_ID:
                region = self.region_for(operation)
                value = self._projects.get(region) if region else None
                if value is None:
                    value = yield _ResolveProject(operation)
            values[name] = value if value is not None else self.client_value(operation, name)
        request = self.build_request(http, operation, data, options, values)
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
                    if should_retry(method, outcome.status_code):
                        delay = retry_delay(attempt, retry, retry_after)
                        if delay is not None:
                            self._log_retry(
                                operation, attempt, retry, f"HTTP {outcome.status_code}", delay
                            )
                            yield _Sleep(delay)
                            continue
                return self.handle_response(
                    operation, outcome, decode, attempts=attempt, retry_after=retry_after
                )
            if isinstance(outcome, _errors.ApiError) or not isinstance(
                outcome, httpx.TransportError
            ):
                raise outcome
            if should_retry(method, outcome):
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

    def handle_response(
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
            raise _errors.status_error(
                operation.operation_id, response, retry_after=retry_after, attempts=attempts
            )
        if operation.result_code is not None:
            _check_result_code(operation, response, attempts)
        try:
            parsed = decode(response)
        except DecodeError as exc:
            raise _errors.ApiDecodeError(
                operation.operation_id,
                exc.path,
                exc.message,
                response.content,
                status_code=response.status_code,
                request_id=response.headers.get("X-Request-Id"),
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
                request_id=response.headers.get("X-Request-Id"),
            ) from None
        return ApiResponse(
            status_code=response.status_code,
            headers=response.headers,
            parsed=parsed,
            content=response.content,
            http_response=response,
        )


def _scheme_names(api: ApiInfo) -> Iterable[str]:
    """Every header, query or cookie name a security scheme of the API uses (never sent to another origin)."""
    for scheme in api.security_schemes.values():
        yield scheme.parameter
        for key, value in scheme.options.items():
            if key.endswith("-header") and isinstance(value, str):
                yield value


def _check_result_code(operation: Operation, response: httpx.Response, attempts: int) -> None:
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
                operation.operation_id, response, _errors.ResultCodeError, attempts=attempts
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

    def call(
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
                result = self._resolve_project(step.operation)

    def _resolve_project(self, operation: Operation) -> str:
        list_op, region, data, decode = self._project_call(operation)
        with self._project_lock:
            cached = self._projects.get(region)
            if cached is not None:
                return cached
            return self._found_project(operation, region, self.call(list_op, data, decode).parsed)

    def _token_fetchers(
        self, scheme: SecurityScheme, operation: Operation, body: bytes
    ) -> tuple[Callable[[], _iam.FetchedToken] | None, Callable[[], Any] | None]:
        data, decode = self._token_call(scheme, body)

        def fetch() -> _iam.FetchedToken:
            return self.call(operation, data, decode).parsed

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

    async def call(
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
                result = await self._resolve_project(step.operation)

    async def _resolve_project(self, operation: Operation) -> str:
        list_op, region, data, decode = self._project_call(operation)
        if self._project_alock is None:
            self._project_alock = anyio.Lock()
        async with self._project_alock:
            cached = self._projects.get(region)
            if cached is not None:
                return cached
            return self._found_project(
                operation, region, (await self.call(list_op, data, decode)).parsed
            )

    def _token_fetchers(
        self, scheme: SecurityScheme, operation: Operation, body: bytes
    ) -> tuple[Callable[[], _iam.FetchedToken] | None, Callable[[], Any] | None]:
        data, decode = self._token_call(scheme, body)

        async def afetch() -> _iam.FetchedToken:
            return (await self.call(operation, data, decode)).parsed

        return None, afetch

    async def aclose(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
