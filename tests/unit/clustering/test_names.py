"""Names as evidence: which context a path names."""

from __future__ import annotations

from decompose.clustering.grouping import Context, Origin
from decompose.clustering.names import NameIndex, named_context
from decompose.clustering.tree import Tree
from decompose.clustering.vocabulary import term


def ctx(cid: str, origin: Origin, name: str = "", tables: tuple[str, ...] = ()) -> Context:
    label = name or cid.rpartition(".")[2]
    return Context(cid, origin, cid, label, frozenset({term(label)}), tables)


CONTEXTS = [
    ctx("shop.orders", Origin.APP, tables=("Order", "Cart")),
    ctx("shop.catalog", Origin.APP, tables=("Product",)),
    ctx("shop.tasks", Origin.APP),  # an app named like a role word
    ctx("shop.core.models.modules", Origin.ENTITY, tables=("Modules",)),
    ctx("term:statistics", Origin.TERM, "statistics"),
]
TREE = Tree.of(
    dict.fromkeys(
        [
            "shop.api.v1.orders", "shop.api.v1.carts", "shop.api.v1.dynamic_products",
            "shop.api.v1.statistics.orders", "shop.api.v1.modules", "shop.export.tasks",
            "shop.graphql.order.mutations", "shop.api.v1.helpers",
        ],
        10,
    )
)  # fmt: skip


def named(module: str, **options: object) -> str | None:
    found = named_context(module, TREE, NameIndex(CONTEXTS), **options)  # type: ignore[arg-type]
    return found.context if found else None


def test_the_first_business_word_of_the_path_decides() -> None:
    assert named("shop.api.v1.orders") == "shop.orders"
    assert named("shop.graphql.order.mutations") == "shop.orders"  # singular, plural alike
    assert named("shop.api.v1.statistics.orders") == "term:statistics"  # read top down


def test_a_table_name_points_to_the_context_owning_the_table() -> None:
    assert named("shop.api.v1.carts") == "shop.orders"


def test_a_compound_names_what_one_of_its_words_names_unless_strict() -> None:
    assert named("shop.api.v1.dynamic_products") == "shop.catalog"
    assert named("shop.api.v1.dynamic_products", start="shop.api", strict=True) is None


def test_a_role_word_names_only_tables() -> None:
    assert named("shop.api.v1.modules") == "shop.core.models.modules"  # the Modules table
    assert named("shop.export.tasks") is None  # `tasks.py` is a role, not the `tasks` app
    assert named("shop.api.v1.helpers") is None


def test_own_names_beat_table_names_and_nearer_contexts_win() -> None:
    index = NameIndex([ctx("a.users", Origin.APP), ctx("b.accounts", Origin.APP, tables=("User",))])
    assert index.lookup("user") == ("a.users", 0)
    twins = NameIndex([ctx("x.reports", Origin.TERM), ctx("y.reports", Origin.TERM)])
    assert twins.lookup("reports", near="y.reports.daily") == ("y.reports", 0)
    assert twins.lookup("reports", near="y.reports.daily", excluding="y") == ("x.reports", 0)


def test_a_format_is_read_through_unless_the_project_has_an_app_of_that_name() -> None:
    # zou: `export/csv/assets.py` exports assets; saleor: `graphql/csv/` serves its csv app
    tree = Tree.of(dict.fromkeys(["shop.export.csv.orders", "shop.graphql.csv.mutations"], 10))
    # read strictly, as a layer's children are: the first business word decides alone
    found = named_context(
        "shop.export.csv.orders", tree, NameIndex(CONTEXTS), "shop.export", strict=True
    )
    assert found is not None and found.context == "shop.orders"
    with_app = NameIndex([*CONTEXTS, ctx("shop.csv", Origin.APP, tables=("ExportFile",))])
    found = named_context("shop.graphql.csv.mutations", tree, with_app, strict=True)
    assert found is not None and found.context == "shop.csv"
