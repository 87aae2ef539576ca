"""Steps 4 to 7 and the names: placement by name and coupling, kernel, fragments, naming."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.clustering.default import propose_contexts
from decompose.clustering.facts import ProjectFacts
from decompose.clustering.fragments import merge_fragments
from decompose.clustering.grouping import Context, Grouping, Origin
from decompose.clustering.heuristics import DEFAULT
from decompose.clustering.kernel import platform_to_kernel, shared_kernel
from decompose.clustering.names import NameIndex
from decompose.clustering.naming import identifier, name_contexts
from decompose.clustering.placement import place_by_name, place_by_use
from decompose.clustering.vocabulary import term
from decompose.model.placement import Placement, Reason
from tests.unit.clustering.conftest import make_facts

APP = Placement(reason=Reason.APP, confidence=0.9, detail="inside the app")


def app(name: str, tables: tuple[str, ...] = ("T",)) -> Context:
    return Context(f"s.{name}", Origin.APP, f"s.{name}", name, frozenset({term(name)}), tables)


def grouping(*contexts: Context, owner: dict[str, str | None]) -> Grouping:
    return Grouping({c.id: c for c in contexts}).place({m: (c, APP) for m, c in owner.items()})


def test_a_module_goes_where_its_path_says_and_doubts_when_coupling_disagrees() -> None:
    facts = make_facts(
        ["s.orders.m", "s.pay.m", "s.api.orders", "s.api.refunds"],
        [("s.api.orders", "s.pay.m", 5.0), ("s.api.refunds", "s.pay.m", 1.0)],
    )
    g = grouping(app("orders"), app("pay"), owner={"s.orders.m": "s.orders", "s.pay.m": "s.pay"})
    index = NameIndex(g.contexts.values())
    placed = place_by_name(g, facts, index, ["s.api.orders", "s.api.refunds"], {}, DEFAULT)
    assert placed.owner["s.api.orders"] == "s.orders"
    assert placed.placements["s.api.orders"].confidence < 0.6  # all its coupling is with pay
    assert [a.service for a in placed.placements["s.api.orders"].alternatives] == ["s.pay"]
    assert "s.api.refunds" not in placed.owner  # no name to go by


def test_coupling_places_in_rounds_outward() -> None:
    facts = make_facts(
        ["s.orders.m", "s.helpers.a", "s.helpers.b"],
        [("s.helpers.a", "s.orders.m", 2.0), ("s.helpers.b", "s.helpers.a", 2.0)],
    )
    g = grouping(app("orders"), owner={"s.orders.m": "s.orders"})
    placed = place_by_use(g, facts, ["s.helpers.a", "s.helpers.b"], {}, DEFAULT)
    assert placed.owner["s.helpers.a"] == placed.owner["s.helpers.b"] == "s.orders"
    assert placed.placements["s.helpers.b"].reason is Reason.USES


def test_a_use_of_a_shared_models_module_counts_for_the_table_owner() -> None:
    facts = make_facts(
        ["s.models", "s.api.x"],
        [("s.api.x", "s.models", 3.0)],
        symbols={("s.api.x", "s.models"): {"Flag": 2}},
    )
    g = Grouping({"e": Context("e", Origin.ENTITY, "s.models", "Challenge")}).place(
        {"s.models": (None, APP)}
    )
    placed = place_by_use(g, facts, ["s.api.x"], {("s.models", "Flag"): "e"}, DEFAULT)
    assert placed.owner["s.api.x"] == "e"


def test_what_many_contexts_use_and_what_nothing_ties_are_kernel() -> None:
    facts = make_facts(
        ["s.a.m", "s.b.m", "s.c.m", "s.money", "s.wsgi"],
        [("s.a.m", "s.money", 1.0), ("s.b.m", "s.money", 1.0), ("s.c.m", "s.money", 1.0)],
    )
    g = grouping(app("a"), app("b"), app("c"), owner={f"s.{x}.m": f"s.{x}" for x in "abc"})
    shared = shared_kernel(g, facts, ["s.money", "s.wsgi"], {}, DEFAULT)
    assert shared.owner["s.money"] is None and shared.placements["s.money"].reason is Reason.KERNEL
    assert shared.owner["s.wsgi"] is None and shared.placements["s.wsgi"].reason is Reason.WIRING


def test_a_small_group_without_data_joins_its_closest_context() -> None:
    facts = make_facts(["s.orders.m", "s.extra.x"], [("s.extra.x", "s.orders.m", 1.0)])
    extra = Context("s.extra", Origin.TERM, "s.extra", "extra", frozenset({"extra"}))
    g = grouping(app("orders"), extra, owner={"s.orders.m": "s.orders", "s.extra.x": "s.extra"})
    merged = merge_fragments(g, facts, {}, DEFAULT)
    assert merged.owner["s.extra.x"] == "s.orders"
    assert merged.placements["s.extra.x"].reason is Reason.MERGED
    assert "s.extra" not in merged.contexts


def test_tables_of_a_fragment_gone_to_the_kernel_draw_no_one_after_it() -> None:
    # `e` holds the tables of one models module that three apps use alike: no context leads
    # its coupling, so it goes to the kernel. A fragment using its table afterwards must not
    # be merged into `e`, which no longer exists (it was, on apache-airflow-core).
    users = ("orders", "pay", "ship")
    facts = make_facts(
        [*(f"s.{u}.m" for u in users), "s.models.flag", "s.lib.extra.x"],
        [
            *((f"s.{u}.m", "s.models.flag", 1.0) for u in users),
            ("s.lib.extra.x", "s.models.flag", 0.5),
        ],
        symbols={("s.lib.extra.x", "s.models.flag"): {"Flag": 1}},
    )
    entity = Context("e", Origin.ENTITY, "s.models.flag", "flag", frozenset({"flag"}), ("Flag",))
    extra = Context("s.lib.extra", Origin.TERM, "s.lib.extra", "extra", frozenset({"extra"}))
    g = grouping(*(app(u) for u in users), extra, owner={f"s.{u}.m": f"s.{u}" for u in users})
    models = Placement(reason=Reason.MODELS, confidence=0.9, detail="defines its tables")
    g = g.with_contexts([entity]).place(
        {"s.models.flag": ("e", models), "s.lib.extra.x": ("s.lib.extra", APP)}
    )
    merged = merge_fragments(g, facts, {("s.models.flag", "Flag"): "e"}, DEFAULT)
    assert merged.owner["s.models.flag"] is None
    assert merged.owner["s.lib.extra.x"] is None  # tied to no service, not to `e`
    assert set(merged.owner.values()) - {None} <= set(merged.contexts)


def _platform_project(
    apps: int,
    users: int,
    *,
    with_data: bool = True,
    lib_tables: tuple[str, ...] = (),
    imports: tuple[str, ...] = (),
) -> tuple[Grouping, ProjectFacts]:
    """`apps` apps (owning tables or not) and a context `lib`, used by `users` of them;
    `s.lib.b` imports the third-party libraries `imports`."""
    names = [f"d{i}" for i in range(apps)]
    modules = [*(f"s.{n}.m" for n in names), "s.lib.a", "s.lib.b"]
    edges = [(f"s.{n}.m", "s.lib.a", 1.0) for n in names[:users]]
    edges.append(("s.lib.b", "s.lib.a", 1.0))
    facts = make_facts(modules, edges, libraries={"s.lib.b": imports})
    lib = Context("s.lib", Origin.TERM, "s.lib", "lib", frozenset({"lib"}), lib_tables)
    contexts = [app(n, ("T",) if with_data else ()) for n in names]
    owner: dict[str, str | None] = {f"s.{n}.m": f"s.{n}" for n in names}
    owner |= {"s.lib.a": "s.lib", "s.lib.b": "s.lib"}
    return grouping(*contexts, lib, owner=owner), facts


def test_a_context_without_data_that_most_others_build_on_is_platform_code() -> None:
    g, facts = _platform_project(apps=9, users=5)
    shared = platform_to_kernel(g, facts, DEFAULT)
    assert shared.owner["s.lib.a"] is None and shared.owner["s.lib.b"] is None
    assert shared.placements["s.lib.a"].reason is Reason.KERNEL
    assert "5 of the 9 other services" in shared.placements["s.lib.a"].detail
    assert "s.lib" not in shared.contexts
    assert shared.owner["s.d0.m"] == "s.d0"


def test_a_context_fewer_build_on_or_that_owns_data_stays() -> None:
    for g, facts in (
        _platform_project(apps=9, users=4),  # fewer than half of the others
        _platform_project(apps=9, users=9, lib_tables=("Setting",)),  # owns data
        _platform_project(apps=6, users=6),  # too few contexts to say "most"
        _platform_project(apps=9, users=9, with_data=False),  # no ORM: no data anywhere
    ):
        assert platform_to_kernel(g, facts, DEFAULT).owner["s.lib.a"] == "s.lib"


def test_a_context_named_after_the_library_it_imports_and_several_use_is_its_adapter() -> None:
    g, facts = _platform_project(apps=9, users=3, imports=("lib", "requests"))
    shared = platform_to_kernel(g, facts, DEFAULT)
    assert shared.owner["s.lib.a"] is None
    assert "the adapter to lib" in shared.placements["s.lib.a"].detail
    for g, facts in (
        _platform_project(apps=9, users=3, imports=("requests",)),  # named after no import
        _platform_project(apps=9, users=2, imports=("lib",)),  # an integration of two
    ):
        assert platform_to_kernel(g, facts, DEFAULT).owner["s.lib.a"] == "s.lib"


def test_a_small_core_holding_most_tables_is_several_domains_data() -> None:
    # shuup: core/ is 18% of the code and defines half the tables; admin/ is sliced to them
    core = ["s.core.models.orders", "s.core.models.products", "s.core.models.contacts"]
    admin = ["s.admin.modules.orders.views", "s.admin.modules.products.views"]
    rest = ["s.campaigns.models", *(f"s.front.page{i}" for i in range(20))]
    facts = make_facts(
        [*core, *admin, *rest],
        [(admin[0], core[0], 1.0), (admin[1], core[1], 1.0)],
        tables={
            core[0]: ("Order", "OrderLine"),
            core[1]: ("Product",),
            core[2]: ("Contact",),
            "s.campaigns.models": ("Campaign", "Coupon"),
        },
    )
    owner = propose_contexts(facts).owner
    assert len({owner[m] for m in core}) == 3  # opened: an entity per models module
    assert owner[admin[0]] == owner[core[0]] and owner[admin[1]] == owner[core[1]]


def test_an_app_without_tables_inside_another_app_is_a_feature_of_it() -> None:
    # geonode: documents/exif/ is a Django app of its own, with no table, in documents/
    docs = ["s.documents.models", "s.documents.views", "s.documents.forms"]
    exif = ["s.documents.exif.apps", "s.documents.exif.utils", "s.documents.exif.views"]
    alone = ["s.reports.apps", "s.reports.views", "s.reports.charts"]
    others = [f"s.{n}.{m}" for n in ("maps", "layers", "people") for m in ("models", "views")]
    facts = make_facts(
        [*docs, *exif, *alone, *others],
        [(exif[1], docs[0], 1.0), (alone[1], others[0], 1.0), (alone[1], docs[0], 1.0)],
        tables={m: (m.split(".")[1].title(),) for m in [docs[0], *others[::2]]},
        apps=["s.documents", "s.documents.exif", "s.reports"],
    )
    owner = propose_contexts(facts).owner
    assert {owner[m] for m in exif} == {"s.documents"}
    assert {owner[m] for m in alone} == {"s.reports"}  # not inside another app: its own


def test_an_app_in_a_container_inside_another_app_is_its_own() -> None:
    # shuup: front/apps/ holds the storefront's apps, each its own, inside the front app
    front = ["s.front.models", "s.front.views", "s.front.urls"]
    checkout = ["s.front.apps.checkout.apps", "s.front.apps.checkout.views"]
    others = [f"s.{n}.{m}" for n in ("orders", "products", "people") for m in ("models", "views")]
    facts = make_facts(
        [*front, *checkout, *others],
        [(checkout[1], others[0], 1.0), (checkout[1], front[0], 1.0)],
        tables={m: (m.split(".")[1].title(),) for m in [front[0], *others[::2]]},
        apps=["s.front", "s.front.apps.checkout"],
    )
    owner = propose_contexts(facts).owner
    assert {owner[m] for m in checkout} == {"s.front.apps.checkout"}


def test_an_app_with_tables_stands_however_small() -> None:
    facts = make_facts(["s.orders.m", "s.tiny.m"], [("s.tiny.m", "s.orders.m", 1.0)])
    g = grouping(app("orders"), app("tiny"), owner={"s.orders.m": "s.orders", "s.tiny.m": "s.tiny"})
    assert merge_fragments(g, facts, {}, DEFAULT).owner["s.tiny.m"] == "s.tiny"


def test_clashing_names_are_qualified_by_their_package_not_numbered() -> None:
    github = [
        Context(f"s.{p}.github", Origin.APP, f"s.{p}.github", "github")
        for p in ("hooks", "importers")
    ]
    names = name_contexts({c.id: c for c in github}, {"s.hooks.github": 5, "s.importers.github": 3})
    assert names == {"s.hooks.github": "github", "s.importers.github": "importers_github"}


def test_identifiers_from_class_names() -> None:
    assert identifier("ProductVariant") == "product_variant"
    assert identifier("Order-Items") == "order_items"
    assert identifier("class") == "svc_class"


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_proposal_does_not_depend_on_the_order_modules_come_in(rng) -> None:  # type: ignore[no-untyped-def]
    modules = [
        "s", "s.orders.models", "s.orders.views", "s.pay.models", "s.pay.views",
        "s.api.orders", "s.api.pay", "s.api.reports", "s.helpers.money", "s.stats.a",
        "s.stats.b", "s.admin.stats",
    ]  # fmt: skip
    edges = [
        ("s.orders.views", "s.orders.models", 2.0), ("s.pay.views", "s.pay.models", 2.0),
        ("s.api.orders", "s.orders.views", 1.0), ("s.api.pay", "s.pay.views", 1.0),
        ("s.api.reports", "s.orders.models", 1.0), ("s.api.reports", "s.pay.models", 1.0),
        ("s.orders.views", "s.helpers.money", 1.0), ("s.pay.views", "s.helpers.money", 1.0),
        ("s.api.pay", "s.helpers.money", 1.0), ("s.stats.a", "s.pay.models", 1.0),
        ("s.stats.b", "s.stats.a", 1.0), ("s.admin.stats", "s.orders.models", 1.0),
    ]  # fmt: skip
    tables = {"s.orders.models": ("Order",), "s.pay.models": ("Payment",)}
    reference = propose_contexts(make_facts(modules, edges, tables=tables))
    rng.shuffle(modules)
    rng.shuffle(edges)
    shuffled = propose_contexts(make_facts(modules, edges, tables=tables))
    assert dict(shuffled.owner) == dict(reference.owner)
    assert dict(shuffled.placements) == dict(reference.placements)
    assert set(reference.owner) == set(modules)  # every module is placed


def test_a_small_group_no_context_leads_is_shared() -> None:
    facts = make_facts(
        ["s", "s.a.m", "s.b.m", "s.c.m", "s.money.x"],  # `s` is a package: no namespace
        [("s.money.x", "s.a.m", 1.0), ("s.money.x", "s.b.m", 1.0), ("s.money.x", "s.c.m", 1.0)],
    )
    money = Context("s.money", Origin.TERM, "s.money", "money", frozenset({"money"}))
    owner: dict[str, str | None] = {f"s.{x}.m": f"s.{x}" for x in "abc"}
    g = grouping(app("a"), app("b"), app("c"), money, owner={**owner, "s.money.x": "s.money"})
    merged = merge_fragments(g, facts, {}, DEFAULT)
    assert merged.owner["s.money.x"] is None
    assert merged.placements["s.money.x"].reason is Reason.KERNEL
    assert len(merged.placements["s.money.x"].alternatives) == 3
