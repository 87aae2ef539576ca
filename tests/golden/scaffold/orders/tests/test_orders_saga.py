"""The saga orchestrator: runs saved in the service's database, and compensations that fail."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from orders_service.db import Base
from orders_service.saga import (
    COMPENSATION_FAILED,
    COMPLETED,
    DatabaseStore,
    Orchestrator,
    SagaFailed,
    SagaRun,
    Step,
)


class Journal:
    """Steps that append to a list, one of them failing, one compensation failing."""

    def __init__(self, failing: str | None = None, stubborn: str | None = None) -> None:
        self.calls: list[str] = []
        self.failing = failing
        self.stubborn = stubborn

    def step(self, name: str) -> Step:
        async def action(run: SagaRun) -> str:
            run.record(name, value=run.data[name])
            self.calls.append(name)
            if name == self.failing:
                raise RuntimeError(name)
            return name.upper()

        async def compensation(run: SagaRun) -> None:
            self.calls.append(f"undo {name} {run.sent[name]['value']}")
            if name == self.stubborn:
                raise RuntimeError(f"undo {name}")

        return Step(name, action, compensation)


@pytest.fixture
def store(tmp_path: Path) -> DatabaseStore:
    bind = create_engine(f"sqlite:///{tmp_path / 'sagas.db'}")
    Base.metadata.create_all(bind)
    return DatabaseStore(bind)


def test_a_completed_run_is_saved_in_the_database(store: DatabaseStore) -> None:
    journal = Journal()
    steps = [journal.step("a"), journal.step("b")]

    run = asyncio.run(Orchestrator(store).run("example", steps, {"a": 1, "b": 2}, "run-1"))

    assert run.results == {"a": "A", "b": "B"}
    saved = store.load("run-1")
    assert saved is not None
    assert (saved.status, saved.done, saved.data) == (COMPLETED, ["a", "b"], {"a": 1, "b": 2})
    assert saved.sent == {"a": {"value": 1}, "b": {"value": 2}}
    assert store.unfinished() == []


def test_a_failed_compensation_leaves_the_run_unfinished_and_the_others_still_run(
    store: DatabaseStore,
) -> None:
    journal = Journal(failing="c", stubborn="b")
    steps = [journal.step("a"), journal.step("b"), journal.step("c")]

    with pytest.raises(SagaFailed):
        asyncio.run(Orchestrator(store).run("example", steps, {"a": 1, "b": 2, "c": 3}, "run-2"))

    assert journal.calls == ["a", "b", "c", "undo b 2", "undo a 1"]
    [left] = store.unfinished()
    assert (left.id, left.status, left.done) == ("run-2", COMPENSATION_FAILED, ["b"])
    assert left.error is not None and left.error.startswith("c: ")

    journal.stubborn = None
    asyncio.run(Orchestrator(store).compensate(left, steps))
    assert journal.calls[-1] == "undo b 2"
    assert store.unfinished() == []
