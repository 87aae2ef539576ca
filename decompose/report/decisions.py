"""The evidence for each module's place, and the least certain places: the architect's decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.model.decomposition import ModuleEntry
from decompose.model.placement import Placement, Reason

# Below this confidence a placement is a decision the architect should check; the
# evidence for it is no stronger than coupling that leans two to one one way.
DECISION_CONFIDENCE = 0.7
# report.md lists this many decisions (the least certain first); the HTML report all.
MARKDOWN_DECISIONS = 30

# What each kind of evidence means, in the words of the reports.
REASONS: dict[Reason, str] = {
    Reason.APP: "inside a domain app",
    Reason.MODELS: "defines the service's tables",
    Reason.NAME: "named after the service",
    Reason.USES: "coupled mostly to the service",
    Reason.MERGED: "merged from a small group",
    Reason.KERNEL: "serves several services",
    Reason.WIRING: "wiring, tied to no service",
    Reason.SPLIT: "tables of several services",
    Reason.PINNED: "set by the user",
    Reason.COMMUNITY: "a graph community",
}


@dataclass(frozen=True)
class DecisionView:
    """One module whose place the evidence does not settle."""

    module: str
    path: str
    service: str  # "" for the shared kernel
    anchor: str  # the service's heading anchor ("" for the shared kernel)
    dom_id: str
    reason: str
    confidence: str  # a percentage
    detail: str
    alternatives: str  # "catalog 30%, kernel 10%"


def why(placement: Placement | None) -> tuple[str, str, str]:
    """(reason in words, confidence as a percentage, the evidence) of a placement."""
    if placement is None:
        return "", "", ""
    return REASONS[placement.reason], f"{placement.confidence:.0%}", placement.detail


def build_decisions(
    modules: Iterable[ModuleEntry], anchors: Mapping[str, str], dom_ids: Mapping[str, str]
) -> tuple[DecisionView, ...]:
    """Modules placed with less than DECISION_CONFIDENCE, least certain first."""
    uncertain = [
        m
        for m in modules
        if m.placement is not None and m.placement.confidence < DECISION_CONFIDENCE
    ]
    uncertain.sort(key=lambda m: (m.placement.confidence if m.placement else 0.0, m.name))
    views = []
    for module in uncertain:
        reason, confidence, detail = why(module.placement)
        assert module.placement is not None
        others = ", ".join(
            f"{a.service or 'shared kernel'} {a.share:.0%}" for a in module.placement.alternatives
        )
        service = module.service or ""
        views.append(
            DecisionView(
                module=module.name,
                path=module.path,
                service=service,
                anchor=anchors.get(service, ""),
                dom_id=dom_ids.get(service, ""),
                reason=reason,
                confidence=confidence,
                detail=detail,
                alternatives=others,
            )
        )
    return tuple(views)
