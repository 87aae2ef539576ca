"""The rules a boundary sets, on small projects built in the test."""

from __future__ import annotations

from pathlib import Path

from decompose.api import analyze_graph
from decompose.check import check_graph, parse_boundaries
from decompose.check.rules import Policy
from decompose.config import Settings
from decompose.model import Rule, Severity

FILES = {
    "shop/__init__.py": "",
    "shop/app.py": "from shop.orders import views as o\nfrom shop.pay import views as p\n",
    "shop/kernel.py": "def log(x):\n    return x\n",
    "shop/orders/__init__.py": "",
    "shop/orders/service.py": "def place():\n    return 1\n\ndef _secret():\n    return 2\n",
    "shop/orders/views.py": (
        "from shop.orders.service import place\n\ndef index():\n    return place\n"
    ),
    "shop/pay/__init__.py": "",
    "shop/pay/views.py": (
        "from typing import TYPE_CHECKING\n"
        "from shop.orders.service import place, _secret\n"
        "from shop.kernel import log\n"
        "if TYPE_CHECKING:\n    from shop.orders.service import Thing\n"
        "HANDLER = 'shop.orders.views.index'\n"
    ),
    "shop/kernel2.py": "from shop.pay.views import HANDLER\n",
    "shop/pay/hints.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from shop.orders.service import _secret\n"
    ),
}
BOUNDARIES = """
shared = ["shop.kernel", "shop.kernel2", "shop.__init__"]
wiring = ["shop.app"]
[services.orders]
modules = ["shop.orders"]
public = ["shop.orders.service:place"]
[services.pay]
modules = ["shop.pay"]
depends_on = []
"""


def run(root: Path, policy: Policy | None = None):  # type: ignore[no-untyped-def]
    graph = analyze_graph(root, Settings(cache=False)).graph
    return check_graph(graph, parse_boundaries(BOUNDARIES, "b.toml"), {}, policy=policy)


def test_only_the_public_api_may_be_used_across_a_boundary(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = run(build_file_tree(FILES))
    internal = [v for v in result.ratchet.new if v.rule is Rule.INTERNAL_USE]
    used = {v.key.rpartition("|")[2]: v for v in internal}
    assert "shop.orders.service._secret" in used and "shop.orders.service.place" not in used
    secret = used["shop.orders.service._secret"]
    assert (secret.path, secret.line, secret.severity) == ("shop/pay/views.py", 2, Severity.ERROR)
    assert "shop.orders.service:place" in secret.hint  # says what to use instead


def test_type_only_imports_and_named_paths_are_warnings(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = run(build_file_tree(FILES))
    by_target = {v.key.rpartition("|")[2]: v for v in result.ratchet.new}
    assert by_target["shop.orders.service.Thing"].severity is Severity.ERROR  # beside an import
    assert by_target["shop.orders.views.index"].severity is Severity.WARNING  # a string
    hints = {v.rule: v for v in result.ratchet.new if v.module == "shop.pay.hints"}
    assert hints[Rule.INTERNAL_USE].severity is Severity.WARNING  # only for type checking
    ignored = run(build_file_tree(FILES), Policy(type_only=None))
    assert not [v for v in ignored.ratchet.new if v.module == "shop.pay.hints"]
    assert "shop.orders.views.index" in {v.key.rpartition("|")[2] for v in ignored.ratchet.new}


def test_depends_on_limits_whom_a_service_may_use(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = run(build_file_tree(FILES))
    undeclared = [v for v in result.ratchet.new if v.rule is Rule.UNDECLARED_DEPENDENCY]
    assert {v.module for v in undeclared} == {"shop.pay.views", "shop.pay.hints"}
    assert "add orders to pay's depends_on" in undeclared[0].hint


def test_the_kernel_may_use_no_service_but_wiring_may_use_all(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = run(build_file_tree(FILES))
    kernel = [v for v in result.ratchet.new if v.rule is Rule.KERNEL_USES_SERVICE]
    assert [v.module for v in kernel] == ["shop.kernel2"]
    assert not [v for v in result.ratchet.new if v.module == "shop.app"]
    assert result.failed


def test_a_relation_to_another_services_model_is_found_where_it_is_declared(
    build_file_tree,  # type: ignore[no-untyped-def]
) -> None:
    files = {
        **FILES,
        "shop/orders/models.py": (
            "from django.db import models\n\nclass Order(models.Model):\n"
            "    n = models.IntegerField()\n"
        ),
        "shop/pay/models.py": (
            "from django.db import models\nfrom shop.orders.models import Order\n\n"
            "class Payment(models.Model):\n"
            "    order = models.ForeignKey(Order, on_delete=models.CASCADE)\n"
        ),
    }
    result = run(build_file_tree(files))
    (fk,) = [v for v in result.ratchet.new if v.rule is Rule.CROSS_SERVICE_FK]
    assert (fk.path, fk.line, fk.services) == ("shop/pay/models.py", 5, ("pay", "orders"))
