from __future__ import annotations

import pytest

from decompose.model.decomposition import Decomposition, Finding, ServiceDependency
from decompose.report.formatting import format_number, plural
from decompose.report.views import build_view, github_anchor


def test_services_are_sorted_and_numbered(decomposition: Decomposition) -> None:
    view = build_view(decomposition)
    assert [s.name for s in view.services] == ["accounts", "billing", "catalog", "orders"]
    assert [s.dom_id for s in view.services] == ["svc-0", "svc-1", "svc-2", "svc-3"]
    assert [s.anchor for s in view.services] == ["accounts", "billing", "catalog", "orders"]


def test_service_view_collects_modules_api_data_and_links(decomposition: Decomposition) -> None:
    billing = build_view(decomposition).services[1]
    assert [m.name for m in billing.modules] == sorted(
        next(s for s in decomposition.services if s.name == "billing").modules
    )
    assert billing.loc == 250
    charge = billing.public_api[0]
    assert charge.qualified == "shop.billing.gateway.charge"
    assert charge.line == 22
    assert len(charge.callers) == 7
    assert charge.callers_shown == charge.callers[:5]
    assert charge.callers_hidden == 2
    assert [(d.name, d.table) for d in billing.owned_data] == [
        ("Invoice", "invoices"),
        ("Payment", "payments"),
    ]
    assert [(link.service, link.weight_display) for link in billing.depends_on] == [
        ("accounts", "3"),
        ("orders", "2"),
    ]
    assert [(link.service, link.dom_id) for link in billing.used_by] == [("orders", "svc-3")]
    assert billing.migration_step == 3
    assert {f.kind for f in billing.findings} == {
        "service_cycle",
        "distributed_transaction",
        "shared_table",
    }


def test_used_by_is_the_reverse_of_depends_on(decomposition: Decomposition) -> None:
    view = build_view(decomposition)
    forward = {(s.name, link.service) for s in view.services for link in s.depends_on}
    backward = {(link.service, s.name) for s in view.services for link in s.used_by}
    assert forward == backward


def test_findings_are_grouped_by_severity(decomposition: Decomposition) -> None:
    groups = build_view(decomposition).finding_groups
    assert [(g.severity, g.label, len(g.findings)) for g in groups] == [
        ("high", "High", 2),
        ("medium", "Medium", 3),
        ("low", "Low", 2),
    ]
    assert groups[0].findings[0].label == "Cycle between services"
    assert [loc.display for loc in groups[0].findings[0].locations] == [
        "shop/billing/gateway.py:14",
        "shop/orders/checkout.py:7",
    ]


def test_unknown_severities_come_last(decomposition: Decomposition) -> None:
    odd = Finding(kind="new_detector", severity="info", services=("orders",), detail="x")
    view = build_view(decomposition.model_copy(update={"findings": (odd, *decomposition.findings)}))
    assert [g.severity for g in view.finding_groups] == ["high", "medium", "low", "info"]
    assert view.finding_groups[-1].findings[0].label == "New detector"


def test_metrics_have_labels_and_explanations(decomposition: Decomposition) -> None:
    metrics = build_view(decomposition).metrics
    assert [m.key for m in metrics] == [
        "modularity",
        "mq",
        "icp",
        "ifn",
        "sm",
        "ned",
        "cohesion",
        "coupling",
        "louvain_levels",
    ]
    labels = {m.key: m.label for m in metrics}
    assert labels["modularity"] == "Modularity (Q)"
    assert labels["louvain_levels"] == "Louvain levels"
    assert all(m.explanation for m in metrics if m.key != "louvain_levels")
    assert {m.key: m.better for m in metrics}["icp"] == "lower"


def test_summary_migration_settings_and_skipped(decomposition: Decomposition) -> None:
    view = build_view(decomposition)
    assert view.summary.services == 4
    assert view.summary.modules == 13
    assert view.summary.findings_by_severity == (("high", 2), ("medium", 3), ("low", 2))
    assert [(m.position, m.service, m.dom_id) for m in view.migration] == [
        (1, "accounts", "svc-0"),
        (2, "catalog", "svc-2"),
        (3, "billing", "svc-1"),
        (4, "orders", "svc-3"),
    ]
    assert [s.path for s in view.skipped] == sorted(f.path for f in decomposition.skipped_files)
    assert ("Algorithm", "louvain") in [(s.label, s.value) for s in view.settings]
    assert [m.name for m in view.shared] == ["shop.common.money", "shop.common.utils"]


def test_graph_has_one_node_per_service_and_weighted_edges(decomposition: Decomposition) -> None:
    graph = build_view(decomposition).graph
    assert [n.name for n in graph.nodes] == ["accounts", "billing", "catalog", "orders"]
    edges = {(e.source, e.target): e for e in graph.edges}
    assert set(edges) == {
        ("svc-1", "svc-0"),
        ("svc-1", "svc-3"),
        ("svc-2", "svc-0"),
        ("svc-3", "svc-0"),
        ("svc-3", "svc-1"),
        ("svc-3", "svc-2"),
    }
    assert edges["svc-3", "svc-2"].weight == 8
    assert edges["svc-3", "svc-1"].mutual and edges["svc-1", "svc-3"].mutual
    assert not edges["svc-3", "svc-2"].mutual
    assert max(e.width for e in graph.edges) == edges["svc-3", "svc-2"].width
    sizes = {n.name: n.r for n in graph.nodes}
    assert sizes["orders"] > sizes["catalog"] > sizes["billing"] > sizes["accounts"]
    assert {n.name: n.severity for n in graph.nodes} == {
        "accounts": "medium",
        "billing": "high",
        "catalog": "medium",
        "orders": "high",
    }


def test_graph_ignores_dependencies_on_unknown_services(decomposition: Decomposition) -> None:
    orders = decomposition.services[0]
    stray = orders.model_copy(
        update={"depends_on": (ServiceDependency(service="ghost", weight=3),)}
    )
    graph = build_view(decomposition.model_copy(update={"services": (stray,)})).graph
    assert len(graph.nodes) == 1 and graph.edges == ()


def test_empty_decomposition_has_an_empty_view(empty_decomposition: Decomposition) -> None:
    view = build_view(empty_decomposition)
    assert view.services == () and view.graph.nodes == () and view.finding_groups == ()


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("billing", "billing"),
        ("Billing Core", "billing-core"),
        ("billing_core", "billing_core"),
        ("a|b <c>", "ab-c"),
        ("café", "café"),
    ],
)
def test_github_anchor(text: str, anchor: str) -> None:
    assert github_anchor(text) == anchor


def test_anchors_avoid_section_headings(decomposition: Decomposition) -> None:
    renamed = tuple(
        s.model_copy(update={"name": name})
        for s, name in zip(
            decomposition.services, ["findings", "Metrics", "metrics", "x"], strict=True
        )
    )
    view = build_view(decomposition.model_copy(update={"services": renamed}))
    assert {s.name: s.anchor for s in view.services} == {
        "Metrics": "metrics-1",
        "findings": "findings-1",
        "metrics": "metrics-2",
        "x": "x",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (12.0, "12"), (1330, "1,330"), (0.5, "0.5"), (1 / 3, "0.333"), (-0.0001, "0")],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_plural() -> None:
    assert plural(1, "module") == "1 module"
    assert plural(1200, "module") == "1,200 modules"
    assert plural(2, "body", "bodies") == "2 bodies"


def test_uncertain_placements_are_the_decisions_least_certain_first(decomposition) -> None:  # type: ignore[no-untyped-def]
    view = build_view(decomposition)
    assert [d.module for d in view.decisions] == ["shop.billing.gateway", "shop.catalog.search"]
    first = view.decisions[0]
    assert (first.service, first.confidence) == ("billing", "55%")
    assert first.alternatives == "orders 30%, shared kernel 15%"
    shared = {m.name: m for m in view.shared}
    assert shared["shop.common.money"].reason == "serves several services"


def test_a_decomposition_without_evidence_has_no_decisions(decomposition) -> None:  # type: ignore[no-untyped-def]
    bare = decomposition.model_copy(
        update={
            "modules": tuple(
                m.model_copy(update={"placement": None}) for m in decomposition.modules
            )
        }
    )
    view = build_view(bare)
    assert view.decisions == () and all(m.why == "" for s in view.services for m in s.modules)
