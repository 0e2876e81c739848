"""No import circles between our modules, counting imports inside functions and TYPE_CHECKING.

import-linter (pyproject.toml, run by .ci/run) keeps the layers between packages; this walks
every ``import`` statement of every module in ``src/bls_tui`` and looks for a cycle of any
length at module level, inside a package as well as across.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bls_tui

ROOT = Path(bls_tui.__file__).resolve().parent


def module_names() -> dict[str, Path]:
    names = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of ours it imports (anywhere in its body)."""
    names = module_names()

    def owner(dotted: str) -> str | None:
        while dotted and dotted not in names:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        is_pkg = path.name == "__init__.py"
        here = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against this module's package
                    pkg = name if is_pkg else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        pkg = pkg.rpartition(".")[0]
                    base = f"{pkg}.{base}" if base else pkg
                targets = [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                found = owner(target) if target.startswith("bls_tui") else None
                # a package's __init__ is imported with any of its modules: ignore that edge
                if found and found != name and found != "bls_tui":
                    here.add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_there_are_no_import_circles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_circle_through_a_function_level_import() -> None:
    graph = import_graph()
    assert "bls_tui.safety.limits" in graph["bls_tui.stimulus.engine"]
    graph["bls_tui.safety.limits"] = {"bls_tui.stimulus.engine"}  # engine imports limits
    assert ["bls_tui.safety.limits", "bls_tui.stimulus.engine"] in cycles(graph)


def test_imports_inside_functions_are_in_the_graph() -> None:
    # `bls run` imports the runtime inside the command function, not at the top of cli/__init__
    source = (ROOT / "cli" / "__init__.py").read_text()
    top_level = [line for line in source.splitlines() if line.startswith(("from ", "import "))]
    assert not any("services.runtime" in line for line in top_level)
    graph = import_graph()
    assert "bls_tui.services.runtime" in graph["bls_tui.cli"]
    names = module_names()
    assert all(target in names for targets in graph.values() for target in targets)
