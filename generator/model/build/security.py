"""Security requirements and schemes -> IR."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.build.raw import is_plain, mapping, mappings, text
from generator.model.build.servers import ServerBuilder


class SecurityBuilder(ServerBuilder):
    def security(self, raw: Any) -> tuple[tuple[str, ...], ...]:
        if raw is None:
            return ()
        return tuple(tuple(req) for req in mappings(raw))

    def security_schemes(self, raw: Mapping[str, Any]) -> tuple[ir.SecurityScheme, ...]:
        out = []
        for name in sorted(raw):
            scheme = mapping(raw[name])
            ext = mapping(scheme, "x-apigen-auth")
            options: dict[str, Any] = {k: v for k, v in ext.items() if k != "kind" and is_plain(v)}
            kind = str(ext.get("kind", scheme.get("type", "")))
            if scheme.get("type") == "oauth2":
                options.setdefault("flows", sorted(mapping(scheme, "flows").keys()))
            if scheme.get("type") == "openIdConnect":
                options.setdefault("openIdConnectUrl", scheme.get("openIdConnectUrl", ""))
            out.append(
                ir.SecurityScheme(
                    name=name,
                    kind=kind,
                    description=text(scheme, "description"),
                    location=str(scheme.get("in", "")),
                    parameter=str(scheme.get("name", "")),
                    scheme=str(scheme.get("scheme", "")).lower(),
                    options=tuple(sorted(options.items())),
                    source=self.where(raw, name),
                )
            )
        return tuple(out)

