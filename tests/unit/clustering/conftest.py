"""Small project facts built in the test: modules, dependencies, tables, declared apps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pytest

from decompose.clustering.facts import ProjectFacts, Relation
from decompose.clustering.tree import Tree

Edge = tuple[str, str, float]  # (user, used, weight)


def make_facts(
    modules: Iterable[str],
    edges: Iterable[Edge] = (),
    *,
    tables: Mapping[str, tuple[str, ...]] | None = None,
    relations: Iterable[Relation] = (),
    apps: Iterable[str] = (),
    symbols: Mapping[tuple[str, str], dict[str, int]] | None = None,
    namespaces: Iterable[str] = (),
    libraries: Mapping[str, tuple[str, ...]] | None = None,
) -> ProjectFacts:
    """Facts of a project from its module names (a name with children is a package).

    Every module has 10 lines; each edge is a dependency of its first module on its second.
    """
    names = sorted(set(modules))
    packages = {m for m in names if any(n.startswith(m + ".") for n in names)}
    view = nx.Graph()
    view.add_nodes_from(names)
    for source, target, weight in edges:
        assert source in view and target in view, (source, target)
        if view.has_edge(source, target):
            view.edges[source, target]["weight"] += weight
        else:
            view.add_edge(source, target, weight=weight, flow={})
        flow = view.edges[source, target]["flow"]
        flow[source] = flow.get(source, 0.0) + weight
    return ProjectFacts(
        tree=Tree.of(dict.fromkeys(names, 10), packages, namespaces),
        view=view,
        tables=dict(tables or {}),
        relations=tuple(relations),
        apps=frozenset(apps),
        symbols=dict(symbols or {}),
        libraries=dict(libraries or {}),
    )


@pytest.fixture
def facts_of():  # type: ignore[no-untyped-def]
    return make_facts
