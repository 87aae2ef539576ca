"""One database table mapped by models of several services."""

from __future__ import annotations

from decompose.graph import ModelRef
from decompose.metrics.findings.base import FindingContext
from decompose.model import Finding


class SharedTableDetector:
    """A table name that concrete models in two or more services map (always high)."""

    name = "shared_table"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each table mapped by models of more than one service."""
        tables: dict[str, list[ModelRef]] = {}
        for _, ref in sorted(context.graph.graph.get("models", {}).items()):
            if ref.table and not ref.abstract:
                tables.setdefault(ref.table, []).append(ref)
        findings = []
        for table, refs in sorted(tables.items()):
            services = sorted({s for s in map(context.owner, refs) if s is not None})
            if len(services) < 2:
                continue
            mapped = ", ".join(f"{ref.name} ({context.owner(ref) or 'shared'})" for ref in refs)
            findings.append(
                Finding(
                    kind=self.name,
                    severity="high",
                    services=tuple(services),
                    detail=(
                        f"Table {table} is mapped by {mapped}: give the table one owning "
                        "service and have the others go through its API."
                    ),
                    locations=context.locations(
                        (ref.module, context.model_line(ref)) for ref in refs
                    ),
                )
            )
        return findings
