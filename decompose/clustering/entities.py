"""Packages that hold the tables of several domains, cut around their models.

Many monoliths keep every domain's models side by side in one core package
(`pretix/base/models/orders.py`, `items.py`, `vouchers.py` ...) with services, forms and
views in sibling packages. As one unit such a package would become a service owning
every table. Instead the package is opened: its subpackages become groups of their own
(candidates for layer slicing), and the package that holds the models is cut so that
each models module seeds a group, with the package's other modules following the seed
they depend on most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from decompose.clustering.structure import coupling, dominant, outgoing, pieces

# A package defining tables in this many modules holds several domains.
_MIN_ENTITIES = 3
# A module follows a seed that gets at least this share of its dependencies on seeds.
_FOLLOW_SHARE = 0.5
# Rounds of following: each round reaches one step further from the models.
_MAX_ROUNDS = 8


@dataclass(frozen=True)
class EntityGroups:
    """Groups of modules after opening multi-domain packages.

    `fixed` names the groups cut around models (seeds and what followed them): they are
    domains, never layers to slice.
    """

    members: dict[str, set[str]]
    fixed: frozenset[str]
    opened: dict[str, str]  # a group cut out of an opened unit -> that unit


def split_entities(view: nx.Graph, members: Mapping[str, set[str]]) -> EntityGroups:
    """Each unit whole, or opened and cut around its models if it holds several domains.

    Args:
        view: The undirected clustering view (nodes carry `tables`, edges `flow`).
        members: Unit name -> its modules.
    """
    groups: dict[str, set[str]] = {}
    fixed: set[str] = set()
    opened: dict[str, str] = {}
    for unit, modules in sorted(members.items()):
        _open(view, unit, set(modules), groups, fixed)
        for group in groups:
            if group not in members and group not in fixed and group not in opened:
                opened[group] = unit
    return EntityGroups(groups, frozenset(fixed), opened)


def _open(
    view: nx.Graph, package: str, modules: set[str], groups: dict[str, set[str]], fixed: set[str]
) -> None:
    seeds = sorted(m for m in modules if view.nodes[m].get("tables"))
    if len(seeds) < _MIN_ENTITIES:
        groups[package] = modules
        return
    children = pieces(package, modules)
    if any(len(children[_piece_of(package, seed)]) > 1 for seed in seeds):
        # The models are deeper: each subpackage is opened in turn; the package's own
        # modules (`forms.py`, `tasks.py` beside `models/`) stay together under its name.
        own: set[str] = set()
        for child, child_modules in sorted(children.items()):
            if child != package and len(child_modules) > 1:
                _open(view, child, child_modules, groups, fixed)
            else:
                own |= child_modules
        if own:
            groups[package] = own
        return
    owner = _follow(view.subgraph(modules), {seed: seed for seed in seeds})
    for module in sorted(modules):
        group = owner.get(module, package)
        groups.setdefault(group, set()).add(module)
        fixed.add(group)


def _piece_of(package: str, module: str) -> str:
    depth = package.count(".") + 1
    parts = module.split(".")
    return ".".join(parts[: depth + 1]) if len(parts) > depth else package


def regroup(owner: dict[str, str], opened: Mapping[str, str]) -> None:
    """Put what is left of an opened unit outside its domains back together, in place.

    The unit was opened to find the domains in it; its other packages (`lib`, `cli`,
    `config`, a layer's leftovers) are still one platform core, not a service each.
    """
    for module, group in owner.items():
        if group in opened:
            owner[module] = opened[group]


def absorb_lone_seeds(view: nx.Graph, owner: dict[str, str], fixed: frozenset[str]) -> None:
    """Merge each models module that no other module joined into its closest seed, in place.

    Nothing in the project works with its models alone, so they are part of a larger
    aggregate (a label or a comment on a translation unit), not a domain of their own.
    """
    sizes = Counter(owner.values())
    seeds = {g for m, g in owner.items() if g in fixed and view.nodes[m].get("tables")}
    seeded = {m: g for m, g in owner.items() if g in seeds}
    for seed in sorted(g for g in seeds if sizes[g] == 1):
        if sizes[seed] != 1:
            continue  # another lone seed joined it meanwhile
        (module,) = [m for m, g in seeded.items() if g == seed]
        best, _ = dominant(coupling(view, [module], {m: g for m, g in seeded.items() if g != seed}))
        if best is not None:
            owner[module] = seeded[module] = best
            sizes[best] += 1
            sizes[seed] = 0


def _follow(view: nx.Graph, owner: dict[str, str]) -> dict[str, str]:
    """Assign modules to the seed they depend on, in rounds outward from the seeds.

    A round decides on what the previous rounds decided, so the result does not depend
    on the order modules are visited in.
    """
    for _ in range(_MAX_ROUNDS):
        decided: dict[str, str] = {}
        for module in sorted(set(view) - set(owner)):
            best, share = dominant(outgoing(view, [module], owner))
            if best is not None and share >= _FOLLOW_SHARE:
                decided[module] = best
        if not decided:
            break
        owner |= decided
    return owner
