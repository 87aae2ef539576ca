"""Clustering: the module graph to candidate services and a shared kernel."""

from __future__ import annotations

from dataclasses import dataclass

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
from decompose.clustering.facts import ProjectFacts
from decompose.clustering.naming import identifier, name_communities
from decompose.clustering.signals import undirected_view
from decompose.config import Settings
from decompose.model.placement import Placement, Reason

__all__ = [
    "Clusterer",
    "Clustering",
    "Partition",
    "Proposal",
    "algorithm_names",
    "cluster_modules",
    "get_clusterer",
    "propose",
]


@dataclass(frozen=True)
class Proposal:
    """Every module's service (None: the shared kernel), and the evidence for it."""

    partition: Partition
    placements: dict[str, Placement]


def cluster_modules(
    graph: nx.DiGraph,
    settings: Settings,
    cochange: dict[tuple[str, str], float] | None = None,
) -> Partition:
    """Assign every module of `graph` to a named service, or to the shared kernel (None).

    See `propose`, which also says why each module is where it is.
    """
    return propose(graph, settings, cochange).partition


def propose(
    graph: nx.DiGraph,
    settings: Settings,
    cochange: dict[tuple[str, str], float] | None = None,
) -> Proposal:
    """Candidate services for the modules of `graph`, with the evidence for each placement.

    Args:
        graph: The module dependency graph from `decompose.graph.build_graph`.
        settings: Algorithm, seed, resolution or service count, weights, constraints.
        cochange: Optional co-change strengths between modules (0..1), from git history.

    Raises:
        ConfigError: unknown algorithm, or an optional dependency missing for it.
    """
    if settings.level == "package":
        return _propose_by_package(graph, settings, cochange)
    clusterer = get_clusterer(settings.algorithm)
    view = undirected_view(graph, settings.weights, cochange)
    pins = pinned_services(graph.nodes, settings.pins)
    named = {m for m in graph if _matches(m, settings.shared)} - set(pins)
    rest = {m for m in graph if m not in pins and m not in named}
    facts = ProjectFacts.of(graph, view, rest)
    clustering = clusterer.cluster(facts, settings)
    shared = set(clustering.shared) | named
    communities = sorted_communities([c - shared for c in clustering.communities])
    labels = clustering.labels
    if labels is None or len(labels) != len(communities):
        labels = name_communities(communities, facts.tree)
    partition: Partition = {m: None for m in shared}
    for community, name in zip(communities, labels, strict=True):
        partition.update(dict.fromkeys(community, name))
    partition.update({m: identifier(s) for m, s in pins.items()})
    partition.update({m: None for m in graph if m not in partition})
    partition = keep_together(partition, settings.keep_together)
    placements = _placements(graph, partition, clustering, pins, named)
    return Proposal(dict(sorted(partition.items())), placements)


def _matches(module: str, names: tuple[str, ...]) -> bool:
    return any(module == n or module.startswith(n + ".") for n in names)


def _placements(
    graph: nx.DiGraph,
    partition: Partition,
    clustering: Clustering,
    pins: dict[str, str],
    named: set[str],
) -> dict[str, Placement]:
    """The evidence for every module; constraints and algorithms without it say so."""
    found: dict[str, Placement] = {}
    for module in sorted(graph):
        if module in pins:
            detail = f"pinned to {pins[module]!r} by the settings"
            found[module] = Placement(reason=Reason.PINNED, confidence=1.0, detail=detail)
        elif module in named:
            detail = "named shared kernel by the settings"
            found[module] = Placement(reason=Reason.PINNED, confidence=1.0, detail=detail)
        elif module in clustering.placements:
            found[module] = clustering.placements[module]
        else:
            detail = "a community of the dependency graph" if partition[module] else "shared"
            found[module] = Placement(reason=Reason.COMMUNITY, confidence=0.5, detail=detail)
    return found


def _propose_by_package(
    graph: nx.DiGraph, settings: Settings, cochange: dict[tuple[str, str], float] | None
) -> Proposal:
    """`--level package`: each package's modules clustered as one node."""
    packages, package_of = collapse_to_packages(graph)
    merged = propose(
        packages,
        settings.model_copy(update={"level": "module"}),
        _collapse_pairs(cochange, package_of),
    )
    return Proposal(
        {m: merged.partition[package_of[m]] for m in sorted(graph)},
        {m: merged.placements[package_of[m]] for m in sorted(graph)},
    )


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
