"""Findings about a spec, as values: where, how bad, and what."""

from __future__ import annotations

from collections.abc import Iterable
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
    # the message with its varying parts removed ("operation has no operationId"): repeated findings are
    # summarised by it; empty means the message itself is the template
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        tail = f" ({self.pointer})" if self.pointer else ""
        return f"{where}{self.severity.value}: {self.message}{tail}"


@dataclass(frozen=True)
class Finding:
    """A problem with the document. ``blocking``: it can change the generated client, so ``generate`` stops.

    ``lint`` and ``--strict`` report every finding as an error; ``generate`` reports the others as warnings.
    """

    message: str
    location: Location | None
    pointer: str = ""
    blocking: bool = True
    # False for what no validator objects to and the generator reads with its one obvious meaning
    # (`nullable` in 3.1, keywords beside a `$ref`): a warning even in `lint` and `--strict`
    strict_error: bool = True
    # (path template, method) of the operations the generator skips because of it, unless `--strict`
    skips: tuple[tuple[str, str], ...] = ()

    def diagnostic(self, strict: bool) -> Diagnostic:
        error = self.blocking or (strict and self.strict_error)
        severity = Severity.ERROR if error else Severity.WARNING
        return Diagnostic(severity, self.message, self.location, self.pointer)


def diagnostics(findings: Iterable[Finding], strict: bool) -> list[Diagnostic]:
    return [f.diagnostic(strict) for f in findings]


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


def summarise(diagnostics: list[Diagnostic], verbose: bool = False, quiet: bool = False) -> list[str]:
    """The lines to print: every error; warnings one per line when few or ``verbose``, else one line per
    template repeated more than once (``120 x operation has no operationId; first at file:line``); with
    ``quiet``, no warnings at all."""
    errors = [str(d) for d in diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    if quiet:
        return errors
    if verbose:
        return errors + [str(d) for d in warnings]
    groups: dict[str, list[Diagnostic]] = {}
    for d in warnings:
        groups.setdefault(d.code or d.message, []).append(d)
    lines: list[str] = []
    for template, members in groups.items():
        if len(members) == 1:
            lines.append(str(members[0]))
            continue
        first = members[0]
        where = f"; first at {first.location}" if first.location else ""
        lines.append(f"apigen: warning: {len(members)} x {template}{where} (-v lists them all)")
    return errors + lines
