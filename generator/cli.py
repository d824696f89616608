"""``apigen``: generate, check and lint from the command line.

Exit codes: 0 success; 1 drift (``check``) or lint errors (``lint``); 2 bad arguments or an unusable spec.
User errors are one line naming ``file:line``, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from generator import docs_cli, ir
from generator.config import Config, ConfigError, load_config
from generator.diagnostics import SpecError
from generator.format import FormatError
from generator.pipeline import Result, analyse, generate
from generator.write import WriteError, apply, diff

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"apigen: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


_STRICT = "refuse on every validator finding, as `lint` does (default: [tool.apigen] strict)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="apigen", description="Generate a typed Python client and its docs from OpenAPI.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    gen = sub.add_parser("generate", help="regenerate the client and docs")
    gen.add_argument("spec", nargs="?", help="root OpenAPI file (default: [tool.apigen] spec)")
    gen.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    gen.add_argument("--report", help="write a JSON report of what was generated and skipped to this file")
    gen.add_argument("--package-name", help="import name of the generated package")
    gen.add_argument("--strict", action="store_true", help=_STRICT)
    chk = sub.add_parser("check", help="exit 1 with a diff when the output differs from a fresh generation")
    chk.add_argument("spec", nargs="?")
    chk.add_argument("-o", "--output")
    chk.add_argument("--package-name")
    chk.add_argument("--strict", action="store_true", help=_STRICT)
    lint = sub.add_parser("lint", help="validate the spec and report what the generator would warn about")
    lint.add_argument("spec", nargs="?")
    docs_cli.add_parsers(sub)
    return parser


def _package(config: Config, override: str | None) -> ir.PackageInfo:
    name = override or config.package_name
    if not name.isidentifier():
        raise ConfigError(f"package name {name!r} is not a Python identifier")
    distribution = config.distribution_name if not override else name.replace("_", "-")
    return ir.PackageInfo(package=name, distribution=distribution, version=config.client_version)


def _paths(config: Config, args: argparse.Namespace) -> tuple[Path, Path]:
    spec = Path(args.spec) if getattr(args, "spec", None) else config.spec
    output = Path(args.output) if getattr(args, "output", None) else config.output
    return spec, output


def _configured_strict(config: Config, spec: Path) -> bool:
    """``[tool.apigen] strict`` is about the configured spec; another spec is not held to it."""
    return config.strict and spec.resolve() == config.spec.resolve()


def _print_diagnostics(result: Result) -> None:
    for d in result.diagnostics:
        print(d, file=sys.stderr)


def _generate(args: argparse.Namespace, config: Config, write: bool) -> int:
    spec, output = _paths(config, args)
    strict = bool(args.strict) or _configured_strict(config, spec)
    result = generate(spec, _package(config, args.package_name), config.client_dir, config.docs_dir, strict=strict)
    _print_diagnostics(result)
    if result.errors:
        print(f"apigen: {len(result.errors)} error(s) in {spec}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "report", None):
        Path(args.report).write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    if not write:
        text = diff(output, result.files)
        if text:
            sys.stdout.write(text)
            print(f"apigen: {output} is out of date; run `apigen generate`", file=sys.stderr)
            return EXIT_FAIL
        print(f"apigen: {output} is up to date ({len(result.files)} files)", file=sys.stderr)
        return EXIT_OK
    done = apply(output, result.files)
    print(
        f"apigen: {len(result.api.operations)} operations, {len(result.api.models)} models; "
        f"{len(done.write)} file(s) written, {len(done.delete)} deleted, {len(done.unchanged)} unchanged in {output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _lint(args: argparse.Namespace, config: Config) -> int:
    spec = Path(args.spec) if args.spec else config.spec
    result = analyse(spec)
    _print_diagnostics(result)
    errors, warnings = len(result.errors), len(result.warnings)
    print(f"apigen: {spec}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_FAIL if errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config()
        if args.command == "generate":
            return _generate(args, config, write=True)
        if args.command == "check":
            return _generate(args, config, write=False)
        if args.command in ("docs", "serve-docs"):
            package = _package(config, args.package_name) if args.command == "docs" else None
            return docs_cli.run(args, config, package)
        return _lint(args, config)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except (ConfigError, WriteError) as exc:
        print(f"apigen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FormatError as exc:
        print(f"apigen: internal error (please report): {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in apigen, not in the user's input: one line, unless debugging
        if os.environ.get("APIGEN_DEBUG"):
            raise
        print(f"apigen: internal error (please report; APIGEN_DEBUG=1 shows the traceback): "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
