"""`--services N` and `--resolution R`: contexts merged (or split) to the asked granularity."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from decompose.clustering.base import Communities
from decompose.clustering.signals import part_of
from decompose.config import Settings


def regroup(
    view: nx.Graph, communities: Communities, labels: list[str], settings: Settings
) -> tuple[Communities, list[str]]:
    """`--services N` or `--resolution R`: merge (or split) contexts; names follow the largest."""
    label_of = {m: label for c, label in zip(communities, labels, strict=True) for m in c}
    inside = part_of(view, set().union(*communities)) if communities else view
    if settings.services is not None:
        merged = to_count(inside, communities, settings.services, settings.seed)
    else:
        assert settings.resolution is not None
        merged = merge_groups(inside, communities, settings.resolution, settings.seed)
    merged = sorted(merged, key=lambda c: (-len(c), min(c)))
    names: list[str] = []
    for community in merged:
        votes: dict[str, int] = defaultdict(int)
        for module in community:
            votes[label_of[module]] += 1
        ranked = sorted(votes, key=lambda n: (-votes[n], n))
        name = next((n for n in ranked if n not in names), f"{ranked[0]}_part")
        names.append(name)
    return merged, names


def _quotient(view: nx.Graph, communities: Communities) -> nx.Graph:
    index = {m: i for i, c in enumerate(communities) for m in c}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(communities)))
    for a, b, data in view.edges(data=True):
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None and i != j:
            previous = quotient.get_edge_data(i, j, {"weight": 0.0})["weight"]
            quotient.add_edge(i, j, weight=previous + data["weight"])
    return quotient


def merge_groups(
    view: nx.Graph, communities: Communities, resolution: float, seed: int
) -> Communities:
    """Merge groups that modularity at `resolution` says belong together."""
    quotient = _quotient(view, communities)
    merged = nx.community.louvain_communities(
        quotient, weight="weight", resolution=resolution, seed=seed
    )
    return [set().union(*(communities[i] for i in group)) for group in merged]


def to_count(view: nx.Graph, communities: Communities, n: int, seed: int) -> Communities:
    """Exactly `n` groups (as far as the modules allow): split the largest, or merge."""
    n = max(1, min(n, view.number_of_nodes()))
    communities = [set(c) for c in communities]
    while len(communities) < n:
        largest = max(communities, key=lambda c: (len(c), sorted(c)))
        parts = nx.community.louvain_communities(part_of(view, largest), weight="weight", seed=seed)
        if len(parts) < 2:
            ordered = sorted(largest)
            parts = [set(ordered[: len(ordered) // 2]), set(ordered[len(ordered) // 2 :])]
        communities.remove(largest)
        biggest = max(parts, key=lambda c: (len(c), sorted(c)))
        communities += [biggest, set().union(*(p for p in parts if p is not biggest))]
    cap = max(max(len(c) for c in communities), -(-3 * view.number_of_nodes() // (2 * n)))
    while len(communities) > n:
        communities = _merge_closest(view, communities, cap)
    return communities


def _merge_closest(view: nx.Graph, communities: Communities, cap: int) -> Communities:
    """Merge the two groups most coupled per pair of their modules (average linkage).

    A merge may not make a group larger than `cap`: otherwise every small group coupled
    only to a big core (plugins, say) would be swallowed by it and one service would hold
    most of the code. Without an allowed coupled pair, the two smallest groups merge.
    """
    quotient = _quotient(view, communities)
    best: tuple[float, int, int] | None = None
    for i, j, data in quotient.edges(data=True):
        if len(communities[i]) + len(communities[j]) > cap:
            continue
        score = data["weight"] / (len(communities[i]) * len(communities[j]))
        candidate = (score, -max(i, j), -min(i, j))
        if best is None or candidate > best:
            best = candidate
    if best is None:
        order = sorted(
            range(len(communities)), key=lambda k: (len(communities[k]), sorted(communities[k]))
        )
        pair = {order[0], order[1]}
    else:
        pair = {-best[1], -best[2]}
    merged = set().union(*(communities[k] for k in pair))
    return [c for k, c in enumerate(communities) if k not in pair] + [merged]
