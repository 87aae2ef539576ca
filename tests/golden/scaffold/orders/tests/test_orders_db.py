"""The migration creates exactly the service's own tables, as its models declare them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import Session

from orders_service.db import Base, publish, relay

ROOT = Path(__file__).resolve().parents[1]
TABLES = {
    "orders",
    "order_lines",
    "event_outbox",
    "saga_runs",
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


def test_an_event_is_relayed_once_if_its_change_commits_and_never_if_not(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    Base.metadata.create_all(engine)
    sent: list[str] = []
    with Session(engine) as session:
        publish(session, "rolled_back", "example", 1, {"id": 1})
        session.rollback()
        publish(session, "changed", "example", 2, {"id": 2})
        session.commit()

        assert relay(session, lambda message: sent.append(message.event_type)) == 1
        assert relay(session, lambda message: sent.append(message.event_type)) == 0
    engine.dispose()
    assert sent == ["changed"]
