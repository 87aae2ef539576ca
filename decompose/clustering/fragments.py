"""Step 7: fragments merged, so that every candidate service is a real capability.

A context of one or two modules that owns no data and declares no app is not a service
an architect would propose, unless it is a plugin (a package in `plugins/`,
`components/` ...); neither is a group of tables that no code works with. Each
joins the context it is most coupled to (smallest first, so that fragments can gather
into a context before it is judged), or the kernel when it is coupled to none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Grouping, Origin, mention
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.placement import alternatives, coupling, leader
from decompose.clustering.tree import Tree, last, parent
from decompose.clustering.vocabulary import Role, role
from decompose.model.placement import Placement, Reason


def merge_fragments(
    grouping: Grouping,
    facts: ProjectFacts,
    table_owner: Mapping[tuple[str, str], str],
    heuristics: Heuristics,
) -> Grouping:
    """Merge every fragment into the context leading its coupling, smallest first.

    A fragment whose coupling no context leads is shared kernel. Tables go where their
    context went, so that no later fragment is credited to a context merged away.
    """
    while True:
        fragment = _smallest_fragment(grouping, facts.tree, heuristics)
        if fragment is None:
            return grouping
        totals = _context_coupling(grouping, facts, fragment, table_owner, heuristics)
        target, share = leader(totals)
        label = grouping.contexts[fragment].label
        if target is None or not _leads(totals, target, heuristics):
            grouping = grouping.merge(fragment, None, _shared(label, totals, share))
            table_owner = _tables_after_merge(table_owner, fragment, None)
            continue
        detail = (
            f"part of {label!r}, too small a group to stand alone; "
            f"{share:.0%} of its coupling is with {mention(target)}"
        )
        placement = Placement(
            reason=Reason.MERGED,
            confidence=round(share * 0.8, 2),
            detail=detail,
            alternatives=alternatives(totals, target),
        )
        grouping = grouping.merge(fragment, target, placement)
        table_owner = _tables_after_merge(table_owner, fragment, target)


def _tables_after_merge(
    table_owner: Mapping[tuple[str, str], str], source: str, target: str | None
) -> Mapping[tuple[str, str], str]:
    """Who owns each table once context `source` is merged into `target` (None: the kernel).

    The kernel owns no tables: those of a context merged into it are no one's.
    """
    if source not in table_owner.values():
        return table_owner
    moved = {table: owner for table, owner in table_owner.items() if owner != source}
    if target is not None:
        moved.update((table, target) for table, owner in table_owner.items() if owner == source)
    return moved


def _leads(totals: Mapping[str, float], target: str, heuristics: Heuristics) -> bool:
    """A dominant share, or a clear plurality (well ahead of the runner-up)."""
    total = sum(totals.values())
    share = totals[target] / total
    runner_up = max((w for c, w in totals.items() if c != target), default=0.0) / total
    return share >= heuristics.dominant_share or (
        share >= heuristics.fragment_share and share >= heuristics.fragment_lead * runner_up
    )


def _shared(label: str, totals: Mapping[str, float], share: float) -> Placement:
    """A fragment no context leads: the shared kernel's, with its coupling as alternatives."""
    if not totals:
        detail = f"part of {label!r}, too small a group to stand alone, tied to no service"
        return Placement(reason=Reason.WIRING, confidence=0.6, detail=detail)
    detail = (
        f"part of {label!r}, too small a group to stand alone, and no service leads its "
        f"coupling (largest share {share:.0%})"
    )
    return Placement(
        reason=Reason.KERNEL,
        confidence=round(1.0 - share / 2, 2),
        detail=detail,
        alternatives=alternatives(totals, None),
    )


def _smallest_fragment(grouping: Grouping, tree: Tree, heuristics: Heuristics) -> str | None:
    candidates = []
    for context_id, members in grouping.members.items():
        if _is_fragment(grouping, context_id, members, tree, heuristics):
            candidates.append((len(members), context_id))
    return min(candidates)[1] if candidates else None


def _is_fragment(
    grouping: Grouping, context_id: str, members: set[str], tree: Tree, heuristics: Heuristics
) -> bool:
    context = grouping.contexts[context_id]
    if context.origin is Origin.APP and (context.owns_data or context.entry):
        return False
    if context.package and _plugged_in(context.package, tree):
        return False  # `components/hue/`: a plugin, however small, is its own unit
    if context.origin is Origin.ENTITY:
        # tables that no code outside their models module works with
        return all(grouping.placements[m].reason is Reason.MODELS for m in members)
    return len(members) <= heuristics.fragment_modules and not context.owns_data


def _plugged_in(package: str, tree: Tree) -> bool:
    """Whether a package sits in a container of independent packages (`plugins/`)."""
    container = parent(package)
    return bool(container) and (
        role(last(container)) is Role.CONTAINER or tree.is_container(container)
    )


def _context_coupling(
    grouping: Grouping,
    facts: ProjectFacts,
    context_id: str,
    table_owner: Mapping[tuple[str, str], str],
    heuristics: Heuristics,
) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for module in grouping.members[context_id]:
        found = coupling(facts, module, grouping.owner, table_owner, heuristics.used_by_weight)
        for other, weight in found.items():
            if other != context_id:
                totals[other] += weight
    return dict(totals)
