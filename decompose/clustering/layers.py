"""Horizontal layers sliced into the domains they serve.

An `api/`, `views/` or `services/` package with one module per domain is not a domain
itself: each of its pieces belongs with the domain it depends on. A package counts as
such a layer when its pieces lean on different domains, are not tied to each other,
and use the domains rather than being used by them.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Iterator, Mapping

import networkx as nx

from decompose.clustering.structure import (
    DOMINANT_SHARE,
    coupling,
    dominant,
    leans_on,
    outgoing,
    pieces,
)

# A group owns data when modules defining tables hold this share of its lines.
_DATA_SHARE = 0.05


def slice_layers(
    view: nx.Graph, groups: Mapping[str, set[str]], fixed: Collection[str] = frozenset()
) -> tuple[dict[str, str], set[str]]:
    """Assign modules to groups, slicing horizontal layers into the domains they serve.

    Layers often stack (views on commands on data access on models): a layer is
    recognised once the layer below it has been sliced, so slicing runs in rounds
    from the bottom up until no group is left that looks like a layer.

    Args:
        view: The undirected clustering view.
        groups: Group name (a package, or a unit) -> its modules.
        fixed: Groups that are domains by construction, never layers.

    Returns:
        module -> group name, and the modules left to the shared kernel (wiring that
        serves every domain alike, such as a layer's `__init__` registering them all).
    """
    owner = {m: group for group, members in groups.items() for m in members}
    owning = {g for g, members in groups.items() if _owns_data(view, members)}
    candidates = {g for g, members in groups.items() if g not in fixed and len(members) > 2}
    residues: list[set[str]] = []
    while True:
        domains = _data_owners(owner, owning)
        layers = [g for g in sorted(candidates) if _is_layer(view, g, groups[g], owner, domains)]
        if not layers:
            break
        candidates -= set(layers)
        hidden = {m for layer in layers for m in groups[layer]}
        for layer in layers:
            residues.append(_slice(view, layer, groups[layer], _Hiding(domains, hidden), owner))
    shared: set[str] = set()
    for residue in residues:  # judged once every layer is sliced
        others = {m: g for m, g in owner.items() if m not in residue}
        if residue and all(_is_wiring(view, m, others) for m in residue):
            shared |= residue
    return owner, shared


def _slice(
    view: nx.Graph,
    layer: str,
    members: set[str],
    domain_owner: Mapping[str, str],
    owner: dict[str, str],
) -> set[str]:
    """Move each piece of `layer` to the domain it leans on; return the pieces left."""
    residue: set[str] = set()
    for piece, modules in sorted(_layer_pieces(view, layer, members, domain_owner).items()):
        if piece == layer:  # the layer's own __init__ registers its children: wiring?
            residue |= modules
            continue
        best = leans_on(outgoing(view, modules, domain_owner), piece)
        if best is not None:
            for module in modules:
                owner[module] = best
        else:
            residue |= modules
    return residue


def _is_layer(
    view: nx.Graph,
    unit: str,
    members: set[str],
    owner: Mapping[str, str],
    domains: Mapping[str, str],
) -> bool:
    """Whether a package is a horizontal layer over the domains.

    Its children each lean on a different domain (of `domains`) more than on each
    other; it owns no data; and it uses the domains rather than being used by them
    (direction matters: a domain's models are used from everywhere, a layer's views
    from nowhere).
    """
    if _owns_data(view, members):
        return False
    domains = _Hiding(domains, members)
    uses, used_by = _flows(view, members, domains)
    if used_by > 0.5 * uses:
        return False
    inside = outside = 0.0
    for piece, piece_members in sorted(pieces(unit, members).items()):
        if piece == unit:
            continue  # the layer's own __init__ registers its children: not cohesion
        for module in sorted(piece_members):
            for neighbour, data in view[module].items():
                if neighbour in piece_members or neighbour == unit:
                    continue
                if neighbour in members:
                    inside += data["weight"]
                elif neighbour in owner:
                    outside += data["weight"]
    leaning: dict[str, str] = {}
    children = {p: ms for p, ms in _layer_pieces(view, unit, members, domains).items() if p != unit}
    for piece, piece_members in children.items():
        best = leans_on(outgoing(view, piece_members, domains), piece)
        if best is not None:
            leaning[piece] = best
    distinct = set(leaning.values())
    return len(distinct) >= 2 and len(leaning) >= 0.5 * len(children) and outside > 2 * inside


class _Hiding(Mapping[str, str]):
    """A module -> group mapping with some modules hidden (those being sliced)."""

    def __init__(self, base: Mapping[str, str], hidden: Collection[str]) -> None:
        self._base, self._hidden = base, hidden

    def __getitem__(self, module: str) -> str:
        if module in self._hidden:
            raise KeyError(module)
        return self._base[module]

    def __contains__(self, module: object) -> bool:
        return module not in self._hidden and module in self._base

    def __iter__(self) -> Iterator[str]:
        return (m for m in self._base if m not in self._hidden)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _data_owners(owner: Mapping[str, str], owning: Collection[str]) -> dict[str, str]:
    """The modules of the groups that own data: the domains layers are sliced into.

    Without data ownership to go by (fewer than two groups own data), every group.
    """
    if len(owning) < 2:
        return dict(owner)
    return {m: g for m, g in owner.items() if g in owning}


def _owns_data(view: nx.Graph, members: Iterable[str]) -> bool:
    """Whether modules defining tables are a real part of a group's code.

    Not a stray model in a utility or API package.
    """
    members = list(members)
    size = {m: max(int(view.nodes[m]["loc"]), 1) for m in members}
    tables = sum(size[m] for m in members if view.nodes[m].get("tables"))
    return tables > 0 and tables >= _DATA_SHARE * sum(size.values())


def _layer_pieces(
    view: nx.Graph, unit: str, members: set[str], owner: Mapping[str, str]
) -> dict[str, set[str]]:
    """The pieces a layer is sliced into: its children, or their children.

    A child package that leans on no one domain while its own children lean on
    different ones is opened (`control/views/orders.py`, `control/views/items.py`).
    """
    out: dict[str, set[str]] = {}
    for piece, modules in pieces(unit, members).items():
        if piece != unit and len(modules) > 2 and _splits(view, piece, modules, owner):
            out |= _layer_pieces(view, piece, modules, owner)
        else:
            out[piece] = modules
    return out


def _splits(view: nx.Graph, package: str, members: set[str], owner: Mapping[str, str]) -> bool:
    """A package that leans on no one domain while its children lean on different ones."""
    if leans_on(outgoing(view, members, owner), package) is not None:
        return False
    found = set()
    for piece, modules in pieces(package, members).items():
        if piece != package:
            best = leans_on(outgoing(view, modules, owner), piece)
            if best is not None:
                found.add(best)
    return len(found) >= 2


def _flows(view: nx.Graph, members: set[str], users: Container[str]) -> tuple[float, float]:
    """Dependency weight from `members` to the rest, and from `users` to `members`."""
    uses = used_by = 0.0
    for module in members:
        for neighbour, data in view[module].items():
            if neighbour not in members:
                flow = data.get("flow", {})
                uses += flow.get(module, 0.0)
                used_by += flow.get(neighbour, 0.0) if neighbour in users else 0.0
    return uses, used_by


def _is_wiring(view: nx.Graph, module: str, owner: Mapping[str, str]) -> bool:
    """An edge-less module, or one coupled to several groups alike: it wires, owns nothing."""
    totals = coupling(view, [module], owner)
    return not totals or (len(totals) >= 2 and dominant(totals)[1] < DOMINANT_SHARE)
