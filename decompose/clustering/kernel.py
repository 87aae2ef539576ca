"""Steps 6 and 8: the shared kernel, a judgement with a reason for each module.

Config, a db session, money types or a grab-bag utils module serve every context; forced
into one service they would make every other depend on it. An architect keeps them as a
shared library. Step 6 (`shared_kernel`) judges modules: only code that no name and no
table ties to a context can be kernel, when several contexts use it and none of them
dominates its use, or when it is coupled to no context at all (entry points, settings,
wiring). Step 8 (`platform_to_kernel`) judges whole contexts once the rest is settled:
platform code that most services build on, or a library's adapter, is shared too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Context, Grouping
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


def platform_to_kernel(grouping: Grouping, facts: ProjectFacts, heuristics: Heuristics) -> Grouping:
    """Contexts that are platform code, not a business capability, join the shared kernel.

    Two kinds, neither owning data nor declaring an app (those are the developers' own
    cut and stay):

    - what most other contexts build on: framework glue or i18n that nearly every
      context imports is a shared library, not a service every call would go through.
      Owning no tables tells something only in a project whose contexts mostly own some;
      elsewhere (no ORM, raw SQL) this kind is not judged.
    - the project's adapter to a library, named after the library its code imports
      (`core/celery/` importing celery, `web/flask/` importing flask), that several
      contexts use: infrastructure, whatever its size.
    """
    contexts = [grouping.contexts[c] for c in grouping.members]
    if len(contexts) < heuristics.platform_contexts:
        return grouping
    with_data = sum(1 for c in contexts if c.owns_data)
    # where most contexts own no tables, owning none tells nothing
    breadth = with_data >= heuristics.platform_data_share * len(contexts)
    # every context is judged on the grouping the fragments left, whatever moves before it
    users = _context_users(grouping, facts)
    others = len(contexts) - 1
    for context in sorted(grouping.members):
        found = grouping.contexts[context]
        if found.owns_data or found.entry:
            continue
        count = len(users.get(context, ()))
        if breadth and count >= heuristics.platform_users * others:
            why = f"which owns no data and which {count} of the {others} other services build on"
        elif count >= max(heuristics.kernel_users, heuristics.adapter_users * others) and (
            library := _wrapped_library(found, grouping.members[context], facts)
        ):
            why = f"the adapter to {library} (its code imports it), used by {count} services"
        else:
            continue
        placement = Placement(
            reason=Reason.KERNEL,
            confidence=round(min(1.0, 0.5 + count / others / 2), 2),
            detail=f"part of {found.label!r}, {why}: platform code, shared",
        )
        grouping = grouping.merge(context, None, placement)
    return grouping


def _wrapped_library(context: Context, modules: Collection[str], facts: ProjectFacts) -> str | None:
    """The third-party library the context is named after and its code imports, if any."""
    names = {context.label, context.package.rpartition(".")[2]}
    imported = {name for m in modules for name in facts.libraries.get(m, ())}
    found = sorted(names & imported)
    return found[0] if found else None


def _context_users(grouping: Grouping, facts: ProjectFacts) -> dict[str, set[str]]:
    """Context -> the other contexts with code that depends on its code."""
    owner = grouping.owner
    found: dict[str, set[str]] = defaultdict(set)
    for module, context in owner.items():
        if context is None:
            continue
        for neighbour, data in facts.neighbours[module].items():
            used = owner.get(neighbour)
            if used is not None and used != context and data.get("flow", {}).get(module):
                found[used].add(context)
    return found
