"""Step 2: the tables of a multi-domain package grouped into entities."""

from __future__ import annotations

from decompose.clustering.apps import scan_apps
from decompose.clustering.contexts import app_and_entity_contexts, place_structural
from decompose.clustering.entities import aggregates, by_compound_names, entity_contexts
from decompose.clustering.facts import Relation
from decompose.clustering.heuristics import DEFAULT
from tests.unit.clustering.conftest import make_facts

M = "ctf.models"


def rel(source: str, target: str, kind: str = "foreign_key") -> Relation:
    return Relation((M, source), (M, target), kind)


def test_a_table_belonging_to_one_other_joins_its_aggregate() -> None:
    tables = ["Challenges", "Flags", "Hints", "Users", "Tokens", "Solves", "Submissions"]
    relations = [
        rel("Flags", "Challenges"),
        rel("Hints", "Challenges"),
        rel("Tokens", "Users"),
        rel("Submissions", "Challenges"),
        rel("Submissions", "Users"),
        rel("Solves", "Submissions", "inherits"),
    ]
    groups = {g[0]: set(g) for g in aggregates(tables, relations)}
    assert groups["Challenges"] == {"Challenges", "Flags", "Hints"}
    assert groups["Users"] == {"Users", "Tokens"}
    assert groups["Submissions"] == {"Submissions", "Solves"}  # one inheritance tree


def test_a_table_others_point_to_is_a_root_even_with_one_parent() -> None:
    groups = aggregates(["A", "B", "C"], [rel("B", "A"), rel("C", "B")])
    assert {g[0] for g in groups} == {"A", "B"}  # B is pointed to by C: its own root


def test_each_models_module_of_an_opened_package_is_a_group() -> None:
    facts = make_facts(
        ["core.models.orders", "core.models.items", "core.models.base", "core.api"],
        tables={"core.models.orders": ("Order", "Line"), "core.models.items": ("Item",)},
    )
    contexts, split = entity_contexts(facts, "core", DEFAULT)
    assert {c.id for c in contexts} == {"core.models.orders", "core.models.items"}
    assert not split
    orders = next(c for c in contexts if c.id == "core.models.orders")
    assert orders.label == "orders" and orders.tables == ("Line", "Order")


def test_one_big_models_module_is_cut_into_aggregates_and_split() -> None:
    names = ("Challenges", "Flags", "Users", "Tokens", "Pages", "Files", "Awards", "Teams")
    facts = make_facts(
        ["ctf", M, "ctf.api"],
        tables={M: names},
        relations=[rel("Flags", "Challenges"), rel("Tokens", "Users")],
    )
    contexts, split = entity_contexts(facts, "ctf", DEFAULT)
    assert split == {M}  # one file, several contexts' tables: to be split
    assert {c.label for c in contexts} == {
        "Challenges",
        "Users",
        "Pages",
        "Files",
        "Awards",
        "Teams",
    }


def test_a_big_models_module_beside_others_is_cut_unless_it_names_its_group() -> None:
    # arches: models/models.py holds every domain's tables beside models/graph.py ...;
    # a big models module named for a domain (`asset.py`) is one group, the developers' own
    names = ("Challenges", "Flags", "Users", "Tokens", "Pages", "Files", "Awards", "Teams")
    assets = tuple(f"Asset{i}" for i in range(8))
    modules = ["ctf.models.models", "ctf.models.graph", "ctf.models.asset", "ctf.api"]
    facts = make_facts(
        modules,
        tables={modules[0]: names, modules[1]: ("Graph",), modules[2]: assets},
        relations=[
            Relation((modules[0], "Flags"), (modules[0], "Challenges"), "foreign_key"),
            Relation((modules[0], "Tokens"), (modules[0], "Users"), "foreign_key"),
        ],
    )
    contexts, split = entity_contexts(facts, "ctf", DEFAULT)
    assert split == {"ctf.models.models"}
    assert {c.label for c in contexts} >= {"Challenges", "Users", "graph", "asset"}
    assert len(contexts) == 8  # six aggregates, graph, asset


def test_models_modules_named_as_parts_of_another_join_it() -> None:
    # zou: one models module per table; `task_status` and `task_type` are parts of `task`
    names = ["task", "task_status", "task_type", "chat", "chat_message", "status_automation"]
    names += ["preview_file", "preview_file_storage_state"]
    models = [f"app.models.{n}" for n in names]
    other = [f"app.{p}.m{i}" for p in ("api", "utils") for i in range(12)]
    facts = make_facts(
        [*models, *other, "app.plugins.chat.models"],
        tables={
            **{m: (m.rpartition(".")[2].title().replace("_", ""),) for m in models},
            "app.plugins.chat.models": ("ChatBot",),
        },
    )
    scan = scan_apps(facts, DEFAULT)
    grouping, split = app_and_entity_contexts(facts, scan, DEFAULT)
    owner = by_compound_names(place_structural(grouping, facts, split), facts).owner
    groups: dict[str | None, list[str]] = {}
    for m in models:
        groups.setdefault(owner[m], []).append(m.rpartition(".")[2])
    assert sorted(groups.values()) == [
        ["chat", "chat_message"],
        ["preview_file", "preview_file_storage_state"],
        ["status_automation"],  # no `status` group beside it
        ["task", "task_status", "task_type"],
    ]
    assert owner["app.plugins.chat.models"] != owner["app.models.chat"]  # another package's


def test_a_models_module_joins_an_aggregate_named_as_its_whole() -> None:
    # models/base.py is cut into aggregates; project_status.py is part of its Project
    project = ("Project", *(f"Project{c}Link" for c in "ABCDEFG"))
    modules = ["app.models.base", "app.models.project_status", "app.models.person"]
    facts = make_facts(
        [*modules, *(f"app.api.m{i}" for i in range(12))],
        tables={modules[0]: project, modules[1]: ("ProjectStatus",), modules[2]: ("Person",)},
        relations=[
            Relation((modules[0], f"Project{c}Link"), (modules[0], "Project"), "foreign_key")
            for c in "ABCDEFG"
        ],
    )
    grouping, split = app_and_entity_contexts(facts, scan_apps(facts, DEFAULT), DEFAULT)
    owner = by_compound_names(place_structural(grouping, facts, split), facts).owner
    assert owner["app.models.project_status"] == "app.models.base:Project"
    assert owner["app.models.person"] == "app.models.person"
