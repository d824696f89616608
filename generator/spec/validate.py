"""Validation: the structural checks (structure.py) and what the generator itself needs (lint.py), plus
openapi-spec-validator for ``lint`` and ``--strict``.

``generate``, ``check`` and ``docs`` validate in-process with structure.py, which is fast and never imports
openapi-spec-validator; ``lint`` and ``--strict`` run openapi-spec-validator too (in a forked process, its
findings cached), each place named once. Findings are :class:`Diagnostic` values, collected rather than
raised one at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.forked import Forked
from generator.output import cache
from generator.spec import lint, structure
from generator.spec.diagnostics import Diagnostic, Finding, Location, diagnostics, pointer_join
from generator.spec.media import parameter_media_type
from generator.spec.load import LoadedSpec

_MAX_SCHEMA_ERRORS = 50
# bumped whenever what is reported changes, so a document cached clean is checked again
_RULES = "3"


def _validator_class(version: str) -> Any:
    import openapi_spec_validator as osv

    if version.startswith("3.0"):
        return osv.OpenAPIV30SpecValidator
    if version.startswith("3.1"):
        return osv.OpenAPIV31SpecValidator
    if version.startswith("3.2"):  # the `query` method, `additionalOperations`, `in: querystring`, `itemSchema`, ...
        return osv.OpenAPIV32SpecValidator
    return None


class PendingValidation:
    """openapi-spec-validator running in a forked process while the rest of the pipeline works (see :func:`start`)."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self._done: list[Finding] | None = None
        self._child: Forked[list[Finding]] | None = None
        if cached_clean(loaded):
            self._done = []
        elif (remembered := cached_findings(loaded)) is not None:
            self._done = remembered
        else:  # the child is a copy of this process: nothing is pickled but the findings coming back
            self._child = Forked(lambda: validate_document(loaded))

    def result(self, strict: bool = True) -> list[Diagnostic]:
        """The findings as diagnostics: all errors when ``strict``, else only the blocking ones."""
        if self._done is None:
            assert self._child is not None
            self._done = self._child.result()
        return diagnostics(self._done, strict)


class StructuralValidation:
    """The hot path's validation: structure.py and lint.py, in-process, computed when first asked for."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self._loaded = loaded
        self._lint: list[Finding] | None = None
        self._done: list[Finding] | None = None

    def lint(self) -> list[Finding]:
        """lint.py's findings (the pipeline skips operations by them), computed once."""
        if self._lint is None:
            self._lint = lint.check(self._loaded)
        return self._lint

    def result(self, strict: bool = False) -> list[Diagnostic]:
        if self._done is None:
            self._done = structural_findings(self._loaded, self.lint())
        return diagnostics(self._done, strict)


Validation = PendingValidation | StructuralValidation


def start(loaded: LoadedSpec, strict: bool = True) -> Validation:
    """Begin validating ``loaded``; call ``.result()`` for the diagnostics before trusting the document.

    ``strict`` (``lint``, ``--strict``): openapi-spec-validator as well; otherwise only the structural checks.
    """
    return PendingValidation(loaded) if strict else StructuralValidation(loaded)


def _preamble(loaded: LoadedSpec) -> list[Finding] | None:
    """The findings that end validation before it starts (no OpenAPI 3 version), else None."""
    doc = loaded.document
    version = doc.get("openapi")
    root_where = loaded.location(doc)
    if not isinstance(version, str):
        if "swagger" in doc:
            return [Finding("Swagger 2.0 is not supported: convert it to OpenAPI 3", root_where)]
        return [Finding("not an OpenAPI document: no `openapi` version field", root_where)]
    if not version.startswith(("3.0", "3.1", "3.2")):
        return [Finding(f"unsupported OpenAPI version {version!r} (3.0.x, 3.1.x and 3.2.x are)",
                        loaded.location(doc, "openapi"), "#/openapi")]  # fmt: skip
    return None


def _merged(own: list[Finding], others: Iterable[Finding]) -> list[Finding]:
    """``own`` (the generator's findings, each kept), then each of ``others`` about another place, once
    (a shared node reached through several paths is named by one pointer)."""
    placed = {(f.location, f.pointer) for f in own if f.pointer}
    said: set[tuple[str, str]] = set()
    unique = list(own)
    for finding in others:
        if finding.pointer and ((finding.location, finding.pointer) in placed or (finding.pointer, finding.message) in said):
            continue
        said.add((finding.pointer, finding.message))
        unique.append(finding)
    return unique


def structural_findings(loaded: LoadedSpec, semantic: list[Finding] | None = None) -> list[Finding]:
    """The generator's checks (``semantic``, when already made) and the structural ones: what ``generate``
    needs, without openapi-spec-validator."""
    early = _preamble(loaded)
    if early is not None:
        return early
    return _merged(lint.check(loaded) if semantic is None else semantic, structure.check(loaded))


def _cache_key(loaded: LoadedSpec) -> str | None:
    """A key for this document's validation, computed without importing the (slow to import) validator."""
    version = loaded.document.get("openapi")
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1", "3.2")):
        return None
    try:
        bundled = bundle(loaded.document, loaded.source_map.ref_targets)
        text = json.dumps(bundled, sort_keys=True, default=str)
    except RecursionError:  # nested deeper than the JSON encoder goes: validated every time, not cached
        return None
    return cache.digest(_RULES, _validator_version(), version[:3], text)


def cached_clean(loaded: LoadedSpec) -> bool:
    """Whether this exact document was validated clean before (by this validator version)."""
    key = _cache_key(loaded)
    return key is not None and cache.read("validate", key) == "clean"


def _findings_key(loaded: LoadedSpec, key: str) -> str | None:
    """A key for the findings themselves: they also depend on where each node is written (files, lines)
    and on how paths are shown (relative to the working directory)."""
    parts: list[str | bytes] = [key, os.getcwd(), _code_digest()]
    for path in loaded.files:
        try:
            parts += [str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()]
        except OSError:
            return None
    return cache.digest(*parts)


def _code_digest() -> str:
    """The generator's checks themselves: an edited message or rule must not be answered from the cache."""
    modules = [lint, sys.modules[Finding.__module__], sys.modules[parameter_media_type.__module__], sys.modules[__name__]]
    sources = [Path(m.__file__ or "") for m in modules]
    try:
        return cache.digest(*(p.read_bytes() for p in sources))
    except OSError:  # pragma: no cover - a frozen install without sources: the version says enough
        return "no-sources"


def _encode_findings(findings: list[Finding]) -> str:
    return json.dumps([[f.message, [f.location.file, f.location.line] if f.location else None, f.pointer,
                        f.blocking, f.strict_error, [list(s) for s in f.skips]] for f in findings])  # fmt: skip


def _decode_findings(text: str) -> list[Finding] | None:
    try:
        return [Finding(message, Location(where[0], where[1]) if where else None, pointer, blocking, strict_error,
                        tuple((path, method) for path, method in skips))
                for message, where, pointer, blocking, strict_error, skips in json.loads(text)]  # fmt: skip
    except (ValueError, TypeError, IndexError):  # a damaged entry: validate again
        return None


def cached_findings(loaded: LoadedSpec) -> list[Finding] | None:
    """The findings of an earlier validation of these exact files (seen from this working directory)."""
    key = _cache_key(loaded)
    findings_key = _findings_key(loaded, key) if key is not None else None
    text = cache.read("findings", findings_key) if findings_key is not None else None
    return _decode_findings(text) if text is not None else None


def validate_document(loaded: LoadedSpec) -> list[Finding]:
    """Check the document against the OpenAPI schema for its version, plus the generator's own checks.

    Every finding points at the node it is about, in the file where that node was written.
    """
    doc = loaded.document
    early = _preamble(loaded)
    if early is not None:
        return early
    version = str(doc.get("openapi"))
    root_where = loaded.location(doc)
    cls = _validator_class(version)
    # the same document always validates the same way: a clean result is remembered (findings are not,
    # they need the live error objects to be placed in the source)
    key = _cache_key(loaded)
    if key is not None and cache.read("validate", key) == "clean":
        return []
    semantic = _merged(lint.check(loaded), structural := structure.check(loaded))
    # a place the structural checks name is named once, with their message
    named = {f.pointer for f in structural if f.pointer}
    out: list[Finding] = []
    try:
        bundled, first = _bundle(doc, loaded.source_map.ref_targets)
        # a node shared through $ref is named by its definition's pointer (components come first)
        canonical = {k: v for k, v in first.items() if k in loaded.source_map.ref_targets}
        validator = _located(cls)(bundled)
        errors: Iterable[Any] = validator.iter_errors()
        for error in errors:
            if len(out) >= _MAX_SCHEMA_ERRORS:
                out.append(Finding("more errors not shown", root_where))
                break
            out.extend(_findings(loaded, canonical, error, version))
    except RecursionError:
        # the builder bounds depth itself (deeper schemas degrade with their own warnings); the validator does
        # not: it stops here, which only --strict and lint treat as an error
        out.append(Finding("the document nests too deeply through $refs for openapi-spec-validator; the rest of "
                           "it is not validated", root_where, blocking=False))  # fmt: skip
    except Exception as exc:  # the validator can fail on documents it cannot walk; report, don't crash
        out.append(Finding(f"openapi-spec-validator failed: {type(exc).__name__}: {exc}", root_where))
    # the generator's own (more precise) findings and the structural ones, then the validator's about other
    # places, each once
    unique = _merged(semantic, [f for f in _without_redundant_crashes(out) if not _said(f, named)])
    if key is not None:
        if not unique:
            cache.write("validate", key, "clean")
        elif (findings_key := _findings_key(loaded, key)) is not None:
            # findings are values (message, file:line, pointer, severity): the same files give the same ones
            cache.write("findings", findings_key, _encode_findings(unique))
    return unique


_CRASH = "openapi-spec-validator could not check this node"
# the validator's wording for keys a map does not allow: it names the map, the structural checks each key
_EXTRA_KEYS = ("does not match any of the regexes", "Additional properties are not allowed",
               "Unevaluated properties are not allowed")  # fmt: skip


def _said(finding: Finding, named: set[str]) -> bool:
    """Whether the structural checks already name what this validator finding is about."""
    if finding.pointer in named:
        return True
    if any(text in finding.message for text in _EXTRA_KEYS):
        return any(p.startswith(finding.pointer + "/") for p in named)
    return False


def _without_redundant_crashes(findings: list[Finding]) -> list[Finding]:
    """Drop a walker failure at a node another finding is about (at it, under it, or at its parent):
    that finding already names what is wrong there."""
    others = [f.pointer for f in findings if f.pointer and not f.message.startswith(_CRASH)]

    def explained(pointer: str) -> bool:
        parent = pointer.rpartition("/")[0]
        return any(p == pointer or p.startswith(pointer + "/") or p == parent for p in others)

    return [f for f in findings if not (f.message.startswith(_CRASH) and explained(f.pointer))]


def _validator_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("openapi-spec-validator") + "/" + version("openapi-schema-validator")
    except PackageNotFoundError:  # pragma: no cover - vendored or unusual installs: no cache key, no cache
        return "unknown"


# keys whose value is a map of named things (or a list): a `$ref` cannot stand for one, so these are copied
# again rather than replaced by an internal `$ref` (the loader has already read such a `$ref` as its target)
_NOT_REFERENCEABLE = frozenset({
    "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "webhooks",
    "components", "schemas", "responses", "parameters", "requestBodies", "headers", "securitySchemes",
    "links", "callbacks", "pathItems", "examples", "content", "encoding", "variables", "mapping",
})  # fmt: skip


def bundle(document: dict[str, Any], ref_targets: Mapping[int, str]) -> dict[str, Any]:
    return _bundle(document, ref_targets)[0]


def _bundle(document: dict[str, Any], ref_targets: Mapping[int, str]) -> tuple[dict[str, Any], dict[int, str]]:
    """An acyclic copy of the resolved document for the validator, which does not look inside ``$ref``s.

    The first occurrence of each ``$ref`` target (components first, so shared schemas are checked there) is
    copied; later occurrences and cycles become internal ``$ref``s to it, except where OpenAPI allows no
    Reference Object (a properties map, a list): there the value is copied again. Nodes shared only through
    YAML aliases are copied again. Error paths in the copy are paths in the resolved document, which the
    source map can place. Also returns the pointer of each node's first occurrence (its definition).
    """
    first: dict[int, str] = {}
    active: set[int] = set()
    # each entry of components is the definition of what it holds, wherever it is reached first: a chain of
    # components referring to each other becomes internal $refs, not one copy nested as deep as the chain
    components = document.get("components")
    if isinstance(components, dict):
        for section, entries in components.items():
            if isinstance(entries, dict):
                for name, entry in entries.items():
                    if isinstance(entry, (dict, list)):
                        first.setdefault(id(entry), pointer_join("#/components", section, name))

    def shallow(node: Any, pointer: str, key_in_parent: object) -> tuple[Any, bool]:
        """The copy of ``node`` at ``pointer`` (children still to fill in when the flag is true)."""
        if not isinstance(node, (dict, list)):
            return node, False
        key = id(node)
        seen = first.get(key)
        if seen is not None and key in active:
            return ({"$ref": seen} if isinstance(node, dict) else []), False
        if (seen is not None and seen != pointer and key in ref_targets and isinstance(node, dict)
                and key_in_parent not in _NOT_REFERENCEABLE):  # fmt: skip
            return {"$ref": seen}, False
        first.setdefault(key, pointer)
        return (dict.fromkeys(node) if isinstance(node, dict) else [None] * len(node)), True

    # iterative (depth-first, children in order, as a recursive copy would visit them): any depth is copied
    out: dict[str, Any] = {}
    first[id(document)] = "#"
    Frame = tuple[Any, str, object, Any, object]  # node, pointer, key in parent, copy of parent, slot
    stack: list[Frame | int] = []
    for key in reversed(sorted(document, key=lambda k: k != "components")):
        stack.append((document[key], pointer_join("#", key), key, out, key))
    while stack:
        item = stack.pop()
        if isinstance(item, int):  # the subtree of this node is done
            active.discard(item)
            continue
        node, pointer, key_in_parent, parent, slot = item
        value, open_ = shallow(node, pointer, key_in_parent)
        parent[slot] = value
        if not open_:
            continue
        active.add(id(node))
        stack.append(id(node))
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for k, v in reversed(children):
            stack.append((v, pointer_join(pointer, k), k if isinstance(node, dict) else None, value, k))
    return {k: out[k] for k in document}, first


# -- placing the validator's findings ---------------------------------------------------------------

# what the keyword validators of openapi-spec-validator are called with: the index of the argument that is
# the node they check (their errors carry no path of their own)
_ANCHOR_ARGUMENT = {"schema": 0, "default": 0, "parameter": 0, "parameters": 0, "operation": 2, "tags": 0}
# findings the generator reports itself, at the right line and with a better message (see lint.py)
_OWN_CHECKS = ("UnresolvableParameterError", "ParameterDuplicateError", "DuplicateOperationIDError")


def _located(cls: Any) -> Any:
    """``cls`` with keyword validators that record, on each error, the spec node they were checking."""
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    def tagging(base: Any, kind: str, index: int | None) -> Any:
        def call(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            walked = [a for a in args if hasattr(a, "parts")]  # the spec nodes this keyword validator checks
            at = args[index] if index is not None else (walked[-1] if walked else None)
            anchor = tuple(str(p) for p in at.parts) if at is not None else None
            errors = base.__call__(self, *args, **kwargs)
            while True:
                try:
                    err = next(errors)
                except StopIteration:
                    return
                except Exception as exc:  # noqa: BLE001 - the walker assumes shapes the OpenAPI schema check
                    # reports itself (a list where a path item belongs): say where it stopped, walk the rest
                    crash = OpenAPIValidationError(f"{type(exc).__name__}: {exc}".rstrip(": "))
                    crash.apigen_crash = tuple(str(p) for p in walked[-1].parts) if walked else ()
                    yield crash
                    return
                if getattr(err, "apigen_crash", None) is not None:
                    yield err
                    continue
                if not isinstance(err, OpenAPIValidationError):
                    err = OpenAPIValidationError.create_from(err)
                if anchor is not None and getattr(err, "apigen_anchor", None) is None and index is not None:
                    err.apigen_anchor = anchor
                    err.apigen_kind = kind
                yield err

        return type(base.__name__, (base,), {"__call__": call})

    validators = dict(cls.keyword_validators)
    for kind in list(validators):
        validators[kind] = tagging(validators[kind], kind, _ANCHOR_ARGUMENT.get(kind))
    return type(cls.__name__, (cls,), {"keyword_validators": validators})


def _deepest(error: Any) -> Any:
    """The most specific error under ``error`` (``oneOf``/``anyOf`` failures hide it in their context).

    Descends into the context error with the longest path, preferring a concrete keyword (a missing field,
    a wrong type) to another combinator, and ignoring the "or it could be a Reference Object" branch,
    which says nothing about the node.
    """
    while True:
        context = [e for e in (getattr(error, "context", None) or []) if not _is_missing_ref(e)]
        if not context:
            return error
        chosen = max(context, key=lambda e: (len(list(e.absolute_path)), e.validator not in _COMBINATORS))
        if len(list(chosen.absolute_path)) < len(list(error.absolute_path)):
            return error
        error = chosen


_TAG_NAMED = re.compile(r"(?:Duplicate tag name|Tag|hierarchy detected:) '?([^' ]+)")
_COMBINATORS = frozenset({"oneOf", "anyOf", "allOf", "not", "if", "then", "else"})


def _is_missing_ref(error: Any) -> bool:
    return error.validator == "required" and list(error.validator_value or []) == ["$ref"]


def _walk(loaded: LoadedSpec, path: Iterable[str], canonical: Mapping[int, str] | None = None) -> tuple[Any, Any, str | None, str]:
    """Follow ``path`` in the resolved document: (node, parent, key in parent, JSON pointer).

    The pointer restarts at the definition of each ``$ref`` target passed (``canonical``), so a finding in
    a shared schema is named the same way whichever use of it the validator walked through.
    """
    node: Any = loaded.document
    parent: Any = None
    key: str | None = None
    pointer = "#"
    for token in path:
        if isinstance(node, dict) and token in node:
            parent, key, node = node, token, node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            parent, key, node = node, None, node[int(token)]
        else:
            break
        pointer = pointer_join(pointer, token)
        if canonical is not None and id(node) in canonical:
            pointer = canonical[id(node)]
    return node, parent, key, pointer


def _place(loaded: LoadedSpec, node: Any, parent: Any, key: str | None) -> Location | None:
    if key is not None and parent is not None:
        where = loaded.location(parent, key)  # the line of the key that holds the wrong value
        if where is not None:
            return where
    where = loaded.location(node) if isinstance(node, (dict, list)) else None
    if where is None and parent is not None:
        where = loaded.location(parent)
    return where or loaded.location(loaded.document)


_UNKNOWN_FIELD = frozenset({"additionalProperties", "unevaluatedProperties"})
_is_cosmetic = structure.is_cosmetic
_in_links = structure.in_links


def _unknown_fields(loaded: LoadedSpec, canonical: Mapping[int, str], error: Any, path: list[str]) -> list[Finding]:
    """One finding per field the OpenAPI schema does not allow there, at its line.

    Nobody reads an unknown field, so it cannot change the client, unless it looks like a misspelling of
    a field the generator does read (``paramters``): that one is blocking, with a "did you mean".
    """
    import difflib

    node, parent, key, pointer = _walk(loaded, path, canonical)
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = sorted(str(k) for k in schema.get("properties", {}))
    if not isinstance(node, dict) or not known:
        return [Finding(str(error.message), _place(loaded, node, parent, key), pointer, blocking=False)]
    out = []
    for field in node:
        if field in known or str(field).startswith("x-"):
            continue
        near = difflib.get_close_matches(str(field), known, n=1, cutoff=0.8)
        hint = f" (did you mean {near[0]!r}?)" if near else " (the generator ignores it)"
        out.append(Finding(f"unknown field {field!r}{hint}", loaded.location(node, field) or _place(loaded, node, parent, key),
                           pointer_join(pointer, field), blocking=bool(near)))  # fmt: skip
    return out


def _findings(loaded: LoadedSpec, canonical: Mapping[int, str], error: Any, version: str) -> list[Finding]:
    """The findings for one validator error, placed at the spec node they are about (none if lint.py has it)."""
    kind = type(error).__name__
    if kind in _OWN_CHECKS:
        return []
    crashed = getattr(error, "apigen_crash", None)
    if crashed is not None:  # the validator's walker failed at this spec node
        node, parent, key, pointer = _walk(loaded, list(crashed), canonical)
        return [Finding(f"{_CRASH} ({error.message}); its other checks here were skipped",
                        _place(loaded, node, parent, key), pointer, blocking=False, strict_error=False)]  # fmt: skip
    anchor = getattr(error, "apigen_anchor", None)
    if anchor is None:  # a check of the whole document against the OpenAPI schema: the path is absolute
        error = _deepest(error)
        path = [str(p) for p in error.absolute_path]
        message = str(error.message)
    elif kind == "ExtraParametersError":  # `required` names a property no branch of an allOf defines
        path = [*anchor, "required"]
        message = str(error.message)
    elif getattr(error, "apigen_kind", "") == "default":  # a default checked against its schema
        path = [*anchor, "default"]
        message = f"default does not match its schema: {error.message}"
    else:  # a schema (or parameter, ...) checked on its own: the error's path is relative to that node
        path = [*anchor, *(str(p) for p in error.path)]
        message = str(error.message)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        return _unknown_fields(loaded, canonical, error, path)
    node, parent, key, pointer = _walk(loaded, path, canonical)
    if _owned_by_lint(loaded, path, version):
        return []
    if getattr(error, "apigen_kind", "") == "tags" and isinstance(node, list):  # the tag the finding names
        named = _TAG_NAMED.search(message)
        tags = [i for i, t in enumerate(node) if isinstance(t, dict) and named and t.get("name") == named.group(1)]
        if tags:
            index = tags[-1] if message.startswith("Duplicate") else tags[0]
            field = "name" if message.startswith("Duplicate") else "parent"
            tag = node[index]
            return [Finding(message, loaded.location(tag, field) or loaded.location(tag), pointer_join(pointer, index, field))]
    if error.validator == "pattern" and list(error.absolute_schema_path)[-2:] == ["propertyNames", "pattern"] \
            and path[:1] == ["components"] and isinstance(node, dict) and error.instance in node:
        # a component name with a space or a `/`: names are sanitised for Python anyway, and `$ref`s reach it
        return [Finding(f"component name {error.instance!r} has characters OpenAPI does not allow there (letters, "
                        "digits, `.`, `_` and `-` only); the generated names are sanitised",
                        loaded.location(node, error.instance) or _place(loaded, node, parent, key),
                        pointer_join(pointer, error.instance), blocking=False)]  # fmt: skip
    if path == ["info", "version"] and error.validator == "type" and isinstance(node, (int, float)) and not isinstance(node, bool):
        message = f"`info.version` is a number ({node!r}); OpenAPI wants a string (quote it): read as {str(node)!r}"
    if error.validator == "maxProperties" and key == "content" and isinstance(parent, dict) and "in" in parent and isinstance(node, dict):
        chosen = parameter_media_type(node)  # the builder reads this one
        return [Finding(f"parameter `content` has {len(node)} media types; OpenAPI allows exactly one: read as "
                        f"{chosen!r} (the first JSON one, else the first)", _place(loaded, node, parent, key), pointer,
                        blocking=False)]  # fmt: skip
    # a default only documents (the generated code sends nothing it was not given); a property named in
    # `required` that no branch defines is simply not generated
    blocking = not _is_cosmetic(path) and kind != "ExtraParametersError" and getattr(error, "apigen_kind", "") != "default"
    if error.validator == "required":  # a missing required field (even `info.version`) is never cosmetic
        blocking = True
    if _in_links(path):  # nothing generated reads a response's Link Objects
        blocking = False
    if anchor is not None and getattr(error, "apigen_kind", "") == "schema" and not isinstance(error.validator, str):
        schema, _, _, schema_pointer = _walk(loaded, anchor, canonical)
        if isinstance(schema, dict) and "$schema" in schema:  # an unknown JSON-Schema dialect
            blocking = False
            node, parent, key, pointer = schema.get("$schema"), schema, "$schema", pointer_join(schema_pointer, "$schema")
    if error.validator == "uniqueItems":  # `required: [a, a]`, `enum: [x, x]`: the repeat changes nothing
        blocking = False
    # a default checked against its schema was a warning in lint before it was placed; it stays one there
    strict_error = getattr(error, "apigen_kind", "") != "default"
    return [Finding(message, _place(loaded, node, parent, key), pointer, blocking, strict_error)]


def _owned_by_lint(loaded: LoadedSpec, path: list[str], version: str) -> bool:
    """Findings that lint.py makes itself, with a better message at the same place."""
    if not path:
        return False
    last = path[-1]
    node, _, _, _ = _walk(loaded, path)
    if "type" in path[-2:]:
        holder, _, _, _ = _walk(loaded, path[: path.index("type", len(path) - 2)])
        if isinstance(holder, dict) and lint.owns_type(holder.get("type"), version):
            return True
    if last in ("exclusiveMaximum", "exclusiveMinimum") and isinstance(node, bool) and not version.startswith("3.0"):
        return True
    for prefix in (path, path[:-1]):  # a path parameter that is not `required: true` (the node or its field)
        param, _, _, _ = _walk(loaded, prefix)
        if isinstance(param, dict) and param.get("in") == "path" and param.get("required") is not True:
            return True
    return False
