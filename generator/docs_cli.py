"""``apigen docs`` and ``apigen serve-docs``: build only the API reference, and preview the HTML site.

``docs`` writes the docs directory through the same manifest-based writer as ``generate``: the docs files
are replaced, the client's files and their manifest entries are left exactly as they are, so a later
``apigen check`` still compares everything. ``serve-docs`` serves ``<output>/<docs-dir>/html`` on
127.0.0.1 (the pages also work opened straight from disk).
"""

from __future__ import annotations

import argparse
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator import ir
from generator.config import Config, ConfigError
from generator.docs import emit_docs
from generator.pipeline import analyse
from generator.write import MANIFEST, apply, read_manifest

EXIT_OK, EXIT_USAGE = 0, 2


def build_docs(spec: Path, output: Path, package: ir.PackageInfo, docs_dir: str, strict: bool = False) -> int:
    result = analyse(spec, strict=strict)
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    if result.errors:
        print(f"apigen: {len(result.errors)} error(s) in {spec}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    docs = {f"{docs_dir}/{name}": text for name, text in emit_docs(result.api, package).items()}
    prefix = docs_dir.rstrip("/") + "/"
    kept: dict[str, str] = {}
    for name in read_manifest(output):  # everything else apigen generated stays as it is on disk
        if name != MANIFEST and not name.startswith(prefix):
            try:
                kept[name] = (output / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass  # gone from disk: it leaves the manifest, as `generate` would have it
    done = apply(output, {**kept, **docs})
    written = [n for n in done.write if n.startswith(prefix)]
    print(
        f"apigen: docs: {len(docs)} files in {output / docs_dir} ({len(written)} written, "
        f"{len(done.delete)} deleted); open {output / docs_dir / 'html' / 'index.html'} or run `apigen serve-docs`",
        file=sys.stderr,
    )
    return EXIT_OK


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"apigen: serve-docs: {self.address_string()} {format % args}\n")


def serve_docs(root: Path, port: int) -> int:
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


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    docs = sub.add_parser("docs", help="build only the API reference (Markdown and HTML) into the docs directory")
    docs.add_argument("spec", nargs="?", help="root OpenAPI file (default: [tool.apigen] spec)")
    docs.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    docs.add_argument("--package-name", help="import name of the generated package the examples use")
    docs.add_argument("--strict", action="store_true", help="refuse on every validator finding, as `lint` does")
    serve = sub.add_parser("serve-docs", help="serve the generated HTML reference on 127.0.0.1 for a preview")
    serve.add_argument("-o", "--output", help="output directory (default: [tool.apigen] output)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")


def run(args: argparse.Namespace, config: Config, package: ir.PackageInfo | None) -> int:
    output = Path(args.output) if args.output else config.output
    if args.command == "serve-docs":
        return serve_docs(output / config.docs_dir / "html", args.port)
    assert package is not None
    spec = Path(args.spec) if args.spec else config.spec
    return build_docs(spec, output, package, config.docs_dir, strict=bool(args.strict) or (config.strict and spec.resolve() == config.spec.resolve()))
