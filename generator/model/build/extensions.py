"""Readers of the ``x-apigen-*`` extensions that declare vendor behaviour (env names, OAuth flows, error shapes,
idempotency keys, lookups): small values turned into IR data; a value of the wrong type reads as absent."""

from __future__ import annotations

from typing import Any

from generator.model import ir
from generator.model.build.raw import items, mapping


def frozen(value: Any, depth: int = 0) -> Any:
    """A small extension value as hashable data: mappings become sorted pairs, lists tuples, scalars text."""
    if depth > 4:
        return ""
    if isinstance(value, dict):
        return tuple(sorted((str(k), frozen(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(frozen(v, depth + 1) for v in value[:64])
    return "" if value is None else str(value)


def env_pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    """``x-apigen-env``: a string is a prefix (key ""), a mapping names the variable of each key."""
    if isinstance(raw, str) and raw:
        return (("", raw),)
    if isinstance(raw, dict):
        return tuple(sorted((str(k), str(v)) for k, v in raw.items() if isinstance(v, str) and v))
    return ()


def oauth_flows(raw: Any) -> tuple[ir.OAuthFlow, ...]:
    out = []
    for kind, flow in sorted(mapping(raw).items()):
        flow = mapping(flow)
        url = flow.get("tokenUrl", "")
        scopes = tuple(sorted(str(k) for k in mapping(flow.get("scopes"))))
        out.append(ir.OAuthFlow(str(kind), str(url) if isinstance(url, str) else "", scopes))
    return tuple(out)


def _pointers(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(v) for v in items(raw) if isinstance(v, str))


def error_shapes(raw: Any) -> tuple[ir.ErrorShape, ...]:
    """``x-apigen-error``: ``{shapes: [{when, code, message, detail, request-id}], request-id-header}``."""
    out = []
    for shape in items(mapping(raw).get("shapes")):
        shape = mapping(shape)
        when = shape.get("when", "")
        out.append(
            ir.ErrorShape(
                code=_pointers(shape.get("code")),
                message=_pointers(shape.get("message")),
                detail=_pointers(shape.get("detail")),
                request_id=_pointers(shape.get("request-id")),
                when=when if isinstance(when, str) else "",
            )
        )
    return tuple(out)


def error_header(raw: Any) -> str:
    header = mapping(raw).get("request-id-header", "")
    return header if isinstance(header, str) else ""


def idempotency_key(op: dict[str, Any], doc: dict[str, Any]) -> str:
    """The operation's ``x-apigen-idempotency-key`` header, else the document's; ``false`` on an operation opts out."""
    raw = op.get("x-apigen-idempotency-key", doc.get("x-apigen-idempotency-key", ""))
    return raw if isinstance(raw, str) else ""
