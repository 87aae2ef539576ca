"""Pairs of services that use many of each other's symbols: one service split in two."""

from __future__ import annotations

from decompose.metrics.findings.base import FindingContext
from decompose.metrics.names import used_symbols
from decompose.model import Finding


class ChattyPairDetector:
    """Two services whose dependencies, both directions counted, are too many to be remote.

    Flagged (medium) when they use at least `thresholds.chatty_symbols` distinct symbols
    of each other, or are joined by at least `thresholds.chatty_edges` module edges.
    """

    name = "chatty_pair"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each chatty pair of services, pairs in name order."""
        pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for source, target, data in context.services.edges(data=True):
            pairs.setdefault(tuple(sorted((source, target))), []).extend(data["edges"])
        findings = []
        for (first, second), edges in sorted(pairs.items()):
            symbols = used_symbols(context.graph, edges)
            limits = context.thresholds
            if len(symbols) < limits.chatty_symbols and len(edges) < limits.chatty_edges:
                continue
            findings.append(
                Finding(
                    kind=self.name,
                    severity="medium",
                    services=(first, second),
                    detail=(
                        f"{first} and {second} use {len(symbols)} symbols of each other over "
                        f"{len(edges)} module dependencies: merge them, or give one a coarser "
                        "API so that a request needs one call."
                    ),
                    locations=context.locations(
                        (s, min(context.graph[s][t].get("lines") or (1,))) for s, t in edges
                    ),
                )
            )
        return findings
