"""Fail when modules of the application import each other in a circle.

    .venv/bin/python scripts/check_import_cycles.py [package ...]   # default: kiosk ui

Builds the import graph with grimp (the library under import-linter) and finds its strongly
connected components with Tarjan's algorithm: every component of more than one module, or a
module importing itself, is a cycle. Imports under ``if TYPE_CHECKING:`` are left out, since
they never run. Prints each cycle, one per line, and exits 1 when there is any; exits 0 and
prints nothing otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence

import grimp

DEFAULT_PACKAGES = ("kiosk", "ui")


def import_graph(packages: Sequence[str]) -> dict[str, set[str]]:
    """Each module of ``packages`` mapped to the modules of ``packages`` it imports."""
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True)
    return {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph``, each sorted, iteratively (no
    recursion limit on deep import chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            if successors:
                successor = successors.pop(0)
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, sorted(graph.get(successor, ()))))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle, largest first."""
    cycles = [
        component
        for component in strongly_connected(graph)
        if len(component) > 1 or component[0] in graph.get(component[0], ())
    ]
    return sorted(cycles, key=lambda component: (-len(component), component))


def main(argv: Sequence[str] | None = None) -> int:
    """Print each import cycle among ``argv``'s packages; return 1 if there is one, else 0."""
    packages = list(argv if argv is not None else sys.argv[1:]) or list(DEFAULT_PACKAGES)
    cycles = import_cycles(import_graph(packages))
    for cycle in cycles:
        print("import cycle: " + " <-> ".join(cycle))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
