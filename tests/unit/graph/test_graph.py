"""Resolution of imports, ORM relations and string references into the module graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from decompose.api import analyze_graph
from decompose.config import Settings
from decompose.graph import ModuleIndex, build_graph
from decompose.report.graph_export import GRAPH_FORMATS, render_graph

FIXTURE = Path(__file__).parents[2] / "fixtures" / "graph_project"


def graph() -> nx.DiGraph:
    return analyze_graph(FIXTURE, Settings(cache=False)).graph


def test_edges_and_their_kinds() -> None:
    g = graph()
    kinds = {(s, t): set(d["kinds"]) for s, t, d in g.edges(data=True)}
    assert kinds == {
        ("shop.api.orders", "shop.orders.service"): {"import", "string_ref"},
        ("shop.catalog.models", "shop.kernel.db"): {"import"},
        ("shop.catalog.service", "shop.catalog.models"): {"import"},
        ("shop.catalog.service", "shop.kernel.money"): {"import"},
        ("shop.orders", "shop.orders.constants"): {"import"},
        ("shop.orders.models", "shop.kernel.db"): {"import"},
        ("shop.orders.models", "shop.catalog.models"): {"type_only", "orm"},
        ("shop.orders.service", "shop.catalog.service"): {"import"},
        ("shop.orders.service", "shop.orders.models"): {"import"},
        ("shop.orders.service", "shop.kernel.money"): {"lazy"},
        ("shop.orders.service", "shop.api.orders"): {"dynamic"},
    }


def test_symbols_and_lines() -> None:
    edge = graph().edges["shop.orders.service", "shop.catalog.service"]
    assert edge["symbols"] == {"price_of": 2}
    assert edge["lines"] == (3,)
    orm = graph().edges["shop.orders.models", "shop.catalog.models"]
    assert orm["symbols"] == {"Product": 3}  # the TYPE_CHECKING import, the key, the relationship


def test_orm_relations_resolve_by_table_and_by_name() -> None:
    relations = graph().graph["relations"]
    assert {(r.source.name, r.field, r.target.name) for r in relations} == {
        ("Order", "product_id", "Product"),
        ("Order", "product", "Product"),
    }


def test_skipped_files_are_reported() -> None:
    analysis = analyze_graph(FIXTURE, Settings(cache=False))
    assert [s.path for s in analysis.skipped] == ["shop/broken.py"]


def test_resolution_takes_the_longest_existing_prefix() -> None:
    index = ModuleIndex(frozenset({"a", "a.b"}), {"ns.a": "a"})
    assert index.resolve("a.b.c.d") == "a.b"
    assert index.resolve("ns.a.b") == "a.b"
    assert index.resolve("x.y") is None


def test_external_imports_are_not_edges() -> None:
    g = build_graph([])
    assert g.number_of_nodes() == 0
    node = graph().nodes["shop.orders.models"]
    assert node["externals"] == ("sqlalchemy", "typing")
    assert node["third_party"] == ("sqlalchemy",)


def test_golden_graph(golden) -> None:  # type: ignore[no-untyped-def]
    g = graph()
    for fmt in GRAPH_FORMATS:
        golden.check(f"graph/graph_project.{fmt}", render_graph(g, fmt))


def test_cache_gives_the_same_graph(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    cold = analyze_graph(FIXTURE, settings)
    warm = analyze_graph(FIXTURE, settings)
    assert warm.cached == len(warm.facts) > 0
    assert render_graph(cold.graph, "json") == render_graph(warm.graph, "json")


def test_an_import_of_an_excluded_module_is_no_edge_to_its_parent(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "app/__init__.py": "",
            "app/core.py": "from app.tests.helpers import fixture\nfrom app import setup_hooks\n",
            "app/setup_hooks.py": "",
            "app/tests/__init__.py": "",
            "app/tests/helpers.py": "fixture = 1\n",
        }
    )
    edges = set(analyze_graph(root, Settings(cache=False)).graph.edges)
    assert edges == {("app.core", "app.setup_hooks")}
