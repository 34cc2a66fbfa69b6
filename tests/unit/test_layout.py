"""The checker's modules form layers: no import cycle in ``interlock/properties`` and no sibling imported late."""

from __future__ import annotations

import ast
from pathlib import Path

import interlock.properties

PACKAGE = Path(interlock.properties.__file__).parent


def _imports(tree: ast.Module) -> tuple[set[str], list[str]]:
    """Sibling modules imported at module level (outside ``if TYPE_CHECKING``), and those imported inside a def."""
    top: set[str] = set()
    late: list[str] = []

    def sibling(node: ast.AST) -> str | None:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("interlock.properties."):
            return node.module.rsplit(".", 1)[1]
        return None

    for node in tree.body:
        name = sibling(node)
        if name:
            top.add(name)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            late += [f"{node.name}: {name}" for inner in ast.walk(node) if (name := sibling(inner))]
    return top, late


def _graph() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    graph: dict[str, set[str]] = {}
    late: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        top, inner = _imports(ast.parse(path.read_text()))
        graph[path.stem] = top
        if inner:
            late[path.stem] = inner
    return graph, late


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_checker_modules_have_no_import_cycle() -> None:
    graph, _ = _graph()
    assert "_driver" in graph["_in_domain"]  # the graph is read, not empty
    assert _cycle(graph) is None


def test_no_checker_module_imports_a_sibling_inside_a_function() -> None:
    _, late = _graph()
    assert late == {}


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
