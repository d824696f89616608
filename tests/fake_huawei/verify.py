"""The fake server's own checks of AK/SK signatures and X-WSSE digests.

Written from Huawei's signing guide independently of the client's signer (byte-level encoding, the
standard library's query parser), so a shared misunderstanding does not make both sides agree.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, unquote_to_bytes

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_EMPTY = hashlib.sha256(b"").hexdigest()
_AUTH_RE = re.compile(
    r"SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<sig>[0-9a-f]{64})"
)
_PAIR_RE = re.compile(r'(\w+)="([^"]*)"')


class AuthFailure(Exception):
    """Why a request's authentication was rejected (``code`` is the error code the server answers with)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _pct(raw: bytes) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in raw)


def canonical_path(raw_path: str) -> str:
    segments = unquote_to_bytes(raw_path).split(b"/")
    text = "/".join(_pct(segment) for segment in segments)
    return text if text.endswith("/") else text + "/"


def canonical_query_string(raw_query: str) -> str:
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    pairs.sort()
    return "&".join(_pct(k.encode()) + "=" + _pct(v.encode()) for k, v in pairs)


def verify_sdk_hmac(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    header: Callable[[str], str | None],
    body: bytes,
    secrets: Mapping[str, str],
    max_skew: float,
    now: float | None = None,
) -> str:
    """Check an ``SDK-HMAC-SHA256`` request; return the access key, or raise :class:`AuthFailure`."""
    authorization = header("Authorization")
    if not authorization:
        raise AuthFailure(
            "APIGW.0301",
            "Incorrect IAM authentication information: Authorization header is missing",
        )
    match = _AUTH_RE.fullmatch(authorization.strip())
    if match is None:
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: malformed Authorization header"
        )
    access_key = match["ak"]
    secret = secrets.get(access_key)
    if secret is None:
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: unknown access key"
        )
    date = header("X-Sdk-Date")
    if not date:
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date is missing"
        )
    try:
        signed_at = calendar.timegm(time.strptime(date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: malformed X-Sdk-Date"
        ) from None
    if abs((time.time() if now is None else now) - signed_at) > max_skew:
        raise AuthFailure(
            "APIGW.0303", "Incorrect IAM authentication information: the request date is stale"
        )
    signed = match["signed"].split(";")
    if signed != sorted(signed) or any(n != n.lower() for n in signed):
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: SignedHeaders not sorted"
        )
    if "host" not in signed or "x-sdk-date" not in signed:
        raise AuthFailure(
            "APIGW.0301",
            "Incorrect IAM authentication information: host and x-sdk-date must be signed",
        )
    lines = []
    for name in signed:
        value = header(name)
        if value is None:
            raise AuthFailure(
                "APIGW.0301",
                f"Incorrect IAM authentication information: signed header {name} is missing",
            )
        lines.append(f"{name}:{value.strip()}\n")
    if not body:
        body_hash = _EMPTY
    elif (
        header("X-Sdk-Content-Sha256") or ""
    ) == "UNSIGNED-PAYLOAD" and "x-sdk-content-sha256" in signed:
        body_hash = "UNSIGNED-PAYLOAD"
    else:
        body_hash = hashlib.sha256(body).hexdigest()
    canonical = "\n".join(
        [
            method.upper(),
            canonical_path(raw_path),
            canonical_query_string(raw_query),
            "".join(lines),
            ";".join(signed),
            body_hash,
        ]
    )
    to_sign = (
        "SDK-HMAC-SHA256\n" + date + "\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    )
    expected = hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match["sig"]):
        raise AuthFailure(
            "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail"
        )
    return access_key


def verify_wsse(
    *,
    header: Callable[[str], str | None],
    secrets: Mapping[str, str],
    seen_nonces: set[str],
    max_skew: float,
    now: float | None = None,
) -> str:
    """Check ``Authorization: WSSE ...`` and ``X-WSSE``; return the app key, or raise :class:`AuthFailure`."""
    authorization = header("Authorization")
    if not authorization:
        raise AuthFailure("E000001", "Authorization header is missing.")
    if not authorization.startswith("WSSE "):
        raise AuthFailure("E000001", "Authorization header is not WSSE.")
    params = dict(_PAIR_RE.findall(authorization))
    if params.get("realm") != "SDP":
        raise AuthFailure("E000002", "realm in the Authorization header is wrong.")
    if params.get("profile") != "UsernameToken":
        raise AuthFailure("E000003", "profile in the Authorization header is wrong.")
    if params.get("type") != "Appkey":
        raise AuthFailure("E000004", "type in the Authorization header is wrong.")
    wsse = header("X-WSSE")
    if not wsse:
        raise AuthFailure("E000005", "X-WSSE header is missing.")
    if not wsse.startswith("UsernameToken "):
        raise AuthFailure("E000006", "X-WSSE is not a UsernameToken.")
    fields = dict(_PAIR_RE.findall(wsse))
    for index, name in enumerate(("Username", "PasswordDigest", "Nonce", "Created")):
        if not fields.get(name):
            raise AuthFailure(f"E00002{index}", f"{name} is missing from X-WSSE.")
    secret = secrets.get(fields["Username"])
    if secret is None:
        raise AuthFailure("E000007", "The app key is unknown.")
    if not re.fullmatch(r"[0-9A-Za-z]{1,128}", fields["Nonce"]):
        raise AuthFailure("E000008", "Nonce is malformed.")
    try:
        created = calendar.timegm(time.strptime(fields["Created"], "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        raise AuthFailure("E000008", "Created is malformed.") from None
    if abs((time.time() if now is None else now) - created) > max_skew:
        raise AuthFailure("E000008", "Created is stale.")
    material = (fields["Nonce"] + fields["Created"] + secret).encode("utf-8")
    expected = base64.b64encode(hashlib.sha256(material).hexdigest().encode("ascii")).decode(
        "ascii"
    )
    if not hmac.compare_digest(expected, fields["PasswordDigest"]):
        raise AuthFailure("E000007", "PasswordDigest is wrong.")
    if fields["Nonce"] in seen_nonces:
        raise AuthFailure("E000008", "Nonce was used before.")
    seen_nonces.add(fields["Nonce"])
    return fields["Username"]
