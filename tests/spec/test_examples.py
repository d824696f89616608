"""Every example validates against its schema (JSON Schema 2020-12), and every operation has examples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .helpers import loaded_spec, merged_parameters, operations, pushed_operations, where


def _media_examples(media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "example", media["example"]
    for name, example in media.get("examples", {}).items():
        assert "value" in example, f"example {name} has no value{where(example)}"
        yield name, example["value"]


def _schemas(schema: Any, seen: set[int]) -> Iterator[dict[str, Any]]:
    """A schema and every schema nested in it, each once (the loaded spec may share or cycle)."""
    stack = [schema]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for key in ("items", "not", "additionalProperties", "contentSchema"):
            stack.append(current.get(key))
        for key in ("properties", "patternProperties"):
            stack.extend(current.get(key, {}).values())
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            stack.extend(current.get(key, []))


def collect_examples() -> list[tuple[str, Any, dict[str, Any]]]:
    """(label, example value, schema) for every example of the spec."""
    document = loaded_spec().document
    found: list[tuple[str, Any, dict[str, Any]]] = []
    checked: set[tuple[int, str]] = set()  # a shared parameter or response is checked once, where first met

    def add(owner: dict[str, Any], name: str, label: str, value: Any, schema: dict[str, Any]) -> None:
        if (id(owner), name) not in checked:
            checked.add((id(owner), name))
            found.append((label, value, schema))

    def content(label: str, body: dict[str, Any]) -> None:
        for media_type, media in body.get("content", {}).items():
            for name, value in _media_examples(media):
                add(media, name, f"{label} {media_type} {name}", value, media["schema"])

    def parameter_like(label: str, parameter: dict[str, Any]) -> None:
        if "example" in parameter:
            add(parameter, "example", f"{label} example", parameter["example"], parameter["schema"])
        for name, example in parameter.get("examples", {}).items():
            add(parameter, name, f"{label} {name}", example["value"], parameter["schema"])

    def operation(label: str, item: dict[str, Any], op: dict[str, Any]) -> None:
        for (location, name), parameter in merged_parameters(item, op).items():
            parameter_like(f"{label} {location} parameter {name}", parameter)
        content(f"{label} request", op.get("requestBody", {}))
        for status, response in op.get("responses", {}).items():
            content(f"{label} response {status}", response)
            for name, header in response.get("headers", {}).items():
                parameter_like(f"{label} response {status} header {name}", header)

    for path, method, item, op in operations(document):
        operation(f"{method.upper()} {path}", item, op)
    for label, method, op in pushed_operations(document):
        operation(f"{label} {method.upper()}", {}, op)
    seen: set[int] = set()
    for name, schema in document["components"]["schemas"].items():
        for nested in _schemas(schema, seen):
            if "example" in nested:
                add(nested, "example", f"schema {name} example", nested["example"], nested)
            for i, value in enumerate(nested.get("examples", [])):
                add(nested, f"examples[{i}]", f"schema {name} examples[{i}]", value, nested)
    return found


EXAMPLES = collect_examples()


def test_the_spec_has_examples_to_check() -> None:
    assert len(EXAMPLES) > 80


@pytest.mark.parametrize(("label", "value", "schema"), EXAMPLES, ids=[label for label, _, _ in EXAMPLES])
def test_example_validates_against_its_schema(label: str, value: Any, schema: dict[str, Any]) -> None:
    # Form-urlencoded and multipart examples are written as objects and validate as such.
    errors = sorted(Draft202012Validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{label}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_every_body_has_examples() -> None:
    document = loaded_spec().document
    missing = []

    def check(label: str, body: dict[str, Any]) -> int:
        count = 0
        for media_type, media in body.get("content", {}).items():
            examples = list(_media_examples(media))
            if not examples:
                missing.append(f"{label} {media_type}{where(media)}")
            count += len(examples)
        return count

    for path, method, _, op in operations(document):
        label = f"{method.upper()} {path}"
        if "requestBody" in op:
            check(f"{label} request", op["requestBody"])
        response_examples = sum(check(f"{label} response {s}", r) for s, r in op["responses"].items())
        if not response_examples:
            missing.append(f"{label}: no response example")
        success = [s for s in op["responses"] if s.startswith("2")]
        assert success, label
    for label, _, op in pushed_operations(document):
        check(f"{label} request", op["requestBody"])
    assert not missing, "missing examples:\n" + "\n".join(missing)


def test_examples_of_the_token_request_pick_exactly_one_variant() -> None:
    document = loaded_spec().document
    body = document["paths"]["/v3/auth/tokens"]["post"]["requestBody"]["content"]["application/json"]
    variants = body["schema"]["oneOf"]
    picked = {}
    for name, value in _media_examples(body):
        matching = [v["x-huawei-operation"] for v in variants if Draft202012Validator(v).is_valid(value)]
        assert len(matching) == 1, f"{name}: {matching}"
        picked[name] = matching[0]
    assert set(picked.values()) == {v["x-huawei-operation"] for v in variants}
