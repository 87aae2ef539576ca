"""Decomposition and per-service metrics on small hand-built graphs."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from decompose.metrics import (
    decomposition_metrics,
    icp,
    ifn,
    modularity,
    mq,
    ned,
    service_metrics,
    structural_modularity,
)


def _graph(edges: dict[tuple[str, str], float], loc: int = 10) -> nx.DiGraph:
    graph = nx.DiGraph()
    for source, target in edges:
        graph.add_node(source, loc=loc, path=f"{source}.py")
        graph.add_node(target, loc=loc, path=f"{target}.py")
    for (source, target), weight in edges.items():
        graph.add_edge(source, target, weight=weight, symbols={"f": 1}, lines=(1,))
    return graph


# Two services of two modules, one edge between them, and a kernel module k.
TWO = _graph({("a1", "a2"): 2.0, ("b1", "b2"): 2.0, ("a1", "b1"): 1.0, ("a1", "k"): 5.0})
TWO_PARTITION = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "k": None}


def test_icp_is_the_share_of_weight_across_services() -> None:
    assert icp(TWO, TWO_PARTITION) == pytest.approx(1 / 5)


def test_mq_sums_the_cluster_factors() -> None:
    # CF = 2*2 / (2*2 + 1) for both services
    assert mq(TWO, TWO_PARTITION) == pytest.approx(1.6)


def test_modularity_on_the_undirected_view_without_the_kernel() -> None:
    # m = 5; each service: 2/5 - (5/10)^2
    assert modularity(TWO, TWO_PARTITION) == pytest.approx(0.3)


def _sm_by_definition(graph: nx.DiGraph, partition: dict[str, str | None]) -> float:
    """Jin et al.'s formula, pair by pair, straight from the module edges."""
    modules: dict[str, set[str]] = {}
    for module, service in partition.items():
        if service is not None:
            modules.setdefault(service, set()).add(module)
    names = sorted(modules)
    if not names:
        return 0.0

    def edges(a: str, b: str) -> int:
        return sum(1 for u, v in graph.edges if u in modules[a] and v in modules[b] and u != v)

    cohesion = sum(edges(s, s) / len(modules[s]) ** 2 for s in names) / len(names)
    pairs = list(combinations(names, 2))
    coupling = sum(
        (edges(a, b) + edges(b, a)) / (2 * len(modules[a]) * len(modules[b])) for a, b in pairs
    )
    return cohesion - (coupling / len(pairs) if pairs else 0.0)


@given(
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=40),
    st.lists(st.sampled_from(["A", "B", "C", "D", None]), min_size=12, max_size=12),
)
def test_structural_modularity_agrees_with_its_definition(
    links: list[tuple[int, int]], services: list[str | None]
) -> None:
    graph = _graph({(f"m{u}", f"m{v}"): 1.0 for u, v in links if u != v} or {("m0", "m1"): 1.0})
    partition = {f"m{i}": service for i, service in enumerate(services) if f"m{i}" in graph}
    assert structural_modularity(graph, partition) == pytest.approx(
        _sm_by_definition(graph, partition)
    )


def test_structural_modularity_is_cohesion_minus_coupling() -> None:
    # cohesion 1/4 for both; coupling 1 / (2 * 2 * 2)
    assert structural_modularity(TWO, TWO_PARTITION) == pytest.approx(0.25 - 0.125)


def test_ifn_counts_symbols_used_by_other_services() -> None:
    assert ifn(TWO, TWO_PARTITION) == pytest.approx(0.5)  # B offers b1.f, A nothing


def test_ned_counts_modules_in_services_of_reasonable_size() -> None:
    assert ned(TWO_PARTITION) == 0.0  # both below 5 modules
    assert ned(TWO_PARTITION, min_modules=2) == 1.0
    uneven = {f"m{i}": "big" for i in range(8)} | {"x1": "small", "x2": "small"}
    assert ned(uneven, min_modules=2) == pytest.approx(2 / 10)  # big has 8 > 10 / 2


def test_decomposition_metrics_has_every_key_and_the_counts() -> None:
    metrics = decomposition_metrics(TWO, TWO_PARTITION)
    assert list(metrics) == sorted(metrics)
    assert set(metrics) >= {"modularity", "mq", "icp", "ifn", "ned", "sm"}
    assert (metrics["services"], metrics["shared_modules"], metrics["modules"]) == (2, 1, 5)


def test_a_graph_without_service_edges_scores_zero() -> None:
    graph = _graph({("a", "k"): 1.0})
    partition = {"a": "A", "k": None}
    assert modularity(graph, partition) == icp(graph, partition) == mq(graph, partition) == 0.0
    assert decomposition_metrics(nx.DiGraph(), {})["services"] == 0


def test_graph_modules_missing_from_the_partition_are_shared() -> None:
    assert decomposition_metrics(TWO, {"a1": "A", "a2": "A"})["shared_modules"] == 3


def test_service_metrics() -> None:
    metrics = service_metrics(TWO, TWO_PARTITION)
    assert list(metrics) == ["A", "B"]
    a, b = metrics["A"], metrics["B"]
    assert (a.modules, a.loc) == (2, 20)
    assert a.cohesion == pytest.approx(2 / 3)
    assert a.coupling == pytest.approx(1 / 3)
    assert (a.afferent, a.efferent, a.instability) == (0, 1, 1.0)
    assert (b.afferent, b.efferent, b.instability) == (1, 0, 0.0)


def test_an_isolated_service_has_neither_cohesion_nor_coupling() -> None:
    graph = _graph({("a", "b"): 1.0})
    graph.add_node("lonely", loc=3)
    metrics = service_metrics(graph, {"a": "A", "b": "A", "lonely": "L"})["L"]
    assert (metrics.cohesion, metrics.coupling, metrics.instability) == (0.0, 0.0, 0.0)


def test_a_real_tree(make_graph, package_partition, data_files) -> None:
    files = data_files | {"app/payments/service.py": "from app.orders.models import Order\n"}
    graph = make_graph(files)
    metrics = decomposition_metrics(graph, package_partition(graph))
    assert metrics["services"] == 2
    assert metrics["icp"] > 0
