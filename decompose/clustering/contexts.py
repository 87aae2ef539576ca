"""Steps 1 and 2 put together: the app and entity contexts, and the modules they place.

Apps take their packages whole (the innermost app wins); an entity group takes its
models module; a models module holding several groups' tables is split, meanwhile
shared. Doubtful apps (a role-named package with tables, an app without tables) are
judged by their code: a layer over the other contexts is opened, anything else is an
app, except an app without tables named as another context (its front end) or inside
another app (a feature of that app).
"""

from __future__ import annotations

from decompose.clustering.apps import AppScan, data_home, tables_of
from decompose.clustering.entities import entity_contexts
from decompose.clustering.facts import ProjectFacts
from decompose.clustering.grouping import Context, Grouping, Origin
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.names import NameIndex, names_context
from decompose.clustering.terms import is_layer
from decompose.clustering.tree import last, within
from decompose.clustering.vocabulary import Role, role, term
from decompose.model.placement import Placement, Reason


def app_and_entity_contexts(
    facts: ProjectFacts, scan: AppScan, heuristics: Heuristics
) -> tuple[Grouping, set[str]]:
    """A context per app, and per entity group of each opened package.

    Returns:
        The grouping (no module placed yet) and the models modules to split.
    """
    contexts: list[Context] = []
    split: set[str] = set()
    for package in sorted(scan.apps):
        contexts.append(_app_context(facts, package))
    for package in sorted(scan.opened):
        found, shared = entity_contexts(facts, package, heuristics)
        contexts += found
        split |= shared
    return Grouping({c.id: c for c in contexts}), split


def _app_context(facts: ProjectFacts, package: str) -> Context:
    """An app: its package taken whole, its tables, and whether it declares itself."""
    tables = tuple(
        sorted({t for m, ts in facts.tables.items() if home_of(facts, m) == package for t in ts})
    )
    return Context(
        id=package,
        origin=Origin.APP,
        package=package,
        label=last(package),
        names=frozenset({term(last(package))}),
        tables=tables,
        entry=package in facts.apps,
    )


def home_of(facts: ProjectFacts, module: str) -> str:
    """The package whose data a module defines (see `apps.data_home`)."""
    return data_home(module, facts.tree.is_package(module))


def resolve_doubtful(
    grouping: Grouping, facts: ProjectFacts, scan: AppScan, split: set[str], heuristics: Heuristics
) -> tuple[Grouping, set[str]]:
    """A doubtful app is a layer if its code names several other contexts, else an app.

    Its tables are opened too when it holds a large part of all the project's tables:
    `core/models/` with orders, products and contacts side by side is several domains'
    data, even where `core/` is a small part of the code.

    A layer's tables (`admin/models.py`) are opened into entities; a layer without
    tables (a front end such as `orga/` over the data apps) is sliced like free code.
    """
    added: list[Context] = []
    named = NameIndex(grouping.contexts.values())
    for package in sorted(scan.doubtful):
        found, shared = entity_contexts(facts, package, heuristics)
        own = {c.id for c in found}
        modules = [m for m in facts.tree.under(package) if not _in_other_app(m, package, scan)]
        index = NameIndex([*grouping.contexts.values(), *found])
        if _holds_most_data(facts, package, heuristics) or is_layer(
            package, modules, facts.tree, index, heuristics, own
        ):
            added += found
            split |= shared
        elif found or not (
            names_context(named, last(package), package) or _feature_of_app(package, scan)
        ):
            added.append(_app_context(facts, package))
        # else: an app without tables named as another context (`dashboard/catalogue/`
        # beside `catalogue/`) is that context's front end: its modules follow the name;
        # one inside another app (`documents/exif/`) is a feature of that app
    return grouping.with_contexts(added), split


def _holds_most_data(facts: ProjectFacts, package: str, heuristics: Heuristics) -> bool:
    """Whether `package` defines at least `core_tables` of the project's tables."""
    inside, total = tables_of(facts, package)
    return inside >= heuristics.core_tables * max(total, 1)


def _feature_of_app(package: str, scan: AppScan) -> bool:
    """Whether `package` sits inside an app, not in a container of apps within it.

    `documents/exif/` is a feature of `documents/`; `front/apps/checkout/` is one of
    the apps that `front/apps/` holds, each its own.
    """
    parts = package.split(".")
    for end in range(len(parts) - 1, 0, -1):
        if role(parts[end]) is Role.CONTAINER:
            return False
        if ".".join(parts[:end]) in scan.apps:
            return True
    return False


def _in_other_app(module: str, package: str, scan: AppScan) -> bool:
    return any(within(module, a) and a != package for a in scan.apps)


def place_structural(grouping: Grouping, facts: ProjectFacts, split: set[str]) -> Grouping:
    """Modules of apps join their app (the innermost); models modules their entities."""
    apps = {c.package for c in grouping.contexts.values() if c.origin is Origin.APP}
    decisions: dict[str, tuple[str | None, Placement]] = {}
    for context in grouping.contexts.values():
        if context.origin is Origin.ENTITY and context.package not in split:
            decisions[context.package] = (
                context.id,
                Placement(
                    reason=Reason.MODELS,
                    confidence=0.95,
                    detail=f"defines its tables ({', '.join(context.tables[:4])})",
                ),
            )
    for module in facts.tree.modules:
        if module in decisions:
            continue
        if module in split:
            decisions[module] = (
                None,
                Placement(
                    reason=Reason.SPLIT,
                    confidence=0.5,
                    detail="defines the tables of several services: split it by table",
                ),
            )
            continue
        app = _innermost(module, apps)
        if app is not None:
            detail = f"inside the app {app!r}"
            decisions[module] = (app, Placement(reason=Reason.APP, confidence=0.9, detail=detail))
    return grouping.place(decisions)


def _innermost(module: str, packages: set[str]) -> str | None:
    """The deepest of `packages` that `module` is in (or is)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in packages:
            return ".".join(parts[:end])
    return None


def table_owner(grouping: Grouping) -> dict[tuple[str, str], str]:
    """(models module, table) -> the context owning it, for modules split between contexts."""
    owner: dict[tuple[str, str], str] = {}
    for context in grouping.contexts.values():
        if context.origin is Origin.ENTITY:
            for table in context.tables:
                owner[(context.package, table)] = context.id
    return owner
