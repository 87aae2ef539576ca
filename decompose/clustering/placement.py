"""Steps 4 and 5: free modules placed by the names in their path, then by their coupling.

A module in no app is placed first by what its path names (`graphql/order/...`), then,
in rounds outward from what is placed, by the context its coupling leans on: what it
uses, and (less surely) what uses it. A use of a table in a models module shared by
several contexts counts for the context that owns that table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Grouping, mention
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.names import NameIndex, named_context
from decompose.model.placement import Alternative, Placement, Reason

# How sure a name makes a placement, by the strength of the claim (see names.Match).
_NAME_CONFIDENCE = {0: 0.85, 1: 0.75, 2: 0.6}


def place_by_name(
    grouping: Grouping,
    facts: ProjectFacts,
    index: NameIndex,
    free: Collection[str],
    table_owner: Mapping[tuple[str, str], str],
    heuristics: Heuristics,
) -> Grouping:
    """Place each free module whose path names a context.

    The name decides; where the module's coupling (with the code placed so far)
    clearly leans elsewhere, the placement is less sure and says where it leans.
    """
    decisions: dict[str, tuple[str | None, Placement]] = {}
    for module in sorted(free):
        if module in grouping.owner:
            continue
        match = named_context(module, facts.tree, index)
        if match is None or match.context not in grouping.contexts:
            continue
        totals = coupling(facts, module, grouping.owner, table_owner, heuristics.used_by_weight)
        confidence = _NAME_CONFIDENCE[match.strength]
        best, share = leader(totals)
        disagrees = best not in (None, match.context) and share >= heuristics.dominant_share
        if disagrees:
            confidence = min(confidence, round(1.0 - share / 2, 2))
        decisions[module] = (
            match.context,
            Placement(
                reason=Reason.NAME,
                confidence=confidence,
                detail=_NAME_DETAIL[match.strength].format(
                    word=match.word, context=mention(match.context)
                )
                + (
                    f"; but {share:.0%} of its coupling is with {mention(best)}"
                    if disagrees and best
                    else ""
                ),
                alternatives=alternatives(totals, match.context) if disagrees else (),
            ),
        )
    return grouping.place(decisions)


# How a name placement reads, by the strength of the claim.
_NAME_DETAIL = {
    0: "its path names {context} ({word!r})",
    1: "{word!r} in its path is a table of {context}",
    2: "{word!r} in its path holds the name of {context}",
}


def coupling(
    facts: ProjectFacts,
    module: str,
    owner: Mapping[str, str | None],
    table_owner: Mapping[tuple[str, str], str],
    used_by_weight: float,
) -> dict[str, float]:
    """Coupling of `module` with each context: its dependencies, and what depends on it.

    A dependency on a models module split between contexts counts for the contexts
    owning the tables it uses.
    """
    totals: dict[str, float] = defaultdict(float)
    for neighbour, data in facts.neighbours[module].items():
        flow = data.get("flow", {})
        uses = flow.get(module, 0.0)
        used = flow.get(neighbour, 0.0) * used_by_weight
        context = owner.get(neighbour)
        if context is not None:
            totals[context] += uses + used
            continue
        symbols = facts.symbols.get((module, neighbour), {})
        tables = {table_owner.get((neighbour, s)): n for s, n in symbols.items()}
        tables.pop(None, None)
        if uses and tables:
            count = sum(tables.values())
            for table_context, n in tables.items():
                if table_context is not None:
                    totals[table_context] += uses * n / count
    return dict(totals)


def place_by_use(
    grouping: Grouping,
    facts: ProjectFacts,
    free: Collection[str],
    table_owner: Mapping[tuple[str, str], str],
    heuristics: Heuristics,
) -> Grouping:
    """Place free modules by the context their coupling leans on, in rounds."""
    for _ in range(heuristics.rounds):
        decisions: dict[str, tuple[str | None, Placement]] = {}
        for module in sorted(m for m in free if m not in grouping.owner):
            totals = coupling(facts, module, grouping.owner, table_owner, heuristics.used_by_weight)
            best, share = leader(totals)
            if best is not None and share >= heuristics.dominant_share:
                decisions[module] = (
                    best,
                    Placement(
                        reason=Reason.USES,
                        confidence=round(share, 2),
                        detail=f"{share:.0%} of its coupling is with {mention(best)}",
                        alternatives=alternatives(totals, best),
                    ),
                )
        if not decisions:
            break
        grouping = grouping.place(decisions)
    return grouping


def leader(totals: Mapping[str, float]) -> tuple[str | None, float]:
    """The context with the largest share of `totals`, and that share."""
    total = sum(totals.values())
    if not totals or total <= 0:
        return None, 0.0
    best = min(totals, key=lambda c: (-totals[c], c))
    return best, totals[best] / total


def alternatives(totals: Mapping[str, float], chosen: str | None) -> tuple[Alternative, ...]:
    """The runners-up of `totals` (at most three, each at least 5% of them), with their shares."""
    total = sum(totals.values()) or 1.0
    ranked = sorted((c for c in totals if c != chosen), key=lambda c: (-totals[c], c))
    shares = ((c, round(totals[c] / total, 2)) for c in ranked[:3])
    return tuple(Alternative(service=c, share=share) for c, share in shares if share >= 0.05)
