"""Proof that no spec-derived identifier can take a name the generated code itself uses.

The client is rendered twice from one IR: as it is, and with every spec-derived name (resources, classes,
constants, decoders, methods, iterators, arguments, fields, enum members) replaced by a marker such as
``zq12z``. The two renderings have the same syntax tree, node for node; in the marked one, an identifier
with no marker is owned by the templates. For every scope of every generated module, no identifier that
comes from the spec may equal a template-owned identifier that is visible there (a local, an import, a
builtin, a helper), and no spec-derived class member may equal one the templates or the runtime define.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import ir
from generator.client.emit import TEMPLATES, ClientEmitter
from generator.output.format import format_files
from generator.pipeline import generate
from tests.generator.model.hostile_names import hostile_spec
from tests.support.paths import SPEC

MARKER = re.compile(r"[zZ][qQ]\d+[zZ]")

# (IR class, field) -> the kind of name it holds; each kind gets markers of its own case
_RULES = {
    ("Resource", "name"): "snake", ("Resource", "class_name"): "pascal",
    ("Operation", "name"): "snake", ("Operation", "tag"): "snake", ("Operation", "constant"): "upper",
    ("Parameter", "name"): "snake", ("Field", "name"): "snake", ("RequestBody", "body_param"): "snake",
    ("Pagination", "offset_arg"): "snake", ("Pagination", "items_field"): "snake",
    ("Pagination", "total_field"): "snake", ("Pagination", "iterator"): "snake",
    ("ObjectModel", "name"): "pascal", ("EnumModel", "name"): "pascal", ("UnionModel", "name"): "pascal",
    ("ModelRef", "name"): "pascal", ("UnionModel", "decoder"): "snake", ("EnumMember", "name"): "upper",
}  # fmt: skip


class _Marks:
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self.seen:
            n = len(self.seen)
            self.seen[key] = {"snake": f"zq{n}z", "pascal": f"Zq{n}Z", "upper": f"ZQ{n}Z"}[kind]
        return self.seen[key]


def _marked(value: Any, mark: _Marks) -> Any:
    if isinstance(value, tuple):
        return tuple(_marked(v, mark) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        if not f.init:
            continue
        v = getattr(value, f.name)
        rule = _RULES.get((type(value).__name__, f.name))
        if rule and isinstance(v, str) and v:
            changes[f.name] = mark(rule, v)
        elif isinstance(value, ir.Discriminator) and f.name == "mapping":
            changes[f.name] = tuple((wire, mark("pascal", target)) for wire, target in v)
        else:
            changes[f.name] = _marked(v, mark)
    return type(value)(**changes)


# -- scopes --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Scope:
    kind: str  # module, class, function
    label: str
    parent: Scope | None
    spec: set[str] = dataclasses.field(default_factory=set)
    template: set[str] = dataclasses.field(default_factory=set)
    children: list[Scope] = dataclasses.field(default_factory=list)

    def visible_templates(self) -> Iterator[tuple[str, str]]:
        """Template-owned names a binding in this scope could shadow: here, and (unless a class) below."""
        yield from ((t, self.label) for t in self.template)
        if self.kind != "class":
            for child in self.children:
                yield from child.visible_templates()


def _lexical(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[0]
    return None


class _Walker:
    """Walks the real and the marked tree together, sorting each identifier into its scope and owner."""

    def __init__(self, label: str) -> None:
        self.module = Scope("module", label, None)
        self.members: list[tuple[str, set[str], set[str], list[str]]] = []  # class, spec, template, bases

    def _record(self, scope: Scope, real: ast.AST, marked: ast.AST) -> None:
        name, probe = _lexical(real), _lexical(marked)
        if name is None or probe is None:
            return
        (scope.spec if MARKER.search(probe) else scope.template).add(name)

    def _child(self, scope: Scope, kind: str, label: str) -> Scope:
        child = Scope(kind, f"{scope.label}.{label}", scope)
        scope.children.append(child)
        return child

    def visit(self, real: ast.AST, marked: ast.AST, scope: Scope) -> None:
        assert type(real) is type(marked), (scope.label, type(real), type(marked))
        if isinstance(real, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            assert isinstance(marked, type(real))
            if not isinstance(real, ast.Lambda):
                assert isinstance(marked, (ast.FunctionDef, ast.AsyncFunctionDef))
                self._record(scope, real, marked)
                for r, m in zip(real.decorator_list, marked.decorator_list):
                    self.visit(r, m, scope)
                if real.returns and marked.returns:
                    self.visit(real.returns, marked.returns, scope)
            for r, m in zip(real.args.defaults + real.args.kw_defaults, marked.args.defaults + marked.args.kw_defaults):  # type: ignore[operator]
                if r is not None and m is not None:
                    self.visit(r, m, scope)
            inner = self._child(scope, "function", getattr(real, "name", "<lambda>"))
            all_args = real.args.posonlyargs + real.args.args + real.args.kwonlyargs
            marked_args = marked.args.posonlyargs + marked.args.args + marked.args.kwonlyargs
            for r, m in zip(all_args, marked_args):
                self._record(inner, r, m)
                if r.annotation is not None and m.annotation is not None:
                    self.visit(r.annotation, m.annotation, scope)  # annotations resolve outside
            body_r = real.body if isinstance(real.body, list) else [real.body]
            body_m = marked.body if isinstance(marked.body, list) else [marked.body]
            for r, m in zip(body_r, body_m):
                self.visit(r, m, inner)
            return
        if isinstance(real, ast.ClassDef):
            assert isinstance(marked, ast.ClassDef)
            self._record(scope, real, marked)
            for r, m in zip(real.bases + real.decorator_list, marked.bases + marked.decorator_list):
                self.visit(r, m, scope)
            inner = self._child(scope, "class", real.name)
            spec_members: set[str] = set()
            template_members: set[str] = set()
            for r, m in zip(ast.walk(real), ast.walk(marked)):
                member = probe = None
                if r in real.body and isinstance(r, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    member, probe = _lexical(r), _lexical(m)
                elif isinstance(r, ast.AnnAssign) and r in real.body and isinstance(r.target, ast.Name):
                    assert isinstance(m, ast.AnnAssign) and isinstance(m.target, ast.Name)
                    member, probe = r.target.id, m.target.id
                elif isinstance(r, ast.Assign) and r in real.body:
                    assert isinstance(m, ast.Assign)
                    for t, u in zip(r.targets, m.targets):
                        if isinstance(t, ast.Name) and isinstance(u, ast.Name):
                            (spec_members if MARKER.search(u.id) else template_members).add(t.id)
                elif isinstance(r, ast.Attribute) and isinstance(r.ctx, ast.Store) and isinstance(r.value, ast.Name):
                    assert isinstance(m, ast.Attribute)
                    if r.value.id == "self":
                        member, probe = r.attr, m.attr
                if member is not None and probe is not None:
                    (spec_members if MARKER.search(probe) else template_members).add(member)
            bases = [ast.unparse(b) for b in real.bases]
            self.members.append((f"{scope.label}.{real.name}", spec_members, template_members, bases))
            for r, m in zip(real.body, marked.body):
                self.visit(r, m, inner)
            return
        if isinstance(real, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            scope = self._child(scope, "function", "<comprehension>")
        self._record(scope, real, marked)
        for r, m in zip(ast.iter_child_nodes(real), ast.iter_child_nodes(marked)):
            self.visit(r, m, scope)


def _runtime_members() -> dict[str, set[str]]:
    """Members the runtime's base classes define (methods and ``self.x`` attributes), by class name."""
    out: dict[str, set[str]] = {}
    for source in sorted((TEMPLATES / "client" / "runtime").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = out.setdefault(node.name, set())
                for sub in node.body:  # methods and class attributes
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        names.add(sub.name)
                    elif isinstance(sub, (ast.AnnAssign, ast.Assign)):
                        for t in [sub.target] if isinstance(sub, ast.AnnAssign) else sub.targets:
                            if isinstance(t, ast.Name):
                                names.add(t.id)
                for sub in ast.walk(node):  # instance attributes: ``self.x = ...``
                    if (isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store)
                            and isinstance(sub.value, ast.Name) and sub.value.id == "self"):
                        names.add(sub.attr)
                for base in node.bases:
                    names |= out.get(ast.unparse(base), set())
    out["OpenStrEnum"] = out.get("OpenStrEnum", set()) | set(dir(str)) | {"name", "value"}
    out["OpenIntEnum"] = out.get("OpenIntEnum", set()) | set(dir(int)) | {"name", "value"}
    return out


def conflicts(real_source: str, marked_source: str, label: str) -> tuple[list[str], int]:
    """Every spec-derived identifier that equals a template-owned one it could shadow; and how many were checked."""
    walker = _Walker(label)
    real, marked = ast.parse(real_source), ast.parse(marked_source)
    for r, m in zip(real.body, marked.body):
        walker.visit(r, m, walker.module)
    found: list[str] = []
    checked = 0

    def check(scope: Scope) -> None:
        nonlocal checked
        visible = dict(scope.visible_templates())
        for name in sorted(scope.spec):
            checked += 1
            if name in visible:
                found.append(f"{scope.label}: spec name {name!r} is also the generated code's ({visible[name]})")
        for child in scope.children:
            check(child)

    check(walker.module)
    runtime = _runtime_members()
    for cls, spec_members, template_members, bases in walker.members:
        owned = set(template_members)
        for base in bases:
            owned |= runtime.get(base, set())
        checked += len(spec_members)
        for name in sorted(spec_members & owned):
            found.append(f"{cls}: spec member {name!r} is also a member the generated code or runtime defines")
    return found, checked


def _client_modules(api: ir.Api) -> dict[str, str]:
    package = ir.PackageInfo("proof", "proof", "0.0.1")
    files = ClientEmitter(api, package).emit().files
    ours = {name: text for name, text in files.items() if name.endswith(".py") and "/_runtime/" not in name}
    return format_files(ours, workers=1)  # black's parser takes what the templates print; ast wants it tidy


def _prove(api: ir.Api) -> int:
    real = _client_modules(api)
    marked = _client_modules(_marked(api, _Marks()))
    assert len(real) == len(marked)
    problems: list[str] = []
    checked = 0
    # the emitter writes files in the IR's order, so the n-th file of each rendering is the same module
    for (name, text), (_, probe) in zip(real.items(), marked.items()):
        found, n = conflicts(text, probe, name)
        problems += found
        checked += n
    assert not problems, "\n".join(problems[:40])
    return checked


def test_the_checker_finds_a_spec_name_that_shadows_a_template_name() -> None:
    marked = "def f(*, zq1z: str) -> bool:\n    return isinstance(zq1z, str)\n"
    real = "def f(*, isinstance: str) -> bool:\n    return isinstance(isinstance, str)\n"
    found, checked = conflicts(real, marked, "m")
    assert found == ["m.f: spec name 'isinstance' is also the generated code's (m.f)"] and checked == 1
    # a model field named like the class body's ``field(...)`` helper
    marked = "class A:\n    zq1z: int = 1\n    b: int = field(default=0)\n"
    real = "class A:\n    field: int = 1\n    b: int = field(default=0)\n"
    assert conflicts(real, marked, "m")[0] == ["m.A: spec name 'field' is also the generated code's (m.A)"]
    # a resource attribute named like a runtime client method
    marked = "class Client(SyncAPIClient):\n    def zq1z(self) -> None: ...\n"
    real = "class Client(SyncAPIClient):\n    def close(self) -> None: ...\n"
    assert conflicts(real, marked, "m")[0] == [
        "m.Client: spec member 'close' is also a member the generated code or runtime defines"
    ]
    # the same names where they cannot clash (an attribute, a keyword) are fine
    marked = "def f(x: int) -> None:\n    g(zq1z=x).zq2z\n"
    real = "def f(x: int) -> None:\n    g(isinstance=x).isinstance\n"
    assert conflicts(real, marked, "m") == ([], 0)


def test_no_spec_name_of_the_hostile_spec_takes_a_template_name(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(hostile_spec(), sort_keys=False), encoding="utf-8")
    result = generate(tmp_path / "openapi.yaml", ir.PackageInfo("proof", "proof", "0.0.1"))
    assert not result.errors, [str(d) for d in result.errors]
    assert _prove(result.api) > 2000


def test_no_spec_name_of_the_huawei_spec_takes_a_template_name() -> None:
    if not SPEC.exists():
        pytest.skip("spec/ is absent")
    result = generate(SPEC, ir.PackageInfo("proof", "proof", "0.0.1"))
    assert _prove(result.api) > 500
