"""The package hierarchy as a prior: domain units, coupling between groups, orphans attached.

Developers already group code by domain in packages; what they get wrong for services is
horizontal layers (`api/orders.py` beside `orders/`) and loose modules. So the units of a
decomposition start as the packages at the level where the code splits into domains, and
dependency structure decides only what the packages do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

# A child package holding this share of the code is a wrapper, not a domain split.
_WRAPPER_SHARE = 0.9
# A piece of a layer goes to a domain that gets at least this share of its coupling.
DOMINANT_SHARE = 0.4
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


def coupling(
    view: nx.Graph, modules: Iterable[str], owner: Mapping[str, str], *, uses_only: bool = False
) -> dict[str, float]:
    """Edge weight from `modules` to each group, by the `owner` of the other end.

    With `uses_only`, only the weight of `modules`' own dependencies counts: what they
    use, not what uses them.
    """
    modules = set(modules)
    totals: dict[str, float] = defaultdict(float)
    for module in modules:
        for neighbour, data in view[module].items():
            if neighbour not in modules and neighbour in owner:
                weight = data.get("flow", {}).get(module, 0.0) if uses_only else data["weight"]
                if weight:
                    totals[owner[neighbour]] += weight
    return dict(totals)


def outgoing(view: nx.Graph, modules: Iterable[str], owner: Mapping[str, str]) -> dict[str, float]:
    """Dependency weight from `modules` on each group: what they use, not what uses them."""
    return coupling(view, modules, owner, uses_only=True)


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


def leans_on(totals: Mapping[str, float], name: str = "") -> str | None:
    """The group `totals` lean on, if it gets a dominant share of them."""
    best, share = dominant(totals, name)
    return best if share >= DOMINANT_SHARE else None


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


def attach_orphans(
    view: nx.Graph,
    owner: dict[str, str],
    units: Units,
    groups: Mapping[str, set[str]],
    shared: set[str],
    fixed: Collection[str] = frozenset(),
) -> dict[str, str]:
    """Loose modules (groups of one module) join the group they are most coupled to.

    Groups in `fixed` (a models module and what followed it) are domains, never orphans.

    A loose module coupled to several groups alike (an app factory wiring all the
    blueprints), or to no group at all (`wsgi.py`, `__main__.py`, settings), is wiring:
    it joins the shared kernel.
    """
    current: dict[str, set[str]] = defaultdict(set)
    for module, group in owner.items():
        current[group].add(module)
    parents = {m.rpartition(".")[0] for m in view}
    for group, members in sorted(groups.items()):
        if group in fixed or len(members) != 1 or len(current.get(group, ())) != 1:
            continue
        (module,) = members
        if module == units.prefix or module in units.containers:
            shared.add(module)  # a top or namespace package's own __init__: wiring by nature
            continue
        if view.nodes[module].get("is_package") and module not in parents:
            continue  # a package on its own is a unit in its own right, not an orphan
        multi = {g for g, ms in current.items() if len(ms) > 1}
        totals = coupling(view, [module], {m: g for m, g in owner.items() if g in multi})
        best, share = dominant(totals, module)
        if best is None:  # coupled to no real group: an entry point, settings, a script
            shared.add(module)
            continue
        if share >= 0.5:
            owner[module] = best
            current[best].add(module)
            current[group].discard(module)
        elif len(totals) >= 3:
            shared.add(module)
    for module in shared:
        owner.pop(module, None)
    return owner
