"""Security requirements and schemes -> IR."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.build.raw import _items, _mapping, _plain
from generator.model.build.servers import ServerBuilder


class SecurityBuilder(ServerBuilder):
    def security(self, raw: Any) -> tuple[tuple[str, ...], ...]:
        if raw is None:
            return ()
        return tuple(tuple(req) for req in _items(raw) if isinstance(req, dict))


    def security_schemes(self, raw: Mapping[str, Any]) -> tuple[ir.SecurityScheme, ...]:
        out = []
        for name in sorted(raw):
            scheme = _mapping(raw[name])
            ext = scheme.get("x-apigen-auth")
            options: dict[str, Any] = {}
            kind = str(scheme.get("type", ""))
            if isinstance(ext, dict):
                options = {k: v for k, v in ext.items() if k != "kind" and _plain(v)}
                kind = str(ext.get("kind", kind))
            if scheme.get("type") == "oauth2":
                options.setdefault("flows", sorted(_mapping(scheme.get("flows")).keys()))
            if scheme.get("type") == "openIdConnect":
                options.setdefault("openIdConnectUrl", scheme.get("openIdConnectUrl", ""))
            out.append(
                ir.SecurityScheme(
                    name=name,
                    kind=kind,
                    description=str(scheme.get("description", "") or ""),
                    location=str(scheme.get("in", "")),
                    parameter=str(scheme.get("name", "")),
                    scheme=str(scheme.get("scheme", "")).lower(),
                    options=tuple(sorted(options.items())),
                    source=self.where(raw, name),
                )
            )
        return tuple(out)

