"""Services that hold too much of the system to be one deployable unit."""

from __future__ import annotations

from decompose.metrics.findings.base import FindingContext
from decompose.model import Finding


class OversizedServiceDetector:
    """A service above `thresholds.oversized_share` of the modules or lines in services.

    The limit is never below twice a fair share (2 / number of services), so that a
    decomposition into two or three services does not flag its larger half. Medium.
    """

    name = "oversized_service"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each oversized service."""
        services = context.services
        if len(services) < 2:
            return []
        total_modules = sum(len(d["modules"]) for _, d in services.nodes(data=True))
        total_loc = sum(d["loc"] for _, d in services.nodes(data=True))
        limit = max(context.thresholds.oversized_share, 2 / len(services))
        findings = []
        for service in sorted(services):
            data = services.nodes[service]
            module_share = len(data["modules"]) / total_modules
            loc_share = data["loc"] / total_loc if total_loc else 0.0
            if module_share <= limit and loc_share <= limit:
                continue
            findings.append(
                Finding(
                    kind=self.name,
                    severity="medium",
                    services=(service,),
                    detail=(
                        f"{service} holds {module_share:.0%} of the modules and {loc_share:.0%} "
                        f"of the lines in services (limit {limit:.0%}): split it, for example "
                        "along its sub-packages, or cluster with a higher resolution."
                    ),
                    locations=context.locations((m, 1) for m in data["modules"]),
                )
            )
        return findings
