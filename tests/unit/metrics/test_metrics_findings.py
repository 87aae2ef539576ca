"""One test per detector on a small tree: kinds, services, severities and locations."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from decompose.discovery import discover
from decompose.errors import ConfigError
from decompose.extraction import extract_tree
from decompose.graph import build_graph
from decompose.metrics import DETECTORS, FindingThresholds, find_all
from decompose.metrics.findings import fail_on_conditions, matching
from decompose.model import Finding


def _where(finding) -> list[tuple[str, int]]:
    return [(loc.path, loc.line) for loc in finding.locations]


def _of(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_registry_names_every_detector() -> None:
    assert set(DETECTORS) == {
        "service_cycle",
        "shared_model",
        "shared_table",
        "cross_service_fk",
        "distributed_transaction",
        "chatty_pair",
        "oversized_service",
        "tiny_service",
    }
    assert all(name == detector.name for name, detector in DETECTORS.items())


def test_service_cycle(make_graph, package_partition) -> None:
    graph = make_graph(
        {
            "app/__init__.py": "",
            "app/a/core.py": "from app.b.core import g\n\n\ndef f():\n    return g()\n",
            "app/b/core.py": "def g():\n    return 1\n\n\ndef h():\n    from app.a.core import f\n",
            "app/c/core.py": "from app.a.core import f\n",
        }
    )
    [cycle] = find_all(graph, package_partition(graph), kinds=["service_cycle"])
    assert (cycle.services, cycle.severity) == (("a", "b"), "high")
    assert [(loc.path, loc.line, loc.module) for loc in cycle.locations] == [
        ("app/a/core.py", 1, "app.a.core"),
        ("app/b/core.py", 6, "app.b.core"),
    ]


def test_shared_model(make_graph, package_partition, data_files) -> None:
    graph = make_graph(
        data_files
        | {
            "app/payments/service.py": "import os\nfrom app.orders.models import Order\n",
            "app/shipping/service.py": "from app.orders import Order\n",  # a re-export
            "app/kernel/audit.py": "from app.orders.models import Order\n",  # not a service
        }
    )
    [shared] = find_all(graph, package_partition(graph), kinds=["shared_model"])
    assert shared.services == ("orders", "payments", "shipping")
    assert shared.severity == "high"
    assert _where(shared) == [
        ("app/orders/models.py", 7),
        ("app/payments/service.py", 2),
        ("app/shipping/service.py", 1),
    ]


def test_a_model_used_only_by_its_own_service_is_not_shared(
    make_graph, package_partition, data_files
) -> None:
    graph = make_graph(data_files | {"app/orders/service.py": "from .models import Order\n"})
    assert find_all(graph, package_partition(graph), kinds=["shared_model"]) == ()


def test_shared_table(make_graph, package_partition, data_files) -> None:
    legacy = """
        from app.kernel.db import Base


        class LegacyOrder(Base):
            __tablename__ = "orders"
    """
    graph = make_graph(data_files | {"app/legacy/models.py": legacy})
    [shared] = find_all(graph, package_partition(graph), kinds=["shared_table"])
    assert (shared.services, shared.severity) == (("legacy", "orders"), "high")
    assert _where(shared) == [("app/legacy/models.py", 4), ("app/orders/models.py", 7)]


def test_cross_service_fk(make_graph, package_partition, data_files) -> None:
    payments = """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import Mapped, mapped_column

        from app.kernel.db import Base


        class Payment(Base):
            __tablename__ = "payments"
            id: Mapped[int] = mapped_column(primary_key=True)
            order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    """
    graph = make_graph(data_files | {"app/payments/models.py": payments})
    [fk] = find_all(graph, package_partition(graph), kinds=["cross_service_fk"])
    assert (fk.services, fk.severity) == (("orders", "payments"), "high")
    assert _where(fk) == [("app/orders/models.py", 7), ("app/payments/models.py", 10)]


CHECKOUT = """
    from app.inventory import service as inventory_service
    from app.inventory.models import StockItem
    from app.kernel.db import session
    from app.orders.models import Order
    from app.payments.models import Payment


    def place_order(order_id):
        with session.begin():
            session.add(Order(id=order_id))
            session.get(StockItem, 1).quantity -= 1
            session.add(Payment(order_id=order_id))


    def reserve(order_id):
        with session.begin():
            session.add(Order(id=order_id))
            inventory_service.reserve(order_id)


    def read(order_id):
        with session.begin():
            return session.get(Order, order_id)
"""

STOCK_MODELS = """
    from app.kernel.db import Base


    class StockItem(Base):
        __tablename__ = "stock_items"
"""


def test_distributed_transaction(make_graph, package_partition, data_files) -> None:
    graph = make_graph(
        data_files
        | {
            "app/checkout/service.py": CHECKOUT,
            "app/inventory/models.py": STOCK_MODELS,
            "app/inventory/service.py": "from .models import StockItem\n\n\ndef reserve(x): ...\n",
            "app/payments/models.py": STOCK_MODELS.replace("Stock", "Pay"),
        }
    )
    found = find_all(graph, package_partition(graph), kinds=["distributed_transaction"])
    summary = [(f.services, f.severity, _where(f)) for f in found]
    assert summary == [
        (("inventory", "orders", "payments"), "high", [("app/checkout/service.py", 9)]),
        (("inventory", "orders"), "medium", [("app/checkout/service.py", 16)]),
    ]
    # The steps follow the order the block first touches each service, not the names'.
    steps = [[(s.service, s.uses) for s in f.transaction.steps] for f in found if f.transaction]
    assert steps == [
        [
            ("orders", ("app.orders.models:Order",)),
            ("inventory", ("app.inventory.models:StockItem",)),
            ("payments", ("app.payments.models:Payment",)),
        ],
        [
            ("orders", ("app.orders.models:Order",)),
            ("inventory", ("app.inventory.service:reserve",)),
        ],
    ]
    assert [(f.transaction.module, f.transaction.function) for f in found if f.transaction] == [
        ("app.checkout.service", "place_order"),
        ("app.checkout.service", "reserve"),
    ]


def _pair_files(symbols: int) -> dict[str, str]:
    names = [f"f{i}" for i in range(symbols)]
    return {
        "app/__init__.py": "",
        "app/a/api.py": "".join(f"def {n}():\n    pass\n\n\n" for n in names),
        "app/b/client.py": f"from app.a.api import {', '.join(names)}\n",
    }


def test_chatty_pair_threshold_is_configurable(make_graph, package_partition) -> None:
    graph = make_graph(_pair_files(4))
    partition = package_partition(graph)
    assert find_all(graph, partition, kinds=["chatty_pair"]) == ()
    [chatty] = find_all(
        graph, partition, FindingThresholds(chatty_symbols=4), kinds=["chatty_pair"]
    )
    assert (chatty.services, chatty.severity) == (("a", "b"), "medium")
    assert _where(chatty) == [("app/b/client.py", 1)]
    [by_edges] = find_all(
        graph, partition, FindingThresholds(chatty_edges=1), kinds=["chatty_pair"]
    )
    assert by_edges.services == ("a", "b")


def _sized_files() -> dict[str, str]:
    body = "x = 1\n" * 30
    files = {"app/__init__.py": ""}
    files |= {f"app/big/m{i}.py": body for i in range(8)}  # 8 of 14 modules: above 2 / 4
    files |= {"app/mid/m.py": body, "app/mid/n.py": body, "app/mid/o.py": body}
    files |= {"app/other/m.py": body, "app/other/n.py": body}
    files["app/small/only.py"] = "from app.big.m0 import x\n"
    return files


def test_oversized_service(make_graph, package_partition) -> None:
    graph = make_graph(_sized_files())
    [big] = find_all(graph, package_partition(graph), kinds=["oversized_service"])
    assert (big.services, big.severity) == (("big",), "medium")
    assert [loc.module for loc in big.locations] == [f"app.big.m{i}" for i in range(8)]


def test_two_services_are_never_oversized(make_graph) -> None:
    graph = make_graph(_sized_files())
    partition = {m: ("big" if ".big." in m else "rest") for m in graph}
    assert find_all(graph, partition, kinds=["oversized_service"]) == ()


def test_tiny_service(make_graph, package_partition) -> None:
    graph = make_graph(_sized_files())
    [tiny] = find_all(graph, package_partition(graph), kinds=["tiny_service"])
    assert (tiny.services, tiny.severity) == (("small",), "low")
    assert _where(tiny) == [("app/small/only.py", 1)]
    assert "big" in tiny.detail  # the service to merge it into
    assert (
        find_all(
            graph, package_partition(graph), FindingThresholds(tiny_loc=1), kinds=["tiny_service"]
        )
        == ()
    )


def test_find_all_is_sorted_and_deterministic(make_graph, package_partition, data_files) -> None:
    graph = make_graph(data_files | {"app/checkout/service.py": CHECKOUT} | _sized_files())
    partition = package_partition(graph)
    findings = find_all(graph, partition)
    assert findings == find_all(graph, dict(reversed(list(partition.items()))))
    order = {"high": 0, "medium": 1, "low": 2}
    keys = [(order[f.severity], f.kind, f.services) for f in findings]
    assert keys == sorted(keys)
    assert {f.kind for f in findings} >= {"shared_model", "tiny_service"}
    for finding in findings:
        assert list(finding.services) == sorted(finding.services)
        assert list(finding.locations) == sorted(
            finding.locations, key=lambda loc: (loc.path, loc.line, loc.module)
        )


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ConfigError, match="no_such_kind"):
        find_all(nx.DiGraph(), {}, kinds=["no_such_kind"])


def test_fail_on_reads_any_case_and_matches_kinds_or_severities() -> None:
    gate = fail_on_conditions([" HIGH", "Tiny_Service"])
    findings = [
        Finding(kind="cross_service_fk", severity="high", services=("a", "b"), detail=""),
        Finding(kind="tiny_service", severity="low", services=("c",), detail=""),
        Finding(kind="shared_model", severity="medium", services=("a", "c"), detail=""),
    ]

    assert gate == {"high", "tiny_service"}
    assert [f.kind for f in matching(findings, gate)] == ["cross_service_fk", "tiny_service"]


def test_fail_on_refuses_an_unknown_name_listing_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        fail_on_conditions(["high", "bogus", "Severe"])

    assert raised.value.message == (
        "fail_on: unknown finding kind or severity 'bogus', 'severe'; kinds: "
        f"{', '.join(sorted(DETECTORS))}; severities: high, medium, low"
    )


def test_the_example_checkout_is_a_distributed_transaction(package_partition) -> None:
    shop = Path(__file__).parents[3] / "examples" / "monolith_app" / "shop"
    tree = discover(shop)
    graph = build_graph(extract_tree(tree, jobs=1).facts, tree.aliases)
    found = find_all(graph, package_partition(graph), kinds=["distributed_transaction"])
    [checkout] = [f for f in found if f.locations[0].module == "shop.checkout.service"]
    assert {"checkout", "inventory", "orders", "payments"} <= set(checkout.services)
    assert checkout.severity == "high"
    # place_order reads the cart, the address and the products, writes the order, then
    # reserves stock and authorises the payment: the saga's steps in that order.
    assert checkout.transaction is not None
    assert [(s.service, s.uses[0]) for s in checkout.transaction.steps] == [
        ("checkout", "shop.checkout.models:Cart"),
        ("customers", "shop.customers.repository:get_address"),
        ("catalog", "shop.catalog.repository:products_by_ids"),
        ("orders", "shop.orders.models:Order"),
        ("inventory", "shop.inventory.service:reserve"),
        ("payments", "shop.payments.service:authorize"),
    ]
