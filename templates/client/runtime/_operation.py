"""What generated code tells the runtime about the API and each operation: plain frozen data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Server:
    """A server URL template with its variables' defaults, e.g. ``https://api.{region}.example.com``.

    ``choices`` names, per variable, the values this server is chosen for (its ``enum`` and
    ``x-apigen-regions``): an operation with several servers is sent to the first one whose choices hold
    the value the client was given.
    """

    url: str
    variables: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def render(self, overrides: Mapping[str, str]) -> str:
        url = self.url
        for name, default in self.variables.items():
            url = url.replace("{" + name + "}", overrides.get(name, default))
        return url.rstrip("/")

    def serves(self, name: str, value: str) -> bool:
        """Whether this server lists ``value`` among the choices of its variable ``name``."""
        return value in self.choices.get(name, ())


@dataclass(frozen=True)
class OAuthFlow:
    """An OAuth2 flow the client can run: ``clientCredentials`` or ``password``, with its token URL."""

    kind: str
    token_url: str
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme from ``components.securitySchemes``.

    ``kind`` is ``apiKey``, ``http`` (with ``scheme``), ``oauth2``, ``openIdConnect``, ``mutualTLS``, or the
    kind an ``x-apigen-auth`` extension declares (an extension module of the package implements it);
    ``options`` holds the rest of that extension.
    """

    name: str
    kind: str
    location: str = ""  # apiKey: header, query or cookie
    parameter: str = ""  # apiKey: the header/query/cookie name
    scheme: str = ""  # http: basic, bearer, ...
    options: Mapping[str, Any] = field(default_factory=dict)
    flows: tuple[OAuthFlow, ...] = ()


@dataclass(frozen=True)
class ResultCode:
    """A body field whose value says whether the call succeeded even on HTTP 200."""

    field: str
    success: tuple[str, ...]


@dataclass(frozen=True)
class ErrorShape:
    """Where an error body holds its code, message, detail and request id: JSON pointers, first present wins.

    ``when`` is a pointer that must be present for the shape to apply (``""``: always).
    """

    code: tuple[str, ...] = ()
    message: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    request_id: tuple[str, ...] = ()
    when: str = ""


@dataclass(frozen=True)
class Lookup:
    """How the client finds a parameter it supplies (``x-apigen-lookup``) when it was not given.

    It calls ``operation`` once (``query`` values may name server variables as ``{name}``), takes the
    list at ``items`` (a JSON pointer), the first item whose ``match`` fields equal the given texts, and
    returns its ``value`` field; the result is cached per set of query values.
    """

    operation: str
    items: str
    value: str
    query: tuple[tuple[str, str], ...] = ()
    match: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Operation:
    """One operation: enough for the runtime to build, authenticate, send and classify the request."""

    operation_id: str
    method: str
    path: str
    tag: str
    servers: tuple[Server, ...]
    # alternatives, each a set of schemes that must all be satisfied; () allows anonymous calls
    security: tuple[tuple[str, ...], ...] = ()
    result_code: ResultCode | None = None
    idempotency_key: str = ""  # a header carrying one key per logical call, reused on every retry
    # status ("404", "4XX", "default") -> decoder of the error body the API description declares for it
    errors: Mapping[str, Callable[[Any, str], Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class ApiInfo:
    """The API as a whole: title, version, the package that was generated, its security schemes."""

    title: str
    version: str
    package: str
    package_version: str
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict)
    operations: Mapping[str, Operation] = field(default_factory=dict)
    errors: tuple[
        ErrorShape, ...
    ] = ()  # the error body shapes the API declares (else a generic default)
    request_id_header: str = "X-Request-Id"
    lookups: Mapping[str, Lookup] = field(
        default_factory=dict
    )  # client-supplied parameter -> lookup
