"""The service graph the HTML report draws: sized nodes, weighted edges, laid out."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from decompose.model.decomposition import Service
from decompose.report.finding_view import FindingView, severity_rank
from decompose.report.formatting import plural
from decompose.report.layout import HEIGHT, WIDTH, layout

PALETTE_SIZE = 10  # the HTML stylesheet defines this many service colours


@dataclass(frozen=True)
class GraphNode:
    """A service: its circle, label and a summary for the tooltip."""

    id: str
    name: str
    summary: str  # "3 modules · 250 lines", the second label line
    loc: int
    modules: int
    api: int
    x: float
    y: float
    r: float
    color: int
    severity: str  # the worst severity among its findings, or ""


@dataclass(frozen=True)
class GraphEdge:
    """`source` depends on `target`."""

    source: str
    target: str
    weight: float
    width: float
    mutual: bool  # the target depends on the source too: drawn curved


@dataclass(frozen=True)
class GraphView:
    """Nodes and edges in a WIDTH x HEIGHT box."""

    width: float
    height: float
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]

    def data(self) -> dict[str, Any]:
        """Plain JSON-ready data for the page's script."""
        return {
            "width": self.width,
            "height": self.height,
            "nodes": [asdict(node) for node in self.nodes],
            "edges": [asdict(edge) for edge in self.edges],
        }


def build_graph_view(
    services: Sequence[Service], dom_ids: Mapping[str, str], findings: Iterable[FindingView]
) -> GraphView:
    """Lay out the services (already sorted) and their dependencies."""
    index = {s.name: i for i, s in enumerate(services)}
    weights: dict[tuple[int, int], float] = {}
    for service in services:
        for dep in service.depends_on:
            if dep.service in index and dep.service != service.name:
                key = (index[service.name], index[dep.service])
                weights[key] = weights.get(key, 0.0) + dep.weight
    summaries = [f"{plural(len(s.modules), 'module')} · {plural(s.loc, 'line')}" for s in services]
    places = layout(
        [float(s.loc) for s in services],
        sorted(weights),
        [_label_width(s.name, summary) for s, summary in zip(services, summaries, strict=True)],
    )
    worst = _worst_severity(findings)
    nodes = tuple(
        GraphNode(
            id=dom_ids[s.name],
            name=s.name,
            summary=summaries[i],
            loc=s.loc,
            modules=len(s.modules),
            api=len(s.public_api),
            x=place.x,
            y=place.y,
            r=place.r,
            color=i % PALETTE_SIZE,
            severity=worst.get(s.name, ""),
        )
        for i, (s, place) in enumerate(zip(services, places, strict=True))
    )
    heaviest = max(weights.values(), default=0.0)
    edges = tuple(
        GraphEdge(
            source=dom_ids[services[a].name],
            target=dom_ids[services[b].name],
            weight=weight,
            width=_width(weight, heaviest),
            mutual=(b, a) in weights,
        )
        for (a, b), weight in sorted(weights.items())
    )
    return GraphView(WIDTH, HEIGHT, nodes, edges)


def _label_width(name: str, summary: str) -> float:
    """About how wide the two label lines are drawn (13px bold name, 11px summary)."""
    return max(8.0 * len(name), 6.2 * len(summary))


def _width(weight: float, heaviest: float) -> float:
    if heaviest <= 0:
        return 1.5
    return round(1.5 + 4.5 * math.sqrt(max(weight, 0.0) / heaviest), 2)


def _worst_severity(findings: Iterable[FindingView]) -> dict[str, str]:
    """The most severe known severity of each service's findings."""
    worst: dict[str, str] = {}
    for finding in findings:
        if severity_rank(finding.severity)[1]:
            continue  # an unknown severity: no ring colour for it
        for service in finding.services:
            current = worst.get(service)
            if current is None or severity_rank(finding.severity) < severity_rank(current):
                worst[service] = finding.severity
    return worst
