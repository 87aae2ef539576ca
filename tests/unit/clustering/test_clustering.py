"""Clustering behaviour on small trees: domains from packages, layers sliced, constraints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decompose.api import analyze_graph
from decompose.clustering import algorithm_names, cluster_modules
from decompose.clustering.naming import identifier, name_communities
from decompose.clustering.tree import Tree
from decompose.config import Settings
from decompose.errors import ConfigError

ROOT = Path(__file__).parents[3]
EXAMPLE = ROOT / "examples" / "monolith_app"

DOMAIN = """
from app.kernel.db import Base, session
from app.kernel.util import log
from app.{other}.service import lookup_{other}


class {Name}(Base):
    __tablename__ = "{name}s"


def create_{name}(data):
    log(data)
    lookup_{other}(data)
    return session.add({Name}())


def lookup_{name}(key):
    return session.get({Name}, key)
"""


def layered_tree(build_file_tree):  # type: ignore[no-untyped-def]
    files = {
        "app/__init__.py": "",
        "app/kernel/__init__.py": "",
        "app/kernel/db.py": "class Base: pass\nsession = None\n",
        "app/kernel/util.py": "def log(x):\n    return x\n",
        "app/api/__init__.py": "from . import orders, billing, users\n",
    }
    names = ["orders", "billing", "users"]
    for i, name in enumerate(names):
        other = names[(i + 1) % 3]
        files[f"app/{name}/__init__.py"] = ""
        files[f"app/{name}/models.py"] = (
            f"from app.kernel.db import Base\n\nclass Row(Base):\n    __tablename__ = 't_{name}'\n"
        )
        files[f"app/{name}/service.py"] = DOMAIN.format(name=name, Name=name.title(), other=other)
        files[f"app/{name}/schemas.py"] = f"from app.{name}.models import Row\n\nSCHEMA = Row\n"
        files[f"app/api/{name}.py"] = (
            f"from app.{name}.service import create_{name}, lookup_{name}\n"
            f"from app.{name}.schemas import SCHEMA\n"
            "from app.kernel.util import log\n\n"
            f"def post(x):\n    log(x)\n    return create_{name}(x), lookup_{name}(x), SCHEMA\n"
        )
    return build_file_tree(files)


def partition(root: Path, **settings: object) -> dict[str, str | None]:
    graph = analyze_graph(root, Settings(cache=False)).graph
    return cluster_modules(graph, Settings(cache=False, **settings))  # type: ignore[arg-type]


def test_horizontal_layer_is_sliced_into_its_domains(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = partition(layered_tree(build_file_tree))
    for name in ("orders", "billing", "users"):
        assert result[f"app.api.{name}"] == result[f"app.{name}.service"] == name
    assert result["app.kernel.db"] is None and result["app.kernel.util"] is None
    assert result["app.api"] is None  # registers every domain's views: wiring
    assert result["app"] is None


def test_exact_service_count_and_pins(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = layered_tree(build_file_tree)
    for n in (1, 2, 5):
        services = {s for s in partition(root, services=n).values() if s is not None}
        assert len(services) == n
    pinned = partition(root, pins={"app.api.users": "gateway"})
    assert pinned["app.api.users"] == "gateway" and pinned["app.users.service"] == "users"


def test_keep_together_and_named_shared_kernel(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = layered_tree(build_file_tree)
    together = partition(root, keep_together=[["app.orders", "app.billing.models"]])
    assert together["app.billing.models"] == together["app.orders.service"]
    shared = partition(root, shared=["app.users.schemas"])
    assert shared["app.users.schemas"] is None


@pytest.mark.parametrize("algorithm", algorithm_names())
def test_every_algorithm_assigns_every_module(build_file_tree, algorithm: str) -> None:  # type: ignore[no-untyped-def]
    root = layered_tree(build_file_tree)
    try:
        result = partition(root, algorithm=algorithm)
    except ConfigError:
        pytest.skip(f"{algorithm} needs an optional extra")
    graph = analyze_graph(root, Settings(cache=False)).graph
    assert set(result) == set(graph.nodes)
    assert all(s is None or s.isidentifier() for s in result.values())


def test_unknown_algorithm_is_a_config_error(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="unknown algorithm"):
        partition(layered_tree(build_file_tree), algorithm="kmeans")


def test_flat_package_is_clustered_not_shattered(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    files = {"lib/__init__.py": ""}
    for group in ("a", "b"):
        for i in range(5):
            imports = "".join(f"from lib.{group}{j} import f{j}\n" for j in range(5) if j != i)
            files[f"lib/{group}{i}.py"] = imports + f"def f{i}():\n    return 1\n"
    result = partition(build_file_tree(files))
    services = {s for s in result.values() if s is not None}
    assert len(services) == 2
    assert len({result[f"lib.a{i}"] for i in range(5)}) == 1


def test_monolith_app_agrees_with_the_architect() -> None:
    from decompose.metrics import compare_partitions

    expected = json.loads((EXAMPLE / "expected_decomposition.json").read_text())
    agreement = compare_partitions(partition(EXAMPLE), expected)
    assert agreement.mojofm == 1.0  # the README says so
    assert agreement.common_modules == len(expected)


def test_same_seed_same_partition() -> None:
    assert partition(EXAMPLE, algorithm="louvain", seed=3) == partition(
        EXAMPLE, algorithm="louvain", seed=3
    )


def test_names_are_unique_identifiers_from_domain_terms() -> None:
    communities = [
        {"shop.orders.models", "shop.orders.service"},
        {"shop.api.orders"},
        {"shop.utils"},
    ]
    names = name_communities(communities, Tree.of(dict.fromkeys(set().union(*communities), 1)))
    assert names[0] == "orders"
    assert len(set(names)) == 3 and all(n.isidentifier() for n in names)


@given(st.text(max_size=40))
def test_identifier_is_always_valid(text: str) -> None:
    name = identifier(text)
    assert name.isidentifier() and name == name.lower()


def core_tree(build_file_tree):  # type: ignore[no-untyped-def]
    """Every domain's models side by side in one core package, layers stacked on them."""
    files = {
        "core/__init__.py": "",
        "core/models/__init__.py": (
            "from .orders import Order\nfrom .items import Item\nfrom .users import User\n"
            "from .labels import Label\n"
        ),
        "core/models/base.py": (
            "from sqlalchemy.orm import DeclarativeBase\n\nclass Base(DeclarativeBase):\n    pass\n"
        ),
        "core/models/labels.py": (
            "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import mapped_column\n"
            "from .base import Base\n\nclass Label(Base):\n    __tablename__ = 'labels'\n"
            "    order_id = mapped_column(ForeignKey('orders.id'))\n"
        ),
        "core/services/__init__.py": "",
        "core/api/__init__.py": "from . import orders, items, users\n",
        "core/utils/__init__.py": "",
        "core/utils/text.py": "def slug(x):\n    return x\n",
        "core/utils/dates.py": (
            "from core.utils.text import slug\n\ndef today():\n    return slug(1)\n"
        ),
        "core/cli.py": "from core.utils.dates import today\n\ndef main():\n    return today()\n",
        "reports/__init__.py": "",
        "reports/sales.py": (
            "from core.services.orders import find_orders\n\n"
            "def report():\n    return find_orders(), find_orders()\n"
        ),
    }
    names = ["orders", "items", "users"]
    for i, name in enumerate(names):
        model = name.title()[:-1]
        other = names[(i + 1) % 3].title()[:-1]
        files[f"core/models/{name}.py"] = (
            "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import mapped_column\n"
            f"from .base import Base\n\nclass {model}(Base):\n    __tablename__ = '{name}'\n"
        )
        files[f"core/services/{name}.py"] = (
            f"from core.models import {model}, {other}\n\n"
            f"def find_{name}():\n    return {model}(), {model}(), {model}(), {other}()\n"
            f"def save_{name}(x):\n    return {model}(x)\n"
        )
        files[f"core/api/{name}.py"] = (
            f"from core.services.{name} import find_{name}, save_{name}\n\n"
            f"def get():\n    return find_{name}()\n"
            f"def post(x):\n    return save_{name}(x)\n"
        )
    return build_file_tree(files)


def test_a_core_package_of_many_domains_models_is_cut_around_them(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = partition(core_tree(build_file_tree))
    services = set()
    for name in ("orders", "items", "users"):
        # the model, the service on it and the API on that service: one domain
        members = {f"core.models.{name}", f"core.services.{name}", f"core.api.{name}"}
        assert len({result[m] for m in members}) == 1, {m: result[m] for m in members}
        services.add(result[f"core.models.{name}"])
    assert len(services) == 3 and None not in services
    # a model nothing works with on its own belongs to the aggregate it references
    assert result["core.models.labels"] == result["core.models.orders"]
    # a one-module package without data is no service: it joins what it uses
    assert result["reports.sales"] == result["core.models.orders"]
    # the core's plumbing, and what ties to no domain, is the shared kernel
    assert result["core.utils.dates"] is None and result["core.cli"] is None


LAYERED_FLASK = {
    "ctf/__init__.py": "from ctf.models import db\n",
    "ctf/models.py": """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()
        class Challenges(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        class Flags(db.Model):
            challenge_id = db.Column(db.Integer, db.ForeignKey("challenges.id"))
        class Users(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        class Tokens(db.Model):
            user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
        class Teams(db.Model):
            captain_id = db.Column(db.Integer, db.ForeignKey("users.id"))
        class Pages(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        class Awards(db.Model):
            user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
            team_id = db.Column(db.Integer, db.ForeignKey("teams.id"))
        class Configs(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "ctf/utils/__init__.py": "",
    "ctf/utils/dates.py": "def now():\n    return 1\n",
    "ctf/api/__init__.py": "",
    "ctf/schemas/__init__.py": "",
    "ctf/admin/__init__.py": "",
}
for _layer in ("api", "schemas", "admin"):
    for _name, _model in (("challenges", "Challenges"), ("flags", "Flags"), ("users", "Users"),
                          ("teams", "Teams"), ("pages", "Pages")):  # fmt: skip
        LAYERED_FLASK[f"ctf/{_layer}/{_name}.py"] = (
            f"from ctf.models import {_model}\nfrom ctf.utils.dates import now\n\n"
            f"def get():\n    return {_model}, now()\n"
        )
LAYERED_FLASK["ctf/admin/statistics.py"] = (
    "from ctf.models import Awards, Users\n\nX = Awards, Users\n"
)
LAYERED_FLASK["ctf/api/statistics.py"] = (
    "from ctf.models import Awards, Teams\n\nX = Awards, Teams\n"
)
LAYERED_FLASK["ctf/schemas/statistics.py"] = "from ctf.models import Teams\n\nX = Teams\n"


def test_technical_layers_over_one_models_module_are_sliced_by_entity(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    result = partition(build_file_tree(LAYERED_FLASK))
    for name in ("challenges", "users", "teams", "pages"):
        assert {result[f"ctf.{layer}.{name}"] for layer in ("api", "schemas", "admin")} == {name}
    # a flag belongs to exactly one challenge: part of its aggregate
    assert result["ctf.api.flags"] == "challenges"
    # a name found in several layers, with no table of its own, is a capability
    assert {result[f"ctf.{layer}.statistics"] for layer in ("api", "schemas", "admin")} == {
        "statistics"
    }
    # no technical layer is a service, and the one models module is to be split
    assert not {"api", "schemas", "admin", "utils"} & set(result.values())
    assert result["ctf.models"] is None and result["ctf.utils.dates"] is None


REUSABLE_APPS = {
    "shop/__init__.py": "",
    "shop/core/__init__.py": "",
    "shop/core/loading.py": "def get_model(label, name):\n    return name\n"
    "def get_class(path, name):\n    return name\n",
    "shop/core/application.py": (
        "from django.apps import AppConfig\n\nclass ShopConfig(AppConfig):\n    pass\n"
    ),
    "shop/apps/__init__.py": "",
    "shop/apps/dashboard/__init__.py": "",
    "shop/apps/dashboard/menu.py": "MENU = []\n",
}
for _app, _model, _other in (("catalogue", "Product", "order"), ("order", "Order", "catalogue"),
                             ("offer", "Offer", "order")):  # fmt: skip
    base = f"shop/apps/{_app}"
    REUSABLE_APPS[f"{base}/__init__.py"] = ""
    REUSABLE_APPS[f"{base}/apps.py"] = (
        "from shop.core.application import ShopConfig\n\n"
        f"class {_app.title()}Config(ShopConfig):\n    label = '{_app}'\n"
    )
    REUSABLE_APPS[f"{base}/abstract_models.py"] = (
        f"from django.db import models\n\nclass Abstract{_model}(models.Model):\n"
        f"    name = models.CharField(max_length=9)\n    class Meta:\n        abstract = True\n"
    )
    REUSABLE_APPS[f"{base}/models.py"] = (
        f"from shop.apps.{_app}.abstract_models import *\n\n"
        f"if True:\n    class {_model}(Abstract{_model}):\n        pass\n"
    )
    REUSABLE_APPS[f"{base}/views.py"] = (
        "from shop.core.loading import get_class, get_model\n\n"
        f"{_model} = get_model('{_app}', '{_model}')\n"
        f"Other = get_class('{_other}.views', 'View')\n\nclass View:\n    pass\n"
    )
    REUSABLE_APPS[f"shop/apps/dashboard/{_app}/__init__.py"] = ""
    REUSABLE_APPS[f"shop/apps/dashboard/{_app}/views.py"] = (
        f"from shop.core.loading import get_model\n\n{_model} = get_model('{_app}', '{_model}')\n"
    )


def test_reusable_apps_loaded_by_name_and_their_dashboard(build_file_tree) -> None:  # type: ignore[no-untyped-def]
    root = build_file_tree(REUSABLE_APPS)
    graph = analyze_graph(root, Settings(cache=False)).graph
    models = graph.graph["models"]
    # `class Order(AbstractOrder): pass` under an `if` is a concrete model
    assert not models[("shop.apps.order.models", "Order")].abstract
    # `get_model("order", "Order")` and `get_class("catalogue.views", ...)` are dependencies
    assert graph.has_edge("shop.apps.dashboard.order.views", "shop.apps.order.models")
    assert graph.has_edge("shop.apps.order.views", "shop.apps.catalogue.views")
    result = partition(root)
    for app in ("catalogue", "order", "offer"):
        assert result[f"shop.apps.{app}.views"] == app
        assert result[f"shop.apps.dashboard.{app}.views"] == app  # the dashboard is a layer
    assert "dashboard" not in result.values()
