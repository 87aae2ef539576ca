"""Services too small to pay for their own deployment."""

from __future__ import annotations

from decompose.metrics.findings.base import FindingContext
from decompose.model import Finding


class TinyServiceDetector:
    """A service with at most `thresholds.tiny_modules` modules and under `tiny_loc` lines.

    Only decompositions of two or more services are checked. Low.
    """

    name = "tiny_service"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each tiny service, naming the service it is most tied to."""
        services = context.services
        limits = context.thresholds
        if len(services) < 2:
            return []
        findings = []
        for service in sorted(services):
            data = services.nodes[service]
            size, loc = len(data["modules"]), data["loc"]
            if size > limits.tiny_modules or loc >= limits.tiny_loc:
                continue
            partner = _closest(context, service)
            into = (
                f"into {partner}, the service it depends on most,"
                if partner
                else ("into the service it belongs with")
            )
            findings.append(
                Finding(
                    kind=self.name,
                    severity="low",
                    services=(service,),
                    detail=(
                        f"{service} has {size} module(s) and {loc} lines: merge it {into} "
                        "unless it must scale or deploy on its own."
                    ),
                    locations=context.locations((m, 1) for m in data["modules"]),
                )
            )
        return findings


def _closest(context: FindingContext, service: str) -> str | None:
    """The service with the most edge weight to or from `service` (ties: by name)."""
    services = context.services
    weight: dict[str, float] = {}
    for other in set(services.successors(service)) | set(services.predecessors(service)):
        weight[other] = sum(
            services[a][b]["weight"]
            for a, b in ((service, other), (other, service))
            if services.has_edge(a, b)
        )
    return min(weight, key=lambda s: (-weight[s], s)) if weight else None
