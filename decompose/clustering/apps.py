"""Step 1: the apps, where the developers already cut the code into domains.

A Django app, a Flask blueprint package or any package that owns tables is the first
thing an architect reads as a bounded context, at whatever depth it sits (`apps/`,
`contrib/`, a project package whose children are apps). Four kinds of package hold
tables without being one context: the project's own root (or a package that is most of
the project), the project's data access layer (`server/database/`, `db/`), and a package
named for a role (`base`, `core`, `admin`) whose code serves several other domains.
Their tables are opened into entities (see `entities.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from decompose.clustering.facts import ProjectFacts
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.tree import Tree, last, parent, within
from decompose.clustering.vocabulary import Role, is_data_layer, is_plumbing, role


@dataclass(frozen=True)
class AppScan:
    """Packages that are apps, and packages whose tables are opened into entities."""

    apps: frozenset[str]  # bounded contexts taken whole (nested apps are their own)
    opened: frozenset[str]  # hold several domains' tables
    # Apps or layers, as their code says: a role-named package with tables (`admin/`),
    # or an app without tables (a front end over the others, or a small capability).
    doubtful: frozenset[str]


def data_home(module: str, is_package: bool) -> str:
    """The package whose data a models module defines.

    `shop/orders/models.py` and `shop/orders/models/lines.py` belong to `shop.orders`;
    a package's own `__init__` to the package; any other module to its package.
    """
    parts = module.split(".")
    end = len(parts)
    if role(parts[-1]) is not Role.DATA and (len(parts) < 2 or role(parts[-2]) is not Role.DATA):
        return module if is_package else parent(module)
    if role(parts[-1]) is not Role.DATA:
        end -= 1  # `models/lines.py`: the models package is the data part
    while end > 0 and role(parts[end - 1]) is Role.DATA:  # `models/models.py` too
        end -= 1
    return ".".join(parts[:end])


def scan_apps(facts: ProjectFacts, heuristics: Heuristics) -> AppScan:
    """Find the apps: packages that own tables or declare an app, and how to take each.

    Args:
        facts: The project's tables, declared apps and package tree.
        heuristics: `core_share` decides when a package is the project's core.
    """
    tree = facts.tree
    homes = {data_home(m, tree.is_package(m)) for m in facts.tables}
    homes = {h if within(h, tree.prefix) or not tree.prefix else tree.prefix for h in homes}
    declared = {a for a in facts.apps if within(a, tree.prefix) or not tree.prefix}
    apps, opened, doubtful = set(), set(), set()
    for home in sorted(homes | declared):
        if home != tree.prefix and _hosts_others(home, tree, home in declared):
            continue
        if (
            home in (tree.prefix, "")
            or is_data_layer(last(home))
            or _is_core(home, facts, heuristics)
        ):
            if home in homes:
                opened.add(home)
        elif role(home.rpartition(".")[2]) is not Role.DOMAIN:
            if home in homes:
                doubtful.add(home)
        elif home in homes:
            apps.add(home)
        else:
            doubtful.add(home)
    return AppScan(frozenset(apps), frozenset(opened), frozenset(doubtful))


def _hosts_others(package: str, tree: Tree, declared: bool) -> bool:
    """Code that serves or hosts the apps rather than being one, whatever it holds.

    `common/`, `utils/` (plumbing), a `plugins/` package's own modules (the framework
    its plugins plug into) and the project's settings package, unless it declares
    itself an app: an app may keep its own `settings.py` beside its `urls.py`.
    """
    name = last(package)
    if is_plumbing(name) or _hosts_plugins(package, tree):
        return True
    return package in tree.project_packages and not declared


def _hosts_plugins(package: str, tree: Tree) -> bool:
    """A `plugins/` (`addons/`, `extensions/`) package with plugins in it.

    Plugins are packages named for what they do, not only the package's own
    `management/` or `templatetags/`. Without any, it is the app that manages plugins
    (an `Addon` table, the views that list them).
    """
    if role(last(package)) is not Role.CONTAINER:
        return False
    return any(role(last(child)) is Role.DOMAIN for child in tree.child_packages(package))


def _is_core(package: str, facts: ProjectFacts, heuristics: Heuristics) -> bool:
    """Most of the project, or a large part of it holding most of its tables itself.

    `ckan` beside its `ckanext` plugins is the project's core, not one of its contexts;
    tables of apps nested in a package are theirs, not the package's.
    """
    share = facts.tree.share(package)
    if share >= heuristics.core_share:
        return True
    inside, total = tables_of(facts, package)
    return share >= heuristics.core_share / 2 and inside >= heuristics.core_share * total


def tables_of(facts: ProjectFacts, package: str) -> tuple[int, int]:
    """How many tables `package` defines itself (not its nested apps), and in all."""
    tree = facts.tree
    inside = sum(
        len(t) for m, t in facts.tables.items() if data_home(m, tree.is_package(m)) == package
    )
    return inside, sum(len(t) for t in facts.tables.values())
