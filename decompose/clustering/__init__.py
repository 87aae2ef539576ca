"""Clustering: the module graph to candidate services and a shared kernel."""

from __future__ import annotations

import networkx as nx

from decompose.clustering import classic, default  # noqa: F401  (register the algorithms)
from decompose.clustering.base import (
    Clusterer,
    Clustering,
    Partition,
    algorithm_names,
    get_clusterer,
    sorted_communities,
)
from decompose.clustering.constraints import keep_together, pinned_services
from decompose.clustering.kernel import shared_kernel
from decompose.clustering.naming import identifier, name_services
from decompose.clustering.signals import undirected_view
from decompose.clustering.structure import group_units
from decompose.config import Settings

__all__ = [
    "Clusterer",
    "Clustering",
    "Partition",
    "algorithm_names",
    "cluster_modules",
    "get_clusterer",
]


def cluster_modules(
    graph: nx.DiGraph,
    settings: Settings,
    cochange: dict[tuple[str, str], float] | None = None,
) -> Partition:
    """Assign every module of `graph` to a named service, or to the shared kernel (None).

    Args:
        graph: The module dependency graph from `decompose.graph.build_graph`.
        settings: Algorithm, seed, resolution or service count, weights, constraints.
        cochange: Optional co-change strengths between modules (0..1), from git history.

    Raises:
        ConfigError: unknown algorithm, or an optional dependency missing for it.
    """
    if settings.level == "package":
        packages, package_of = collapse_to_packages(graph)
        merged = cluster_modules(
            packages,
            settings.model_copy(update={"level": "module"}),
            _collapse_pairs(cochange, package_of),
        )
        return {m: merged[package_of[m]] for m in sorted(graph)}
    clusterer = get_clusterer(settings.algorithm)
    loc = {m: int(graph.nodes[m]["loc"]) for m in graph}
    view = undirected_view(graph, settings.weights, cochange)
    units = group_units(graph.nodes, loc, [m for m in graph if graph.nodes[m].get("namespace")])
    pins = pinned_services(graph.nodes, settings.pins)
    kernel = shared_kernel(graph, units, settings.shared_kernel, settings.shared) - set(pins)
    rest = sorted(m for m in view if m not in kernel and m not in pins)
    clustering = clusterer.cluster(view.subgraph(rest).copy(), settings)
    shared = kernel | set(clustering.shared)
    communities = sorted_communities([c - shared for c in clustering.communities])
    names = name_services(communities, loc, units)
    partition: Partition = {m: None for m in shared}
    for community, name in zip(communities, names, strict=True):
        partition.update(dict.fromkeys(community, name))
    partition.update({m: identifier(s) for m, s in pins.items()})
    partition.update({m: None for m in graph if m not in partition})
    partition = keep_together(partition, settings.keep_together)
    return dict(sorted(partition.items()))


def collapse_to_packages(graph: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, str]]:
    """The graph with each package's modules merged into one node (`--level package`).

    Returns:
        The package graph (same node and edge attributes as the module graph, summed)
        and the package of every module.
    """
    package_of = {m: graph.nodes[m]["package"] or m for m in graph}
    packages = nx.DiGraph(models={}, relations=graph.graph.get("relations", []))
    for module in sorted(graph):
        package = package_of[module]
        if package not in packages:
            packages.add_node(package, loc=0, package=package, is_package=True)
        packages.nodes[package]["loc"] += graph.nodes[module]["loc"]
    for (module, name), ref in graph.graph.get("models", {}).items():
        packages.graph["models"][(package_of[module], name)] = ref
    for source, target, data in graph.edges(data=True):
        a, b = package_of[source], package_of[target]
        if a == b:
            continue
        if not packages.has_edge(a, b):
            packages.add_edge(a, b, weight=0.0, symbols={}, kinds=(), lines=())
        edge = packages.edges[a, b]
        edge["weight"] += data["weight"]
        edge["kinds"] = tuple(sorted(set(edge["kinds"]) | set(data["kinds"])))
        for symbol, count in data["symbols"].items():
            edge["symbols"][symbol] = edge["symbols"].get(symbol, 0) + count
    return packages, package_of


def _collapse_pairs(
    pairs: dict[tuple[str, str], float] | None, package_of: dict[str, str]
) -> dict[tuple[str, str], float] | None:
    if pairs is None:
        return None
    collapsed: dict[tuple[str, str], float] = {}
    for (a, b), strength in pairs.items():
        first, second = sorted((package_of.get(a, a), package_of.get(b, b)))
        if first != second:
            collapsed[first, second] = max(collapsed.get((first, second), 0.0), strength)
    return collapsed
