"""load -> validate -> build -> emit -> format: everything but writing, as one function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.model import ir
from generator.spec import lint
from generator.spec import validate as validation
from generator.model.build import build_api
from generator.spec.diagnostics import Diagnostic, Finding, Severity
from generator.reference.pages import emit_docs
from generator.client.emit import ClientEmitter
from generator.output.format import format_files
from generator.output.format import start as start_format
from generator.spec.limits import DEFAULT_LIMITS, Limits
from generator.spec.load import LoadedSpec, load_spec

# called with the name of each stage as it starts ("loading", "validating", ...), for a progress display
Progress = Callable[[str], None]


def _quiet(stage: str) -> None:
    pass


@dataclass(frozen=True)
class Inputs:
    """How to read the spec: the limits, the folders ``$ref``s may reach besides the spec's own, progress."""

    limits: Limits = DEFAULT_LIMITS
    ref_roots: Sequence[Path] = ()
    progress: Progress = _quiet
    strict: bool = False  # every validator finding refuses, as `lint` does


@dataclass
class Result:
    loaded: LoadedSpec
    api: ir.Api
    diagnostics: list[Diagnostic]
    files: dict[str, str] = field(default_factory=dict)  # relative to the output directory

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def report(self) -> dict[str, Any]:
        return {
            "operations": {
                "generated": [op.operation_id for op in self.api.operations],
                "skipped": [{"id": s.id, "reason": s.reason, "location": s.location} for s in self.api.skipped_operations],
            },
            "schemas": {
                "generated": len(self.api.models),
                "skipped": [{"id": s.id, "reason": s.reason, "location": s.location} for s in self.api.skipped_schemas],
            },
            "files": len(self.files),
            "warnings": [str(d) for d in self.warnings],
        }


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.location.file if d.location else "", d.location.line if d.location else 0))


_EMPTY = ir.Api("", "", "", "", (), (), (), (), ())


def _build(loaded: LoadedSpec, pending: validation.PendingValidation, strict: bool) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the IR; if the document is so broken that building fails, its validation errors say why."""
    try:
        return build_api(loaded)
    except Exception:
        errors = [d for d in pending.result(strict) if d.severity is Severity.ERROR]
        if errors:
            return _EMPTY, []
        raise


def _start(spec: Path, inputs: Inputs) -> tuple[LoadedSpec, validation.PendingValidation, ir.Api, list[Diagnostic]]:
    """Load, start validating in the background, and build the IR meanwhile."""
    inputs.progress("loading")
    loaded = load_spec(spec, inputs.limits, inputs.ref_roots, lambda n: inputs.progress(f"loading {n} files"))
    inputs.progress("building")
    pending = validation.start(loaded)
    api, build_diagnostics = _build(loaded, pending, inputs.strict)
    if not inputs.strict and api is not _EMPTY:
        api = _skip_operations(api, lint.check(loaded))
    return loaded, pending, api, build_diagnostics


def _skip_operations(api: ir.Api, findings: list[Finding]) -> ir.Api:
    """Drop the operations a finding says would be generated wrong (lint.py), each with that finding as reason."""
    reasons = {(m.upper(), path): f for f in findings for path, m in f.skips}
    if not reasons:
        return api
    skipped = list(api.skipped_operations)
    resources = []
    for resource in api.resources:
        kept = []
        for op in resource.operations:
            finding = reasons.get((op.method.upper(), op.path))
            if finding is None:
                kept.append(op)
            else:
                where = str(finding.location) if finding.location else finding.pointer
                skipped.append(ir.Skipped(op.operation_id, finding.message, where))
        if kept:
            resources.append(replace(resource, operations=tuple(kept)))
    return replace(api, resources=tuple(resources), skipped_operations=tuple(skipped))


def analyse(spec: Path, inputs: Inputs = Inputs(strict=True)) -> Result:
    """Load, validate and build: what ``lint`` needs (every finding an error when ``inputs.strict``).

    Raises ``SpecError`` for an unusable document.
    """
    loaded, pending, api, build_diagnostics = _start(spec, inputs)
    inputs.progress("validating")
    return Result(loaded, api, _sorted(pending.result(inputs.strict) + build_diagnostics))


def generate(
    spec: Path,
    package: ir.PackageInfo | Callable[[ir.Api], ir.PackageInfo],
    client_dir: str = "client",
    docs_dir: str = "docs",
    templates: Path | None = None,
    inputs: Inputs = Inputs(),
) -> Result:
    """Everything up to (not including) writing: the formatted files keyed by path under the output.

    The document is validated in a separate process while the client and docs are rendered and formatted;
    when validation finds errors, the rendered files are dropped and nothing is returned to write.
    """
    loaded, pending, api, build_diagnostics = _start(spec, inputs)
    result = Result(loaded, api, build_diagnostics)
    if api is _EMPTY or result.errors:  # nothing to render: report validation and build findings together
        inputs.progress("validating")
        result.diagnostics = _sorted(pending.result(inputs.strict) + build_diagnostics)
        return result
    info = package if isinstance(package, ir.PackageInfo) else package(api)
    kwargs = {"templates": templates} if templates is not None else {}
    inputs.progress("rendering")
    emitter = ClientEmitter(result.api, info, **kwargs)
    client = {f"{client_dir}/{name}": text for name, text in emitter.emit().items()}
    # black formats the client in worker processes while the docs are rendered here
    formatting = start_format(client, verbatim=frozenset(f"{client_dir}/{name}" for name in emitter.verbatim))
    try:
        docs = {f"{docs_dir}/{name}": text for name, text in emit_docs(result.api, info, **kwargs).items()}
    except BaseException:
        formatting.cancel()
        raise
    inputs.progress("formatting")
    files = formatting.result()
    files.update(format_files(docs))
    inputs.progress("validating")
    result.diagnostics = _sorted(pending.result(inputs.strict) + build_diagnostics)
    if not result.errors:
        result.files = files
    return result
