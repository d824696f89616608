"""A list of changes as text, Markdown or JSON, the semver bump it needs, and a CHANGELOG entry from it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.diff.compare import Change

Bump = Literal["major", "minor", "patch"]
_RANK = {"patch": 0, "minor": 1, "major": 2}
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def bump(changes: Sequence[Change]) -> Bump:
    """major for any breaking change, minor for compatible ones only, patch when a caller sees no change."""
    if any(c.breaking for c in changes):
        return "major"
    return "minor" if changes else "patch"


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``1.2.3`` (or ``1.2``, with any pre-release or local suffix after it) as numbers; None if not a version."""
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def next_version(current: str, level: Bump) -> str | None:
    """The lowest version after ``current`` that ``level`` allows. Before 1.0 the minor number counts as major
    and the patch number as minor (semver leaves 0.x open; this is the usual reading)."""
    parsed = parse_version(current)
    if parsed is None:
        return None
    major, minor, patch = parsed
    if level == "patch":
        return current
    if major == 0:
        return f"0.{minor + 1}.0" if level == "major" else f"0.{minor}.{patch + 1}"
    return f"{major + 1}.0.0" if level == "major" else f"{major}.{minor + 1}.0"


def bumped_enough(old: str, new: str, level: Bump) -> bool:
    """Whether going from version ``old`` to ``new`` is at least the bump ``level`` needs."""
    a, b = parse_version(old), parse_version(new)
    if a is None or b is None:
        return False
    needed = parse_version(next_version(old, level) or old)
    return needed is not None and b >= needed


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]
    old_version: str | None = None  # the client version the old spec was generated as, when known

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if not c.breaking]

    @property
    def bump(self) -> Bump:
        return bump(self.changes)

    @property
    def next_version(self) -> str | None:
        return next_version(self.old_version, self.bump) if self.old_version is not None else None

    def summary(self) -> str:
        counts = f"{len(self.breaking)} breaking, {len(self.compatible)} compatible"
        tail = ""
        if self.old_version is not None and self.next_version is not None:
            pre = "; before 1.0 the minor number counts as major" if self.old_version.startswith("0.") else ""
            if self.bump == "patch":
                tail = f" (from {self.old_version}: no new version needed)"
            else:
                tail = f" (from {self.old_version}: at least {self.next_version}{pre})"
        return f"{counts}; semver bump: {self.bump}{tail}"


def printable(value: str) -> str:
    """``value`` with control and other unprintable characters escaped (spec strings reach a terminal)."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value)


def _where(change: Change) -> str:
    old = str(change.old_location) if change.old_location else "-"
    new = str(change.new_location) if change.new_location else "-"
    return printable(f"old {old}, new {new}")


def text(report: Report) -> str:
    lines: list[str] = []
    for title, group in (("Breaking", report.breaking), ("Compatible", report.compatible)):
        if not group:
            continue
        lines.append(f"{title} changes ({len(group)}):")
        for c in group:
            lines.append(f"  {printable(c.python_name)}: {printable(c.detail)} [{c.kind}]")
            lines.append(f"      {_where(c)}")
        lines.append("")
    if not report.changes:
        lines.append("No change a caller of the generated client can observe.")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def _md_items(group: list[Change]) -> list[str]:
    return [f"- `{printable(c.python_name)}`: {_md(c.detail)} ({_md_where(c)})" for c in group]


def _md_where(change: Change) -> str:
    def code(location: object) -> str:
        return f"`{printable(str(location)).replace('`', chr(39))}`" if location else "-"

    return f"old {code(change.old_location)}, new {code(change.new_location)}"


def _md(value: str) -> str:
    escaped = printable(value).replace("\\", "\\\\")
    for char in "*_`[]":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("<", "&lt;")


def markdown_sections(report: Report, level: int = 3) -> list[str]:
    hashes = "#" * level
    lines: list[str] = []
    for title, group in (("Breaking changes", report.breaking), ("Compatible changes", report.compatible)):
        if group:
            lines += [f"{hashes} {title}", "", *_md_items(group), ""]
    if not report.changes:
        lines += ["No change a caller of the generated client can observe.", ""]
    return lines


def markdown(report: Report) -> str:
    lines = ["# API changes", "", *markdown_sections(report, 2), f"Semver bump: **{report.bump}**"]
    if report.next_version is not None and report.bump != "patch":
        lines[-1] += f" (from {report.old_version}: at least {report.next_version})"
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "changes": [
            {
                "kind": c.kind,
                "severity": c.severity,
                "python_name": c.python_name,
                "detail": c.detail,
                "old_location": str(c.old_location) if c.old_location else None,
                "new_location": str(c.new_location) if c.new_location else None,
            }
            for c in report.changes
        ],
        "breaking": len(report.breaking),
        "compatible": len(report.compatible),
        "bump": report.bump,
        "old_version": report.old_version,
        "next_version": report.next_version,
    }
    return json.dumps(data, indent=2) + "\n"


RENDER = {"text": text, "markdown": markdown, "json": as_json}

CHANGELOG_TITLE = "# Changelog"


def changelog_entry(report: Report, version: str, date: str | None = None) -> str:
    heading = f"## {version}" + (f" ({date})" if date else "")
    return "\n".join([heading, "", *markdown_sections(report, 3)]).rstrip() + "\n"


def update_changelog(existing: str | None, report: Report, version: str, date: str | None = None) -> str:
    """``existing`` (a CHANGELOG.md, or None) with this version's entry first; an entry already there for
    ``version`` is replaced, so running it twice gives the same file."""
    entry = changelog_entry(report, version, date)
    body = existing if existing is not None else f"{CHANGELOG_TITLE}\n"
    lines = body.splitlines()
    # the entries: "## <version>" sections after the title
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    head = lines[: starts[0]] if starts else lines
    entries: list[list[str]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        entries.append(lines[start:end])
    kept = [e for e in entries if _entry_version(e[0]) != version]
    head_text = "\n".join(head).rstrip() or CHANGELOG_TITLE
    parts = [head_text, entry.rstrip(), *("\n".join(e).rstrip() for e in kept)]
    return "\n\n".join(parts) + "\n"


def _entry_version(heading: str) -> str:
    return heading[3:].split(" ", 1)[0].strip()
