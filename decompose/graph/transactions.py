"""Transactions that hold for the whole project: Django views under `ATOMIC_REQUESTS`."""

from __future__ import annotations

from collections.abc import Sequence

from decompose.model import ModuleFacts


def project_transactions(facts: Sequence[ModuleFacts]) -> list[ModuleFacts]:
    """The facts with each view's candidate transaction kept only where it holds.

    A Django view runs in one transaction when a settings module sets `ATOMIC_REQUESTS`;
    without it, the candidates extraction recorded for views are dropped.
    """
    if any(f.atomic_requests for f in facts):
        return list(facts)
    return [
        f.model_copy(
            update={"transactions": tuple(t for t in f.transactions if t.kind != "request")}
        )
        if any(t.kind == "request" for t in f.transactions)
        else f
        for f in facts
    ]
