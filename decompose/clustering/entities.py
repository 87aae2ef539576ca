"""Packages that hold the tables of several domains, cut around their models.

Many monoliths keep every domain's models side by side in one core package
(`pretix/base/models/orders.py`, `items.py`, `vouchers.py` ...) with services, forms and
views in sibling packages. As one unit such a package would become a service owning
every table. Instead the package is opened: its subpackages become groups of their own
(candidates for layer slicing), and the package that holds the models is cut so that
each models module seeds a group, with the package's other modules following the seed
they depend on most. Once layers are sliced, what is left of the opened package goes
back together (`regroup`), and a seed nothing joined merges into its closest seed
(`absorb_lone_seeds`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
    """Groups of modules after opening multi-domain packages."""

    members: dict[str, set[str]]
    fixed: set[str]  # cut around models (seeds and what followed): domains, never layers
    opened: dict[str, str]  # any other group cut out of an opened unit -> that unit

    def add(self, group: str, modules: set[str], unit: str, *, fixed: bool = False) -> None:
        """Add `modules` to `group`, which came out of `unit`."""
        self.members.setdefault(group, set()).update(modules)
        if fixed:
            self.fixed.add(group)
        elif group != unit:
            self.opened[group] = unit


def split_entities(view: nx.Graph, members: Mapping[str, set[str]]) -> EntityGroups:
    """Each unit whole, or opened and cut around its models if it holds several domains.

    Args:
        view: The undirected clustering view (nodes carry `tables`, edges `flow`).
        members: Unit name -> its modules.
    """
    found = EntityGroups({}, set(), {})
    for unit, modules in sorted(members.items()):
        _open(view, unit, set(modules), unit, found)
    return found


def _open(view: nx.Graph, package: str, modules: set[str], unit: str, found: EntityGroups) -> None:
    seeds = sorted(m for m in modules if view.nodes[m].get("tables"))
    if len(seeds) < _MIN_ENTITIES:
        found.add(package, modules, unit)
        return
    children = pieces(package, modules)
    if any(len(children[_piece_of(package, seed)]) > 1 for seed in seeds):
        # The models are deeper: each subpackage is opened in turn; the package's own
        # modules (`forms.py`, `tasks.py` beside `models/`) stay together under its name.
        own: set[str] = set()
        for child, child_modules in sorted(children.items()):
            if child != package and len(child_modules) > 1:
                _open(view, child, child_modules, unit, found)
            else:
                own |= child_modules
        if own:
            found.add(package, own, unit)
        return
    owner = _follow(view.subgraph(modules), {seed: seed for seed in seeds})
    for module in sorted(modules):
        found.add(owner.get(module, package), {module}, unit, fixed=True)


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


def absorb_lone_seeds(view: nx.Graph, owner: dict[str, str], fixed: Collection[str]) -> None:
    """Merge each models module that no other module joined into its closest seed, in place.

    Nothing in the project works with its models alone, so they are part of a larger
    aggregate (a label or a comment on a translation unit), not a domain of their own.
    """
    seeded: dict[str, str] = {}  # modules of seed groups (a fixed group defining tables)
    seeds = {g for m, g in owner.items() if g in fixed and view.nodes[m].get("tables")}
    members: dict[str, set[str]] = {}
    for module, group in owner.items():
        if group in seeds:
            seeded[module] = group
            members.setdefault(group, set()).add(module)
    for seed in sorted(seeds):
        if len(members[seed]) != 1:
            continue
        (module,) = members[seed]
        best, _ = dominant(coupling(view, [module], {m: g for m, g in seeded.items() if g != seed}))
        if best is not None:
            owner[module] = seeded[module] = best
            members[best].add(module)
            members[seed] = set()


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
