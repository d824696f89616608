"""The semver rules of apigen diff and the CHANGELOG entry it writes."""

from __future__ import annotations

import pytest

from generator.diff.compare import Change
from generator.diff.report import Report, bump, bumped_enough, markdown, next_version, text, update_changelog
from generator.spec.diagnostics import Location

BREAKING = Change("breaking", "models.Pet.id", "field-removed", "field id removed", Location("a.yaml", 3), None)
COMPATIBLE = Change("compatible", "models.Pet.tag", "field-added", "optional field tag: str added", None, Location("b.yaml", 4))


@pytest.mark.parametrize(
    ("changes", "level"), [([], "patch"), ([COMPATIBLE], "minor"), ([COMPATIBLE, BREAKING], "major")]
)
def test_bump_level(changes: list[Change], level: str) -> None:
    assert bump(changes) == level


@pytest.mark.parametrize(
    ("current", "level", "expected"),
    [
        ("0.1.0", "major", "0.2.0"),  # before 1.0 the minor number counts as major
        ("0.1.0", "minor", "0.1.1"),
        ("0.1.3", "patch", "0.1.3"),
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("2.0", "major", "3.0.0"),
        ("not a version", "major", None),
    ],
)
def test_next_version(current: str, level: str, expected: str | None) -> None:
    assert next_version(current, level) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "level", "enough"),
    [
        ("0.1.0", "0.1.0", "major", False),
        ("0.1.0", "0.1.1", "major", False),
        ("0.1.0", "0.2.0", "major", True),
        ("0.1.0", "1.0.0", "major", True),
        ("0.1.0", "0.1.1", "minor", True),
        ("0.1.0", "0.1.0", "patch", True),
        ("1.2.0", "1.3.0", "major", False),
        ("1.2.0", "2.0.0rc1", "major", True),
        ("1.2.0", "1.1.0", "patch", False),
        ("1.2.0", "x", "patch", False),
    ],
)
def test_bumped_enough(old: str, new: str, level: str, enough: bool) -> None:
    assert bumped_enough(old, new, level) is enough  # type: ignore[arg-type]


def test_changelog_entries_newest_first_and_replaced_by_version() -> None:
    first = update_changelog(None, Report((COMPATIBLE,)), "0.1.1")
    assert first == (
        "# Changelog\n\n## 0.1.1\n\n### Compatible changes\n\n"
        "- `models.Pet.tag`: optional field tag: str added (old -, new `b.yaml:4`)\n"
    )
    second = update_changelog(first, Report((BREAKING,)), "0.2.0", "2026-12-01")
    assert second == (
        "# Changelog\n\n## 0.2.0 (2026-12-01)\n\n### Breaking changes\n\n"
        "- `models.Pet.id`: field id removed (old `a.yaml:3`, new -)\n\n"
        "## 0.1.1\n\n### Compatible changes\n\n"
        "- `models.Pet.tag`: optional field tag: str added (old -, new `b.yaml:4`)\n"
    )
    again = update_changelog(second, Report(()), "0.2.0")
    assert again == second.replace(
        "## 0.2.0 (2026-12-01)\n\n### Breaking changes\n\n- `models.Pet.id`: field id removed (old `a.yaml:3`, new -)\n",
        "## 0.2.0\n\nNo change a caller of the generated client can observe.\n",
    )


def test_spec_strings_cannot_reach_the_terminal_or_the_markdown_raw() -> None:
    hostile = Change("compatible", "Client(base_url=...)", "server-added", "server https://x/\x1b[2J_*`a`* added",
                     None, Location("s`p.yaml", 2))  # fmt: skip
    assert text(Report((hostile,))).splitlines()[1] == "  Client(base_url=...): server https://x/\\x1b[2J_*`a`* added [server-added]"
    assert markdown(Report((hostile,))).splitlines()[4] == (
        "- `Client(base_url=...)`: server https://x/\\\\x1b\\[2J\\_\\*\\`a\\`\\* added (old -, new `s'p.yaml:2`)"
    )
