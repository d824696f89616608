"""The request loop shared by ``Client`` and ``AsyncClient``: URL, headers, send, classify, decode."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx

from . import _errors
from ._operation import ApiInfo, Operation
from ._response import ApiResponse
from ._types import UNSET, Unset
from ._wire import DecodeError

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@dataclass
class RequestData:
    """One request as generated code describes it, before the runtime adds the URL base, auth and retries.

    ``path_params`` values are already percent-encoded; a ``None`` value is filled in from the client
    (``project_id`` and the like). ``query``, ``headers`` and ``cookies`` are (name, text) pairs.
    """

    path_params: dict[str, str | None] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    content: bytes | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides."""

    timeout: float | httpx.Timeout | None | Unset = UNSET
    extra_headers: Mapping[str, str] | None = None


Decoder = Callable[[httpx.Response], T]


class BaseClient:
    """Configuration and request building common to the sync and async clients."""

    _api: ClassVar[ApiInfo]

    def __init__(
        self,
        *,
        base_url: str | Mapping[str, str] | None = None,
        region: str | None = None,
        server_variables: Mapping[str, str] | None = None,
        project_id: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Configure the client.

        ``base_url`` sends every operation to one URL (a string), or the operations of some tags to other
        URLs (a mapping from tag name to URL); otherwise each operation goes to its first server in the API
        description, with the server variables filled from ``server_variables`` and ``region``.
        """
        self._base_url = base_url
        variables = dict(server_variables or {})
        if region is not None:
            variables["region"] = region
        self._server_variables = variables
        self._client_values: dict[str, str] = {}
        if project_id is not None:
            self._client_values["project_id"] = project_id
        self._timeout = timeout
        self._headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api={self._api.title!r})"

    # -- building a request ------------------------------------------------------------------------

    def base_url_for(self, operation: Operation) -> str:
        if isinstance(self._base_url, str):
            return self._base_url.rstrip("/")
        if isinstance(self._base_url, Mapping) and operation.tag in self._base_url:
            return self._base_url[operation.tag].rstrip("/")
        if not operation.servers:
            raise _errors.ApiError(f"{operation.operation_id}: the API description names no server; pass base_url")
        return operation.servers[0].render(self._server_variables)

    def client_value(self, operation: Operation, name: str) -> str:
        """A parameter the client supplies (``project_id``): configured, or an error naming what to pass."""
        value = self._client_values.get(name)
        if value is None:
            raise _errors.ApiError(f"{operation.operation_id}: no {name} given; pass {name}= to the client or the call")
        return value

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
                value = client_values[name]
            path = path.replace("{" + name + "}", value)
        headers: list[tuple[str, str]] = [("User-Agent", self.user_agent())]
        headers.extend(self._headers.items())
        if data.content_type is not None:
            headers.append(("Content-Type", data.content_type))
        headers.extend(data.headers)
        if data.cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in data.cookies)))
        if options is not None and options.extra_headers:
            headers.extend(options.extra_headers.items())
        timeout = self._timeout
        if options is not None and not isinstance(options.timeout, Unset):
            timeout = options.timeout
        return http.build_request(
            operation.method,
            self.base_url_for(operation) + path,
            params=tuple(data.query) or None,
            headers=headers,
            content=data.content,
            timeout=timeout,
        )

    def user_agent(self) -> str:
        return f"{self._api.package}/{self._api.package_version} python-httpx/{httpx.__version__}"

    # -- classifying a response --------------------------------------------------------------------

    def handle_response(self, operation: Operation, response: httpx.Response, decode: Decoder[T]) -> ApiResponse[T]:
        if response.status_code >= 400:
            raise _errors.status_error(operation.operation_id, response)
        try:
            parsed = decode(response)
        except DecodeError as exc:
            raise _errors.ApiDecodeError(operation.operation_id, exc.path, exc.message, response.content) from None
        return ApiResponse(
            status_code=response.status_code,
            headers=response.headers,
            parsed=parsed,
            content=response.content,
            http_response=response,
        )

    def missing_client_values(self, data: RequestData) -> list[str]:
        return [name for name, value in data.path_params.items() if value is None]


class SyncAPIClient(BaseClient):
    """The synchronous client: one ``httpx.Client`` (yours, or one it creates and closes)."""

    def __init__(
        self,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(transport=transport, timeout=self._timeout)

    def call(
        self, operation: Operation, data: RequestData, decode: Decoder[T], options: RequestOptions | None = None
    ) -> ApiResponse[T]:
        values = {name: self.client_value(operation, name) for name in self.missing_client_values(data)}
        request = self.build_request(self._http, operation, data, options, values)
        try:
            response = self._http.send(request)
            response.read()
        except httpx.TimeoutException as exc:
            raise _errors.ApiTimeoutError(f"{operation.operation_id}: {type(exc).__name__}") from None
        except httpx.TransportError as exc:
            raise _errors.ApiConnectionError(f"{operation.operation_id}: {type(exc).__name__}") from None
        return self.handle_response(operation, response, decode)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    """The asyncio client: one ``httpx.AsyncClient`` (yours, or one it creates and closes)."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=self._timeout)

    async def call(
        self, operation: Operation, data: RequestData, decode: Decoder[T], options: RequestOptions | None = None
    ) -> ApiResponse[T]:
        values = {name: self.client_value(operation, name) for name in self.missing_client_values(data)}
        request = self.build_request(self._http, operation, data, options, values)
        try:
            response = await self._http.send(request)
            await response.aread()
        except httpx.TimeoutException as exc:
            raise _errors.ApiTimeoutError(f"{operation.operation_id}: {type(exc).__name__}") from None
        except httpx.TransportError as exc:
            raise _errors.ApiConnectionError(f"{operation.operation_id}: {type(exc).__name__}") from None
        return self.handle_response(operation, response, decode)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


_S = TypeVar("_S", bound=SyncAPIClient)
_A = TypeVar("_A", bound=AsyncAPIClient)
