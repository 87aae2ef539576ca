"""Class hierarchies across modules, and code named in strings, resolved into the graph."""

from __future__ import annotations

from decompose.api import analyze_graph
from decompose.config import Settings

FILES = {
    "shop/__init__.py": "",
    "shop/base.py": "from django.apps import AppConfig\n\nclass ShopApp(AppConfig):\n    pass\n",
    "shop/orders/__init__.py": "",
    "shop/orders/apps.py": (
        "from shop.base import ShopApp\n\nclass OrdersConfig(ShopApp):\n    pass\n"
    ),
    "shop/orders/abstract_models.py": (
        "from django.db import models\n\n"
        "class AbstractOrder(models.Model):\n"
        "    customer = models.ForeignKey('customers.Customer', on_delete=models.CASCADE)\n"
        "    class Meta:\n        abstract = True\n"
    ),
    "shop/orders/models.py": (
        "from shop.orders.abstract_models import *\n\nclass Order(AbstractOrder):\n    pass\n"
    ),
    "shop/customers/__init__.py": "",
    "shop/customers/models.py": (
        "from django.db import models\n\n"
        "class Customer(models.Model):\n    name = models.CharField(max_length=9)\n"
    ),
    "shop/customers/forms.py": "class CustomerForm:\n    pass\n",
    "shop/views.py": (
        "Order = get_model('orders', 'Order')\n"
        "Form = get_class('customers.forms', 'CustomerForm')\n"
        "AUTH_MODEL = 'customers.Customer'\n"
    ),
}


def test_a_subclass_of_an_abstract_model_elsewhere_is_a_model_with_its_relations(
    build_file_tree,  # type: ignore[no-untyped-def]
) -> None:
    graph = analyze_graph(build_file_tree(FILES), Settings(cache=False)).graph
    order = graph.graph["models"][("shop.orders.models", "Order")]
    assert not order.abstract and order.table == "orders_order"
    relations = {
        (r.source.module, r.source.name, r.target.name)
        for r in graph.graph["relations"]
        if r.kind == "foreign_key"
    }
    assert ("shop.orders.models", "Order", "Customer") in relations
    assert "orm" in graph.edges["shop.orders.models", "shop.customers.models"]["kinds"]


def test_an_app_config_is_found_through_the_project_base_class(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    graph = analyze_graph(build_file_tree(FILES), Settings(cache=False)).graph
    assert graph.graph["apps"] == ["shop.base", "shop.orders.apps"]


def test_strings_name_code_by_app_label_and_by_path_relative_to_an_app(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    graph = analyze_graph(build_file_tree(FILES), Settings(cache=False)).graph
    by_label = graph.edges["shop.views", "shop.orders.models"]
    assert by_label["kinds"] == ("dynamic",) and "Order" in by_label["symbols"]
    relative = graph.edges["shop.views", "shop.customers.forms"]
    assert "CustomerForm" in relative["symbols"]
    label_and_model = graph.edges["shop.views", "shop.customers.models"]
    assert "string_ref" in label_and_model["kinds"] and "Customer" in label_and_model["symbols"]


def test_a_module_making_a_blueprint_declares_an_app(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(
        {
            "forum/__init__.py": "",
            "forum/auth/__init__.py": "",
            "forum/auth/views.py": (
                "from flask import Blueprint\n\n"
                "def load(app):\n    auth = Blueprint('auth', __name__)\n    return auth\n"
            ),
            "forum/auth/forms.py": "# a Blueprint( in a comment is no blueprint\n",
        }
    )
    graph = analyze_graph(root, Settings(cache=False)).graph
    assert graph.graph["apps"] == ["forum.auth.views"]
