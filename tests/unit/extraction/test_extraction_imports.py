"""Every import form, straight from a dedented source string."""

from __future__ import annotations

import textwrap

import pytest

from decompose.extraction.module import extract
from decompose.model import ImportFact, ModuleFacts


def facts(source: str, module: str = "pkg.sub.mod", is_package: bool = False) -> ModuleFacts:
    data = textwrap.dedent(source).lstrip("\n").encode()
    result = extract(data, module, module.replace(".", "/") + ".py", is_package)
    assert isinstance(result, ModuleFacts), result
    return result


def only(source: str, **kwargs: object) -> ImportFact:
    found = facts(source, **kwargs).imports  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("source", "target", "names"),
    [
        ("import a.b", "a.b", ()),
        ("import a.b as c", "a.b", ()),
        ("from a.b import c", "a.b", ("c",)),
        ("from a.b import (c,\n    d as e)", "a.b", ("c", "d")),
        ("from . import x", "pkg.sub", ("x",)),
        ("from .sibling import y", "pkg.sub.sibling", ("y",)),
        ("from .. import z", "pkg", ("z",)),
        ("from ..up.deep import w", "pkg.up.deep", ("w",)),
    ],
)
def test_import_forms_are_made_absolute(source: str, target: str, names: tuple[str, ...]) -> None:
    fact = only(source)
    assert fact.target == target
    assert tuple(n.name for n in fact.names) == names
    assert fact.line == 1
    assert list(fact.kinds) == ["import"]


def test_relative_import_in_a_package_init_starts_from_the_package() -> None:
    assert only("from .models import Order", module="shop.orders", is_package=True).target == (
        "shop.orders.models"
    )


def test_relative_import_climbing_above_the_top_is_dropped() -> None:
    assert facts("from .... import x", module="pkg.mod").imports == ()


def test_star_import() -> None:
    fact = only("from .constants import *")
    assert fact.star and fact.target == "pkg.sub.constants"


def test_function_local_import_is_lazy() -> None:
    fact = only(
        """
        def handler():
            from orders.service import place
            return place()
        """
    )
    assert list(fact.kinds) == ["lazy"]
    assert fact.line == 2


def test_method_import_is_lazy() -> None:
    fact = only(
        """
        class A:
            def run(self):
                import billing
        """
    )
    assert list(fact.kinds) == ["lazy"]


def test_type_checking_import_is_type_only() -> None:
    source = """
    from __future__ import annotations
    import typing
    if typing.TYPE_CHECKING:
        from orders.models import Order
    """
    imports = facts(source).imports
    assert list(imports[-1].kinds) == ["type_only"]
    assert imports[-1].line == 4


def test_import_guarded_by_import_error_is_optional() -> None:
    source = """
    try:
        import ujson as json
    except ImportError:
        import json
    """
    first, second = facts(source).imports
    assert list(first.kinds) == ["optional"]
    assert first.alias == "json"
    assert list(second.kinds) == ["import"]
    assert (first.line, second.line) == (2, 4)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("importlib.import_module('shop.plugins.card')", "shop.plugins.card"),
        ('import_module("shop.plugins.card")', "shop.plugins.card"),
        ("__import__('shop.plugins.card')", "shop.plugins.card"),
        ("importlib.import_module('.card', __name__)", "pkg.sub.card"),
    ],
)
def test_literal_dynamic_imports(source: str, target: str) -> None:
    fact = only(source)
    assert fact.target == target
    assert list(fact.kinds) == ["dynamic"]


def test_dynamic_import_of_a_variable_is_not_guessed() -> None:
    assert facts("importlib.import_module(name)").imports == ()


def test_usage_counts_and_attributes() -> None:
    source = """
    import shop.money
    import shop.events as events
    from shop.catalog import service, Product

    def f():
        events.publish(Product(), Product())
        events.publish(1)
        service.lookup(shop.money.Money(1))
    """
    money, ev, catalog = facts(source).imports
    assert money.attrs == {"Money": 1}
    assert (ev.uses, ev.attrs) == (2, {"publish": 2})
    by_name = {n.name: n for n in catalog.names}
    assert by_name["Product"].uses == 2
    assert by_name["service"].attrs == {"lookup": 1}


def test_lines_follow_source_order_with_repeated_imports() -> None:
    source = """
    import os

    def a():
        import os

    import sys, json
    """
    assert [f.line for f in facts(source).imports] == [1, 4, 6, 6]


def test_pairs_of_strings_that_load_classes_by_name() -> None:
    from decompose.extraction.module import extract
    from decompose.model import ModuleFacts

    source = (
        "Product = get_model('catalogue', 'Product')\n"
        "Form = get_class('catalogue.forms', 'ProductForm')\n"
        "A, B = get_classes('dashboard.forms', ['AForm', 'BForm'])\n"
        "home = environ.get('HOME', 'default')\n"
    )
    facts = extract(source.encode(), "m", "m.py", False)
    assert isinstance(facts, ModuleFacts)
    pairs = {(r.value, r.name) for r in facts.string_refs if r.name}
    assert pairs == {
        ("catalogue", "Product"),
        ("catalogue.forms", "ProductForm"),
        ("dashboard.forms", "AForm"),
        ("dashboard.forms", "BForm"),
    }
