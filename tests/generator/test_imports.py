"""No import cycle among ``generator/`` modules, counting imports inside functions (a lazy import that dodges
a cycle still makes one).

Modules live in stage folders (``generator/spec/load.py`` is ``generator.spec.load``); every one is counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import REPO

GENERATOR = REPO / "generator"
KNOWN: set[frozenset[str]] = set()


def _imports(path: Path, modules: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in modules:
                found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
    return found


def _graph() -> dict[str, set[str]]:
    files = {}
    for p in GENERATOR.rglob("*.py"):
        parts = p.relative_to(GENERATOR).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":  # a package's own module: ``generator.cli``
            parts = parts[:-1]
        files[".".join(("generator", *parts))] = p
    return {name: _imports(path, set(files)) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(frozenset(component))
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]


def test_no_import_cycle_among_generator_modules() -> None:
    graph = _graph()
    assert "generator.spec.validate" in graph and "generator.spec.lint" in graph["generator.spec.validate"]
    assert [sorted(c) for c in _cycles(graph)] == []


def _lazy_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of each import of a ``generator`` module anywhere but at module level (``if
    TYPE_CHECKING:`` allowed)."""
    top = set()
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            top.update(id(n) for n in node.body)
        else:
            top.add(id(node))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "generator" and id(node) not in top:
            lines.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Import) and id(node) not in top:
            lines += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "generator"]
    return lines


# the only imports deferred on purpose: the docs' modules are imported by the child process that renders a
# small spec's docs (forked.Standby), forked by the command's entry point before anything heavy is imported
DEFERRED = {
    "generator/cli/launch.py": {"generator.forked", "generator.cli.commands", "generator.reference.pages",
                                "generator.client.emit", "generator.output.memo"},
    "generator/pipeline.py": {"generator.reference.pages"},
}


def test_the_lazy_import_finder_finds_one() -> None:
    tree = ast.parse("import os\ndef f():\n    from generator.model import ir\n    import generator.spec\n")
    assert _lazy_imports(tree) == [(3, "generator.model"), (4, "generator.spec")]


def test_no_generator_module_imports_another_lazily_but_the_docs_deferred_on_purpose() -> None:
    found = {
        str(p.relative_to(REPO)): {module for _, module in lines}
        for p in sorted(GENERATOR.rglob("*.py"))
        if (lines := _lazy_imports(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert found == DEFERRED
