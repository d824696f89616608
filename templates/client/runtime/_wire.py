"""Wire codecs: JSON values to typed Python values and back, parameters per style, bodies per media type.

Decoders take the raw value and the JSON path of where it was found, so a malformed response names the
exact place (``$.result[2].createTime``). Generated model code calls these; nothing here inspects types
at run time beyond checking the JSON value it was given.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import enum
import json
import math
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

import httpx

from ._types import FileUpload, Unset

T = TypeVar("T")
_E = TypeVar("_E", bound=enum.Enum)


class DecodeError(ValueError):
    """A response body did not have the shape the API description promised."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _fail(path: str, expected: str, value: object) -> DecodeError:
    return DecodeError(path, f"expected {expected}, got {_kind(value)}")


# -- decoders ----------------------------------------------------------------------------------------


def d_str(value: object, path: str) -> str:
    if isinstance(value, str):
        return value
    raise _fail(path, "string", value)


def d_int(value: object, path: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _fail(path, "integer", value)


def d_float(value: object, path: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _fail(path, "number", value)


def d_bool(value: object, path: str) -> bool:
    if isinstance(value, bool):
        return value
    raise _fail(path, "boolean", value)


def d_any(value: object, path: str) -> Any:
    return value


def d_null(value: object, path: str) -> Any:
    if value is None:
        return None
    raise _fail(path, "null", value)


def d_datetime(value: object, path: str) -> _dt.datetime:
    text = d_str(value, path)
    try:
        return _dt.datetime.fromisoformat(
            text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        )
    except ValueError:
        raise DecodeError(path, f"expected an RFC 3339 date-time, got {text!r}") from None


def d_date(value: object, path: str) -> _dt.date:
    text = d_str(value, path)
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise DecodeError(path, f"expected an RFC 3339 full-date, got {text!r}") from None


def d_uuid(value: object, path: str) -> uuid.UUID:
    text = d_str(value, path)
    try:
        return uuid.UUID(text)
    except ValueError:
        raise DecodeError(path, f"expected a UUID, got {text!r}") from None


def d_bytes(value: object, path: str) -> bytes:
    text = d_str(value, path)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DecodeError(path, "expected base64-encoded bytes") from None


def d_list(value: object, path: str, item: Callable[[object, str], T]) -> list[T]:
    if not isinstance(value, list):
        raise _fail(path, "array", value)
    return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]


def d_map(value: object, path: str, item: Callable[[object, str], T]) -> dict[str, T]:
    if not isinstance(value, dict):
        raise _fail(path, "object", value)
    return {k: item(v, member_path(path, k)) for k, v in value.items()}


def d_object(value: object, path: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _fail(path, "object", value)


def d_nullable(value: object, path: str, inner: Callable[[object, str], T]) -> T | None:
    return None if value is None else inner(value, path)


def d_enum(value: object, path: str, enum_type: type[_E]) -> _E:
    try:
        return enum_type(value)
    except ValueError:
        raise DecodeError(path, f"{value!r} is not a valid {enum_type.__name__}") from None


def d_required(data: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in data:
        raise DecodeError(member_path(path, key), "required field is missing")
    return data[key]


def d_one_of(
    value: object, path: str, variants: Sequence[Callable[[object, str], Any]], name: str
) -> Any:
    """Decode with the first variant that accepts ``value`` (a oneOf/anyOf without a discriminator)."""
    errors: list[str] = []
    for variant in variants:
        try:
            return variant(value, path)
        except DecodeError as exc:
            errors.append(exc.message)
    raise DecodeError(path, f"matches no variant of {name} ({'; '.join(errors)})")


def d_discriminated(
    value: object,
    path: str,
    prop: str,
    mapping: Mapping[str, Callable[[object, str], Any]],
    name: str,
    fallback: Callable[[object, str], Any] | None = None,
) -> Any:
    data = d_object(value, path)
    tag = data.get(prop)
    decoder = mapping.get(tag) if isinstance(tag, str) else None
    if decoder is not None:
        return decoder(value, path)
    if fallback is not None:
        return fallback(value, path)
    raise DecodeError(member_path(path, prop), f"unknown {name} discriminator {tag!r}")


_JSON = "apigen.json"  # where a response's parsed body is kept, so it is parsed once


def response_json(response: httpx.Response) -> Any:
    """The response body as JSON, parsed once per response (the result-code check and the decoder share it)."""
    try:
        return response.extensions[_JSON]
    except KeyError:
        parsed = response.extensions[_JSON] = json_body(response.content)
        return parsed


def json_body(content: bytes) -> Any:
    """Parse a JSON response body; a malformed one raises :class:`DecodeError` at ``$``."""
    try:
        return json.loads(content)
    except RecursionError:
        raise DecodeError("$", "invalid JSON (nested too deeply)") from None
    except ValueError as exc:
        raise DecodeError("$", f"invalid JSON ({exc})") from None


def member_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


# -- encoders ----------------------------------------------------------------------------------------


def e_datetime(value: _dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def e_date(value: _dt.date) -> str:
    return value.isoformat()


def e_bytes(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def e_float(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise ValueError("JSON cannot carry NaN or infinity")
    return value


# -- x-apigen-wire: a list or JSON value on the caller's side, one string on the wire --------------------

_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _conform(value: object, shape: str, path: str) -> None:
    """Raise ``TypeError`` naming ``path`` when ``value`` is not of ``shape`` (``str``, ``list[int]``, ...)."""
    if shape == "any":
        return
    if shape.startswith("list[") and shape.endswith("]"):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{path}: expected a list, got {_type_name(value)}")
        for i, item in enumerate(value):
            _conform(item, shape[5:-1], f"{path}[{i}]")
        return
    if shape.startswith("dict[") and shape.endswith("]"):
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise TypeError(f"{path}: expected a dict with str keys, got {_type_name(value)}")
        for k, item in value.items():
            _conform(item, shape[5:-1], member_path(path, k))
        return
    if isinstance(value, enum.Enum):
        value = value.value
    kinds = _KINDS.get(shape)
    if kinds is None:
        return
    if isinstance(value, bool) and shape != "bool" or not isinstance(value, kinds):
        raise TypeError(f"{path}: expected {shape}, got {_type_name(value)}")


def e_join(value: object, separator: str, name: str, item: str = "str") -> str | Unset:
    """``x-apigen-wire: {join: separator}``: a list's items as text joined by ``separator``; a string (the
    ready wire text) or ``UNSET`` passes through. Anything else raises ``TypeError`` naming ``name``.
    """
    if isinstance(value, (str, Unset)):
        return value
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: expected a list of {item} or a str, got {_type_name(value)}")
    _conform(value, f"list[{item}]", name)
    return separator.join(text_value(v) for v in value)


def e_json(value: object, name: str, shape: str = "any") -> str | Unset:
    """``x-apigen-wire: json``: the value JSON-encoded into one string; a string (the ready wire text) or
    ``UNSET`` passes through. A value not of ``shape`` raises ``TypeError`` naming ``name``."""
    if isinstance(value, (str, Unset)):
        return value
    _conform(value, shape, name)
    try:
        return json.dumps(
            to_json_value(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: cannot be encoded as JSON ({exc})") from None


def joined_count(value: object, separator: str) -> int:
    """How many items a joined-list value holds (a ready string is split by ``separator``)."""
    if isinstance(value, str):
        return len(value.split(separator)) if value else 0
    return len(value) if isinstance(value, (list, tuple)) else 0


def to_json_value(value: Any) -> Any:
    """Encode a value built by generated code (models already encoded) into plain JSON data."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.datetime):
        return e_datetime(value)
    if isinstance(value, _dt.date):
        return e_date(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return e_bytes(value)
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items() if not isinstance(v, Unset)}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    to_wire = getattr(value, "to_wire", None)
    if callable(to_wire):
        return to_wire()
    return value


def json_bytes(value: Any) -> bytes:
    return json.dumps(
        to_json_value(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def text_value(value: Any) -> str:
    """The text of a primitive in a URL, header or form field (``true``, not ``True``)."""
    if type(value) is str:  # the common case, first
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return e_datetime(value)
    if isinstance(value, _dt.date):
        return e_date(value)
    if isinstance(value, (dict, list)) or hasattr(value, "to_wire"):
        return json.dumps(to_json_value(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def members(value: Any) -> list[tuple[str, Any]]:
    """The (wire name, value) pairs of a model or mapping, for form and multipart bodies."""
    return _members(value) or []


def _members(value: Any) -> list[tuple[str, Any]] | None:
    if hasattr(value, "to_wire"):
        value = value.to_wire()
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items()]
    return None


def path_param(value: Any, style: str = "simple", explode: bool = False, name: str = "") -> str:
    """Encode one path parameter per OpenAPI ``style``/``explode``; the result is already percent-encoded."""

    def enc(v: Any) -> str:
        text = quote(text_value(v), safe="")
        # "." and ".." would be removed as dot segments by URL normalisation: a different resource
        return text.replace(".", "%2E") if text in (".", "..") else text

    members = _members(value)
    if isinstance(value, (list, tuple)):
        items = [enc(v) for v in value]
        if style == "label":
            return "." + ("." if explode else ",").join(items)
        if style == "matrix":
            if explode:
                return "".join(f";{name}={v}" for v in items)
            return f";{name}=" + ",".join(items)
        return ",".join(items)
    if members is not None:
        if explode:
            pairs = [f"{enc(k)}={enc(v)}" for k, v in members]
        else:
            pairs = [f"{enc(k)},{enc(v)}" for k, v in members]
        if style == "label":
            return "." + ("." if explode else ",").join(pairs)
        if style == "matrix":
            if explode:
                return "".join(f";{p}" for p in pairs)
            return f";{name}=" + ",".join(pairs)
        return ",".join(pairs)
    if style == "label":
        return "." + enc(value)
    if style == "matrix":
        return f";{name}={enc(value)}"
    return enc(value)


def query_param(
    name: str, value: Any, style: str = "form", explode: bool = True
) -> list[tuple[str, str]]:
    """Encode one query parameter into (name, text) pairs per OpenAPI ``style``/``explode``."""
    if isinstance(value, Unset):
        return []
    members = _members(value)
    if isinstance(value, (list, tuple)):
        texts = [text_value(v) for v in value]
        if style == "spaceDelimited" and not explode:
            return [(name, " ".join(texts))]
        if style == "pipeDelimited" and not explode:
            return [(name, "|".join(texts))]
        if explode:
            return [(name, t) for t in texts]
        return [(name, ",".join(texts))]
    if members is not None:
        if style == "deepObject":
            return [(f"{name}[{k}]", text_value(v)) for k, v in members]
        if explode:
            return [(k, text_value(v)) for k, v in members]
        return [(name, ",".join(f"{k},{text_value(v)}" for k, v in members))]
    return [(name, text_value(value))]


def header_param(value: Any, explode: bool = False) -> str:
    members = _members(value)
    if isinstance(value, (list, tuple)):
        return ",".join(text_value(v) for v in value)
    if members is not None:
        sep = "=" if explode else ","
        return ",".join(f"{k}{sep}{text_value(v)}" for k, v in members)
    return text_value(value)


def form_body(fields: Iterable[tuple[str, Any]]) -> bytes:
    """``application/x-www-form-urlencoded`` with the exact wire names; arrays repeat the field."""
    pairs: list[tuple[str, str]] = []
    for name, value in fields:
        if isinstance(value, Unset):
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((name, text_value(v)) for v in value)
        else:
            pairs.append((name, text_value(value)))
    return "&".join(f"{_form_quote(k)}={_form_quote(v)}" for k, v in pairs).encode("ascii")


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _form_quote(text: str) -> str:
    """``quote_plus`` with nothing kept, skipped for text that has nothing to escape (the common case)."""
    return text if _UNRESERVED(text) else quote_plus(text, safe="")


def multipart_body(fields: Iterable[tuple[str, Any]]) -> tuple[bytes, str]:
    """``multipart/form-data`` with a random boundary; returns the body and its Content-Type."""
    boundary = secrets.token_hex(16)
    out = bytearray()
    for name, value in fields:
        if isinstance(value, Unset):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            out += f"--{boundary}\r\n".encode()
            disposition = f'form-data; name="{_quote_header(name)}"'
            if isinstance(item, FileUpload):
                filename = item.filename or name
                disposition += f'; filename="{_quote_header(filename)}"'
                out += f"Content-Disposition: {disposition}\r\n".encode()
                out += f"Content-Type: {item.content_type or 'application/octet-stream'}\r\n\r\n".encode()
                out += item.read()
            elif isinstance(item, bytes):
                out += f"Content-Disposition: {disposition}\r\n".encode()
                out += b"Content-Type: application/octet-stream\r\n\r\n" + item
            elif isinstance(item, (dict, list)) or hasattr(item, "to_wire"):
                out += f"Content-Disposition: {disposition}\r\n".encode()
                out += b"Content-Type: application/json\r\n\r\n" + json_bytes(item)
            else:
                out += f"Content-Disposition: {disposition}\r\n\r\n".encode()
                out += text_value(item).encode()
            out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def _quote_header(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
