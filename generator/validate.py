"""Validation: openapi-spec-validator on the document, plus what the generator itself needs (lint).

Findings are :class:`Diagnostic` values, collected rather than raised one at a time.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from generator import cache
from generator.diagnostics import Diagnostic, Severity, pointer_join
from generator.load import LoadedSpec

_MAX_SCHEMA_ERRORS = 50


def _validator_class(version: str) -> Any:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    if version.startswith("3.0"):
        return OpenAPIV30SpecValidator
    if version.startswith(("3.1", "3.2")):
        return OpenAPIV31SpecValidator
    return None


class PendingValidation:
    """Validation running in a forked process while the rest of the pipeline works (see :func:`start`)."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self._done: list[Diagnostic] | None = None
        self._future: Future[list[Diagnostic]] | None = None
        self._pool: ProcessPoolExecutor | None = None
        if cached_clean(loaded):
            self._done = []
        elif "fork" in multiprocessing.get_all_start_methods():
            global _TARGET
            _TARGET = loaded  # the child inherits it: nothing is pickled but the diagnostics coming back
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._future = self._pool.submit(_validate_target)
        else:  # pragma: no cover - platforms without fork validate in line
            self._done = validate_document(loaded)

    def result(self) -> list[Diagnostic]:
        if self._done is None:
            assert self._future is not None and self._pool is not None
            try:
                self._done = self._future.result()
            finally:
                self._pool.shutdown()
        return list(self._done)


_TARGET: LoadedSpec | None = None


def _validate_target() -> list[Diagnostic]:
    assert _TARGET is not None
    return validate_document(_TARGET)


def start(loaded: LoadedSpec) -> PendingValidation:
    """Begin validating ``loaded``; call ``.result()`` for the diagnostics before trusting the document."""
    return PendingValidation(loaded)


def _cache_key(loaded: LoadedSpec) -> str | None:
    """A key for this document's validation, computed without importing the (slow to import) validator."""
    version = loaded.document.get("openapi")
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1", "3.2")):
        return None
    bundled = bundle(loaded.document, loaded.source_map.ref_targets)
    return cache.digest(_validator_version(), version[:3], json.dumps(bundled, sort_keys=True, default=str))


def cached_clean(loaded: LoadedSpec) -> bool:
    """Whether this exact document was validated clean before (by this validator version)."""
    key = _cache_key(loaded)
    return key is not None and cache.read("validate", key) == "clean"


def validate_document(loaded: LoadedSpec) -> list[Diagnostic]:
    """Check the document against the OpenAPI schema for its version; errors point at file:line."""
    doc = loaded.document
    version = doc.get("openapi")
    root_where = loaded.location(doc)
    if not isinstance(version, str):
        if "swagger" in doc:
            return [Diagnostic(Severity.ERROR, "Swagger 2.0 is not supported: convert it to OpenAPI 3", root_where)]
        return [Diagnostic(Severity.ERROR, "not an OpenAPI document: no `openapi` version field", root_where)]
    cls = _validator_class(version)
    if cls is None:
        return [Diagnostic(Severity.ERROR, f"unsupported OpenAPI version {version!r} (3.0.x and 3.1.x are)",
                           loaded.location(doc, "openapi"), "#/openapi")]  # fmt: skip
    # the same document always validates the same way: a clean result is remembered (errors are not,
    # they need the live error objects to be placed in the source)
    key = _cache_key(loaded)
    if key is not None and cache.read("validate", key) == "clean":
        return []
    validator = cls(bundle(doc, loaded.source_map.ref_targets))
    out: list[Diagnostic] = []
    try:
        errors: Iterable[Any] = validator.iter_errors()
        for n, error in enumerate(errors):
            if n >= _MAX_SCHEMA_ERRORS:
                out.append(Diagnostic(Severity.ERROR, "more errors not shown", root_where))
                break
            out.append(_diagnostic(loaded, error))
    except Exception as exc:  # the validator can fail on documents it cannot walk; report, don't crash
        out.append(Diagnostic(Severity.ERROR, f"openapi-spec-validator failed: {type(exc).__name__}: {exc}", root_where))
    if not out and key is not None:
        cache.write("validate", key, "clean")
    return out


def _validator_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("openapi-spec-validator") + "/" + version("openapi-schema-validator")
    except PackageNotFoundError:  # pragma: no cover - vendored or unusual installs: no cache key, no cache
        return "unknown"


def bundle(document: dict[str, Any], ref_targets: Mapping[int, str]) -> dict[str, Any]:
    """An acyclic copy of the resolved document for the validator, which does not look inside ``$ref``s.

    The first occurrence of each ``$ref`` target (components first, so shared schemas are checked there) is
    copied; later occurrences and cycles become internal ``$ref``s to it. Nodes shared only through YAML
    aliases are copied again. Error paths in the copy are paths in the resolved document, which the source
    map can place.
    """
    first: dict[int, str] = {}
    active: set[int] = set()

    def copy(node: Any, pointer: str) -> Any:
        if not isinstance(node, (dict, list)):
            return node
        key = id(node)
        seen = first.get(key)
        if seen is not None and (key in ref_targets or key in active):
            return {"$ref": seen}
        first.setdefault(key, pointer)
        active.add(key)
        try:
            if isinstance(node, dict):
                return {k: copy(v, pointer_join(pointer, k)) for k, v in node.items()}
            return [copy(v, pointer_join(pointer, i)) for i, v in enumerate(node)]
        finally:
            active.discard(key)

    out: dict[str, Any] = {}
    first[id(document)] = "#"
    for key in sorted(document, key=lambda k: k != "components"):
        out[key] = copy(document[key], pointer_join("#", key))
    return {k: out[k] for k in document}


def _best_message(error: Any) -> str:
    """The most specific message of a jsonschema error (``oneOf`` failures hide the useful one in context)."""
    context = list(getattr(error, "context", None) or [])
    if context:
        deepest = max(context, key=lambda e: len(list(e.absolute_path)))
        if len(list(deepest.absolute_path)) > 0 or len(context) == 1:
            return str(deepest.message)
    return str(error.message)


def _find_value(loaded: LoadedSpec, instance: Any) -> tuple[Any, str] | None:
    """The example/default holding ``instance`` (the validator reports those checks without a path)."""
    stack: list[Any] = [loaded.document]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key in ("example", "default", "value"):
                if key in node and node[key] == instance and type(node[key]) is type(instance):
                    return node, key
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return None


def _diagnostic(loaded: LoadedSpec, error: Any) -> Diagnostic:
    path = [str(p) for p in getattr(error, "absolute_path", None) or getattr(error, "path", None) or []]
    if not path and not isinstance(error.instance, dict):
        # a value checked against its schema (an example or default): wrong, but code can still be generated
        found = _find_value(loaded, error.instance)
        where = loaded.location(*found) if found else loaded.location(loaded.document)
        return Diagnostic(Severity.WARNING, f"example or default does not match its schema: {error.message}", where)
    node: Any = loaded.document
    parent: Any = None
    key: str | None = None
    pointer = "#"
    for token in path:
        pointer = pointer_join(pointer, token)
        if isinstance(node, dict) and token in node:
            parent, key, node = node, token, node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            parent, key, node = node, None, node[int(token)]
        else:
            break
    where = loaded.location(node) if isinstance(node, (dict, list)) else None
    if where is None and parent is not None:
        where = loaded.location(parent, key)
    if where is None:
        where = loaded.location(loaded.document)
    return Diagnostic(Severity.ERROR, _best_message(error), where, pointer if path else "")
