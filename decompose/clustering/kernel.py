"""Step 6: the shared kernel, a judgement with a reason for each module.

Config, a db session, money types or a grab-bag utils module serve every context; forced
into one service they would make every other depend on it. An architect keeps them as a
shared library. Only code that no name and no table ties to a context can be kernel:
a module is kernel when several contexts use it and none of them dominates its use, or
when it is coupled to no context at all (entry points, settings, wiring).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Grouping
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.placement import alternatives, coupling, leader
from decompose.model.placement import Placement, Reason


def plural(count: int, noun: str) -> str:
    """`1 service`, `2 services`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def users_of(facts: ProjectFacts, module: str, grouping: Grouping) -> dict[str, float]:
    """Weight of each context's dependencies on `module`."""
    totals: dict[str, float] = defaultdict(float)
    for neighbour, data in facts.neighbours[module].items():
        context = grouping.owner.get(neighbour)
        weight = data.get("flow", {}).get(neighbour, 0.0)
        if context is not None and weight:
            totals[context] += weight
    return dict(totals)


def shared_kernel(
    grouping: Grouping,
    facts: ProjectFacts,
    free: Collection[str],
    table_owner: Mapping[tuple[str, str], str],
    heuristics: Heuristics,
) -> Grouping:
    """Put the free modules nothing placed, and widely used helpers, in the kernel."""
    decisions: dict[str, tuple[str | None, Placement]] = {}
    for module in sorted(free):
        placed = grouping.placements.get(module)
        users = users_of(facts, module, grouping)
        if placed is None:
            # what it uses, counted as the coupling step counted it (tables included)
            uses = coupling(facts, module, grouping.owner, table_owner, used_by_weight=0.0)
            decisions[module] = (None, _unplaced(users, uses))
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


def _unplaced(users: dict[str, float], uses: dict[str, float]) -> Placement:
    if len(users) >= 2:
        return _kernel(users)
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
            f"uses {plural(len(uses), 'service')} with none leading (largest share {share:.0%}): "
            "wiring, such as an app factory or a URL map"
        ),
        alternatives=alternatives(uses, None),
    )


def _kernel(users: dict[str, float]) -> Placement:
    _, share = leader(users)
    return Placement(
        reason=Reason.KERNEL,
        confidence=round(1.0 - share / 2, 2),
        detail=f"used by {plural(len(users), 'service')}, none most (largest share {share:.0%})",
        alternatives=alternatives(users, None),
    )
