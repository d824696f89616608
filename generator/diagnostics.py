"""Findings about a spec, as values: where, how bad, and what."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file  # line 0: the file as a whole


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    location: Location | None = None
    pointer: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        tail = f" ({self.pointer})" if self.pointer else ""
        return f"{where}{self.severity.value}: {self.message}{tail}"


class SpecError(Exception):
    """The spec cannot be used at all (unreadable file, broken $ref, ...): exit code 2."""

    def __init__(self, message: str, location: Location | None = None, pointer: str = "") -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(Severity.ERROR, message, location, pointer)

    def __str__(self) -> str:
        return str(self.diagnostic)


def pointer_join(pointer: str, *tokens: object) -> str:
    """Extend a JSON pointer with raw tokens, escaping ``~`` and ``/`` as RFC 6901 says."""
    escaped = (str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
    return "/".join([pointer, *escaped]) if tokens else pointer
