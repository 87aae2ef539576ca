"""Step 3: layers, and the business names no app or table carries."""

from __future__ import annotations

from decompose.clustering.grouping import Context, Origin
from decompose.clustering.heuristics import DEFAULT
from decompose.clustering.names import NameIndex
from decompose.clustering.terms import is_layer, term_contexts
from decompose.clustering.tree import Tree
from decompose.clustering.vocabulary import term

APPS = [
    Context(f"shop.{n}", Origin.APP, f"shop.{n}", n, frozenset({term(n)}), (n.title(),))
    for n in ("orders", "catalog", "payments")
]


def tree(*modules: str) -> Tree:
    names = set(modules)
    return Tree.of(
        dict.fromkeys(names, 10), {m for m in names if any(n.startswith(m + ".") for n in names)}
    )


def test_a_package_whose_children_name_the_contexts_is_a_layer() -> None:
    views = ("shop.control.views.orders", "shop.control.views.catalog")
    t = tree(*views, "shop.control.forms.payments", "shop.control.base")
    modules = t.under("shop.control")
    assert is_layer("shop.control", modules, t, NameIndex(APPS), DEFAULT)


def test_an_interface_named_for_its_users_is_read_through_to_the_contexts() -> None:
    # `shop.gateway.core_api.orders`: `core_api` is the layer's own part, not a domain.
    routes = ("shop.gateway.core_api.routes.orders", "shop.gateway.core_api.routes.catalog")
    t = tree(*routes, "shop.gateway.execution_api.payments", "shop.gateway.app")
    modules = t.under("shop.gateway")
    assert is_layer("shop.gateway", modules, t, NameIndex(APPS), DEFAULT)


def test_a_role_named_package_is_a_layer_on_compound_names_too() -> None:
    # `webapi/resources/order_draft.py`: the name says layer, the compounds say whose slices.
    resources = ("order_draft", "order_lines", "catalog_item", "payment_methods", "base")
    for package in ("shop.webapi", "shop.reviews"):
        t = tree(*(f"{package}.resources.{r}" for r in resources), f"{package}.errors")
        modules = t.under(package)
        assert is_layer(package, modules, t, NameIndex(APPS), DEFAULT) is (package == "shop.webapi")


def test_one_named_context_makes_no_layer() -> None:
    t = tree("shop.blocks.base", "shop.blocks.list", "shop.blocks.orders")
    assert not is_layer("shop.blocks", t.under("shop.blocks"), t, NameIndex(APPS), DEFAULT)


def test_a_free_business_package_that_is_no_layer_is_a_capability() -> None:
    t = tree("shop.blocks.base", "shop.blocks.list", "shop.api.orders")
    found = term_contexts(t, t.modules, APPS, DEFAULT)
    assert [(c.package, c.label) for c in found] == [("shop.blocks", "blocks")]


def test_a_layer_found_through_the_names_of_its_own_children() -> None:
    # No app owns tables; the dashboard's children are named as the capabilities beside it.
    apps = ("shop.catalogue.views", "shop.catalogue.forms", "shop.offer.views", "shop.offer.utils")
    board = ("shop.dashboard.catalogue.views", "shop.dashboard.offer.views", "shop.dashboard.nav")
    t = tree(*apps, *board)
    found = {c.package for c in term_contexts(t, t.modules, [], DEFAULT)}
    assert found == {"shop.catalogue", "shop.offer"}


def test_a_name_in_several_layers_is_a_capability() -> None:
    t = tree(
        "ctf.admin.statistics", "ctf.api.v1.statistics", "ctf.api.v1.orders", "ctf.utils.dates"
    )
    found = term_contexts(t, t.modules, APPS, DEFAULT)
    assert [(c.id, c.label) for c in found] == [("term:statistic", "statistics")]


def test_a_file_every_app_has_is_their_template_not_a_capability() -> None:
    apps = [f"p.{a}.admin.wagtail_hooks" for a in ("images", "docs", "users", "sites", "forms")]
    t = tree(*apps, "p.images.models", "p.docs.models")
    assert "wagtailhook" in t.template_words
    labels = {c.label for c in term_contexts(t, t.modules, [], DEFAULT)}
    assert "wagtail_hooks" not in labels and "images" in labels


def test_code_copied_from_other_projects_is_no_capability() -> None:
    vendored = ("shop._vendor.mailer.smtp", "shop._vendor.mailer.console", "shop.vendor.tz.zone")
    t = tree(*vendored, "shop.cli.console", "shop.blocks.base", "shop.blocks.list")
    found = term_contexts(t, t.modules, APPS, DEFAULT)
    # `console` in two layers would be a term; in a copied library it says nothing
    assert [c.package for c in found] == ["shop.blocks"]
