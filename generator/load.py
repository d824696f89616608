"""Load a (multi-file) OpenAPI document and resolve its ``$ref``s, remembering where every node came from.

The result is one document of plain dicts and lists in which each ``$ref`` has been replaced by its target.
The same target is the same Python object wherever it is referenced, so a recursive schema becomes a cyclic
structure and the builder can name a schema by identity. Every mapping and list remembers its ``file:line``
and the line of each of its keys, so later stages can point at the source of any problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from generator.diagnostics import Location, SpecError

try:  # the C loader is several times faster; the pure-Python one gives the same result
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


@dataclass
class SourceMap:
    """Where each mapping/list of the loaded document was written: ``id(node) -> Location``."""

    nodes: dict[int, Location] = field(default_factory=dict)
    keys: dict[int, dict[str, int]] = field(default_factory=dict)
    # id(resolved target) -> "file#pointer" of the first $ref that reached it
    ref_targets: dict[int, str] = field(default_factory=dict)
    # `$ref`s written with sibling keywords that change a schema: (the `$ref` node as written, sibling keys,
    # whether they were applied: in a schema, as `allOf: [target]` plus the siblings; elsewhere ignored)
    ref_siblings: list[tuple[dict[str, Any], tuple[str, ...], bool]] = field(default_factory=list)
    # keep every node alive so the ids above stay unique for the life of the map
    _alive: list[Any] = field(default_factory=list, repr=False)

    def location(self, node: Any, key: str | None = None) -> Location | None:
        where = self.nodes.get(id(node))
        if where is None:
            return None
        if key is not None:
            line = self.keys.get(id(node), {}).get(key)
            if line is not None:
                return Location(where.file, line)
        return where


def _make_loader(source_map: SourceMap, file: str) -> type:
    """A PyYAML loader class that records the line of every mapping, list and mapping key."""

    class Loader(_BaseLoader):  # type: ignore[misc]
        pass

    def construct_mapping(loader: Any, node: yaml.MappingNode) -> Any:
        data: dict[Any, Any] = {}
        source_map.nodes[id(data)] = Location(file, node.start_mark.line + 1)
        source_map._alive.append(data)
        yield data
        loader.flatten_mapping(node)
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # YAML 1.1 reads `200:` as an int and `on:` as a bool; OpenAPI keys are strings
                key = _key_text(key)
            if key in data:
                raise SpecError(
                    f"duplicate key {key!r} (first at line {key_lines[key]})",
                    Location(file, key_node.start_mark.line + 1),
                )
            data[key] = loader.construct_object(value_node, deep=True)
            key_lines[key] = key_node.start_mark.line + 1
        source_map.keys[id(data)] = key_lines

    def construct_sequence(loader: Any, node: yaml.SequenceNode) -> Any:
        data: list[Any] = []
        source_map.nodes[id(data)] = Location(file, node.start_mark.line + 1)
        source_map._alive.append(data)
        yield data
        data.extend(loader.construct_object(child, deep=True) for child in node.value)

    def construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
        # OpenAPI examples such as `2024-01-01` must stay strings, not become datetime objects
        return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


@dataclass
class LoadedSpec:
    """A resolved document, the files it came from, and where each of its nodes was written."""

    root_file: Path
    document: dict[str, Any]
    source_map: SourceMap
    files: tuple[Path, ...]

    def location(self, node: Any, key: str | None = None) -> Location | None:
        return self.source_map.location(node, key)


def _display(path: Path) -> str:
    """A path as people should read it in a message: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Resolver:
    def __init__(self, source_map: SourceMap) -> None:
        self.source_map = source_map
        self.files: dict[Path, Any] = {}
        self.done: set[int] = set()

    # -- files -------------------------------------------------------------------------------------
    def load_file(self, path: Path, referrer: Location | None = None) -> Any:
        path = path.resolve()
        cached = self.files.get(path)
        if cached is not None or path in self.files:
            return cached
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"file not found: {_display(path)}", referrer) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read {_display(path)}: {exc}", referrer) from None
        shown = _display(path)
        data = self._parse(text, shown, path.suffix.lower())
        self.files[path] = data
        return data

    def _parse(self, text: str, shown: str, suffix: str) -> Any:
        loader = _make_loader(self.source_map, shown)
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - the loader derives from SafeLoader
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            problem = exc.problem or exc.context or "invalid YAML"
            if suffix == ".json":
                # a few JSON documents are not YAML 1.1 (e.g. "\/" escapes); fall back to the JSON parser
                try:
                    return json.loads(text)
                except json.JSONDecodeError as jexc:
                    raise SpecError(f"invalid JSON: {jexc.msg}", Location(shown, jexc.lineno)) from None
            raise SpecError(f"invalid YAML: {problem}", Location(shown, line)) from None
        except yaml.YAMLError as exc:
            raise SpecError(f"invalid YAML: {exc}", Location(shown, 1)) from None

    # -- refs --------------------------------------------------------------------------------------
    def resolve_tree(self, node: Any, base: Path) -> None:
        """Replace, in place, every ``$ref`` under ``node`` (a tree read from ``base``) by its target."""
        stack: list[tuple[Any, object]] = [(node, None)]
        while stack:
            current, current_key = stack.pop()
            if id(current) in self.done:
                continue
            self.done.add(id(current))
            if isinstance(current, dict):
                items: Any = current.items()
            elif isinstance(current, list):
                items = enumerate(current)
            else:
                continue
            for key, child in list(items):
                if _is_ref(child):
                    target = self.deref(child, base, self.source_map.location(child))
                    siblings = tuple(k for k in child if k in _SHAPING)
                    if siblings and isinstance(target, dict):
                        applied = _in_schema_position(current, current_key, key)
                        self.source_map.ref_siblings.append((child, siblings, applied))
                        if applied:  # as JSON Schema 2020-12 reads it: the target and the siblings both apply
                            target = self._alongside(child, target)
                            stack.append((target, key))
                    current[key] = target
                    # the target belongs to another tree (maybe another file), resolved with its own base
                elif isinstance(child, (dict, list)):
                    stack.append((child, key))

    def _alongside(self, ref_node: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
        """``{siblings..., allOf: [target]}``: a ``$ref`` with schema keywords beside it, as one schema."""
        merged: dict[str, Any] = {k: v for k, v in ref_node.items() if k != "$ref"}
        merged["allOf"] = [target]
        where = self.source_map.location(ref_node)
        if where is not None:
            self.source_map.nodes[id(merged)] = where
            self.source_map.keys[id(merged)] = dict(self.source_map.keys.get(id(ref_node), {}))
        self.source_map._alive.append(merged)
        return merged

    def deref(self, ref_node: dict[str, Any], base: Path, where: Location | None) -> Any:
        seen: list[str] = []
        while True:
            ref = ref_node["$ref"]
            if not isinstance(ref, str):
                raise SpecError("$ref must be a string", where)
            target_file, pointer = self._split(ref, base, where)
            key = f"{target_file}#{pointer}"
            if key in seen:
                chain = " -> ".join([*seen, key])
                raise SpecError(f"circular $ref chain: {chain}", where)
            seen.append(key)
            document = self.load_file(target_file, where)
            target = self._follow_pointer(document, pointer, target_file, ref, where)
            if _is_ref(target):
                ref_node, base = target, target_file
                where = self.source_map.location(target) or where
                continue
            if isinstance(target, (dict, list)):
                self.source_map.ref_targets.setdefault(id(target), f"{_display(target_file)}#{pointer}")
                self.resolve_tree(target, target_file)
            return target

    def _split(self, ref: str, base: Path, where: Location | None) -> tuple[Path, str]:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise SpecError(f"remote $ref {ref!r} is not supported: only relative file references", where)
        file_part = unquote(parts.path)
        target = (base.parent / file_part).resolve() if file_part else base.resolve()
        return target, parts.fragment

    def _follow_pointer(self, document: Any, pointer: str, file: Path, ref: str, where: Location | None) -> Any:
        if pointer in ("", "/"):
            return document
        if not pointer.startswith("/"):
            raise SpecError(f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported", where)
        node = document
        for raw in pointer[1:].split("/"):
            token = unquote(raw).replace("~1", "/").replace("~0", "~")
            if _is_ref(node):
                node = self.deref(node, file, where)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise SpecError(f"$ref {ref!r}: {_display(file)} has nothing at #{pointer}", where)
        return node


# keywords beside a `$ref` that change what the schema is (documentation-only ones are left to the target)
_SHAPING = frozenset({
    "type", "nullable", "properties", "required", "items", "enum", "const", "allOf", "oneOf", "anyOf",
    "additionalProperties", "format", "default", "readOnly", "writeOnly", "minimum", "maximum", "pattern",
    "minLength", "maxLength", "minItems", "maxItems",
})  # fmt: skip
_ONE_SCHEMA = frozenset({"schema", "items", "not", "additionalProperties", "contains", "propertyNames"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "schemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _in_schema_position(parent: Any, parent_key: object, key: object) -> bool:
    """Whether ``parent[key]`` is a schema (``parent_key``: the key under which ``parent`` sits)."""
    if isinstance(parent, list):
        return parent_key in _SCHEMA_LISTS
    return key in _ONE_SCHEMA or parent_key in _SCHEMA_MAPS


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and isinstance(node.get("$ref"), str)


def load_spec(path: Path | str) -> LoadedSpec:
    """Read ``path`` and every file it references; raise :class:`SpecError` (with a location) if unusable."""
    root = Path(path)
    if not root.exists():
        raise SpecError(f"spec not found: {root}")
    if root.is_dir():
        raise SpecError(f"{root} is a directory; give the root OpenAPI file")
    source_map = SourceMap()
    resolver = _Resolver(source_map)
    raw_root = resolver.load_file(root)
    if not isinstance(raw_root, dict):
        raise SpecError("an OpenAPI document must be a mapping at the top level", Location(_display(root), 1))
    resolver.resolve_tree(raw_root, root.resolve())
    return LoadedSpec(
        root_file=root.resolve(),
        document=raw_root,
        source_map=source_map,
        files=tuple(sorted(resolver.files)),
    )
