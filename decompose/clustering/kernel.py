"""Step 6: the shared kernel, a judgement with a reason for each module.

Config, a db session, money types or a grab-bag utils module serve every context; forced
into one service they would make every other depend on it. An architect keeps them as a
shared library. Only code that no name and no table ties to a context can be kernel:
a module is kernel when several contexts use it and none of them dominates its use, or
when it is coupled to no context at all (entry points, settings, wiring).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Grouping
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.placement import alternatives, leader
from decompose.model.placement import Placement, Reason


def by_context(
    facts: ProjectFacts, module: str, grouping: Grouping, *, users: bool
) -> dict[str, float]:
    """Dependency weight between `module` and each context's code.

    With `users`, the weight of their dependencies on `module`; else of its on them.
    """
    totals: dict[str, float] = defaultdict(float)
    for neighbour, data in facts.view[module].items():
        context = grouping.owner.get(neighbour)
        weight = data.get("flow", {}).get(neighbour if users else module, 0.0)
        if context is not None and weight:
            totals[context] += weight
    return dict(totals)


def shared_kernel(
    grouping: Grouping, facts: ProjectFacts, free: Collection[str], heuristics: Heuristics
) -> Grouping:
    """Put the free modules nothing placed, and widely used helpers, in the kernel."""
    decisions: dict[str, tuple[str | None, Placement]] = {}
    for module in sorted(free):
        placed = grouping.placements.get(module)
        users = by_context(facts, module, grouping, users=True)
        if placed is None:
            decisions[module] = (None, _unplaced(module, users, facts, grouping))
        elif placed.reason is Reason.USES and _serves_many(users, module, grouping, heuristics):
            decisions[module] = (None, _kernel(users))
    return grouping.place(decisions)


def _serves_many(
    users: dict[str, float], module: str, grouping: Grouping, heuristics: Heuristics
) -> bool:
    own = grouping.owner.get(module)
    others = {c: w for c, w in users.items() if c != own}
    _, share = leader(users)
    return len(others) + 1 >= heuristics.kernel_users and share < heuristics.kernel_owner_share


def _unplaced(
    module: str, users: dict[str, float], facts: ProjectFacts, grouping: Grouping
) -> Placement:
    if len(users) >= 2:
        return _kernel(users)
    uses = by_context(facts, module, grouping, users=False)
    if not uses:
        return Placement(
            reason=Reason.WIRING,
            confidence=0.9,
            detail="tied to no service: an entry point, settings, a script or an empty package",
        )
    _, share = leader(uses)
    return Placement(
        reason=Reason.WIRING,
        confidence=round(1.0 - share / 2, 2),
        detail=(
            f"uses {len(uses)} services with none leading (largest share {share:.0%}): "
            "wiring, such as an app factory or a URL map"
        ),
        alternatives=alternatives(uses, None),
    )


def _kernel(users: dict[str, float]) -> Placement:
    _, share = leader(users)
    return Placement(
        reason=Reason.KERNEL,
        confidence=round(1.0 - share / 2, 2),
        detail=f"used by {len(users)} services, none of them most (largest share {share:.0%})",
        alternatives=alternatives(users, None),
    )
