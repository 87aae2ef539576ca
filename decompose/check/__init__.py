"""`decompose check`: the accepted boundaries enforced on the code, with a ratchet."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from decompose.check.baseline import Ratchet, parse_baseline, ratchet, render_baseline
from decompose.check.boundary_file import (
    Assignment,
    assign,
    boundaries_of,
    parse_boundaries,
    render_boundaries,
)
from decompose.check.formats import CHECK_FORMATS, CheckResult, render_check
from decompose.check.rules import Policy, violations
from decompose.model.boundaries import Boundaries

__all__ = [
    "CHECK_FORMATS",
    "Assignment",
    "CheckResult",
    "Policy",
    "Ratchet",
    "assign",
    "boundaries_of",
    "check_graph",
    "parse_baseline",
    "parse_boundaries",
    "render_baseline",
    "render_boundaries",
    "render_check",
]


def check_graph(
    graph: nx.DiGraph,
    boundaries: Boundaries,
    accepted: Mapping[str, int],
    *,
    policy: Policy | None = None,
    root: str = "",
    baseline: str = "",
    version: str = "",
) -> CheckResult:
    """Check the module graph against the boundaries; violations the baseline accepts are known.

    Raises:
        BoundaryError: the boundaries do not fit the modules (see `assign`).
    """
    assignment = assign(boundaries, graph.nodes)
    found = violations(graph, boundaries, assignment, policy)
    return CheckResult(root, ratchet(found, accepted), assignment.unassigned, baseline, version)
