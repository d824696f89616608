"""Media types: which kind of body a content type is, and which one a parameter's ``content`` is read with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

MediaKind = Literal["json", "form", "multipart", "binary", "text", "other"]


def media_kind(content_type: str) -> MediaKind:
    base = content_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    if base in ("application/octet-stream", "*/*") or base.startswith(("image/", "audio/", "video/", "application/pdf")):
        return "binary"
    return "other"


def parameter_media_type(content: Mapping[str, Any]) -> str:
    """The media type a parameter's ``content`` is read with: the first JSON one, else the first."""
    names = [str(k) for k in content]
    return next((n for n in names if media_kind(n) == "json"), names[0] if names else "")
