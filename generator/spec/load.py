"""Load a (multi-file) OpenAPI document and resolve its ``$ref``s, remembering where every node came from.

The result is one document of plain dicts and lists in which each ``$ref`` has been replaced by its target.
The same target is the same Python object wherever it is referenced, so a recursive schema becomes a cyclic
structure and the builder can name a schema by identity. Every mapping and list remembers its ``file:line``
and the line of each of its keys, so later stages can point at the source of any problem.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import yaml

from generator.spec import json_source, yaml_events
from generator.spec.yaml_events import key_text
from generator.spec.diagnostics import Location, SpecError
from generator.spec.limits import CONFIG_KEYS, DEFAULT_LIMITS, SURROGATE, Limits
from generator.spec.parsed import Parsed, file_digest

try:  # the C loader is several times faster; the pure-Python one gives the same result
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


def _file_uri(path: Path) -> str:
    """``file://`` and ``path`` as ``urllib.request.pathname2url`` writes it (imported only off POSIX, where it
    differs from :func:`urllib.parse.quote`: ``urllib.request`` costs start-up, with ``http.client`` and ``ssl``)."""
    if os.name == "posix":
        return "file://" + quote(str(path))
    from urllib.request import pathname2url

    return "file://" + pathname2url(str(path))


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




def _limit(name: str) -> str:
    return f"[tool.apigen] {CONFIG_KEYS[name]}"


def _check_string(value: str, limits: Limits, where: Location) -> None:
    if len(value) > limits.max_string_chars:
        raise SpecError(
            f"string of {len(value):,} characters is longer than the limit of {limits.max_string_chars:,} "
            f"({_limit('max_string_chars')})",
            where,
        )
    if SURROGATE.search(value):
        raise SpecError("string holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text", where)


def _make_loader(source_map: SourceMap, file: str, limits: Limits = DEFAULT_LIMITS) -> type:
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
                key = key_text(key)
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

    def construct_str(loader: Any, node: yaml.ScalarNode) -> Any:
        value = loader.construct_scalar(node)
        _check_string(value, limits, Location(file, node.start_mark.line + 1))
        return value

    def construct_int(loader: Any, node: yaml.ScalarNode) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > limits.max_int_digits:
            raise SpecError(
                f"integer of {digits:,} digits is longer than the limit of {limits.max_int_digits:,} "
                f"({_limit('max_int_digits')})",
                Location(file, node.start_mark.line + 1),
            )
        value = _scalar(yaml.SafeLoader.construct_yaml_int, loader, node, "integer")
        if isinstance(value, int) and value.bit_length() > limits.max_int_digits * 3.33:  # hex, octal, 1:2:3 forms
            raise SpecError(
                f"integer of more than {limits.max_int_digits:,} digits ({_limit('max_int_digits')})",
                Location(file, node.start_mark.line + 1),
            )
        return value

    def construct_foreign(loader: Any, node: yaml.Node) -> Any:
        raise SpecError(
            f"YAML type {node.tag.replace('tag:yaml.org,2002:', '!!')} has no JSON equivalent; "
            "OpenAPI documents are JSON data",
            Location(file, node.start_mark.line + 1),
        )

    def construct_float(loader: Any, node: yaml.ScalarNode) -> Any:
        return _scalar(yaml.SafeLoader.construct_yaml_float, loader, node, "number")

    def construct_bool(loader: Any, node: yaml.ScalarNode) -> Any:
        return _scalar(yaml.SafeLoader.construct_yaml_bool, loader, node, "boolean")

    def _scalar(construct: Any, loader: Any, node: yaml.Node, kind: str) -> Any:
        """A typed scalar; a value its tag does not fit (``!!int 12abc``) is a located error."""
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.constructor.ConstructorError):
            raise SpecError(f"not a valid {kind} for its YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}",
                            Location(file, node.start_mark.line + 1)) from None  # fmt: skip

    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    Loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    for foreign in ("binary", "omap", "pairs", "set"):
        Loader.add_constructor(f"tag:yaml.org,2002:{foreign}", construct_foreign)
    Loader.add_constructor("tag:yaml.org,2002:str", construct_str)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


@dataclass
class LoadedSpec:
    """A resolved document, the files it came from, and where each of its nodes was written."""

    root_file: Path
    document: dict[str, Any]
    source_map: SourceMap
    files: tuple[Path, ...]

    def location(self, node: Any, key: str | None = None) -> Location | None:
        return self.source_map.location(node, key)


def _display(path: Path, real: Path | None = None, cwd: Path | None = None) -> str:
    """A path as people should read it in a message: relative to the working directory when inside it
    (``real``, ``cwd``: the real paths of ``path`` and of the working directory, when known already)."""
    try:
        return str((real or path.resolve()).relative_to(cwd or Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# where a YAML anchor can start: at a line start, after blanks or a flow indicator (`[`, `{`, `,`, `:`)
_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s,\[\]{}]", re.MULTILINE)


def _too_deep(node: yaml.Node, limits: Limits, shown: str) -> SpecError:
    return SpecError(
        f"nesting deeper than {limits.max_depth} levels ({_limit('max_depth')})",
        Location(shown, node.start_mark.line + 1),
    )


def _check_tree_depth(root: yaml.Node, limits: Limits, shown: str) -> None:
    """Depth of a composed document without anchors (so a tree): one iterative pre-order walk."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            raise _too_deep(node, limits, shown)
        if isinstance(node, mapping):
            stack.extend((value, depth + 1) for _, value in node.value if isinstance(value, (mapping, sequence)))
        elif isinstance(node, sequence):
            stack.extend((value, depth + 1) for value in node.value if isinstance(value, (mapping, sequence)))


def _check_node_graph(root: yaml.Node, limits: Limits, shown: str, anchors: bool = True) -> None:
    """Refuse, before constructing anything, a document whose aliases expand too far or that nests too deep.

    One iterative walk over the composed graph (an alias is the anchored node object reused), so neither a
    billion-laughs document nor deep nesting is ever expanded or recursed into.
    """
    if not anchors:
        _check_tree_depth(root, limits, shown)
        return
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    entered: set[int] = set()
    first_alias: int | None = None
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        nid = id(node)
        if finished:
            kids = _children(node)
            size[nid] = 1 + sum(size[id(k)] for k in kids)
            height[nid] = 1 + max((height[id(k)] for k in kids), default=0)
            entered.discard(nid)
            continue
        if nid in size:
            continue
        entered.add(nid)
        stack.append((node, True))
        for kid in reversed(_children(node)):  # reversed: visited in document order, so aliases come second
            if id(kid) in entered:
                raise SpecError("a YAML alias refers to a node that contains it (a recursive document)",
                                Location(shown, kid.start_mark.line + 1))  # fmt: skip
            if id(kid) not in size:
                stack.append((kid, False))
            elif first_alias is None and _children(kid):
                first_alias = node.start_mark.line + 1
    added = size[id(root)] - len(size)
    if added > limits.max_alias_nodes:
        raise SpecError(
            f"YAML aliases expand this file by {added:,} nodes, more than the limit of {limits.max_alias_nodes:,} "
            f"({_limit('max_alias_nodes')})",
            Location(shown, first_alias or 1),
        )
    if height[id(root)] > limits.max_depth:
        node, depth = root, 1
        while depth <= limits.max_depth:
            node = max(_children(node), key=lambda k: height[id(k)])
            depth += 1
        raise _too_deep(node, limits, shown)


def _check_plain(data: Any, limits: Limits, shown: str) -> None:
    """The same bounds for a document read by the JSON parser (which keeps no lines: line 1)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    where = Location(shown, 1)
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            raise SpecError(f"nesting deeper than {limits.max_depth} levels ({_limit('max_depth')})", where)
        if isinstance(node, str):
            _check_string(node, limits, where)
        elif isinstance(node, dict):
            for key, value in node.items():
                _check_string(key, limits, where)
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# reads one file's bytes from somewhere other than the file system (``apigen diff --against``: git objects);
# raises FileNotFoundError when there is no such file, OSError when it cannot be read
FileReader = Callable[[Path], bytes]


class _Resolver:
    def __init__(self, source_map: SourceMap, limits: Limits = DEFAULT_LIMITS, roots: Sequence[Path] = ()) -> None:
        self.source_map = source_map
        self.reader: FileReader | None = None
        self.files: dict[Path, Any] = {}
        self.done: set[int] = set()
        self.reached: list[tuple[Any, Path]] = []  # targets ``deref`` found whose own $refs are still to resolve
        self.limits = limits
        self.roots = [str(root) for root in roots]
        # each distinct path is resolved (one lstat per component) and shown once per load, not once per $ref
        self._real: dict[str, Path] = {}
        self._real_folders: dict[str, str] = {}
        self._cwd: Path | None = None
        self._shown: dict[Path, str] = {}
        self.on_file: Callable[[int], None] | None = None
        self.parsed: Parsed | None = None  # the files as parsed last time (parsed.py), when kept
        # JSON Schema identifiers of the loaded files (OpenAPI 3.1+): the schema resources their `$id`s name and
        # the `$anchor`s in each resource, as (node, file, JSON pointer in that file), keyed by absolute URI
        self.resources: dict[str, tuple[Any, Path, str]] = {}
        self.anchors: dict[tuple[str, str], list[tuple[Any, Path, str]]] = {}
        # id($ref node) -> the base URI its `$ref` is resolved against, where an `$id` (or `$self`) changed it
        self.ref_base: dict[int, str] = {}
        # URI prefix a document's `$self` declares -> the file URI of its folder (refs under it are files there)
        self.self_prefixes: dict[str, str] = {}

    def _resolved(self, path: Path | str) -> Path:
        key = str(path)
        real = self._real.get(key)
        if real is None:
            # (joined to the working directory, not normalized: a ``..`` after a link is the link's parent,
            # as Path.resolve has it)
            absolute = key if os.path.isabs(key) else os.path.join(os.getcwd(), key)
            real = self._real[key] = Path(self._realpath(absolute))
        return real

    def _realpath(self, path: str) -> str:
        """``os.path.realpath(path)`` (``path`` absolute), its folder resolved once per load: the real path
        of ``folder/name`` is the real folder's ``name``, resolved in turn where ``name`` is a symbolic link
        (a multi-file spec of thousands of files otherwise costs one lstat per component of every path)."""
        folder, name = os.path.split(path)
        if not name or name in (".", ".."):
            return os.path.realpath(path)
        real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = self._real_folders[folder] = os.path.realpath(folder)
        candidate = os.path.join(real_folder, name)
        return os.path.realpath(candidate) if os.path.islink(candidate) else candidate

    def _show(self, path: Path) -> str:
        """:func:`_display` of ``path``, with the real paths of it and of the working directory worked out
        once per load (each of thousands of files cost a resolve of both)."""
        shown = self._shown.get(path)
        if shown is None:
            if self._cwd is None:
                self._cwd = Path.cwd().resolve()
            shown = self._shown[path] = _display(path, self._resolved(path), self._cwd)
        return shown

    # -- files -------------------------------------------------------------------------------------
    def load_file(self, path: Path, referrer: Location | None = None) -> Any:
        path = self._resolved(path)
        cached = self.files.get(path)
        if cached is not None or path in self.files:
            return cached
        shown = self._show(path)
        raw = self._read(path, shown, referrer)
        source_map, parsed = self.source_map, self.parsed
        digest = file_digest(raw) if parsed is not None else b""
        kept = parsed.get(str(path), digest, shown, source_map.nodes, source_map.keys, source_map._alive) \
            if parsed is not None else None  # fmt: skip
        if kept is not None:
            data, identifiers = kept
            if identifiers:
                self._index_ids(data, path)
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = _line_of_offset(raw, exc.start)
                column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
                raise SpecError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column})",
                                Location(shown, line)) from None  # fmt: skip
            data, tree = self._parse(text, shown, path.suffix.lower())
            identifiers = self._index_ids(data, path)
            if parsed is not None and tree:
                parsed.keep(str(path), digest, data, source_map.nodes, source_map.keys, identifiers)
        self.files[path] = data
        if self.on_file is not None:
            self.on_file(len(self.files))
        return data

    def _read(self, path: Path, shown: str, referrer: Location | None) -> bytes:
        """The bytes of a regular file, read with a size cap; devices, FIFOs and sockets are never opened."""
        cap = self.limits.max_file_bytes
        # at a $ref the message names the target; for the root file the location already does
        subject = f"{shown} " if referrer is not None else ""
        referrer = referrer or Location(shown, 0)
        chunks: list[bytes] = []
        too_big = f"{subject}is larger than the limit of {cap:,} bytes ({_limit('max_file_bytes')})"
        special = f"{subject}is not a regular file (a device, FIFO or socket)"
        if self.reader is not None:
            return self._read_from(self.reader, path, shown, referrer, too_big)
        try:
            info = os.stat(path)
            if stat.S_ISDIR(info.st_mode):
                raise SpecError(f"{subject}is a directory, not a spec file", referrer)
            if not stat.S_ISREG(info.st_mode):
                raise SpecError(special, referrer)
            if info.st_size > cap:
                raise SpecError(too_big, referrer)
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(path, flags)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
                    raise SpecError(special, referrer)
                total = 0
                while True:
                    chunk = os.read(fd, min(1 << 20, cap + 1 - total))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    total += len(chunk)
                    if total > cap:  # the file grew while being read
                        raise SpecError(too_big, referrer)
            finally:
                os.close(fd)
        except FileNotFoundError:
            raise SpecError(f"file not found: {shown}{self._nearest_file(path)}", referrer) from None
        except OSError as exc:
            raise SpecError(f"cannot read {shown}: {exc.strerror or type(exc).__name__}", referrer) from None
        except ValueError:  # e.g. an embedded NUL byte in the name
            raise SpecError(f"cannot read {shown}: not a valid file name", referrer) from None
        return b"".join(chunks)

    def _read_from(self, reader: FileReader, path: Path, shown: str, referrer: Location, too_big: str) -> bytes:
        try:
            data = reader(path)
        except FileNotFoundError:
            raise SpecError(f"file not found: {shown}", referrer) from None
        except OSError as exc:
            raise SpecError(f"cannot read {shown}: {exc.strerror or exc}", referrer) from None
        if len(data) > self.limits.max_file_bytes:
            raise SpecError(too_big, referrer)
        return data

    @staticmethod
    def _nearest_file(path: Path) -> str:
        try:
            names = sorted(entry.name for entry in os.scandir(path.parent) if entry.is_file())
        except OSError:
            return ""
        close = difflib.get_close_matches(path.name, names, n=3, cutoff=0.7)
        return f"; did you mean {' or '.join(repr(n) for n in close)}?" if close else ""

    def _parse(self, text: str, shown: str, suffix: str) -> tuple[Any, bool]:
        """The document of ``text``, and whether a fast reader made it (then it is a tree of plain values)."""
        source_map = self.source_map
        data = json_source.parse(text, shown, self.limits, source_map.nodes, source_map.keys, source_map._alive)
        if data is not None:  # plain JSON, read by the JSON parser (anything unusual goes through YAML below)
            return data, True
        anchors = _ANCHOR.search(text) is not None
        if not anchors:  # the common case, built from the parser's events (anything unusual: below)
            loader = _make_loader(source_map, shown, self.limits)(text)
            try:
                data = yaml_events.parse(loader, shown, self.limits, source_map.nodes, source_map.keys,
                                         source_map._alive)  # fmt: skip
            finally:
                loader.dispose()
            if data is not yaml_events.NOT_HANDLED:
                return data, True
        return self._parse_graph(text, shown, suffix, anchors), False

    def _parse_graph(self, text: str, shown: str, suffix: str, anchors: bool) -> Any:
        """The document of ``text`` read by PyYAML's node-graph loader, which checks and locates anything
        unusual (anchors and aliases, tags, merge keys, duplicate keys, syntax errors)."""
        loader = _make_loader(self.source_map, shown, self.limits)(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_node_graph(node, self.limits, shown, anchors=anchors)
            return loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            problem = exc.problem or exc.context or "invalid YAML"
            if suffix == ".json":
                # a few JSON documents are not YAML 1.1 (e.g. "\/" escapes); fall back to the JSON parser
                return self._parse_json(text, shown)
            raise SpecError(f"invalid YAML: {problem}", Location(shown, line)) from None
        except yaml.YAMLError as exc:
            raise SpecError(f"invalid YAML: {exc}", Location(shown, 1)) from None
        except RecursionError:
            raise SpecError(f"nesting too deep to read ({_limit('max_depth')})", Location(shown, 1)) from None
        finally:
            loader.dispose()

    def _parse_json(self, text: str, shown: str) -> Any:
        def parse_int(digits: str) -> int:
            if len(digits.lstrip("-")) > self.limits.max_int_digits:
                raise SpecError(
                    f"integer of {len(digits.lstrip('-')):,} digits is longer than the limit of "
                    f"{self.limits.max_int_digits:,} ({_limit('max_int_digits')})",
                    Location(shown, 1),
                )
            return int(digits)

        try:
            data = json.loads(text, parse_int=parse_int)
        except json.JSONDecodeError as jexc:
            raise SpecError(f"invalid JSON: {jexc.msg}", Location(shown, jexc.lineno)) from None
        except RecursionError:
            raise SpecError(f"nesting too deep to read ({_limit('max_depth')})", Location(shown, 1)) from None
        _check_plain(data, self.limits, shown)
        return data

    # -- identifiers: `$id`, `$anchor`, `$self` -------------------------------------------------------
    def _index_ids(self, data: Any, path: Path) -> bool:
        """Record the `$id` resources and `$anchor`s of a file just read, and the base URI of each `$ref` an
        `$id` (or the document's `$self`) moves away from the file's own URI; whether it has any of them."""
        identifiers = False
        file_uri = _file_uri(self._resolved(path))
        base = file_uri
        if isinstance(data, dict) and isinstance(data.get("openapi"), str) and isinstance(data.get("$self"), str):
            # OpenAPI 3.2: the document's own URI; references under it name files beside this one
            identifiers = True
            declared = urldefrag(urljoin(file_uri, data["$self"]))[0]
            if declared != file_uri:
                self.self_prefixes[declared.rsplit("/", 1)[0] + "/"] = file_uri.rsplit("/", 1)[0] + "/"
                self.resources.setdefault(declared, (data, path, ""))
                base = declared
        stack: list[tuple[Any, str, str, str]] = [(data, base, base, "")]
        seen: set[int] = set()
        while stack:
            node, node_base, resource, pointer = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                ident = node.get("$id")
                if isinstance(ident, str) and pointer:
                    identifiers = True
                    node_base = urldefrag(urljoin(node_base, ident))[0]
                    resource = node_base
                    self.resources.setdefault(node_base, (node, path, pointer))
                anchor = node.get("$anchor")
                if isinstance(anchor, str):
                    identifiers = True
                    self.anchors.setdefault((resource, anchor), []).append((node, path, pointer))
                if isinstance(node.get("$ref"), str) and node_base != file_uri:
                    self.ref_base[id(node)] = node_base
                for key, child in node.items():
                    if isinstance(child, (dict, list)) and key not in _NOT_SCHEMAS:
                        stack.append((child, node_base, resource, f"{pointer}/{_escape(str(key))}"))
            elif isinstance(node, list):
                stack.extend((child, node_base, resource, f"{pointer}/{i}") for i, child in enumerate(node)
                             if isinstance(child, (dict, list)))  # fmt: skip
        return identifiers

    def _by_identifier(
        self, ref_node: dict[str, Any], ref: str, base: Path, where: Location | None
    ) -> tuple[Any, str, Path] | None:
        """The target of a `$ref` that an `$id`, an `$anchor` or `$self` decides: (node, "file#pointer", file).

        None for a plain reference (a file path and a JSON pointer), which is resolved as before; a located
        error for one that names no loaded resource or anchor.
        """
        parts = urlsplit(ref)
        moved = self.ref_base.get(id(ref_node))  # an `$id` (or `$self`) around the `$ref` changed its base
        anchored = bool(parts.fragment) and not parts.fragment.startswith("/")
        if moved is None and not anchored and not self.resources and not (parts.scheme or parts.netloc):
            return None  # no `$id` or `$self` loaded (yet): a file path and a JSON pointer, as below
        document_uri, fragment = urldefrag(urljoin(moved or self._self_uri(base), ref))
        fragment = unquote(fragment)
        found = self.resources.get(document_uri)
        if found is None:
            if parts.scheme or parts.netloc:  # a URL: a file only under the document's `$self`, else remote
                file_uri = self._under_self(document_uri)
                if file_uri is None:
                    return None  # refused as remote by the path rules
            elif moved is None and not anchored:
                return None  # a file path and a JSON pointer
            else:
                file_uri = self._as_file_uri(document_uri)
            if file_uri is None:
                raise SpecError(f"$ref {ref!r} resolves to {document_uri} (against the `$id` around it), which no "
                                "loaded `$id` names; remote references are not allowed", where)  # fmt: skip
            relative = os.path.relpath(unquote(urlsplit(file_uri).path), os.path.dirname(os.path.abspath(base)))
            target_file, _ = self._split(Path(relative).as_posix(), base, where, ref)  # the same containment rules
            found = (self.load_file(target_file, where), target_file, "")
            document_uri = self._self_uri(target_file)
        node, file, pointer = found
        if fragment and not fragment.startswith("/"):  # `#name`: an `$anchor` in that resource
            matches = self.anchors.get((document_uri, fragment), [])
            if len(matches) > 1:
                spots = sorted(self.source_map.location(m[0]) or Location(_display(m[1]), 0) for m in matches)
                places = ", ".join(str(spot) for spot in spots)
                raise SpecError(f"$ref {ref!r}: `$anchor: {fragment}` is defined more than once ({places})", where)
            if not matches:
                known = sorted(name for (uri, name) in self.anchors if uri == document_uri)
                close = difflib.get_close_matches(fragment, known, n=3, cutoff=0.7)
                hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                inside = f" #{pointer}" if pointer else ""
                raise SpecError(f"$ref {ref!r}: no `$anchor: {fragment}` in {_display(file)}{inside}{hint}", where)
            target, target_file, target_pointer = matches[0]
            return target, f"{self._show(target_file)}#{target_pointer}", target_file
        if fragment in ("", "/"):
            return node, f"{self._show(file)}#{pointer}", file
        try:
            return self._follow_pointer(node, fragment, file, ref, where), f"{self._show(file)}#{pointer}{fragment}", file
        except SpecError:
            if not pointer:
                raise
        # `#/components/...` inside a schema with an `$id`: not in that resource, so read in its document
        document = self.files[self._resolved(file)]
        return self._follow_pointer(document, fragment, file, ref, where), f"{self._show(file)}#{fragment}", file

    def _self_uri(self, base: Path) -> str:
        uri = _file_uri(self._resolved(base))
        for declared, folder in self.self_prefixes.items():
            if uri.startswith(folder):
                return declared + uri[len(folder):]
        return uri

    def _as_file_uri(self, uri: str) -> str | None:
        """``uri`` as a file URI: itself, or mapped from under a document's `$self`; None for anything remote."""
        return uri if uri.startswith("file:") else self._under_self(uri)

    def _under_self(self, uri: str) -> str | None:
        for declared, folder in self.self_prefixes.items():
            if uri.startswith(declared):
                return folder + uri[len(declared):]
        return None

    # -- refs --------------------------------------------------------------------------------------
    def resolve_tree(self, node: Any, base: Path) -> None:
        """Replace, in place, every ``$ref`` under ``node`` (a tree read from ``base``) by its target."""
        # iterative, whatever the depth of the trees or the length of $ref chains between them: a target
        # reached through a $ref joins the same stack with its own base (see ``deref``)
        stack: list[tuple[Any, object, Path]] = [(node, None, base)]
        while stack:
            current, current_key, base = stack.pop()
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
                    stack.extend((tree, None, tree_base) for tree, tree_base in self.reached)
                    self.reached.clear()
                    siblings = tuple(k for k in child if k in _SHAPING)
                    if siblings and isinstance(target, dict):
                        applied = _in_schema_position(current, current_key, key)
                        self.source_map.ref_siblings.append((child, siblings, applied))
                        if applied:  # as JSON Schema 2020-12 reads it: the target and the siblings both apply
                            target = self._alongside(child, target)
                            stack.append((target, key, base))
                    current[key] = target
                    # the target belongs to another tree (maybe another file), resolved with its own base
                elif isinstance(child, (dict, list)):
                    stack.append((child, key, base))

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
            identified = self._by_identifier(ref_node, ref, base, where)
            if identified is not None:
                target, named, target_file = identified
                key = named
            else:
                target_file, pointer = self._split(ref, base, where)
                key = f"{target_file}#{pointer}"
                named = f"{self._show(target_file)}#{pointer}"
            if key in seen:
                chain = " -> ".join([*seen, key])
                raise SpecError(f"circular $ref chain: {chain}", where)
            seen.append(key)
            if identified is None:
                document = self.load_file(target_file, where)
                target = self._follow_pointer(document, pointer, target_file, ref, where)
            if _is_ref(target):
                ref_node, base = target, target_file
                where = self.source_map.location(target) or where
                continue
            if isinstance(target, (dict, list)):
                self.source_map.ref_targets.setdefault(id(target), named)
                self.reached.append((target, target_file))  # resolved by the caller's loop, not recursively
            return target

    def _split(self, ref: str, base: Path, where: Location | None, written: str | None = None) -> tuple[Path, str]:
        """The file and JSON pointer ``ref`` names, by the containment rules (messages quote ``written``, the
        `$ref` as the spec spells it, when ``ref`` was worked out from it)."""
        parts = urlsplit(ref)
        ref = written or ref
        if parts.scheme or parts.netloc:
            raise SpecError(f"$ref {ref!r}: remote references are not allowed, only files inside the spec's folder",
                            where)  # fmt: skip
        file_part = unquote(parts.path)
        if not file_part:
            return self._resolved(base), parts.fragment
        if "\0" in file_part:
            raise SpecError(f"$ref {ref!r}: not a valid file name", where)
        if os.path.isabs(file_part) or file_part.startswith(("/", "\\")):
            raise SpecError(f"$ref {ref!r}: absolute paths are not allowed, only files inside the spec's folder",
                            where)  # fmt: skip
        lexical = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(base)), file_part))
        if self.roots and not _inside(lexical, self.roots):
            raise SpecError(f"$ref {ref!r}: leaves the spec's folder {self._roots_shown()} (see --ref-root)", where)
        target = self._resolved(lexical)
        if self.roots and not _inside(str(target), self.roots):
            raise SpecError(f"$ref {ref!r}: a symbolic link leads outside the spec's folder {self._roots_shown()}",
                            where)  # fmt: skip
        return target, parts.fragment

    def _roots_shown(self) -> str:
        return ", ".join(_display(Path(root)) for root in self.roots)

    def _follow_pointer(self, document: Any, pointer: str, file: Path, ref: str, where: Location | None) -> Any:
        if pointer in ("", "/"):
            return document
        if not pointer.startswith("/"):  # pragma: no cover - anchors are resolved by _by_identifier
            raise SpecError(f"$ref {ref!r}: only JSON-pointer fragments (#/...) and `$anchor` names are supported", where)
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
                hint = ""
                if isinstance(node, dict):
                    close = difflib.get_close_matches(token, [str(k) for k in node], n=3, cutoff=0.7)
                    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise SpecError(f"$ref {ref!r}: {_display(file)} has nothing at #{pointer}{hint}", where)
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


# values that hold data, not schemas: an `$id` or `$anchor` key inside one names nothing
_NOT_SCHEMAS = frozenset({"example", "examples", "enum", "const", "default", "x-examples"})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and isinstance(node.get("$ref"), str)


def load_spec(
    path: Path | str,
    limits: Limits = DEFAULT_LIMITS,
    ref_roots: Sequence[Path | str] = (),
    on_file: Callable[[int], None] | None = None,
    reader: FileReader | None = None,
) -> LoadedSpec:
    """Read ``path`` and every file it references; raise :class:`SpecError` (with a location) if unusable.

    ``$ref``s reach only regular files inside the root file's folder tree and the ``ref_roots`` folders.
    ``reader``, when given, reads every file instead of the file system (paths are still resolved and
    contained as they would be on disk).
    """
    root = Path(path)
    try:
        missing = reader is None and not root.exists()
        is_dir = reader is None and root.is_dir()
    except (OSError, ValueError):
        missing, is_dir = True, False
    if missing:
        raise SpecError("spec not found", Location(str(root), 0))
    if is_dir:
        raise SpecError("is a directory; give the root OpenAPI file", Location(str(root), 0))
    source_map = SourceMap()
    roots = [root.resolve().parent, *(Path(r).resolve() for r in ref_roots)]
    resolver = _Resolver(source_map, limits, roots)
    resolver.on_file = on_file
    resolver.reader = reader
    if reader is None:
        resolver.parsed = Parsed.of(resolver._resolved(root), limits)
    raw_root = resolver.load_file(root)
    if not isinstance(raw_root, dict):
        raise SpecError("an OpenAPI document must be a mapping at the top level", Location(_display(root), 1))
    resolver.resolve_tree(raw_root, root.resolve())
    if resolver.parsed is not None:
        resolver.parsed.save()
    return LoadedSpec(
        root_file=root.resolve(),
        document=raw_root,
        source_map=source_map,
        files=tuple(sorted(resolver.files)),
    )
