"""``apigen docs`` and ``apigen serve-docs``: build only the API reference, and preview the HTML site.

``docs`` writes what :func:`generator.pipeline.docs` returns (the docs, the client's files left as they
are); ``serve-docs`` serves ``<output>/<docs-dir>/html`` on 127.0.0.1 (the pages also work opened straight
from disk).
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from generator import pipeline
from generator.model import ir
from generator.config import Config, ConfigError
from generator.spec.diagnostics import summarise
from generator.pipeline import Inputs
from generator.output.write import check_folder

EXIT_OK, EXIT_USAGE = 0, 2


def _quiet() -> None:
    pass


def build_docs(
    spec: Path,
    output: Path,
    package: ir.PackageInfo | Callable[[ir.Api], ir.PackageInfo],
    docs_dir: str,
    inputs: Inputs = Inputs(),
    done_progress: Callable[[], None] = _quiet,
    verbose: bool = False,
    quiet: bool = False,
) -> int:
    check_folder(output)
    result = pipeline.docs(spec, output, package, docs_dir, inputs)
    if result.errors:
        done_progress()
        for line in summarise(result.diagnostics, verbose, quiet):
            print(line, file=sys.stderr)
        print(f"apigen: {len(result.errors)} error(s) in {spec}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    done = pipeline.write(output, result, inputs)
    done_progress()
    for line in summarise(result.diagnostics, verbose, quiet):
        print(line, file=sys.stderr)
    prefix = pipeline.docs_prefix(docs_dir)
    written = [n for n in done.write if n.startswith(prefix)]
    docs = [n for n in result.files if n.startswith(prefix)]
    print(
        f"apigen: docs: {len(docs)} files in {output / docs_dir} ({len(written)} written, "
        f"{len(done.delete)} deleted); open {output / docs_dir / 'html' / 'index.html'} or run `apigen serve-docs`",
        file=sys.stderr,
    )
    return EXIT_OK


def serve_docs(root: Path, port: int) -> int:
    # http.server is imported here, by `serve-docs` alone: it costs every other command ~25 ms of start-up
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class _QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"apigen: serve-docs: {self.address_string()} {format % args}\n")

    if not (root / "index.html").is_file():
        raise ConfigError(f"{root}/index.html does not exist; run `apigen docs` first")
    handler = functools.partial(_QuietHandler, directory=str(root))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise ConfigError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    with server:
        print(
            f"apigen: serving {root} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)",
            file=sys.stderr,
            flush=True,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    names: Callable[[argparse.ArgumentParser], None],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    docs = sub.add_parser("docs", help="build only the API reference (Markdown and HTML) into the docs directory")
    docs.add_argument("spec", nargs="?", help="root OpenAPI file (default: [tool.apigen] spec)")
    docs.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    names(docs)
    common(docs)
    serve = sub.add_parser("serve-docs", help="serve the generated HTML reference on 127.0.0.1 for a preview")
    serve.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")


def run(
    args: argparse.Namespace,
    config: Config,
    package: ir.PackageInfo | Callable[[ir.Api], ir.PackageInfo] | None,
    inputs: Inputs = Inputs(),
    done_progress: Callable[[], None] = _quiet,
) -> int:
    output = Path(args.output) if args.output else config.output
    if args.command == "serve-docs":
        return serve_docs(output / config.docs_dir / "html", args.port)
    assert package is not None
    spec = Path(args.spec) if args.spec else config.spec
    return build_docs(spec, output, package, config.docs_dir, inputs, done_progress, args.verbose, args.quiet)
