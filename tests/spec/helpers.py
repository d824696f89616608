"""Shared by the spec tests: the loaded spec, where things are, and how to walk its operations."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.spec.load import LoadedSpec, load_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
SPEC_FILE = SPEC_DIR / "openapi.yaml"
# `../shared` beside the repository root; absent in a fresh clone elsewhere (tests that need it skip)
SHARED = Path(__file__).parents[2] / ".." / "shared"
REFERENCE_DIR = SHARED / "reference" / "huawei-api-explorer"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@functools.lru_cache(maxsize=1)
def loaded_spec() -> LoadedSpec:
    return load_spec(SPEC_FILE)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, path item, operation) for every operation under `paths`."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item, item[method]


def pushed_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, method, operation) for every webhook and callback operation (requests Huawei sends)."""
    for name, item in document.get("webhooks", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield f"webhook {name}", method, item[method]
    for path, method, _, operation in operations(document):
        for name, callback in operation.get("callbacks", {}).items():
            for expression, item in callback.items():
                for cb_method in HTTP_METHODS:
                    if cb_method in item:
                        yield f"callback {name} of {method.upper()} {path} ({expression})", cb_method, item[cb_method]


def merged_parameters(path_item: dict[str, Any], operation: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The operation's parameters by (in, name); operation-level ones override path-level ones."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        key = (parameter["in"], parameter["name"].lower() if parameter["in"] == "header" else parameter["name"])
        merged[key] = parameter
    return merged


def where(node: Any) -> str:
    """`file:line` of a node of the loaded spec, for failure messages."""
    location = loaded_spec().location(node)
    return f" ({location})" if location else ""
