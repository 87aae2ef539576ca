"""What every detector gets and returns: the context, the thresholds and the Detector protocol."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import networkx as nx

from decompose.config import FindingThresholds
from decompose.graph import ModelRef
from decompose.metrics.names import facts_of
from decompose.metrics.services import Partition, normalize, service_graph
from decompose.model import Finding, Location

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class FindingContext:
    """The decomposition under review, with views detectors share (computed once)."""

    graph: nx.DiGraph
    partition: Partition
    thresholds: FindingThresholds = field(default_factory=FindingThresholds)

    @cached_property
    def part(self) -> dict[str, str | None]:
        """Every module with its service (None: shared kernel)."""
        return normalize(self.graph, self.partition)

    @cached_property
    def services(self) -> nx.DiGraph:
        """The service dependency graph (see `service_graph`)."""
        return service_graph(self.graph, self.part)

    def service_of(self, module: str) -> str | None:
        """The service a module belongs to (None: shared kernel or unknown)."""
        return self.part.get(module)

    def owner(self, model: ModelRef) -> str | None:
        """The service that owns a model: the one its defining module belongs to."""
        return self.part.get(model.module)

    def model_line(self, model: ModelRef) -> int:
        """The line a model class is declared on (1 when unknown)."""
        facts = facts_of(self.graph, model.module)
        found = (m.line for m in (facts.models if facts else ()) if m.name == model.name)
        return next(found, 1)

    def location(self, module: str, line: int = 1) -> Location:
        """A location in a module of the graph."""
        path, line, module = self._place(module, line)
        return Location(path=path, line=line, module=module)

    def locations(self, pairs: Iterable[tuple[str, int]]) -> tuple[Location, ...]:
        """Sorted, de-duplicated locations from (module, line) pairs."""
        unique = {self._place(module, line) for module, line in pairs}  # thousands, for cycles
        return tuple(Location(path=p, line=n, module=m) for p, n, m in sorted(unique))

    def _place(self, module: str, line: int) -> tuple[str, int, str]:
        """(path, line, module): a location's fields, in the order locations are sorted by."""
        path = self.graph.nodes[module].get("path", "") if module in self.graph else ""
        return path, max(line, 1), module


class Detector(Protocol):
    """A finding detector: a name and one method (import-linter's contract style)."""

    name: str

    def find(self, context: FindingContext) -> list[Finding]:
        """The findings of this kind in the decomposition."""
        ...


def finding_key(finding: Finding) -> tuple[object, ...]:
    """The deterministic order of findings: severity, kind, services, locations, detail."""
    return (
        SEVERITY_ORDER.get(finding.severity, len(SEVERITY_ORDER)),
        finding.kind,
        finding.services,
        tuple((loc.path, loc.line, loc.module) for loc in finding.locations),
        finding.detail,
    )


def names(items: Iterable[str], limit: int = 5) -> str:
    """A short, sorted, comma-separated list for a finding's detail sentence."""
    ordered = sorted(set(items))
    shown = ", ".join(ordered[:limit])
    return shown + (f" and {len(ordered) - limit} more" if len(ordered) > limit else "")
