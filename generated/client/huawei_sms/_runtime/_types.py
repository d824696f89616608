"""Small types the generated models and methods use."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import IO, Any, Final, Union


class Unset:
    """The type of :data:`UNSET`: a field or argument that was not given (distinct from ``None``)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()

JSON = Union[dict[str, Any], list[Any], str, int, float, bool, None]


class OpenStrEnum(str, enum.Enum):
    """A string enum that accepts values it does not know: servers add enum values before clients do.

    ``MyEnum("new-value")`` returns a member that is not one of the declared ones but compares, encodes and
    prints as its value, so a response with a new value decodes instead of failing.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class OpenIntEnum(int, enum.Enum):
    """An integer enum that accepts values it does not know (see :class:`OpenStrEnum`)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"VALUE_{value}".replace("-", "MINUS_")
        member._value_ = value
        return member


@dataclass(frozen=True)
class FileUpload:
    """A file for a multipart or binary request body."""

    content: bytes | IO[bytes]
    filename: str | None = None
    content_type: str | None = None

    def read(self) -> bytes:
        if isinstance(self.content, bytes):
            return self.content
        return self.content.read()
