"""Clustering behaviour on small trees: domains from packages, layers sliced, constraints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decompose.api import analyze_graph
from decompose.clustering import algorithm_names, cluster_modules
from decompose.clustering.naming import identifier, name_services
from decompose.clustering.structure import group_units
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
    assert agreement.mojofm >= 0.9
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
    names = name_services(communities, {}, group_units(set().union(*communities), {}))
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
    assert result["reports.sales"] == "reports"  # a package outside the core stays whole
    # what is left of the core outside its domains stays one platform core
    assert result["core.utils.dates"] == result["core.cli"] not in services | {None}
