"""Request values checked against the constraints the API description declares, before anything is sent.

Generated code calls these with the validation keywords of each argument or field (``maxLength``,
``maxItems``, ``minimum``, ``pattern``, ``enum``, ...) and the path of the value as the caller wrote it
(``sms_content[0].to``). A value that breaks one raises ``ValueError`` naming the path and the keyword, so a
request the server would refuse costs no round trip. A rule that does not apply to the value's type is
skipped: a value of the wrong type is the encoder's to reject (``TypeError``). Responses are never checked.
Turn the checks off with ``validate_requests=False`` on the client.
"""

from __future__ import annotations

import enum as _enum
import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from ._types import Unset
from ._wire import member_path

Inner = Callable[[Any, str], None]


class RequestCheckError(ValueError):
    """A request value breaks a constraint of the API description (nothing was sent)."""

    def __init__(self, path: str, keyword: str, message: str) -> None:
        super().__init__(f"{path}: {message} ({keyword})")
        self.path = path
        self.keyword = keyword


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # an ECMA-262 construct Python does not know: not checked here
        return None


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value: object) -> object:
    return value.value if isinstance(value, _enum.Enum) else value


def check(
    value: object,
    path: str,
    *,
    max_length: int | None = None,
    min_length: int | None = None,
    pattern: str | None = None,
    max_items: int | None = None,
    min_items: int | None = None,
    unique_items: bool = False,
    maximum: float | None = None,
    minimum: float | None = None,
    exclusive_maximum: float | None = None,
    exclusive_minimum: float | None = None,
    multiple_of: float | None = None,
    enum: tuple[object, ...] | None = None,
    members: type[_enum.Enum] | None = None,
    items: Inner | None = None,
    values: Inner | None = None,
) -> None:
    """Check ``value`` against the keywords given (each named after its JSON-Schema keyword), then each list
    item with ``items`` and each map value with ``values``; ``members``: an enum whose declared values alone
    are allowed (requests are closed, responses open)."""
    if value is None or isinstance(value, Unset):
        return
    value = _plain(value)
    if isinstance(value, str):
        if max_length is not None and len(value) > max_length:
            raise RequestCheckError(
                path, "maxLength", f"at most {max_length} characters allowed, got {len(value)}"
            )
        if min_length is not None and len(value) < min_length:
            raise RequestCheckError(
                path, "minLength", f"at least {min_length} characters needed, got {len(value)}"
            )
        if pattern is not None:
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(value) is None:
                raise RequestCheckError(path, "pattern", f"does not match {pattern!r}")
    elif isinstance(value, (list, tuple)):
        if max_items is not None and len(value) > max_items:
            raise RequestCheckError(
                path, "maxItems", f"at most {max_items} items allowed, got {len(value)}"
            )
        if min_items is not None and len(value) < min_items:
            raise RequestCheckError(
                path, "minItems", f"at least {min_items} items needed, got {len(value)}"
            )
        if unique_items:
            seen: list[object] = []
            for item in value:
                if item in seen:
                    raise RequestCheckError(
                        path, "uniqueItems", f"{_plain(item)!r} appears more than once"
                    )
                seen.append(item)
        if items is not None:
            for i, item in enumerate(value):
                items(item, f"{path}[{i}]")
    elif isinstance(value, Mapping):
        if values is not None:
            for key, item in value.items():
                values(item, member_path(path, str(key)))
    elif _number(value):
        number = cast(float, value)
        if maximum is not None and number > maximum:
            raise RequestCheckError(path, "maximum", f"must be <= {maximum}, got {number}")
        if minimum is not None and number < minimum:
            raise RequestCheckError(path, "minimum", f"must be >= {minimum}, got {number}")
        if exclusive_maximum is not None and number >= exclusive_maximum:
            raise RequestCheckError(
                path, "exclusiveMaximum", f"must be < {exclusive_maximum}, got {number}"
            )
        if exclusive_minimum is not None and number <= exclusive_minimum:
            raise RequestCheckError(
                path, "exclusiveMinimum", f"must be > {exclusive_minimum}, got {number}"
            )
        if multiple_of is not None and multiple_of > 0:
            quotient = number / multiple_of
            if not math.isclose(quotient, round(quotient), rel_tol=0, abs_tol=1e-9):
                raise RequestCheckError(
                    path, "multipleOf", f"must be a multiple of {multiple_of}, got {number}"
                )
    if enum is not None and value not in enum:
        allowed = ", ".join(repr(v) for v in enum)
        raise RequestCheckError(path, "enum", f"{value!r} is not one of {allowed}")
    if members is not None:
        declared = [m.value for m in members]
        if value not in declared:
            allowed = ", ".join(repr(v) for v in declared)
            raise RequestCheckError(path, "enum", f"{value!r} is not one of {allowed}")


def model(value: object, path: str) -> None:
    """Check a model's fields (generated models that declare constraints have ``_check``)."""
    checker = getattr(value, "_check", None)
    if callable(checker):
        checker(path)


def joined(
    value: object,
    path: str,
    separator: str,
    *,
    max_items: int | None = None,
    min_items: int | None = None,
    items: Inner | None = None,
) -> None:
    """A joined list (``x-apigen-wire: {join: ...}``): ``minItems``/``maxItems`` count the items, also of a
    ready string (split on ``separator``); each item is checked with ``items``."""
    if isinstance(value, str):
        parts: list[object] = list(value.split(separator)) if value else []
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        return
    check(parts, path, max_items=max_items, min_items=min_items, items=items)
