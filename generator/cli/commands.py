"""``apigen``: generate, check and lint from the command line.

Exit codes: 0 success; 1 drift (``check``) or lint errors (``lint``); 2 bad arguments or an unusable spec.
User errors are one line naming ``file:line``, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from generator.cli import diff as diff_cli
from generator.cli import docs as docs_cli
from generator.model import ir
from generator.config import Config, ConfigError, load_config, names_from_title, package_name_problem
from generator.spec.diagnostics import Diagnostic, Location, SpecError, summarise
from generator.output import cache
from generator.output.format import FormatError
from generator.spec.limits import CONFIG_KEYS, Limits
from generator.forked import Standby
from generator.pipeline import Inputs, Result, analyse, compare, generate, write as write_files
from generator.output.write import WriteError, check_folder

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"apigen: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _version() -> str:
    from importlib import metadata  # only for --version: reading the installed metadata costs every run

    try:
        return metadata.version("apigen")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="show the version and exit")  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:  # fmt: skip
        print(f"apigen {_version()}")
        parser.exit()


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every spec-reading command takes."""
    parser.add_argument("--ref-root", action="append", default=[], metavar="DIR",
                        help="a folder $refs may reach besides the spec's own (repeatable)")  # fmt: skip
    parser.add_argument("--limit", action="append", default=[], metavar="KEY=N",
                        help="override one [tool.apigen] limit for this run, e.g. max-depth=256 (repeatable)")  # fmt: skip
    parser.add_argument("--strict", action="store_true",
                        help="refuse on every validator finding, as `lint` always does (default: [tool.apigen] strict)")  # fmt: skip
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
    loud.add_argument("-v", "--verbose", action="store_true", help="print every warning, not a summary")


def _names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--package-name", help="import name of the generated package (default: from info.title)")
    parser.add_argument("--distribution-name", help="distribution (pip) name (default: from the package name)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="apigen", description="Generate a typed Python client and its docs from OpenAPI.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    gen = sub.add_parser("generate", help="regenerate the client and docs")
    gen.add_argument("spec", nargs="?", help="root OpenAPI file (default: [tool.apigen] spec)")
    gen.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    gen.add_argument("--report", help="write a JSON report of what was generated and skipped to this file")
    _names(gen)
    _common(gen)
    chk = sub.add_parser("check", help="exit 1 with a diff when the output differs from a fresh generation")
    chk.add_argument("spec", nargs="?")
    chk.add_argument("-o", "--output")
    _names(chk)
    diff_cli.add_against(chk)
    _common(chk)
    lint = sub.add_parser("lint", help="validate the spec and report what the generator would warn about")
    lint.add_argument("spec", nargs="?")
    _common(lint)
    docs_cli.add_parsers(sub, _names, _common)
    diff_cli.add_parser(sub, _common)
    return parser


def _package(config: Config, args: argparse.Namespace) -> Callable[[ir.Api], ir.PackageInfo]:
    """The package's names: ``[tool.apigen]``'s for the configured spec, else derived from ``info.title``;
    ``--package-name`` and ``--distribution-name`` override either. A bad explicit name fails at once."""
    package_arg: str | None = getattr(args, "package_name", None)
    distribution_arg: str | None = getattr(args, "distribution_name", None)
    if package_arg is not None:
        problem = package_name_problem(package_arg)
        if problem is not None:
            raise ConfigError(f"--package-name {package_arg!r} {problem}")
    if distribution_arg is not None and not _is_distribution(distribution_arg):
        raise ConfigError(f"--distribution-name {distribution_arg!r} is not a valid distribution name")
    spec = _paths(config, args)[0]
    configured = config.names_configured and config.applies_to(spec)

    def choose(api: ir.Api) -> ir.PackageInfo:
        if configured:
            package, distribution, version = config.package_name, config.distribution_name, config.client_version
        else:
            (package, distribution), version = names_from_title(api.title), "0.1.0"
        if package_arg is not None:
            package = package_arg
            distribution = distribution_arg or package_arg.replace("_", "-")
        distribution = distribution_arg or distribution
        return ir.PackageInfo(package=package, distribution=distribution, version=version)

    return choose


def _is_distribution(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", name) is not None


class _Progress:
    """One line on stderr naming the current stage, shown only on a terminal and once the run has taken
    more than ``delay`` seconds; cleared before anything else is printed."""

    def __init__(self, stream: TextIO, delay: float = 1.5) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.delay = delay
        self.stage = ""
        self.shown = False
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        if self.enabled:
            self.timer = threading.Timer(delay, self._show)
            self.timer.daemon = True
            self.timer.start()

    def __call__(self, stage: str) -> None:
        with self.lock:
            self.stage = stage
            if self.shown:
                self._draw()

    def _show(self) -> None:
        with self.lock:
            if not self.enabled:  # done() ran while the timer fired
                return
            self.shown = True
            self._draw()

    def _draw(self) -> None:
        if self.stage:
            self.stream.write(f"\r\x1b[Kapigen: {self.stage}...")
            self.stream.flush()

    def done(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            self.shown = False
            self.enabled = False


def _limits(config: Config, args: argparse.Namespace) -> Limits:
    by_key = {key: attribute for attribute, key in CONFIG_KEYS.items()}
    changes: dict[str, int] = {}
    for item in getattr(args, "limit", []) or []:
        key, _, value = item.partition("=")
        if key.strip() not in by_key:
            raise ConfigError(f"--limit {item!r}: unknown limit; one of {', '.join(sorted(by_key))}")
        if not value.strip().isdigit() or int(value) <= 0:
            raise ConfigError(f"--limit {item!r}: the value must be a positive integer")
        changes[by_key[key.strip()]] = int(value)
    return dataclasses.replace(config.limits, **changes)


def _inputs(config: Config, args: argparse.Namespace, progress: Callable[[str], None], strict: bool = False) -> Inputs:
    """How to read the spec; ``[tool.apigen] strict`` is about the configured spec, not another one."""
    spec = _paths(config, args)[0]
    strict = strict or bool(getattr(args, "strict", False)) or (config.strict and config.applies_to(spec))
    roots = (*config.ref_roots, *(Path(r) for r in getattr(args, "ref_root", []) or []))
    for root in roots:
        if not root.is_dir():
            raise SpecError("--ref-root / ref-roots: not a folder", Location(str(root), 0))
    return Inputs(limits=_limits(config, args), ref_roots=roots, progress=progress, strict=strict,
                  one_shot=getattr(args, "one_shot", False), docs_worker=getattr(args, "docs_worker", None))  # fmt: skip


def _paths(config: Config, args: argparse.Namespace) -> tuple[Path, Path]:
    spec = Path(args.spec) if getattr(args, "spec", None) else config.spec
    output = Path(args.output) if getattr(args, "output", None) else config.output
    return spec, output


def print_diagnostics(diagnostics: list[Diagnostic], args: argparse.Namespace) -> None:
    for line in summarise(diagnostics, verbose=getattr(args, "verbose", False), quiet=getattr(args, "quiet", False)):
        print(line, file=sys.stderr)


def _print_diagnostics(result: Result, args: argparse.Namespace) -> None:
    print_diagnostics(result.diagnostics, args)


def _check_report_path(report: Path) -> None:
    """Before anything runs: the report can be written (its missing folders are created after success)."""
    if report.is_dir():
        raise WriteError("--report is a folder; give a file name", report)
    check_folder(report.parent, "the --report folder")


def _generate(args: argparse.Namespace, config: Config, write: bool, progress: _Progress) -> int:
    spec, output = _paths(config, args)
    report = Path(args.report) if getattr(args, "report", None) else None
    check_folder(output)
    if report is not None:
        _check_report_path(report)
    package = _package(config, args)
    inputs = _inputs(config, args, progress)
    result = generate(spec, package, config.client_dir, config.docs_dir, inputs=inputs)
    if result.errors:
        progress.done()
        _print_diagnostics(result, args)
        print(f"apigen: {len(result.errors)} error(s) in {spec}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    if not write:
        text = compare(output, result, inputs)
        versioned = EXIT_OK
        if getattr(args, "against", None) is not None:
            progress("comparing with " + args.against)
            versioned = diff_cli.check_version(args, config, spec, inputs, progress.done)
        progress.done()
        _print_diagnostics(result, args)
        if text:
            sys.stdout.write(text)
            print(f"apigen: {output} is out of date; run `apigen generate`", file=sys.stderr)
            return EXIT_FAIL
        print(f"apigen: {output} is up to date ({len(result.files)} files)", file=sys.stderr)
        return versioned
    done = write_files(output, result, inputs)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    progress.done()
    _print_diagnostics(result, args)
    print(
        f"apigen: {len(result.api.operations)} operations, {len(result.api.models)} models; "
        f"{len(done.write)} file(s) written, {len(done.delete)} deleted, {len(done.unchanged)} unchanged in {output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _lint(args: argparse.Namespace, config: Config, progress: _Progress) -> int:
    spec = _paths(config, args)[0]
    result = analyse(spec, _inputs(config, args, progress, strict=True))
    progress.done()
    _print_diagnostics(result, args)
    errors, warnings = len(result.errors), len(result.warnings)
    print(f"apigen: {spec}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_FAIL if errors else EXIT_OK


def main(argv: list[str] | None = None, docs_worker: Standby | None = None) -> int:
    """The command line; without ``argv``, this process's own (the ``apigen`` command), which then ends
    with the run: what it loads lives until the end (see ``Inputs.one_shot``). ``docs_worker``: the child
    forked at start-up to render the docs (launch.py)."""
    args = _parser().parse_args(argv)
    args.one_shot = argv is None
    args.docs_worker = docs_worker
    if args.one_shot:
        # loading a large spec allocates millions of objects and few cycles: the cyclic collector's default
        # pace (a scan every 700 allocations) costs ~10% of a cold run; what is loaded is frozen after
        # (Inputs.one_shot)
        gc.set_threshold(10_000, 20, 20)
    progress = _Progress(sys.stderr)
    try:
        return _run(args, progress)
    finally:
        if args.command != "serve-docs":
            cache.prune_if_due()  # at most once a day: the cache folder kept under its size (cache.py)


def _run(args: argparse.Namespace, progress: _Progress) -> int:
    try:
        config = load_config()
        if args.command == "generate":
            return _generate(args, config, write=True, progress=progress)
        if args.command == "check":
            return _generate(args, config, write=False, progress=progress)
        if args.command == "docs":
            return docs_cli.run(args, config, _package(config, args), _inputs(config, args, progress), progress.done)
        if args.command == "diff":

            def inputs(spec: Path) -> Inputs:
                args.spec = str(spec)  # whose [tool.apigen] settings apply
                return _inputs(config, args, progress)

            return diff_cli.run(args, config, inputs, progress.done)
        if args.command == "serve-docs":
            progress.done()
            return docs_cli.run(args, config, None)
        return _lint(args, config, progress)
    except SpecError as exc:
        progress.done()
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        progress.done()
        print(f"apigen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FormatError as exc:
        print(f"apigen: internal error (please report): {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.done()
        return 130
    except Exception as exc:  # a bug in apigen, not in the user's input: one line, unless debugging
        progress.done()
        if os.environ.get("APIGEN_DEBUG"):
            raise
        print(f"apigen: internal error (please report; APIGEN_DEBUG=1 shows the traceback): "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE

