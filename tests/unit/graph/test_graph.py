"""Resolution of imports, ORM relations and string references into the module graph."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
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


def test_the_callers_collector_settings_are_left_as_they_were() -> None:
    # analyze_graph pauses the collector and ages what it built; a caller that froze
    # objects of its own (a pre-forking server, say) must find them still frozen.
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        graph()
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        gc.disable()
        graph()
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_run_answered_from_the_cache_never_loads_the_parser(tmp_path: Path) -> None:
    # Importing libcst is a tenth of a warm run. The fixture's broken.py does not parse:
    # the cache remembers why, so it is not parsed again either.
    script = (
        "import json, sys; from pathlib import Path\n"
        "from decompose.api import analyze_graph\n"
        "from decompose.config import Settings\n"
        "settings = Settings(cache_dir=Path(sys.argv[2]), jobs=1)\n"
        "analysis = analyze_graph(Path(sys.argv[1]), settings)\n"
        "skipped = [s.model_dump() for s in analysis.skipped]\n"
        "print(json.dumps([analysis.cached, 'libcst' in sys.modules, skipped]))\n"
    )
    command = [sys.executable, "-c", script, str(FIXTURE), str(tmp_path)]
    runs = [subprocess.run(command, capture_output=True, text=True, check=True) for _ in "ab"]
    cold, warm = (json.loads(run.stdout) for run in runs)
    assert cold[:2] == [0, True]
    assert warm[:2] == [13, False]
    assert (
        warm[2]
        == cold[2]
        == [{"path": "shop/broken.py", "reason": "syntax error at line 1: Syntax Error @ 1:1."}]
    )


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


def test_a_re_exported_symbol_counts_as_used_from_where_it_is_defined(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "app/__init__.py": "",
            "app/models/__init__.py": (
                "from .orders import Order\nfrom .items import *\nfrom .legacy import Old as New\n"
            ),
            "app/models/orders.py": "class Order: ...\n",
            "app/models/items.py": "from app.models.base import Item\n",
            "app/models/base.py": "class Item: ...\n",
            "app/models/legacy.py": "class Old: ...\n",
            "app/views.py": (
                "from app.models import Order, Item, New\n"
                "def f():\n    return Order(), Order(), Item(), New()\n"
            ),
        }
    )
    g = analyze_graph(root, Settings(cache=False)).graph
    # the import statement still makes views depend on the package, without usage
    assert g.edges["app.views", "app.models"]["symbols"] == {}
    assert g.edges["app.views", "app.models.orders"]["symbols"] == {"Order": 2}
    assert g.edges["app.views", "app.models.base"]["symbols"] == {"Item": 1}  # through a star
    assert g.edges["app.views", "app.models.legacy"]["symbols"] == {"Old": 1}  # renamed
    assert (
        g.edges["app.views", "app.models.orders"]["weight"]
        > g.edges["app.views", "app.models"]["weight"]
    )


def test_re_export_chains_that_loop_end(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "a.py": "from b import x\n",
            "b.py": "from a import x\n",
            "c.py": "from a import x\nx()\n",
        }
    )
    g = analyze_graph(root, Settings(cache=False)).graph
    # x is defined nowhere: the look-up stops where the loop closes, on the module named
    assert g.edges["c", "a"]["symbols"] == {"x": 1}
    assert ("c", "b") not in g.edges


def test_an_attribute_of_a_re_exporting_module_counts_where_defined(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "app/__init__.py": "",
            "app/model/__init__.py": "from app.model.package import Package\nSession = None\n",
            "app/model/package.py": "class Package: ...\n",
            "app/views.py": (
                "import app.model as model\nfrom app import model as m\n"
                "model.Package.get()\nm.Package.get()\nmodel.Session\n"
            ),
        }
    )
    g = analyze_graph(root, Settings(cache=False)).graph
    assert g.edges["app.views", "app.model.package"]["symbols"] == {"Package": 2}
    assert g.edges["app.views", "app.model"]["symbols"] == {"Session": 1}
