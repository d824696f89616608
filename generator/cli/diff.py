"""``apigen diff`` and ``apigen check --against``: what a regeneration changes for callers, and whether
``client-version`` follows it.

``apigen diff OLD NEW`` compares two specs; ``apigen diff --against REF [SPEC]`` compares the spec at commit
``REF`` (read from git objects, nothing checked out) with the working one. Exit 0, or 1 with
``--fail-on breaking`` when a change is breaking; 2 for bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.config import Config, ConfigError, toml
from generator.diff.git import GitError, GitTree
from generator.diff.report import RENDER, Report, bump, bumped_enough, next_version, update_changelog
from generator.pipeline import DiffResult, Inputs, diff
from generator.spec.diagnostics import Diagnostic, Location, SpecError, summarise

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
DEFAULT_VERSION = "0.1.0"  # as [tool.apigen] client-version defaults


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = sub.add_parser("diff", help="report the changes between two specs a caller of the client can observe")
    parser.add_argument("specs", nargs="*", metavar="SPEC",
                        help="OLD NEW: two root OpenAPI files; with --against, at most one (default: [tool.apigen] spec)")  # fmt: skip
    parser.add_argument("--against", metavar="GIT-REF", help="compare with the spec as it is at this commit")
    parser.add_argument("--format", choices=sorted(RENDER), default="text", help="how to print the report")
    parser.add_argument("--fail-on", choices=["breaking"], help="exit 1 when there is a breaking change")
    parser.add_argument("--changelog", metavar="FILE",
                        help="also write this version's entry (Markdown) at the top of FILE, e.g. generated/client/CHANGELOG.md")  # fmt: skip
    parser.add_argument("--date", help="a date for the CHANGELOG entry's heading (none unless given)")
    common(parser)


def add_against(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", metavar="GIT-REF",
                        help="also fail when [tool.apigen] client-version is not bumped as far as the spec changes since GIT-REF need")  # fmt: skip


def _relocate(tree: GitTree, d: Diagnostic) -> Diagnostic:
    return dataclasses.replace(d, location=tree.shown(d.location))


def _compare(old: Path, new: Path, inputs: Inputs, tree: GitTree | None, strict: bool = False) -> DiffResult:
    """Both specs read with ``generate``'s rules; ``strict`` only when asked for on the command line (not from
    ``[tool.apigen]``: an old commit's warnings stay warnings)."""
    inputs = dataclasses.replace(inputs, strict=strict)
    if tree is None:
        result = diff(old, new, inputs)
    else:
        result = diff(old, new, inputs, tree.read, tree.relocate)
    if tree is not None:
        result.old.diagnostics = [_relocate(tree, d) for d in result.old.diagnostics]
        result.changes = [dataclasses.replace(c, old_location=tree.shown(c.old_location)) for c in result.changes]
    return result


def _tree(ref: str, spec: Path) -> GitTree:
    try:
        return GitTree(ref, spec.parent)
    except GitError as exc:
        raise ConfigError(str(exc)) from None


def _version_at(tree: GitTree, config: Config) -> str:
    """``client-version`` in ``[tool.apigen]`` of the pyproject.toml at the commit (its default when absent)."""
    try:
        raw = tree.read(config.root / "pyproject.toml")
    except OSError:
        return DEFAULT_VERSION
    tomllib = toml()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise SpecError("invalid TOML at that commit", Location(f"{tree.ref}:pyproject.toml", 0)) from None
    tool = data.get("tool", {})
    table = tool.get("apigen", {}) if isinstance(tool, dict) else {}
    value = table.get("client-version", DEFAULT_VERSION) if isinstance(table, dict) else DEFAULT_VERSION
    return value if isinstance(value, str) and value else DEFAULT_VERSION


def _print(diagnostics: list[Diagnostic], args: argparse.Namespace) -> None:
    for line in summarise(diagnostics, verbose=getattr(args, "verbose", False), quiet=getattr(args, "quiet", False)):
        print(line, file=sys.stderr)


def _refuse(result: DiffResult, args: argparse.Namespace) -> int:
    _print(result.old.diagnostics + result.new.diagnostics, args)
    print(f"apigen: {len(result.errors)} error(s); nothing compared", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace, config: Config, inputs: Callable[[Path], Inputs], done: Callable[[], None]) -> int:
    """``apigen diff``; ``inputs(spec)`` gives how to read ``spec`` (limits, ref roots, progress)."""
    specs = [Path(s) for s in args.specs]
    tree: GitTree | None = None
    if args.against is not None:
        if len(specs) > 1:
            raise ConfigError("with --against give at most one spec (the working one)")
        new = specs[0] if specs else config.spec
        old = new
        tree = _tree(args.against, new)
    else:
        if len(specs) != 2:
            raise ConfigError("give two specs, OLD and NEW, or --against GIT-REF [SPEC]")
        old, new = specs
    if args.date is not None and not args.changelog:
        raise ConfigError("--date is for the --changelog entry; give --changelog FILE too")
    changelog = Path(args.changelog) if args.changelog else None
    if changelog is not None and changelog.is_dir():
        raise ConfigError(f"--changelog {changelog}: is a folder; give a file name")
    configured = config.applies_to(new) and config.names_configured
    old_version: str | None = None
    if tree is not None and configured:
        old_version = _version_at(tree, config)
    result = _compare(old, new, inputs(new), tree, bool(getattr(args, "strict", False)))
    done()
    if result.errors:
        return _refuse(result, args)
    _print(result.old.warnings + result.new.warnings, argparse.Namespace(quiet=True))
    report = Report(tuple(result.changes), old_version)
    sys.stdout.write(RENDER[args.format](report))
    if changelog is not None:
        version = config.client_version if configured else (result.new.api.version or DEFAULT_VERSION)
        existing = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
        changelog.parent.mkdir(parents=True, exist_ok=True)
        changelog.write_text(update_changelog(existing, report, version, args.date), encoding="utf-8")
        print(f"apigen: {changelog}: entry for {version} written", file=sys.stderr)
    if args.fail_on == "breaking" and report.breaking:
        print(f"apigen: {len(report.breaking)} breaking change(s)", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _version_line(config: Config) -> int:
    try:
        rows = (config.root / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((n for n, row in enumerate(rows, 1) if re.match(r'\s*"?client-version"?\s*=', row)), 0)


def check_version(
    args: argparse.Namespace, config: Config, spec: Path, inputs: Inputs, done: Callable[[], None] = lambda: None
) -> int:
    """``apigen check --against REF``: exit 1 when ``client-version`` is not bumped as far as the spec changes
    since ``REF`` need (semver; before 1.0 the minor number counts as major)."""
    if not (config.applies_to(spec) and config.names_configured):
        raise ConfigError("--against checks [tool.apigen] client-version, which belongs to the configured spec only")
    tree = _tree(args.against, spec)
    old_version = _version_at(tree, config)
    result = _compare(spec, spec, inputs, tree)
    done()
    if result.errors:
        return _refuse(result, args)
    level = bump(result.changes)
    where = Location(str(config.root / "pyproject.toml"), _version_line(config))
    if bumped_enough(old_version, config.client_version, level):
        print(f"apigen: client-version {config.client_version} follows the spec changes since {args.against} "
              f"({level}; was {old_version})", file=sys.stderr)  # fmt: skip
        return EXIT_OK
    breaking = sum(1 for c in result.changes if c.breaking)
    needed = next_version(old_version, level) or f"a {level} bump"
    print(f"{where}: error: client-version {config.client_version} is not bumped far enough: the spec changes since "
          f"{args.against} ({breaking} breaking, {len(result.changes) - breaking} compatible) need a {level} bump "
          f"from {old_version}, at least {needed} (`apigen diff --against {args.against}` lists them)",
          file=sys.stderr)  # fmt: skip
    return EXIT_FAIL
