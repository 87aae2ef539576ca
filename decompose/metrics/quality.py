"""Decomposition quality metrics from the literature, and size and coupling per service.

Every metric looks at the services only: modules of the shared kernel and the edges that
touch them are left out, since the kernel becomes a library every service links.
"""

from __future__ import annotations

import math

import networkx as nx

from decompose.metrics.api_surface import public_api
from decompose.metrics.services import Partition, members, normalize, service_graph
from decompose.model import ServiceMetrics

NED_MIN_MODULES = 5  # a service with fewer modules is "extreme" (too small) for NED
NED_MAX_SHARE = 0.5  # ... and one with more than this share of service modules too big


def decomposition_metrics(
    graph: nx.DiGraph,
    partition: Partition,
    *,
    ned_min: int = NED_MIN_MODULES,
    ned_max_share: float = NED_MAX_SHARE,
) -> dict[str, float]:
    """All decomposition-level metrics, keyed by name (sorted).

    Keys: modularity, mq, icp, ifn, ned, sm (see each function), and the counts
    services, shared_modules and modules.

    Args:
        graph: The module dependency graph from `build_graph`.
        partition: Module -> service name, or None for the shared kernel.
        ned_min: NED's lower bound on a non-extreme service's module count.
        ned_max_share: NED's upper bound, as a share of all service modules.
    """
    part = normalize(graph, partition)
    metrics = {
        "modularity": modularity(graph, part),
        "mq": mq(graph, part),
        "icp": icp(graph, part),
        "ifn": ifn(graph, part),
        "ned": ned(part, min_modules=ned_min, max_share=ned_max_share),
        "sm": structural_modularity(graph, part),
        "services": float(len(members(part))),
        "shared_modules": float(sum(1 for s in part.values() if s is None)),
        "modules": float(len(part)),
    }
    return {key: round(metrics[key], 6) for key in sorted(metrics)}


def modularity(graph: nx.DiGraph, partition: Partition) -> float:
    """Newman's modularity Q of the services on the undirected, weighted view.

    Newman & Girvan, "Finding and evaluating community structure in networks",
    Phys. Rev. E 69 (2004): Q = sum over services of (w_in / m - (d / 2m)^2). The
    weights of u -> v and v -> u are summed. 0.0 when no edge joins service modules.
    """
    part = normalize(graph, partition)
    undirected = nx.Graph()
    groups = members(part)
    for modules in groups.values():
        undirected.add_nodes_from(modules)
    for source, target, data in graph.edges(data=True):
        if part.get(source) is None or part.get(target) is None:
            continue
        previous = undirected.get_edge_data(source, target, {"weight": 0.0})["weight"]
        undirected.add_edge(source, target, weight=previous + float(data.get("weight", 0.0)))
    if undirected.size(weight="weight") <= 0:
        return 0.0
    communities = [set(modules) for modules in groups.values()]
    return float(nx.community.modularity(undirected, communities, weight="weight"))


def mq(graph: nx.DiGraph, partition: Partition) -> float:
    """Bunch's Modularization Quality (TurboMQ): the sum of the services' cluster factors.

    Mitchell & Mancoridis, "On the automatic modularization of software systems using
    the Bunch tool", IEEE TSE 32(3) (2006): CF_i = 2 mu_i / (2 mu_i + sum_j (eps_ij + eps_ji))
    with mu_i the weight of edges inside service i and eps_ij the weight from i to j;
    CF_i = 0 when mu_i = 0. Ranges from 0 to the number of services; higher is better.
    """
    services = service_graph(graph, partition)
    total = 0.0
    for service, data in services.nodes(data=True):
        inside = data["internal_weight"]
        outside = services.in_degree(service, weight="weight") + services.out_degree(
            service, weight="weight"
        )
        if inside > 0:
            total += 2 * inside / (2 * inside + outside)
    return total


def icp(graph: nx.DiGraph, partition: Partition) -> float:
    """Inter-Call Percentage: the share of edge weight that crosses services; lower is better.

    Jin et al., "Service candidate identification from monolithic systems based on
    execution traces", IEEE TSE 47(5) (2021), with static edge weights in place of calls.
    0.0 when no edge joins service modules.
    """
    services = service_graph(graph, partition)
    inside = sum(d["internal_weight"] for _, d in services.nodes(data=True))
    across = services.size(weight="weight")
    total = inside + across
    return float(across / total) if total > 0 else 0.0


def ifn(graph: nx.DiGraph, partition: Partition) -> float:
    """Interface Number: the mean number of interface items per service; lower is better.

    Jin et al. (TSE 2021, as for ICP): an interface item here is a distinct symbol of the
    service that modules of other services use (see `public_api`). 0.0 without services.
    """
    apis = public_api(graph, partition)
    return sum(len(items) for items in apis.values()) / len(apis) if apis else 0.0


def ned(
    partition: Partition,
    *,
    min_modules: int = NED_MIN_MODULES,
    max_share: float = NED_MAX_SHARE,
) -> float:
    """Non-Extreme Distribution: the share of service modules in services of reasonable size.

    Wu, Hassan & Holt, "Comparison of clustering algorithms in the context of software
    evolution", ICSM 2005. A service is non-extreme when
    `min_modules <= size <= max(min_modules, max_share * N)`, N the modules in services
    (defaults 5 and N/2). Higher is better. (Mono2Micro, Kalia et al. FSE 2021, reports
    1 minus this value, with bounds 5..20 classes.) 0.0 without services.
    """
    sizes = [len(modules) for modules in members(partition).values()]
    total = sum(sizes)
    if total == 0:
        return 0.0
    upper = max(min_modules, max_share * total)
    return sum(size for size in sizes if min_modules <= size <= upper) / total


def structural_modularity(graph: nx.DiGraph, partition: Partition) -> float:
    """Structural Modularity: mean cohesion minus mean pairwise coupling of the services.

    Jin et al. (TSE 2021), as used by Mono2Micro (Kalia et al., FSE 2021):
    SM = (1/K) sum_i mu_i / m_i^2 - (1 / (K(K-1)/2)) sum_{i<j} sigma_ij / (2 m_i m_j),
    with m_i the modules of service i, mu_i the number of edges inside it and sigma_ij
    the number of edges between i and j (both directions). Higher is better.
    """
    services = service_graph(graph, partition)
    sizes = {s: len(d["modules"]) for s, d in services.nodes(data=True)}
    if not sizes:
        return 0.0
    cohesion = sum(
        services.nodes[s]["internal_edges"] / sizes[s] ** 2 for s in sizes if sizes[s]
    ) / len(sizes)
    pairs = len(sizes) * (len(sizes) - 1) // 2
    # Only pairs with edges between them add to the sum: one term per edge of the service
    # graph (a pair joined both ways has two), not a look at each of the K(K-1)/2 pairs.
    coupling = math.fsum(
        len(data["edges"]) / (2 * sizes[a] * sizes[b])
        for a, b, data in services.edges(data=True)
        if a != b
    )
    return float(cohesion - (coupling / pairs if pairs else 0.0))


def service_metrics(graph: nx.DiGraph, partition: Partition) -> dict[str, ServiceMetrics]:
    """Size, cohesion and coupling of every service (sorted by name).

    Cohesion is the service's internal edge weight over all weight of edges that touch
    it and another service (or itself); coupling is the rest. Edges to the shared kernel
    do not count. Both are 0.0 for a service no such edge touches. Instability is
    efferent / (afferent + efferent) over services (Martin, 1994), 0.0 when both are 0.
    """
    services = service_graph(graph, partition)
    result: dict[str, ServiceMetrics] = {}
    for service in sorted(services):
        data = services.nodes[service]
        inside = data["internal_weight"]
        outside = services.in_degree(service, weight="weight") + services.out_degree(
            service, weight="weight"
        )
        total = inside + outside
        afferent = services.in_degree(service)
        efferent = services.out_degree(service)
        result[service] = ServiceMetrics(
            modules=len(data["modules"]),
            loc=data["loc"],
            cohesion=round(inside / total, 6) if total > 0 else 0.0,
            coupling=round(outside / total, 6) if total > 0 else 0.0,
            afferent=afferent,
            efferent=efferent,
            instability=round(efferent / (afferent + efferent), 6) if afferent + efferent else 0.0,
        )
    return result
