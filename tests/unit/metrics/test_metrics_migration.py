"""The strangler-fig order: services in cycles and depended upon go last."""

from __future__ import annotations

import networkx as nx

from decompose.metrics import find_all, migration_order
from decompose.model import Finding


def _graph(edges: list[tuple[str, str]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for source, target in edges:
        graph.add_node(source, loc=10, path=f"{source}.py")
        graph.add_node(target, loc=10, path=f"{target}.py")
        graph.add_edge(source, target, weight=1.0, symbols={"f": 1}, lines=(1,))
    return graph


# report -> orders -> customers; billing <-> payments (a cycle); payments -> customers
GRAPH = _graph(
    [
        ("report.m", "orders.m"),
        ("orders.m", "customers.m"),
        ("billing.m", "payments.m"),
        ("payments.m", "billing.m"),
        ("payments.m", "customers.m"),
    ]
)
PARTITION = {module: module.partition(".")[0] for module in GRAPH}


def test_least_depended_upon_first_and_cycles_last() -> None:
    steps = migration_order(GRAPH, PARTITION, find_all(GRAPH, PARTITION))
    assert [s.service for s in steps] == ["report", "orders", "customers", "billing", "payments"]
    assert all(step.reason for step in steps)


def test_cross_service_foreign_keys_delay_a_service() -> None:
    graph = _graph([("a.m", "x.m"), ("b.m", "x.m")])
    partition = {"a.m": "a", "b.m": "b", "x.m": "x"}
    fk = Finding(kind="cross_service_fk", severity="high", services=("a", "x"), detail="")
    assert [s.service for s in migration_order(graph, partition, [])] == ["a", "b", "x"]
    assert [s.service for s in migration_order(graph, partition, [fk])] == ["b", "a", "x"]


def test_every_service_once_and_deterministic() -> None:
    findings = find_all(GRAPH, PARTITION)
    first = migration_order(GRAPH, PARTITION, findings)
    assert first == migration_order(GRAPH, dict(reversed(list(PARTITION.items()))), findings)
    assert sorted(s.service for s in first) == sorted(set(PARTITION.values()))
