"""What the clustering reads off the module graph: tables, apps, and the coupling view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from decompose.clustering.signals import part_of
from decompose.clustering.tree import Tree


@dataclass(frozen=True)
class Relation:
    """A relation between two concrete models, both given as (module, class)."""

    source: tuple[str, str]
    target: tuple[str, str]
    kind: str


@dataclass(frozen=True)
class ProjectFacts:
    """The facts the steps need, gathered once from the module graph.

    `view` is the undirected coupling view (`signals.undirected_view`): edges carry
    `weight`, and `flow` {module: weight of its dependencies on the other end}.
    `symbols` holds, for each dependency, the names used ({(source, target): {name: n}}).
    `neighbours` is the view's adjacency as plain dicts ({module: {neighbour: edge data}}):
    the steps walk it for every module, and networkx's views of it cost more than the walk.
    """

    tree: Tree
    view: nx.Graph
    tables: dict[str, tuple[str, ...]]  # module -> concrete model classes it defines
    relations: tuple[Relation, ...]
    apps: frozenset[str]  # packages that declare a framework app
    symbols: dict[tuple[str, str], dict[str, int]]
    # module -> the top-level names of the third-party libraries it imports
    libraries: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def neighbours(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The view's adjacency as plain dicts: {module: {neighbour: edge data}}."""
        return dict(self.view.adjacency())

    @classmethod
    def of(cls, graph: nx.DiGraph, view: nx.Graph, modules: set[str] | None = None) -> ProjectFacts:
        """Facts of `graph`'s modules (or of `modules` among them), over `view`."""
        chosen = set(graph) if modules is None else modules
        loc = {m: int(graph.nodes[m]["loc"]) for m in chosen}
        packages = {m for m in chosen if graph.nodes[m].get("is_package")}
        tables: dict[str, list[str]] = defaultdict(list)
        for (module, name), ref in sorted(graph.graph.get("models", {}).items()):
            if module in chosen and not ref.abstract:
                tables[module].append(name)
        relations = tuple(
            Relation((r.source.module, r.source.name), (r.target.module, r.target.name), r.kind)
            for r in graph.graph.get("relations", ())
            if r.source.module in chosen and r.target.module in chosen and not r.target.abstract
        )
        apps = {
            module if module in packages else module.rpartition(".")[0]
            for module in graph.graph.get("apps", ())
            if module in chosen
        }
        symbols = {
            (a, b): dict(data.get("symbols", {}))
            for a, b, data in graph.edges(data=True)
            if a in chosen and b in chosen and data.get("symbols")
        }
        return cls(
            tree=Tree.of(loc, packages, {m for m in packages if graph.nodes[m].get("namespace")}),
            view=part_of(view, chosen).copy() if len(chosen) < len(view) else view,
            tables={m: tuple(names) for m, names in tables.items()},
            relations=relations,
            apps=frozenset(a for a in apps if a),
            symbols=symbols,
            libraries={
                m: tuple(graph.nodes[m]["third_party"])
                for m in chosen
                if graph.nodes[m].get("third_party")
            },
        )
