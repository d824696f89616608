"""Security requirements and schemes -> IR."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.build.extensions import env_pairs, oauth_flows
from generator.model.build.raw import is_plain, items, mapping, text
from generator.spec.diagnostics import pointer_join
from generator.model.build.servers import ServerBuilder


class SecurityBuilder(ServerBuilder):
    def security(self, raw: Any, pointer: str = "#/security") -> tuple[tuple[str, ...], ...]:
        """The alternatives of a ``security`` list, each the scheme names it needs together. A name that
        ``components.securitySchemes`` does not declare (often a Swagger 2 ``securityDefinitions`` left over)
        is dropped with a warning: the client cannot send a credential for it, and keeping it would make
        every call refuse for want of one. What remains of the alternative still applies (nothing left:
        the call goes out without a credential, as an empty alternative says)."""
        if raw is None:
            return ()
        declared = mapping(mapping(self.doc, "components"), "securitySchemes")
        alternatives: list[tuple[str, ...]] = []
        for i, requirement in enumerate(items(raw)):
            if not isinstance(requirement, dict):
                continue
            names: list[str] = []
            for name in requirement:
                if name in declared:
                    names.append(name)
                    continue
                self.warn(
                    f"security requirement names {name!r}, which components.securitySchemes does not declare: "
                    "the client sends no credential for it",
                    requirement, name, pointer_join(pointer, str(i), name),
                    code="security requirement names an undeclared scheme",
                )  # fmt: skip
            if tuple(names) not in alternatives:
                alternatives.append(tuple(names))
        return tuple(alternatives)

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
                    env=env_pairs(scheme.get("x-apigen-env")),
                    flows=oauth_flows(scheme.get("flows")) if scheme.get("type") == "oauth2" else (),
                    source=self.where(raw, name),
                )
            )
        return tuple(out)

