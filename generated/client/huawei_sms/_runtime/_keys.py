"""Huawei Cloud key pairs: account AK/SK (management calls) and an SMS application's key and secret.

An extension module, shipped only with a package whose API description declares an ``x-apigen-auth``
kind that uses them (``sdk-hmac-sha256``, ``wsse``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._credentials import Credential, gather

_HIDDEN = "***"


def _shown(identifier: str) -> str:
    """An identifier (AK, app key) shortened enough to recognise but not to reuse."""
    return identifier[:4] + "..." if len(identifier) > 4 else "..."


@dataclass(frozen=True, repr=False)
class AccessKey(Credential):
    """Account AK/SK; ``security_token`` for temporary keys; ``domain_id`` for global (domain-level) calls.

    Signs management calls (``SDK-HMAC-SHA256``) and adds ``X-Project-Id`` (or ``X-Domain-Id``) and
    ``X-Security-Token``.
    """

    ak: str
    sk: str
    security_token: str | None = None
    domain_id: str | None = None

    def __repr__(self) -> str:
        token = ", security_token=***" if self.security_token else ""
        return f"AccessKey(ak={_shown(self.ak)!r}, sk={_HIDDEN}{token})"


@dataclass(frozen=True, repr=False)
class AppKey(Credential):
    """An SMS application's key and secret: they sign (``SDK-HMAC-SHA256``) or WSSE-authenticate sends."""

    app_key: str
    app_secret: str

    def __repr__(self) -> str:
        return f"AppKey(app_key={_shown(self.app_key)!r}, app_secret={_HIDDEN})"


def access_key_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    return [
        AccessKey(v["ak"], v["sk"], v.get("security_token") or None, v.get("domain_id") or None)
        for v in gather(values, keywords, env, env_names, ("ak", "sk"))
    ]


def app_key_credential(
    scheme: str,
    values: Mapping[str, str | None],
    keywords: Mapping[str, str],
    env: Mapping[str, str],
    env_names: Mapping[str, str],
) -> list[Credential]:
    sets = gather(values, keywords, env, env_names, ("app_key", "app_secret"))
    return [AppKey(v["app_key"], v["app_secret"]) for v in sets]
