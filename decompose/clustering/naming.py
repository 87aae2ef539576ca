"""Service names from the code: the dominant domain term of each group, unique identifiers."""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from decompose.clustering.structure import Units

# Package names that say where code sits, not what it is about.
_GENERIC = {
    "api", "apis", "app", "apps", "core", "common", "views", "model", "models", "services",
    "service", "utils", "util", "helpers", "lib", "src", "main", "base", "web", "http", "rest",
    "graphql", "handlers", "controllers", "schemas", "serializers", "forms", "admin", "tasks",
    "signals", "urls", "internal", "impl", "__init__", "init", "misc", "shared", "modules",
    "pkg",
}  # fmt: skip


# A group is "mostly one package" when that package holds this share of its lines.
_MAIN_UNIT_SHARE = 0.6


def identifier(text: str) -> str:
    """A lowercase Python identifier from any text (`Order-Items` -> `order_items`)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "service"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"svc_{name}"
    return name


def _terms(module: str, units: Units) -> list[str]:
    """Candidate terms for a module, most specific domain term first."""
    unit = units.unit_of(module)
    rest = module[len(unit) + 1 :].split(".") if module.startswith(unit + ".") else []
    parts = [unit.rpartition(".")[2], *rest]
    return [p for p in parts if p.lower() not in _GENERIC] or parts


def name_services(
    communities: Iterable[set[str]],
    loc: Mapping[str, int],
    units: Units,
) -> list[str]:
    """One unique name per community, in the order given.

    A group that is mostly one package takes that package's
    name, generic or not (`api`, `control`). Others take the domain term that covers most
    of their code (by lines). Clashes get the next best term, then a number.
    """
    taken: set[str] = set()
    names = []
    for community in communities:
        ranked = _main_unit(community, loc, units)
        votes: dict[str, float] = {}
        for module in sorted(community):
            for depth, term in enumerate(_terms(module, units)[:2]):
                key = identifier(term)
                votes[key] = votes.get(key, 0.0) + max(loc.get(module, 0), 1) / (1 + 3 * depth)
        ranked += [t for t, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))]
        name = next((t for t in ranked if t not in taken), None)
        if name is None:
            base, number = ranked[0] if ranked else "service", 2
            while f"{base}_{number}" in taken:
                number += 1
            name = f"{base}_{number}"
        taken.add(name)
        names.append(name)
    return names


def _main_unit(community: set[str], loc: Mapping[str, int], units: Units) -> list[str]:
    """The package holding most of the community's code, if that is most of both."""
    by_unit: Counter[str] = Counter()
    for module in community:
        by_unit[units.unit_of(module)] += max(loc.get(module, 0), 1)
    unit, size = min(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))
    if size < _MAIN_UNIT_SHARE * sum(by_unit.values()) or unit == units.prefix:
        return []
    inside = sum(1 for m in community if units.unit_of(m) == unit)
    if inside < 0.5 * len(units.members.get(unit, ())):
        return []  # a slice of a package cut by domain is not the package
    return [identifier(unit.rpartition(".")[2])]
