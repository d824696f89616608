"""What generated code tells the runtime about the API and each operation: plain frozen data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Server:
    """A server URL template with its variables' defaults, e.g. ``https://smsapi.{region}.example.com``."""

    url: str
    variables: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    def render(self, overrides: Mapping[str, str]) -> str:
        url = self.url
        for name, default in self.variables.items():
            url = url.replace("{" + name + "}", overrides.get(name, default))
        return url.rstrip("/")


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme from ``components.securitySchemes``.

    ``kind`` is ``apiKey``, ``http`` (with ``scheme``), ``oauth2``, ``openIdConnect``, ``mutualTLS``, or the
    kind an ``x-apigen-auth`` extension declares (``iam-token``, ``sdk-hmac-sha256``, ``wsse``); ``options``
    holds the rest of that extension.
    """

    name: str
    kind: str
    location: str = ""  # apiKey: header, query or cookie
    parameter: str = ""  # apiKey: the header/query/cookie name
    scheme: str = ""  # http: basic, bearer, ...
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultCode:
    """A body field whose value says whether the call succeeded even on HTTP 200 (SMS ``code``)."""

    field: str
    success: tuple[str, ...]


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


@dataclass(frozen=True)
class ApiInfo:
    """The API as a whole: title, version, the package that was generated, its security schemes."""

    title: str
    version: str
    package: str
    package_version: str
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict)
    operations: Mapping[str, Operation] = field(default_factory=dict)
