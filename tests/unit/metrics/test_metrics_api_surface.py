"""Public API, service dependencies and owned models of each service, from a tiny tree."""

from __future__ import annotations

import pytest

from decompose.metrics import owned_models, public_api, service_dependencies

FILES = {
    "app/catalog/__init__.py": "",
    "app/catalog/service.py": """
        LIMIT = 10


        def price_of(sku: str) -> int:
            return 1


        def _internal() -> None:
            pass
    """,
    "app/catalog/helpers.py": "def helper():\n    return 1\n",
    "app/orders/service.py": """
        from app.catalog import helpers
        from app.catalog.service import LIMIT, price_of
        from app.orders.models import Order


        def total(sku):
            helpers.helper()
            return price_of(sku) * LIMIT
    """,
    "app/shipping/__init__.py": "",
    "app/shipping/rates.py": """
        import app.catalog.service as catalog
        from app.orders import Order


        def rate(sku):
            return catalog.price_of(sku)
    """,
    "app/kernel/report.py": "from app.catalog.service import price_of\n",
}


@pytest.fixture
def graph(make_graph, data_files):
    return make_graph(data_files | FILES)


def test_public_api_lists_what_other_services_use(graph, package_partition) -> None:
    api = public_api(graph, package_partition(graph))
    assert list(api) == ["catalog", "orders", "shipping"]
    items = {(i.module, i.name): i for i in api["catalog"]}
    assert list(items) == sorted(items)
    assert set(items) == {
        ("app.catalog.service", "LIMIT"),
        ("app.catalog.service", "price_of"),
        ("app.catalog.helpers", "helper"),
    }
    price_of = items["app.catalog.service", "price_of"]
    assert price_of.kind == "function"
    assert price_of.used_by == ("app.orders.service", "app.shipping.rates")  # not the kernel
    assert price_of.definition is not None and price_of.definition.line == 4
    assert price_of.signature == price_of.definition.signature
    assert items["app.catalog.service", "LIMIT"].kind == "variable"
    assert api["shipping"] == ()


def test_a_reexported_model_is_listed_once_where_it_is_defined(graph, package_partition) -> None:
    api = public_api(graph, package_partition(graph))
    [order] = [i for i in api["orders"] if i.name == "Order"]
    assert (order.module, order.kind) == ("app.orders.models", "class")
    assert order.used_by == ("app.shipping.rates",)  # through `from app.orders import Order`
    assert order.definition is not None and order.definition.line == 7


def test_a_used_submodule_is_of_kind_module(make_graph, package_partition) -> None:
    graph = make_graph(
        {
            "app/__init__.py": "",
            "app/a/__init__.py": "",
            "app/a/pkg/__init__.py": "",
            "app/a/pkg/mod.py": "X = 1\n",
            "app/b/__init__.py": "",
            "app/b/use.py": "import app.a.pkg\n\nprint(app.a.pkg.mod)\n",
            "app/b/bare.py": "import app.a.pkg.mod\n",
        }
    )
    items = {(i.module, i.name, i.kind) for i in public_api(graph, package_partition(graph))["a"]}
    assert ("app.a.pkg", "mod", "module") in items


def test_service_dependencies(graph, package_partition) -> None:
    deps = service_dependencies(graph, package_partition(graph))
    assert [d.service for d in deps["orders"]] == ["catalog"]
    assert deps["orders"][0].symbols == (
        "app.catalog.helpers.helper",
        "app.catalog.service.LIMIT",
        "app.catalog.service.price_of",
    )
    assert deps["orders"][0].weight > 0
    assert [d.service for d in deps["shipping"]] == ["catalog", "orders"]
    assert deps["catalog"] == ()


def test_owned_models_leave_out_abstract_bases(graph, package_partition) -> None:
    owned = owned_models(graph, package_partition(graph))
    assert [(m.name, m.table) for m in owned["orders"]] == [
        ("Order", "orders"),
        ("OrderLine", "order_lines"),
    ]
    assert owned["catalog"] == ()
    assert "kernel" not in owned
