"""The package hierarchy as a prior: domain units, horizontal layers sliced, orphans attached.

Developers already group code by domain in packages; what they get wrong for services is
horizontal layers (`api/orders.py` beside `orders/`) and loose modules. So the units of a
decomposition start as the packages at the level where the code splits into domains, and
dependency structure decides only what the packages do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

# A child package holding this share of the code is a wrapper, not a domain split.
_WRAPPER_SHARE = 0.9
# A piece of a layer goes to a domain that gets at least this share of its coupling.
_DOMINANT_SHARE = 0.4
# Names echoing a domain (`api/orders.py` for `orders/`) break near-ties, never decide alone.
_NAME_BONUS = 1.5


@dataclass(frozen=True)
class Units:
    """Modules grouped by the package at the domain level.

    Namespace packages at that level (`ckanext/`, a `plugins/` using `extend_path`) are
    containers of independent packages: their children are the units.
    """

    prefix: str  # the package the domains live in ("" for several top-level packages)
    members: dict[str, set[str]]  # unit name -> modules
    containers: frozenset[str] = frozenset()

    def unit_of(self, module: str) -> str:
        """The unit a module belongs to."""
        return _contained_unit(unit_name(self.prefix, module), module, self.containers)


def _contained_unit(unit: str, module: str, containers: frozenset[str]) -> str:
    while unit in containers and module.startswith(unit + "."):
        unit = (
            module[: module.index(".", len(unit) + 1)] if "." in module[len(unit) + 1 :] else module
        )
    return unit


def unit_name(prefix: str, module: str) -> str:
    """`prefix.child` for a module under `prefix`, else its first component(s)."""
    depth = prefix.count(".") + 1 if prefix else 0
    parts = module.split(".")
    if prefix and not (module == prefix or module.startswith(prefix + ".")):
        return parts[0]
    return ".".join(parts[: depth + 1])


def domain_prefix(loc: Mapping[str, int]) -> str:
    """Descend through wrapper packages (`src/app/...`) to where the domains split."""
    prefix = ""
    while True:
        children: dict[str, int] = defaultdict(int)
        for module, size in loc.items():
            if prefix and not module.startswith(prefix + "."):
                continue
            children[unit_name(prefix, module)] += max(size, 1)
        total = sum(children.values())
        if not children or total == 0:
            return prefix
        top, top_size = max(sorted(children.items()), key=lambda item: item[1])
        has_children = any(m.startswith(top + ".") for m in loc)
        if (
            top_size / total < _WRAPPER_SHARE
            or not has_children
            or (len(children) == 1 and top == prefix)
        ):
            return prefix
        prefix = top


def group_units(
    modules: Iterable[str], loc: Mapping[str, int], namespaces: Iterable[str] = ()
) -> Units:
    """Group modules into units at the domain level of the package hierarchy.

    Args:
        modules: Every module name.
        loc: Lines of each module.
        namespaces: Packages whose `__init__` only declares a namespace (or is empty).
    """
    modules = sorted(modules)
    prefix = domain_prefix({m: loc.get(m, 0) for m in modules})
    containers = _containers(prefix, modules, set(namespaces))
    members: dict[str, set[str]] = defaultdict(set)
    for module in modules:
        members[_contained_unit(unit_name(prefix, module), module, containers)].add(module)
    return Units(prefix, dict(members), containers)


def _containers(prefix: str, modules: list[str], namespaces: set[str]) -> frozenset[str]:
    """Domain-level packages that are namespaces holding at least 3 subpackages."""
    present = set(modules)
    found: set[str] = set()
    frontier = {unit_name(prefix, m) for m in modules}
    while frontier:
        unit = frontier.pop()
        if unit != prefix and (unit in namespaces or unit not in present):
            inside = [m for m in modules if m.startswith(unit + ".")]
            children = {_contained_unit(unit, m, frozenset({unit})) for m in inside}
            packages = {
                c for c in children if any(m.startswith(c + ".") for m in inside) or c in namespaces
            }
            if len(packages) >= 3:
                found.add(unit)
                frontier |= children
    return frozenset(found)


def coupling(view: nx.Graph, modules: Iterable[str], owner: Mapping[str, str]) -> dict[str, float]:
    """Edge weight from `modules` to each group, by the `owner` of the other end."""
    modules = set(modules)
    totals: dict[str, float] = defaultdict(float)
    for module in modules:
        for neighbour, data in view[module].items():
            if neighbour not in modules and neighbour in owner:
                totals[owner[neighbour]] += data["weight"]
    return dict(totals)


def dominant(totals: Mapping[str, float], name: str = "") -> tuple[str | None, float]:
    """The group with the largest share of `totals` (a matching name counts extra)."""
    if not totals:
        return None, 0.0
    scored = {
        group: weight * (_NAME_BONUS if name and _same_term(name, group) else 1.0)
        for group, weight in totals.items()
    }
    best = max(sorted(scored), key=lambda g: scored[g])
    return best, scored[best] / sum(scored.values())


def _same_term(name: str, group: str) -> bool:
    a, b = name.rpartition(".")[2].lower(), group.rpartition(".")[2].lower()
    return a == b or a.rstrip("s") == b.rstrip("s")


def pieces(unit: str, modules: set[str]) -> dict[str, set[str]]:
    """A unit's immediate children: each submodule, or each subpackage with its descendants."""
    out: dict[str, set[str]] = defaultdict(set)
    depth = unit.count(".") + 1
    for module in modules:
        parts = module.split(".")
        out[".".join(parts[: depth + 1]) if len(parts) > depth else unit].add(module)
    return dict(out)


def slice_layers(view: nx.Graph, units: Units) -> tuple[dict[str, str], set[str]]:
    """Assign modules to groups, slicing horizontal layers into the domains they serve.

    Returns:
        module -> group name, and the modules left to the shared kernel (wiring that
        serves every domain alike, such as a layer's `__init__` registering them all).
    """
    owner = {m: unit for unit, members in units.members.items() for m in members}
    layers = [
        unit
        for unit, members in sorted(units.members.items())
        if len(members) > 2 and _is_layer(view, unit, members, owner)
    ]
    domains = {u for u in units.members if u not in layers}
    domain_owner = {m: u for m, u in owner.items() if u in domains}
    shared: set[str] = set()
    residues: list[set[str]] = []
    for layer in layers:
        residue: set[str] = set()
        for piece, members in sorted(pieces(layer, units.members[layer]).items()):
            if piece == layer:  # the layer's own __init__ registers its children: wiring?
                residue |= members
                continue
            best, share = dominant(coupling(view, members, domain_owner), piece)
            if best is not None and share >= _DOMINANT_SHARE:
                for module in members:
                    owner[module] = best
            else:
                residue |= members
        residues.append(residue)
    for residue in residues:  # judged once every layer is sliced
        others = {m: g for m, g in owner.items() if m not in residue}
        if residue and all(_is_wiring(view, m, others) for m in residue):
            shared |= residue
    return owner, shared


def _is_layer(view: nx.Graph, unit: str, members: set[str], owner: Mapping[str, str]) -> bool:
    """Whether a package is a horizontal layer over the domains.

    Its children each lean on a different domain more than on each other; it owns no
    tables; and it uses the domains rather than being used by them (direction matters:
    a domain's models are used from everywhere, a layer's views from nowhere).
    """
    if any(view.nodes[m].get("tables", 0) for m in members):
        return False
    uses, used_by = _flows(view, members)
    if used_by > 0.5 * uses:
        return False
    others = {m: u for m, u in owner.items() if u != unit}
    leaning: dict[str, str] = {}
    inside = outside = 0.0
    children = {p: ms for p, ms in pieces(unit, members).items() if p != unit}  # not __init__
    for piece, piece_members in children.items():
        totals = coupling(view, piece_members, others)
        inner = sum(
            d["weight"]
            for m in piece_members
            for n, d in view[m].items()
            if n in members and n not in piece_members
        )
        inside += inner
        outside += sum(totals.values())
        best, share = dominant(totals, piece)
        if best is not None and share >= _DOMINANT_SHARE:
            leaning[piece] = best
    distinct = set(leaning.values())
    return len(distinct) >= 2 and len(leaning) >= 0.5 * len(children) and outside > 2 * inside


def _flows(view: nx.Graph, members: set[str]) -> tuple[float, float]:
    """Dependency weight from `members` to the rest, and from the rest to `members`."""
    uses = used_by = 0.0
    for module in members:
        for neighbour, data in view[module].items():
            if neighbour not in members:
                flow = data.get("flow", {})
                uses += flow.get(module, 0.0)
                used_by += flow.get(neighbour, 0.0)
    return uses, used_by


def _is_wiring(view: nx.Graph, module: str, owner: Mapping[str, str]) -> bool:
    """An edge-less module, or one coupled to several groups alike: it wires, owns nothing."""
    totals = coupling(view, [module], owner)
    return not totals or (len(totals) >= 2 and dominant(totals)[1] < _DOMINANT_SHARE)


def attach_orphans(
    view: nx.Graph, owner: dict[str, str], units: Units, shared: set[str]
) -> dict[str, str]:
    """Loose modules (units of one module) join the group they are most coupled to.

    A loose module coupled to several groups alike (an app factory wiring all the
    blueprints), or to no group at all (`wsgi.py`, `__main__.py`, settings), is wiring:
    it joins the shared kernel.
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for module, group in owner.items():
        groups[group].add(module)
    for unit, members in sorted(units.members.items()):
        if len(members) != 1 or len(groups.get(unit, ())) != 1:
            continue
        (module,) = members
        if module == units.prefix or module in units.containers:
            shared.add(module)  # a top or namespace package's own __init__: wiring by nature
            continue
        if view.nodes[module].get("is_package"):
            continue  # a package on its own is a unit in its own right, not an orphan
        multi = {g for g, ms in groups.items() if len(ms) > 1}
        totals = coupling(view, [module], {m: g for m, g in owner.items() if g in multi})
        best, share = dominant(totals, module)
        if best is None:  # coupled to no real group: an entry point, settings, a script
            shared.add(module)
            continue
        if share >= 0.5:
            owner[module] = best
            groups[best].add(module)
            groups[unit].discard(module)
        elif len(totals) >= 3:
            shared.add(module)
    for module in shared:
        owner.pop(module, None)
    return owner
