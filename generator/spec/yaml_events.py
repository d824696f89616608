"""A YAML document built straight from the C parser's events, with the line of every mapping, list and key.

PyYAML's loader first composes a node (with two marks) for every value of the document and only then builds
the data: for a 3 MB spec that graph is ~40 MB and most of the reading time. Built from the events, the data
is the only thing that grows. This covers what OpenAPI documents are written with: mappings, lists and
scalars with implicit types. Anything else (anchors and aliases, explicit tags, merge keys, keys that are not
scalars, several documents, a duplicate key, a value over a limit, nesting over the depth limit, a syntax
error) is not decided here: :func:`parse` returns ``NOT_HANDLED`` and the caller reads the text with the
node-graph loader, which checks and reports each of those at its line. The result is the same data with the
same lines either way (a test compares the two on every corpus spec).
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.spec.diagnostics import Location
from generator.spec.limits import Limits, plain_string

NOT_HANDLED = object()

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Unusual(Exception):
    """The text needs the node-graph loader."""


def parse(loader: Any, file: str, limits: Limits, nodes: dict[int, Location], keys: dict[int, dict[str, int]],
          alive: list[Any]) -> Any:  # fmt: skip
    """The document ``loader`` (a fresh loader of the text, from ``load._make_loader``) reads, recording each
    container's line in ``nodes`` and each key's in ``keys`` (by ``id``; ``alive`` keeps them alive); or
    ``NOT_HANDLED`` when the node-graph loader must read it."""
    located: dict[int, Location] = {}
    key_lines: dict[int, dict[str, int]] = {}
    made: list[Any] = []
    try:
        data = _build(loader, file, limits, located, key_lines, made)
    except (_Unusual, yaml.YAMLError):
        return NOT_HANDLED
    nodes.update(located)
    keys.update(key_lines)
    alive.extend(made)
    return data


def _build(loader: Any, file: str, limits: Limits, located: dict[int, Location],
           key_lines: dict[int, dict[str, int]], made: list[Any]) -> Any:  # fmt: skip
    get_event = loader.get_event
    resolve = loader.resolve
    constructors = loader.yaml_constructors
    max_depth = limits.max_depth
    scalar_node = yaml.ScalarNode
    ScalarEvent, MappingStartEvent, SequenceStartEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    MappingEndEvent, SequenceEndEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def scalar(event: Any) -> Any:
        tag = event.tag
        if tag is not None and tag != "!":
            raise _Unusual  # an explicit tag
        value = event.value
        if not event.implicit[0]:  # quoted or block: a string
            tag = _STR
        else:
            tag = resolve(scalar_node, value, event.implicit)
        if tag == _STR:
            if not plain_string(value, limits):
                raise _Unusual
            return value
        construct = constructors.get(tag)
        if construct is None or tag in (_MAP, _SEQ):  # a merge key `<<`, or a tag without a constructor
            raise _Unusual
        return construct(loader, scalar_node(tag, value, event.start_mark, event.end_mark, event.style))

    def container(event: Any, kind: type) -> Any:
        if event.anchor is not None or (event.tag is not None and event.tag != "!"):
            raise _Unusual
        data: Any = {} if kind is dict else []
        located[id(data)] = Location(file, event.start_mark.line + 1)
        made.append(data)
        if kind is dict:
            key_lines[id(data)] = {}
        return data

    event = get_event()  # the stream start
    event = get_event()
    if isinstance(event, yaml.StreamEndEvent):
        return None  # an empty file
    if not isinstance(event, yaml.DocumentStartEvent):
        raise _Unusual
    # each open container: (the container, its key lines or None for a list, the key waiting for its value)
    stack: list[list[Any]] = []
    root: Any = None
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:
                raise _Unusual
            if stack and stack[-1][1] is not None and stack[-1][2] is None:  # a key
                key = scalar(event)
                if not isinstance(key, str):
                    key = key_text(key)
                    if not plain_string(key, limits):
                        raise _Unusual
                top = stack[-1]
                if key in top[0]:
                    raise _Unusual  # a duplicate: the node-graph loader names both lines
                top[1][key] = event.start_mark.line + 1
                top[2] = key
                continue
            value = scalar(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if stack and stack[-1][1] is not None and stack[-1][2] is None:
                raise _Unusual  # a mapping or list as a key
            value = container(event, dict if kind is MappingStartEvent else list)
            if len(stack) + 1 > max_depth:
                raise _Unusual
            _attach(stack, value)
            stack.append([value, key_lines[id(value)] if kind is MappingStartEvent else None, None])
            if len(stack) == 1:
                root = value
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            if not stack:
                break
            continue
        else:  # an alias (or anything else out of place)
            raise _Unusual
        if not stack:  # the document is a lone scalar
            root = value
            break
        _attach(stack, value)
    if not isinstance(get_event(), yaml.DocumentEndEvent) or not isinstance(get_event(), yaml.StreamEndEvent):
        raise _Unusual  # a second document: the node-graph loader reports it
    return root


def _attach(stack: list[list[Any]], value: Any) -> None:
    if not stack:
        return
    top = stack[-1]
    if top[1] is None:
        top[0].append(value)
    else:
        top[0][top[2]] = value
        top[2] = None


def key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)
