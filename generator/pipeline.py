"""Every flow, composed from the stages: load -> validate -> build -> emit -> format -> write (or compare).

``analyse`` is what ``lint`` runs; ``generate`` then :func:`write` (or :func:`compare`) what ``generate``
(``check``) runs; ``docs`` then :func:`write` what ``docs`` runs. ``cli/`` only parses arguments, prints
and picks the exit code.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.forked import Forked, Standby
from generator.model import ir
from generator.spec import lint
from generator.spec import validate as validation
from generator.model.build import build_api
from generator.spec.diagnostics import Diagnostic, Finding, Severity, SpecError
from generator.client.emit import ClientEmitter
from generator.output.format import format_files
from generator.output.write import MANIFEST, Plan, apply, preflight, read_file, read_manifest
from generator.output.write import diff as unified_diff
from generator.output.format import start as start_format
from generator.output.memo import api_digest
from generator.spec.limits import DEFAULT_LIMITS, Limits
from generator.spec.load import FileReader, LoadedSpec, load_spec
from generator.diff.compare import Change
from generator.diff.compare import compare as compare_apis

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
    # the loaded document and the IR live until the process ends (the CLI): once built, they are taken out
    # of the cyclic garbage collector's scans (gc.freeze), which otherwise walk them again and again. Not
    # for a caller that runs many generations in one process: their cycles would never be collected.
    one_shot: bool = False
    # a child forked at start-up that has imported the docs' modules meanwhile (forked.Standby): a small
    # spec's docs render there; a larger one's in a child forked once the IR is built (no pickling)
    docs_worker: Standby | None = None


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


def _build(loaded: LoadedSpec, pending: validation.Validation, strict: bool) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the IR; if the document is so broken that building fails, its validation errors say why."""
    try:
        return build_api(loaded)
    except Exception:
        errors = [d for d in pending.result(strict) if d.severity is Severity.ERROR]
        if errors:
            return _EMPTY, []
        raise


def _start(
    spec: Path, inputs: Inputs, reader: FileReader | None = None
) -> tuple[LoadedSpec, validation.Validation, ir.Api, list[Diagnostic]]:
    """Load (through ``reader`` when given), start validating, and build the IR: with ``inputs.strict``
    openapi-spec-validator runs in the background meanwhile; otherwise the structural checks run in-process."""
    inputs.progress("loading")
    loaded = load_spec(spec, inputs.limits, inputs.ref_roots, lambda n: inputs.progress(f"loading {n} files"), reader)
    if inputs.one_shot:
        gc.freeze()
    inputs.progress("building")
    pending = validation.start(loaded, inputs.strict)
    api, build_diagnostics = _build(loaded, pending, inputs.strict)
    if inputs.one_shot:
        gc.freeze()
    if not inputs.strict and api is not _EMPTY:
        known = pending.lint() if isinstance(pending, validation.StructuralValidation) else lint.check(loaded)
        api = _skip_operations(api, known)
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


def analyse(spec: Path, inputs: Inputs = Inputs(strict=True), reader: FileReader | None = None) -> Result:
    """Load, validate and build: what ``lint`` needs (every finding an error when ``inputs.strict``).

    Raises ``SpecError`` for an unusable document.
    """
    loaded, pending, api, build_diagnostics = _start(spec, inputs, reader)
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

    With ``inputs.strict`` the document is validated in a separate process while the client and docs are
    rendered and formatted; otherwise in-process (structure.py). When validation finds errors, the rendered
    files are dropped and nothing is returned to write.
    """
    loaded, pending, api, build_diagnostics = _start(spec, inputs)
    result = Result(loaded, api, build_diagnostics)
    if api is _EMPTY or result.errors:  # nothing to render: report validation and build findings together
        inputs.progress("validating")
        result.diagnostics = _sorted(pending.result(inputs.strict) + build_diagnostics)
        return result
    info = _package_info(package, api)
    kwargs = {"templates": templates} if templates is not None else {}
    inputs.progress("rendering")
    # what both renderers key their kept texts by (memo.py), taken once
    shared = api_digest(result.api)
    # the docs render in a child process while the client is rendered and formatted here
    rendering = _render_docs(result.api, info, shared, kwargs, inputs.docs_worker)
    try:
        emitted = ClientEmitter(result.api, info, shared_digest=shared, **kwargs).emit()
        client = {f"{client_dir}/{name}": text for name, text in emitted.files.items()}
        # kept texts vouched for whole before need no formatting: as the runtime's sources
        verbatim = frozenset(f"{client_dir}/{name}" for name in emitted.verbatim | emitted.final)
        stable = frozenset(f"{client_dir}/{name}" for name in emitted.stable)
        keys, memo = emitted.keys, emitted.memo
        del emitted
        inputs.progress("formatting")
        formatting = start_format(client, verbatim=verbatim, stable=stable)
        files = formatting.result()
        if memo is not None:  # keep what was rendered this time, and whether the check vouched for it whole
            for name, key in keys.items():
                path = f"{client_dir}/{name}"
                memo.put(key, {"text": client[path], "vouched": "1" if path in formatting.vouched_whole else ""})
    except BaseException:
        rendering.cancel()
        raise
    # the client's unformatted texts are gone before the docs arrive: the two are never held at once
    del client
    files.update(format_files({f"{docs_dir}/{name}": text for name, text in rendering.result().items()}))
    inputs.progress("validating")
    result.diagnostics = _sorted(pending.result(inputs.strict) + build_diagnostics)
    if not result.errors:
        result.files = files
    return result


# a spec this small pickles (to go to the standby child) in a few milliseconds; a larger one is rendered by a
# child forked once its IR is built, which shares it with no copy
_STANDBY_MAX = 600  # operations and models


def _render_docs(
    api: ir.Api, info: ir.PackageInfo, shared: str | None, kwargs: dict[str, Path], worker: Standby | None
) -> Forked[dict[str, str]]:
    if worker is not None and len(api.operations) + len(api.models) <= _STANDBY_MAX:
        # (the docs' modules are imported there, not here)
        submitted: Forked[dict[str, str]] = worker.submit(_EMIT_DOCS, api, info, shared_digest=shared, **kwargs)
        return submitted
    if worker is not None:
        worker.dismiss()
    from generator.reference.pages import emit_docs

    return Forked(lambda: emit_docs(api, info, shared_digest=shared, **kwargs))


_EMIT_DOCS = "generator.reference.pages:emit_docs"


@dataclass
class DiffResult:
    old: Result
    new: Result
    changes: list[Change] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return self.old.errors + self.new.errors


def diff(
    old: Path,
    new: Path,
    inputs: Inputs = Inputs(),
    old_reader: FileReader | None = None,
    old_error: Callable[[SpecError], SpecError] = lambda exc: exc,
) -> DiffResult:
    """Both specs read as ``generate`` reads them (``old`` through ``old_reader`` when given), and the changes a
    caller of the generated client can observe between them; no changes when either has errors. A
    ``SpecError`` of the old spec is raised as ``old_error`` makes it (e.g. naming the commit)."""
    try:
        before = analyse(old, inputs, old_reader)
    except SpecError as exc:
        raise old_error(exc) from None
    after = analyse(new, inputs)
    result = DiffResult(before, after)
    if not result.errors:
        result.changes = compare_apis(before.api, after.api)
    return result


def docs(
    spec: Path,
    output: Path,
    package: ir.PackageInfo | Callable[[ir.Api], ir.PackageInfo],
    docs_dir: str = "docs",
    inputs: Inputs = Inputs(),
) -> Result:
    """Only the API reference: ``files`` is the docs, plus every other file of ``output``'s manifest as it is.

    Written through the same manifest-based writer as ``generate``, the docs files are replaced and the
    client's files (and their manifest entries) are left exactly as they are, so a later ``check`` still
    compares everything. When validation finds errors, ``files`` is empty.
    """
    result = analyse(spec, inputs)
    if result.errors:
        return result
    inputs.progress("rendering")
    from generator.reference.pages import emit_docs

    rendered = emit_docs(result.api, _package_info(package, result.api))
    result.files = _kept(output, docs_dir)
    result.files.update({f"{docs_dir}/{name}": text for name, text in rendered.items()})
    return result


def _kept(output: Path, docs_dir: str) -> dict[str, str]:
    """What apigen generated in ``output`` outside ``docs_dir``, as it is on disk (a file gone from disk is dropped)."""
    prefix = docs_prefix(docs_dir)
    kept: dict[str, str] = {}
    for name in read_manifest(output):
        if name != MANIFEST and not name.startswith(prefix):
            text = read_file(output / name)
            if text is not None:  # gone from disk (or not a plain file): it leaves the manifest
                kept[name] = text
    return kept


def docs_prefix(docs_dir: str) -> str:
    """The prefix of every docs file's name under the output."""
    return docs_dir.rstrip("/") + "/"


def _package_info(package: ir.PackageInfo | Callable[[ir.Api], ir.PackageInfo], api: ir.Api) -> ir.PackageInfo:
    return package if isinstance(package, ir.PackageInfo) else package(api)


def write(output: Path, result: Result, inputs: Inputs = Inputs()) -> Plan:
    """Write ``result.files`` into ``output`` (all or nothing, changed files only); what was written and deleted."""
    preflight(output, result.files, inputs.limits)
    inputs.progress("writing")
    return apply(output, result.files, inputs.limits)


def compare(output: Path, result: Result, inputs: Inputs = Inputs()) -> str:
    """A unified diff from ``output`` to ``result.files`` ("" when up to date); writes nothing."""
    preflight(output, result.files, inputs.limits)
    inputs.progress("comparing")
    return unified_diff(output, result.files)
