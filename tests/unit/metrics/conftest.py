"""Fixtures for the measure stage: graphs built from tiny source trees or by hand."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import networkx as nx
import pytest

from decompose.discovery import discover
from decompose.extraction import extract_tree
from decompose.graph import build_graph

GraphFactory = Callable[[Mapping[str, str]], nx.DiGraph]


def build_file_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write dedented `files` ({relative path: source}) under `root`; return `root`."""
    for relpath, source in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_graph(tmp_path: Path) -> GraphFactory:
    """Build the module graph of a source tree written into tmp_path."""

    def make(files: Mapping[str, str]) -> nx.DiGraph:
        tree = discover(build_file_tree(tmp_path, files))
        return build_graph(extract_tree(tree, jobs=1).facts, tree.aliases)

    return make


def by_package(graph: nx.DiGraph) -> dict[str, str | None]:
    """`app.<service>.*` -> service; `app`, `app.kernel.*` -> shared kernel."""
    partition: dict[str, str | None] = {}
    for module in graph:
        parts = module.split(".")
        partition[module] = parts[1] if len(parts) > 1 and parts[1] != "kernel" else None
    return partition


@pytest.fixture
def package_partition() -> Callable[[nx.DiGraph], dict[str, str | None]]:
    """The partition by second-level package (see `by_package`)."""
    return by_package


KERNEL_DB = """
    from sqlalchemy.orm import DeclarativeBase


    class Base(DeclarativeBase):
        pass


    session = None
"""

ORDERS_MODELS = """
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column

    from app.kernel.db import Base


    class Order(Base):
        __tablename__ = "orders"
        id: Mapped[int] = mapped_column(primary_key=True)


    class OrderLine(Base):
        __tablename__ = "order_lines"
        id: Mapped[int] = mapped_column(primary_key=True)
        order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
"""


@pytest.fixture
def data_files() -> dict[str, str]:
    """A kernel with a declarative base, and an orders service with two models."""
    return {
        "app/__init__.py": "",
        "app/kernel/__init__.py": "",
        "app/kernel/db.py": KERNEL_DB,
        "app/orders/__init__.py": "from app.orders.models import Order\n",
        "app/orders/models.py": ORDERS_MODELS,
    }
