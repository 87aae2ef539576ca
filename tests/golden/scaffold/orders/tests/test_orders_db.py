"""The migration creates exactly the service's own tables, as its models declare them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from orders_service.db import Base

ROOT = Path(__file__).resolve().parents[1]
TABLES = {
    "orders",
    "order_lines",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'service.db'}")
    return config


def test_the_migration_creates_exactly_the_tables_the_service_owns(config: Config) -> None:
    command.upgrade(config, "head")

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        created = set(inspect(connection).get_table_names()) - {"alembic_version"}
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert created == TABLES == set(Base.metadata.tables)
    assert differences == []


def test_the_migration_can_be_undone(config: Config) -> None:
    command.upgrade(config, "head")
    command.downgrade(config, "base")

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        left = set(inspect(connection).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert left == set()
