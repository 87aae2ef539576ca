"""Names a module imports without defining them: where each re-exported name comes from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from decompose.graph.index import ModuleIndex
from decompose.model import DependencyKind, ImportFact, ModuleFacts


class Reexports:
    """The names each module imports from other project modules without defining them."""

    _MAX_HOPS = 8

    def __init__(
        self,
        facts: Iterable[ModuleFacts],
        index: ModuleIndex,
        definitions: Mapping[str, set[str]],
    ) -> None:
        self._definitions = definitions
        self._names: dict[str, dict[str, tuple[str, str]]] = {}
        self._stars: dict[str, list[str]] = {}
        self._submodules: dict[tuple[str, str], str] = {}  # names bound to modules
        for module in facts:
            for fact in module.imports:
                plain = not fact.names and not fact.star
                if (plain and not fact.alias and "." in fact.target) or not _binds_at_import(fact):
                    continue  # `import a.b` binds `a`, not the module it names
                origin = index.resolve(fact.target)
                if origin is None or origin != index.canonical(fact.target):
                    continue
                if plain:  # `import pkg.sub as sub`
                    self._submodules[module.module, fact.alias or fact.target] = origin
                    continue
                if fact.star:
                    self._stars.setdefault(module.module, []).append(origin)
                    continue
                for name in fact.names:
                    bound = name.alias or name.name
                    submodule = index.canonical(f"{fact.target}.{name.name}")
                    if submodule in index.modules:
                        self._submodules[module.module, bound] = submodule
                    else:
                        self._names.setdefault(module.module, {})[bound] = (origin, name.name)

    def moves(self, module: str, symbols: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Those of `symbols` that `module` only re-exports: symbol -> (definer, its name)."""
        names, stars = self._names.get(module), self._stars.get(module)
        if not names and not stars:
            return {}
        defined = self._definitions.get(module, ())
        found: dict[str, tuple[str | None, str]] = {}
        for symbol in symbols:
            if symbol in defined or not (
                (names and symbol in names) or (stars and not symbol.startswith("_"))
            ):
                continue
            origin = self.origin(module, symbol)
            if origin[0] != module:
                found[symbol] = origin
        return found

    def origin(self, module: str | None, name: str) -> tuple[str | None, str]:
        """The module that defines `name` as imported from `module`, and its name there."""
        if module is None:
            return module, name
        seen: set[tuple[str, str]] = set()
        while (module, name) not in seen and len(seen) < self._MAX_HOPS:
            seen.add((module, name))
            if name in self._definitions.get(module, ()):
                break
            found = self._names.get(module, {}).get(name) or self._star_origin(module, name)
            if found is None:
                break
            module, name = found
        return module, name

    def submodule(self, module: str, name: str) -> str | None:
        """The module `name` is bound to in `module` (`from pkg import sub`, `import x as y`)."""
        return self._submodules.get((module, name))

    def _star_origin(self, module: str, name: str) -> tuple[str, str] | None:
        if name.startswith("_"):  # `import *` leaves private names out
            return None
        for origin in self._stars.get(module, ()):
            if name in self._definitions.get(origin, ()) or name in self._names.get(origin, {}):
                return origin, name
        return None


_BINDING_KINDS = frozenset({DependencyKind.IMPORT.value, DependencyKind.OPTIONAL.value})


def reexports_of(graph: nx.DiGraph) -> Reexports:
    """The re-exports of a graph's modules: kept by `build_graph`, else built from the facts."""
    found = graph.graph.get("reexports")
    if isinstance(found, Reexports):
        return found
    facts = [f for _, f in graph.nodes(data="facts") if isinstance(f, ModuleFacts)]
    index = ModuleIndex(frozenset(graph.nodes), dict(graph.graph.get("aliases", {})))
    definitions = {f.module: {d.name for d in f.definitions} for f in facts}
    graph.graph["reexports"] = exports = Reexports(facts, index, definitions)
    return exports


def _binds_at_import(fact: ImportFact) -> bool:
    """A top-level import (plain or guarded by try/except), so the module re-exports it."""
    return bool(fact.kinds) and _BINDING_KINDS.issuperset(fact.kinds)
