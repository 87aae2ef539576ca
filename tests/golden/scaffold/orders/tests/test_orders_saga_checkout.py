"""Saga checkout: its steps run in order; a failed step undoes the ones before it, last first."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from orders_service.saga import COMPENSATED, COMPLETED, MemoryStore, Orchestrator, SagaFailed
from orders_service.sagas.checkout import CheckoutSaga, Participants

#: (step, the client method it calls, the client method that undoes it), in order.
STEPS = [
    ("orders", "checkout", "compensate_checkout"),
    ("catalog", "checkout", "compensate_checkout"),
    ("customers", "checkout", "compensate_checkout"),
]
#: The saga's data: every value a step reads from it.
DATA: dict[str, Any] = {}


class FakeClient:
    """Stands in for one service's client: records every call; fails the one it is told to."""

    def __init__(self, step: str, calls: list[tuple[str, str]], failing: str | None) -> None:
        self.step = step
        self.calls = calls
        self.failing = failing

    def __getattr__(self, method: str) -> Any:
        async def call(**arguments: Any) -> None:
            self.calls.append((self.step, method))
            if method == self.failing:
                raise RuntimeError(f"{self.step}: {method} failed")

        return call


def saga(calls: list[tuple[str, str]], failing_step: int | None = None) -> CheckoutSaga:
    """The saga over fake clients; the step numbered `failing_step` (from 1) fails."""
    fakes = {
        step: FakeClient(step, calls, action if number == failing_step else None)
        for number, (step, action, _) in enumerate(STEPS, start=1)
    }
    return CheckoutSaga(Participants(**fakes))  # type: ignore[arg-type]


def test_every_step_runs_in_order_and_the_run_completes() -> None:
    calls: list[tuple[str, str]] = []
    store = MemoryStore()

    run = asyncio.run(saga(calls).run(Orchestrator(store), DATA))

    assert calls == [(step, action) for step, action, _ in STEPS]
    assert run.status == COMPLETED
    assert run.done == [step for step, _, _ in STEPS]
    saved = store.load(run.id)
    assert saved is not None and saved.status == COMPLETED


@pytest.mark.parametrize("failing", range(1, len(STEPS) + 1))
def test_a_failed_step_undoes_the_steps_before_it_last_first(failing: int) -> None:
    calls: list[tuple[str, str]] = []
    store = MemoryStore()

    with pytest.raises(SagaFailed) as raised:
        asyncio.run(saga(calls, failing).run(Orchestrator(store), DATA))

    done = [(step, action) for step, action, _ in STEPS[:failing]]
    undone = [(step, undo) for step, _, undo in reversed(STEPS[: failing - 1])]
    assert calls == done + undone
    run = raised.value.run
    assert (raised.value.step, run.status, run.done) == (STEPS[failing - 1][0], COMPENSATED, [])
    saved = store.load(run.id)
    assert saved is not None and saved.status == COMPENSATED
