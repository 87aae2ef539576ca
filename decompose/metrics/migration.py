"""The strangler-fig extraction order: the services that are easiest to cut out go first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from decompose.metrics.services import Partition, service_graph
from decompose.model import Finding, MigrationStep


def migration_order(
    graph: nx.DiGraph, partition: Partition, findings: Iterable[Finding]
) -> tuple[MigrationStep, ...]:
    """Every service once, in the order to extract it from the monolith.

    A service goes earlier the fewer services it shares a dependency cycle with (from the
    service_cycle findings), the fewer services depend on it, the fewer cross-service
    foreign keys it is part of (cross_service_fk findings), the fewer services it depends
    on and the fewer lines it has; ties go by name. Each step's reason gives the numbers.

    Args:
        graph: The module dependency graph from `build_graph`.
        partition: Module -> service name, or None for the shared kernel.
        findings: The findings of the same decomposition (see `find_all`).
    """
    services = service_graph(graph, partition)
    in_cycle: Counter[str] = Counter()
    foreign_keys: Counter[str] = Counter()
    for finding in findings:
        for service in finding.services:
            if finding.kind == "service_cycle":
                in_cycle[service] += len(finding.services) - 1
            elif finding.kind == "cross_service_fk":
                foreign_keys[service] += 1

    def rank(service: str) -> tuple[int, int, int, int, int, str]:
        return (
            in_cycle[service],
            services.in_degree(service),
            foreign_keys[service],
            services.out_degree(service),
            services.nodes[service]["loc"],
            service,
        )

    return tuple(
        MigrationStep(
            service=service,
            reason=(
                f"Used by {_count(services.in_degree(service), 'other service')}, in a cycle "
                f"with {_count(in_cycle[service], 'other service')}, part of "
                f"{_count(foreign_keys[service], 'cross-service foreign key')}, and using "
                f"{_count(services.out_degree(service), 'other service')}."
            ),
        )
        for service in sorted(services, key=rank)
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
