"""Step 1: the apps, and the packages whose tables are opened."""

from __future__ import annotations

import pytest

from decompose.clustering.apps import data_home, scan_apps
from decompose.clustering.heuristics import DEFAULT
from tests.unit.clustering.conftest import make_facts


@pytest.mark.parametrize(
    ("module", "is_package", "home"),
    [
        ("shop.orders.models", False, "shop.orders"),
        ("shop.orders.models", True, "shop.orders"),
        ("dcim.models.cables", False, "dcim"),
        ("extras.models.models", False, "extras"),
        ("oscar.apps.order.abstract_models", False, "oscar.apps.order"),
        ("ctfd.plugins.dynamic", True, "ctfd.plugins.dynamic"),
        ("app.orders", False, "app"),
    ],
)
def test_data_home(module: str, is_package: bool, home: str) -> None:
    assert data_home(module, is_package) == home


def shop(**extra):  # type: ignore[no-untyped-def]
    modules = [
        "shop", "shop.orders.models", "shop.orders.views", "shop.billing.models",
        "shop.core.models", "shop.core.tasks", "shop.admin.apps", "shop.admin.views",
        "shop.front.apps", "shop.front.views",
        "shop.utils.models", "shop.utils.text", *extra.pop("modules", ()),
    ]  # fmt: skip
    tables = {
        "shop.orders.models": ("Order",),
        "shop.billing.models": ("Invoice",),
        "shop.core.models": ("Event",),
        "shop.utils.models": ("Log",),
        **extra.pop("tables", {}),
    }
    return make_facts(modules, tables=tables, **extra)


def test_packages_owning_tables_are_apps() -> None:
    scan = scan_apps(shop(), DEFAULT)
    assert {"shop.orders", "shop.billing"} <= scan.apps


def test_role_named_packages_are_doubtful_and_plumbing_is_no_app() -> None:
    scan = scan_apps(shop(apps=["shop.admin", "shop.front"]), DEFAULT)
    assert "shop.core" in scan.doubtful  # tables under a role name: a layer or an app?
    assert "shop.front" in scan.doubtful  # an app without tables: a front end or an app?
    assert "shop.admin" not in scan.apps | scan.doubtful  # a role name and no tables
    assert "shop.utils" not in scan.apps | scan.doubtful | scan.opened  # shared by its name


def test_an_app_keeping_settings_beside_its_urls_is_no_project_package() -> None:
    # tendenci: apps/events/ has settings.py and urls.py and is an app; the project's
    # own settings package beside its urls holds no app
    wiring = ("settings", "urls", "models", "views")
    modules = [f"shop.{p}.{m}" for p in ("events", "project") for m in wiring]
    tables = {"shop.events.models": ("Event",), "shop.project.models": ("Log",)}
    scan = scan_apps(shop(modules=modules, tables=tables, apps=["shop.events"]), DEFAULT)
    assert "shop.events" in scan.apps
    assert "shop.project" not in scan.apps | scan.doubtful | scan.opened


def test_the_root_and_the_project_core_are_opened() -> None:
    root = make_facts(
        ["app", "app.models", "app.views", "app.api.x"], tables={"app.models": ("A", "B")}
    )
    assert scan_apps(root, DEFAULT).opened == {"app"}
    modules = ["ckan.model.package", "ckan.model.user", "ckanext.stats.plugin"]
    modules += [f"ckan.views.v{i}" for i in range(4)] + ["ckanext.stats.model"]
    modules += [f"ckanext.p{i}.plugin" for i in range(4)]
    tables = {"ckan.model.package": ("Package",), "ckan.model.user": ("User",)}
    core = make_facts(modules, tables={**tables, "ckanext.stats.model": ("Stat",)})
    scan = scan_apps(core, DEFAULT)
    assert scan.opened == {"ckan"}  # most of the tables, in a large part of the project
    assert scan.apps == {"ckanext.stats"}


def test_the_data_layer_of_the_whole_project_is_opened() -> None:
    # `server/database/orm_models.py` defines every domain's tables: not a context.
    facts = shop(
        modules=["shop.server.database.orm_models", "shop.server.database.query"],
        tables={"shop.server.database.orm_models": ("Flow", "FlowRun", "Deployment")},
    )
    scan = scan_apps(facts, DEFAULT)
    assert "shop.server.database" in scan.opened
    assert "shop.server.database" not in scan.apps | scan.doubtful
    assert {"shop.orders", "shop.billing"} <= scan.apps


def test_a_plugins_package_without_plugins_in_it_is_the_app_that_manages_them() -> None:
    # weblate/addons/: the Addon tables, the add-ons as modules, a management/ package
    managing = ["shop.addons.models", "shop.addons.cleanup", "shop.addons.management.commands"]
    scan = scan_apps(shop(modules=managing, tables={"shop.addons.models": ("Addon",)}), DEFAULT)
    assert "shop.addons" in scan.doubtful  # an app, unless its code names other contexts
    hosting = ["shop.addons.models", "shop.addons.paypal.views", "shop.addons.stripe.views"]
    scan = scan_apps(shop(modules=hosting, tables={"shop.addons.models": ("Addon",)}), DEFAULT)
    assert "shop.addons" not in scan.apps | scan.doubtful  # the framework its plugins plug into
