"""Cycles between services: no service of the cycle can be deployed or changed alone."""

from __future__ import annotations

import networkx as nx

from decompose.metrics.findings.base import FindingContext
from decompose.model import Finding


class ServiceCycleDetector:
    """One finding per strongly connected group of services, with the module edges in it."""

    name = "service_cycle"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each set of services that depend on each other in a cycle."""
        services = context.services
        components = sorted(
            sorted(component)
            for component in nx.strongly_connected_components(services)
            if len(component) > 1
        )
        return [self._finding(context, component) for component in components]

    def _finding(self, context: FindingContext, component: list[str]) -> Finding:
        inside = context.services.subgraph(component)
        pairs: list[tuple[str, int]] = []
        module_edges = 0
        for _, _, data in sorted(inside.edges(data=True), key=lambda e: (e[0], e[1])):
            for source, target in data["edges"]:
                module_edges += 1
                lines = context.graph[source][target].get("lines") or (1,)
                pairs.extend((source, line) for line in lines)
        cycle = [edge[0] for edge in nx.find_cycle(inside, source=component[0])]
        path = " -> ".join([*cycle, cycle[0]])
        return Finding(
            kind=self.name,
            severity="high",
            services=tuple(component),
            detail=(
                f"Services {', '.join(component)} depend on each other in a cycle ({path}, "
                f"{module_edges} module dependencies): invert one dependency with an event "
                "or move the shared code so that dependencies flow one way."
            ),
            locations=context.locations(pairs),
        )
