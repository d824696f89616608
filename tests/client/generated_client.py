"""Generate a spec's client package into a folder and import it (no docs: fast enough for the large corpus
specs), with the generator's own plan of its constructor beside it."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from generator.client.emit import ClientEmitter, Emitted
from generator.contract import ClientPlan
from generator.model import ir
from generator.model.build import build_api
from generator.output.format import format_files
from generator.spec.load import load_spec


@dataclass
class Generated:
    module: ModuleType
    api: ir.Api
    plan: ClientPlan
    files: dict[str, str]
    folder: Path


def emit_client(spec: Path, package: str) -> tuple[ir.Api, ClientEmitter, Emitted]:
    """The client files as rendered (not formatted, not written)."""
    api, _ = build_api(load_spec(spec))
    emitter = ClientEmitter(api, ir.PackageInfo(package, package.replace("_", "-"), "0.0.1"))
    return api, emitter, emitter.emit()


def generate_client(spec: Path, package: str, folder: Path) -> Generated:
    api, emitter, emitted = emit_client(spec, package)
    files = format_files(emitted.files, verbatim=emitted.verbatim)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    return Generated(importlib.import_module(package), api, emitter.plan, files, folder)
