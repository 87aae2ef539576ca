"""A partition seen from the services: members, sizes and the service dependency graph."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import TypeAlias, TypeVar
from weakref import WeakKeyDictionary

import networkx as nx

Partition: TypeAlias = Mapping[str, str | None]
T = TypeVar("T")


def once_per_partition(
    compute: Callable[[nx.DiGraph, Partition], T],
) -> Callable[[nx.DiGraph, Partition], T]:
    """Compute once for a frozen graph and a partition.

    The metrics and the detectors ask for the same service graph and API many times
    over one decomposition (seven service graphs for saleor: 0.6 s). Only a frozen
    graph (`nx.freeze`, as `analyze_graph` returns it) is remembered, so a graph that
    may still change is never answered from memory; the partition is compared whole.
    The answer is shared: callers must not change it.
    """
    memory: WeakKeyDictionary[nx.DiGraph, tuple[dict[str, str | None], T]] = WeakKeyDictionary()

    @wraps(compute)
    def remembered(graph: nx.DiGraph, partition: Partition) -> T:
        if not nx.is_frozen(graph):
            return compute(graph, partition)
        part = normalize(graph, partition)
        known = memory.get(graph)
        if known is not None and known[0] == part:
            return known[1]
        answer = compute(graph, partition)
        memory[graph] = (part, answer)
        return answer

    return remembered


def normalize(graph: nx.DiGraph, partition: Partition) -> dict[str, str | None]:
    """Every module of the graph and the partition, with its service (None: shared kernel).

    A graph module missing from the partition counts as shared kernel.
    """
    modules = sorted(set(graph.nodes) | set(partition))
    return {module: partition.get(module) for module in modules}


def members(partition: Partition) -> dict[str, tuple[str, ...]]:
    """Each service and its modules, both sorted; the shared kernel is left out."""
    grouped: dict[str, list[str]] = {}
    for module, service in partition.items():
        if service is not None:
            grouped.setdefault(service, []).append(module)
    return {service: tuple(sorted(grouped[service])) for service in sorted(grouped)}


def module_loc(graph: nx.DiGraph, module: str) -> int:
    """Lines of code of a module, 0 when the graph does not know it."""
    if module not in graph:
        return 0
    return int(graph.nodes[module].get("loc", 0))


@once_per_partition
def service_graph(graph: nx.DiGraph, partition: Partition) -> nx.DiGraph:
    """The services and the dependencies between them, shared kernel left out.

    Nodes are services (attributes: modules, loc, internal_weight, internal_edges).
    An edge S -> T means a module of S depends on a module of T (attributes: weight,
    the summed module edge weight, and edges, the sorted (source, target) module pairs).
    """
    part = normalize(graph, partition)
    services = nx.DiGraph()
    for service, modules in members(part).items():
        services.add_node(
            service,
            modules=modules,
            loc=sum(module_loc(graph, m) for m in modules),
            internal_weight=0.0,
            internal_edges=0,
        )
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        s, t = part.get(source), part.get(target)
        if s is None or t is None:
            continue
        weight = float(data.get("weight", 0.0))
        if s == t:
            services.nodes[s]["internal_weight"] += weight
            services.nodes[s]["internal_edges"] += 1
        elif services.has_edge(s, t):
            services[s][t]["weight"] += weight
            services[s][t]["edges"] += ((source, target),)
        else:
            services.add_edge(s, t, weight=weight, edges=((source, target),))
    return nx.freeze(services)
