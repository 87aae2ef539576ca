"""Sagas of the orders service: the orchestrator that runs them, and their log.

A saga replaces a database transaction of the monolith that wrote data now owned by several
services (`sagas/` holds one module per transaction). It runs its steps in order, each a
call to the service that owns the data the step changes. When a step fails, the steps
already done are undone, last first, by their compensations: calls that must be
idempotent, since a compensation may be repeated (after a timeout, or a crash). The state
of each run is saved before every next call, in the service's own database (table
`saga_runs`), so a run a crash left half-way can be found with
`DatabaseStore.unfinished` and undone with `Orchestrator.compensate`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from orders_service.db import SagaRunRecord, engine

log = logging.getLogger(__name__)

RUNNING = "running"
COMPLETED = "completed"
COMPENSATING = "compensating"
COMPENSATED = "compensated"
#: A compensation failed: the run stays listed as unfinished; compensating it again is safe.
COMPENSATION_FAILED = "compensation_failed"
UNFINISHED = (RUNNING, COMPENSATING, COMPENSATION_FAILED)


@dataclass
class SagaRun:
    """One run of a saga: its data, the steps whose effect stands, what each step was sent."""

    saga: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = RUNNING
    done: list[str] = field(default_factory=list)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    #: What each step answered, for the steps after it; kept in this process only.
    results: dict[str, object] = field(default_factory=dict)

    def record(self, step: str, /, **arguments: Any) -> dict[str, Any]:
        """Keep the arguments a step sends (its compensation gets them) and return them."""
        self.sent[step] = arguments
        return arguments


Action = Callable[[SagaRun], Awaitable[object]]
Compensation = Callable[[SagaRun], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """One step: the call that does one service's part, and the call that undoes it."""

    name: str
    action: Action
    compensation: Compensation


class SagaFailed(Exception):
    """A step failed; the steps done before it were compensated (see `run.status`)."""

    def __init__(self, run: SagaRun, step: str) -> None:
        super().__init__(f"saga {run.saga} run {run.id} failed at step {step}: {run.status}")
        self.run = run
        self.step = step


class SagaStore(Protocol):
    """Where the runs are saved, at each change of their state."""

    def save(self, run: SagaRun) -> None:
        """Save the run's state (not its results)."""

    def load(self, run_id: str) -> SagaRun | None:
        """The run saved under this id, if any."""


class MemoryStore:
    """Runs kept in this process: for tests, and for sagas that may be lost with it."""

    def __init__(self) -> None:
        self._runs: dict[str, SagaRun] = {}

    def save(self, run: SagaRun) -> None:
        """Keep a copy of the run's state."""
        self._runs[run.id] = _copy(run)

    def load(self, run_id: str) -> SagaRun | None:
        """A copy of the run's saved state."""
        found = self._runs.get(run_id)
        return _copy(found) if found is not None else None


class DatabaseStore:
    """Runs saved in the service's database, a row each in `saga_runs`."""

    def __init__(self, bind: Engine | None = None) -> None:
        self.bind = bind if bind is not None else engine()

    def save(self, run: SagaRun) -> None:
        """Insert or update the run's row, in a transaction of its own."""
        with Session(self.bind) as session, session.begin():
            row = session.get(SagaRunRecord, run.id)
            if row is None:
                row = SagaRunRecord(id=run.id)
                session.add(row)
            row.saga = run.saga
            row.status = run.status
            row.data = run.data
            row.done = list(run.done)
            row.sent = dict(run.sent)
            row.error = run.error
            row.updated_at = datetime.now(timezone.utc)

    def load(self, run_id: str) -> SagaRun | None:
        """The run's saved state."""
        with Session(self.bind) as session:
            row = session.get(SagaRunRecord, run_id)
            return _run(row) if row is not None else None

    def unfinished(self) -> list[SagaRun]:
        """Runs left running or compensating (a crash), or whose compensation failed."""
        query = (
            select(SagaRunRecord)
            .where(SagaRunRecord.status.in_(UNFINISHED))
            .order_by(SagaRunRecord.updated_at)
        )
        with Session(self.bind) as session:
            return [_run(row) for row in session.scalars(query)]


def _run(row: SagaRunRecord) -> SagaRun:
    return SagaRun(
        saga=row.saga,
        data=dict(row.data),
        id=row.id,
        status=row.status,
        done=list(row.done),
        sent=dict(row.sent),
        error=row.error,
    )


def _copy(run: SagaRun) -> SagaRun:
    return SagaRun(
        saga=run.saga,
        data=dict(run.data),
        id=run.id,
        status=run.status,
        done=list(run.done),
        sent={step: dict(arguments) for step, arguments in run.sent.items()},
        error=run.error,
    )


class Orchestrator:
    """Runs sagas: every step in order, or the compensations of the steps done, in reverse."""

    def __init__(self, store: SagaStore) -> None:
        self.store = store

    async def run(
        self,
        saga: str,
        steps: Sequence[Step],
        data: Mapping[str, Any],
        run_id: str | None = None,
    ) -> SagaRun:
        """Run a saga to its end.

        Args:
            saga: its name.
            steps: its steps, in order.
            data: what the steps read (each takes its arguments from it).
            run_id: the run's id (new if None); the steps send it as their saga id.

        Returns:
            The run, completed.

        Raises:
            SagaFailed: a step failed; the steps done before it were compensated.
        """
        run = SagaRun(saga=saga, data=dict(data))
        if run_id is not None:
            run.id = run_id
        self.store.save(run)
        for step in steps:
            try:
                run.results[step.name] = await step.action(run)
            except Exception as error:
                run.error = f"{step.name}: {error!r}"
                log.warning("saga %s run %s: step %s failed", saga, run.id, step.name)
                await self.compensate(run, steps)
                raise SagaFailed(run, step.name) from error
            run.done.append(step.name)
            self.store.save(run)
        run.status = COMPLETED
        self.store.save(run)
        return run

    async def compensate(self, run: SagaRun, steps: Sequence[Step]) -> SagaRun:
        """Undo the steps done, last first; one that fails does not stop the others.

        A step whose compensation failed stays in `run.done` and the run ends
        `compensation_failed`: compensate it again later (compensations are idempotent).
        """
        run.status = COMPENSATING
        self.store.save(run)
        by_name = {step.name: step for step in steps}
        failed = []
        for name in reversed(list(run.done)):
            try:
                await by_name[name].compensation(run)
            except Exception:
                log.exception("saga %s run %s: compensating %s failed", run.saga, run.id, name)
                failed.append(name)
                continue
            run.done.remove(name)
            self.store.save(run)
        run.status = COMPENSATION_FAILED if failed else COMPENSATED
        self.store.save(run)
        return run
