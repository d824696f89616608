"""Checks of signed Huawei requests for the testing kit's fake: SDK-HMAC-SHA256 signatures and X-WSSE digests.

Shipped with the signing or WSSE extension; the generated ``testing`` module gives these verifiers to the
fake, which recomputes each signature from the secrets it is given (``FakeApi(keys={key: secret})``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote

import httpx

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_SDK_HMAC = re.compile(
    r"SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})"
)
_WSSE_FIELD = re.compile(r'(\w+)="([^"]*)"')


def _escape(raw: bytes) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in raw)


def verify_hmac(request: httpx.Request, content: bytes, keys: Mapping[str, str]) -> str:
    """Recompute an ``SDK-HMAC-SHA256`` signature (canonical request, string to sign, HMAC)."""
    match = _SDK_HMAC.fullmatch(request.headers.get("authorization", "").strip())
    if match is None:
        return "malformed SDK-HMAC-SHA256 Authorization header"
    access, signed_list, sent = match.groups()
    secret = keys.get(access)
    if secret is None:
        return f"unknown access key {access!r}"
    signed = signed_list.split(";")
    if "host" not in signed or "x-sdk-date" not in signed:
        return "host and x-sdk-date must be signed"
    if any(name not in request.headers for name in signed):
        return "a signed header is missing"
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    path = "/".join(_escape(unquote(part).encode()) for part in raw_path.split("/"))
    pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
    query = "&".join(f"{_escape(k.encode())}={_escape(v.encode())}" for k, v in pairs)
    headers = "".join(f"{name}:{request.headers[name].strip()}\n" for name in signed)
    unsigned = request.headers.get("x-sdk-content-sha256") == "UNSIGNED-PAYLOAD"
    payload = (
        "UNSIGNED-PAYLOAD" if unsigned and "x-sdk-content-sha256" in signed else _sha256(content)
    )
    canonical = "\n".join(
        [
            request.method.upper(),
            path if path.endswith("/") else path + "/",
            query,
            headers,
            ";".join(signed),
            payload,
        ]
    )
    to_sign = f"SDK-HMAC-SHA256\n{request.headers['x-sdk-date']}\n{_sha256(canonical.encode())}"
    expected = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return "" if hmac.compare_digest(expected, sent) else "the signature does not verify"


def verify_wsse(request: httpx.Request, keys: Mapping[str, str]) -> str:
    """Recompute an X-WSSE ``PasswordDigest``: Base64 of the hex SHA-256 of nonce + created + secret."""
    fields = dict(_WSSE_FIELD.findall(request.headers.get("x-wsse", "")))
    username, digest = fields.get("Username", ""), fields.get("PasswordDigest", "")
    secret = keys.get(username)
    if secret is None:
        return f"unknown app key {username!r}"
    text = fields.get("Nonce", "") + fields.get("Created", "") + secret
    expected = base64.b64encode(_sha256(text.encode()).encode()).decode()
    return "" if hmac.compare_digest(expected, digest) else "the PasswordDigest does not verify"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Hmac:
    uses_authorization = True

    def present(self, request: httpx.Request) -> bool:
        return (
            request.headers.get("authorization", "").startswith("SDK-HMAC-SHA256 ")
            and "x-sdk-date" in request.headers
        )

    def verify(self, request: httpx.Request, content: bytes, keys: Mapping[str, str]) -> str:
        return verify_hmac(request, content, keys)


class _Wsse:
    uses_authorization = False

    def present(self, request: httpx.Request) -> bool:
        return "x-wsse" in request.headers and request.headers.get("authorization", "").startswith(
            "WSSE "
        )

    def verify(self, request: httpx.Request, content: bytes, keys: Mapping[str, str]) -> str:
        return verify_wsse(request, keys)


VERIFIERS: Mapping[str, _Hmac | _Wsse] = {"sdk-hmac-sha256": _Hmac(), "wsse": _Wsse()}
"""By ``x-apigen-auth`` kind."""
