"""Print every import cycle among the modules of ``kiosk`` and ``ui``; exit 1 if any.

Builds the import graph with grimp (the library import-linter uses, so a cycle found here is
one the "no import cycles" contract would find too, including imports under
``if TYPE_CHECKING:``) and lists each strongly connected component of more than one module,
found with Tarjan's algorithm.

Usage: ``python scripts/check_import_cycles.py [package ...]`` (default: kiosk ui).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import grimp


def strongly_connected_components(
    edges: Mapping[str, Iterable[str]],
) -> list[list[str]]:
    """Return the strongly connected components of a directed graph (Tarjan's algorithm).

    ``edges`` maps each node to the nodes it points at. Returns every component as a sorted
    list of nodes, including single nodes; iterative, so deep graphs do not hit the
    recursion limit.
    """
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        # Each frame is a node and an iterator over what it still has to visit.
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges.get(root, ())))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges.get(successor, ()))))
                    advanced = True
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def import_cycles(packages: Iterable[str]) -> list[list[str]]:
    """Return the import cycles among ``packages``' modules, largest first.

    Takes top-level package names importable from the current directory; returns each
    strongly connected component of more than one module as a sorted list of dotted module
    names. Raises whatever grimp raises when a package cannot be found.
    """
    # No cache: a stale one would hide a cycle just made or report one just broken.
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges = {
        module: sorted(graph.find_modules_directly_imported_by(module))
        for module in graph.modules
    }
    cycles = [c for c in strongly_connected_components(edges) if len(c) > 1]
    return sorted(cycles, key=lambda c: (-len(c), c))


def main(argv: list[str]) -> int:
    """Print each cycle, one module per line; return 1 if there is any, else 0."""
    packages = argv or ["kiosk", "ui"]
    # This checkout's packages, not whichever copy is installed in the environment.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    cycles = import_cycles(packages)
    for number, cycle in enumerate(cycles, start=1):
        print(f"cycle {number} ({len(cycle)} modules):")
        for module in cycle:
            print(f"  {module}")
    if cycles:
        print(f"{len(cycles)} import cycle(s) in {', '.join(packages)}")
        return 1
    print(f"no import cycles in {', '.join(packages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
