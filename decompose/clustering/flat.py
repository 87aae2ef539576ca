"""Code without apps, tables or packages to go by: Louvain communities of its modules."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from decompose.clustering.base import Clustering, Communities
from decompose.clustering.count import merge_groups, to_count
from decompose.clustering.facts import ProjectFacts
from decompose.clustering.naming import name_communities
from decompose.clustering.signals import part_of
from decompose.config import Settings
from decompose.model.placement import Placement, Reason


def communities_of_flat_code(facts: ProjectFacts, settings: Settings) -> Clustering:
    """Louvain communities, for code without apps, tables or packages to go by."""
    view = facts.view
    found = nx.community.louvain_communities(view, weight="weight", seed=settings.seed)
    communities = _absorb_singletons(view, [set(c) for c in found])
    wiring = {m for c in communities if len(c) == 1 for m in c if view.degree(m) == 0}
    communities = [c for c in communities if not c <= wiring]
    if settings.services is not None:
        communities = to_count(
            part_of(view, set(view) - wiring), communities, settings.services, settings.seed
        )
    elif settings.resolution is not None:
        communities = merge_groups(view, communities, settings.resolution, settings.seed)
    communities = sorted(communities, key=lambda c: (-len(c), min(c)))
    labels = name_communities(communities, facts.tree)
    placements = {
        m: Placement(
            reason=Reason.COMMUNITY, confidence=0.5, detail="a community of the dependency graph"
        )
        for c in communities
        for m in c
    }
    placements.update(
        {
            m: Placement(reason=Reason.WIRING, confidence=0.5, detail="coupled to no other module")
            for m in wiring
        }
    )
    return Clustering(communities, frozenset(wiring), labels, placements)


def _absorb_singletons(view: nx.Graph, communities: Communities) -> Communities:
    """A module alone in its community joins the neighbouring community it is most tied to."""
    owner = {m: i for i, c in enumerate(communities) for m in c}
    sizes = {i: len(c) for i, c in enumerate(communities)}
    for module in sorted(m for c in communities if len(c) == 1 for m in c):
        totals: dict[int, float] = defaultdict(float)
        for neighbour, data in view[module].items():
            if sizes[owner[neighbour]] > 1:
                totals[owner[neighbour]] += data["weight"]
        if totals:
            best = min(totals, key=lambda i: (-totals[i], i))
            sizes[owner[module]] -= 1
            owner[module] = best
            sizes[best] += 1
    grouped: dict[int, set[str]] = defaultdict(set)
    for module, index in owner.items():
        grouped[index].add(module)
    return list(grouped.values())
