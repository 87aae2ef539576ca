"""The default algorithm: the package prior, layer slicing, then modularity where needed."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from decompose.clustering.base import Clustering, Communities, register
from decompose.clustering.entities import absorb_lone_seeds, regroup, split_entities
from decompose.clustering.layers import slice_layers
from decompose.clustering.structure import (
    Units,
    attach_orphans,
    coupling,
    dominant,
    group_units,
)
from decompose.config import Settings

# Below this share of modules in real groups, the packages say nothing about domains.
_FLAT_SHARE = 0.5


@register
class DecomposeClusterer:
    """Packages as domains, horizontal layers sliced by dependency, modularity as fallback.

    1. Units: the packages at the level where the code splits into domains.
    2. Entities: a unit holding several domains' models is opened and cut around them.
    3. Layers: a package whose children each lean on a different domain (an `api/`
       beside the domains) is sliced, each child joining the domain it leans on;
       stacked layers are sliced bottom-up.
    4. Orphans: loose modules join the group they are most coupled to.
    5. Flat code (mostly loose modules, no domain packages): Louvain on the modules.
    6. `--services N` or `--resolution R`: merge (or split) groups by modularity.
    """

    name = "decompose"

    def cluster(self, view: nx.Graph, settings: Settings) -> Clustering:
        """Communities over `view`'s modules and the wiring modules left to the kernel."""
        loc = {m: int(view.nodes[m].get("loc", 0)) for m in view}
        units = group_units(view.nodes, loc, [m for m in view if view.nodes[m].get("namespace")])
        wiring: set[str] = set()
        if _is_flat(units, view):
            communities = _absorb_singletons(view, _louvain(view, settings, 1.0))
            wiring = {m for c in communities if len(c) == 1 for m in c if view.degree(m) == 0}
            communities = [c for c in communities if not c <= wiring]
            view = view.subgraph(sorted(set(view) - wiring))
        else:
            groups = split_entities(view, units.members)
            owner, wiring = slice_layers(view, groups.members, groups.fixed)
            owner = attach_orphans(view, owner, units, groups.members, wiring, groups.fixed)
            absorb_lone_seeds(view, owner, groups.fixed)
            regroup(owner, groups.opened)
            communities = _communities(owner)
            view = view.subgraph(sorted(owner))  # the wiring modules are no one's
        if settings.services is not None:
            communities = _to_count(view, communities, settings.services, settings.seed)
        elif settings.resolution is not None:
            communities = _merge(view, communities, settings.resolution, settings.seed)
        return Clustering(communities, frozenset(wiring))


def _communities(owner: dict[str, str]) -> Communities:
    groups: dict[str, set[str]] = defaultdict(set)
    for module, group in owner.items():
        groups[group].add(module)
    return list(groups.values())


def _is_flat(units: Units, view: nx.Graph) -> bool:
    """Most modules are loose files, each its own unit: packages say nothing about domains."""
    alone = sum(
        1
        for members in units.members.values()
        if len(members) == 1
        for m in members
        if not view.nodes[m].get("is_package", False)
    )
    modules: int = view.number_of_nodes()
    return modules > 6 and alone > _FLAT_SHARE * modules


def _louvain(view: nx.Graph, settings: Settings, resolution: float) -> Communities:
    found = nx.community.louvain_communities(
        view, weight="weight", resolution=resolution, seed=settings.seed
    )
    return [set(c) for c in found]


def _absorb_singletons(view: nx.Graph, communities: Communities) -> Communities:
    """A module alone in its community joins the neighbouring community it leans on."""
    owner = {m: i for i, c in enumerate(communities) for m in c}
    for module in sorted(m for c in communities if len(c) == 1 for m in c):
        best, _ = dominant(coupling(view, [module], {m: str(i) for m, i in owner.items()}))
        if best is not None:
            owner[module] = int(best)
    grouped: dict[int, set[str]] = defaultdict(set)
    for module, index in owner.items():
        grouped[index].add(module)
    return list(grouped.values())


def _quotient(view: nx.Graph, communities: Communities) -> nx.Graph:
    index = {m: i for i, c in enumerate(communities) for m in c}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(communities)))
    for a, b, data in view.edges(data=True):
        i, j = index[a], index[b]
        if i != j:
            previous = quotient.get_edge_data(i, j, {"weight": 0.0})["weight"]
            quotient.add_edge(i, j, weight=previous + data["weight"])
    return quotient


def _merge(view: nx.Graph, communities: Communities, resolution: float, seed: int) -> Communities:
    """Merge groups that modularity at `resolution` says belong together."""
    quotient = _quotient(view, communities)
    merged = nx.community.louvain_communities(
        quotient, weight="weight", resolution=resolution, seed=seed
    )
    return [set().union(*(communities[i] for i in group)) for group in merged]


def _to_count(view: nx.Graph, communities: Communities, n: int, seed: int) -> Communities:
    """Exactly `n` groups (as far as the modules allow): split the largest, or merge."""
    n = max(1, min(n, view.number_of_nodes()))
    communities = [set(c) for c in communities]
    while len(communities) < n:
        largest = max(communities, key=lambda c: (len(c), sorted(c)))
        parts = nx.community.louvain_communities(view.subgraph(largest), weight="weight", seed=seed)
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
