"""The clustering graph: one weighted undirected view combining every coupling signal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from itertools import combinations
from typing import Any

import networkx as nx

from decompose.config import Weights

# A model used by more modules than this says little about any one pair of them.
_SHARED_MODEL_FANOUT = 12


def undirected_view(
    graph: nx.DiGraph, weights: Weights, cochange: dict[tuple[str, str], float] | None = None
) -> nx.Graph:
    """Dependencies in both directions summed; modules that use the same ORM model tied.

    Nodes carry `loc`, `is_package`, `namespace` and `tables` (concrete ORM models
    defined); edges carry `weight` and `flow` ({module: weight of its dependencies on
    the other end}).

    Args:
        graph: The module dependency graph.
        weights: Signal weights (shared_table and cochange are applied here).
        cochange: Optional co-change counts between modules (from version control),
            already normalised to 0..1.
    """
    view = nx.Graph()
    tables: dict[str, int] = defaultdict(int)
    for (module, _), ref in graph.graph.get("models", {}).items():
        tables[module] += 0 if ref.abstract else 1
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        view.add_node(
            node,
            loc=data["loc"],
            is_package=data["is_package"],
            namespace=data.get("namespace", False),
            tables=tables[node],
        )
    # Summed in plain dicts, each pair keyed the way it was first seen, then added at once
    # in that order: the same graph, edge for edge, as adding them one by one.
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        both = _add(edges, source, target, float(data["weight"]))
        if both is not None:  # remember which way dependencies point
            flow = both.setdefault("flow", {})
            flow[source] = flow.get(source, 0.0) + float(data["weight"])
    for group in _model_users(graph).values():
        if 1 < len(group) <= _SHARED_MODEL_FANOUT:
            for a, b in combinations(sorted(group), 2):
                _add(edges, a, b, weights.shared_table / (len(group) - 1))
    for (a, b), strength in sorted((cochange or {}).items()):
        if a in view and b in view and a != b:
            _add(edges, a, b, weights.cochange * strength)
    view.add_edges_from((a, b, data) for (a, b), data in edges.items())
    return view


def _add(
    edges: dict[tuple[str, str], dict[str, Any]], a: str, b: str, weight: float
) -> dict[str, Any] | None:
    """Add `weight` to the pair's edge (made if new); its data, or None if there is none."""
    data = edges.get((a, b)) or edges.get((b, a))
    if a == b or weight <= 0:
        return data
    if data is None:
        data = edges[(a, b)] = {"weight": weight}
    else:
        data["weight"] += weight
    return data


def _model_users(graph: nx.DiGraph) -> dict[tuple[str, str], set[str]]:
    """For each model, the modules that define it or use it by name."""
    models = graph.graph.get("models", {})
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (module, name), ref in models.items():
        if ref.abstract:
            continue
        users[(module, name)].add(module)
        for source in graph.predecessors(module):
            if name in graph.edges[source, module]["symbols"]:
                users[(module, name)].add(source)
    return users


def part_of(view: nx.Graph, modules: Collection[str]) -> nx.Graph:
    """The view restricted to `modules`, listed in the view's own order.

    `view.subgraph(modules)` lists a part smaller than half the view in the order of a
    set of the names, which changes with Python's hash seed, and what Louvain finds in
    the part changes with it. A filter that is no set keeps the view's order.
    """
    keep = frozenset(modules)
    part: nx.Graph = nx.subgraph_view(view, filter_node=keep.__contains__)
    return part
