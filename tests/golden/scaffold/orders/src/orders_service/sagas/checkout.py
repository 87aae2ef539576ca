"""Saga checkout: the transaction of `shop.orders.checkout`, one step per service.

In the monolith it was one database transaction (shop/orders/checkout.py:40) over data of 3 services.
Here each service does its part through its API, this service first, then the others by name (the report did not say in which order the monolith touched them),
and when a step fails the orchestrator (`orders_service.saga`) undoes the steps
already done, last first, with their compensations.

Steps:
1. orders (this service): `POST /internal/v1/sagas/checkout`, undone by `PUT /internal/v1/sagas/checkout/compensations/{saga_id}`
2. catalog: `POST /internal/v1/sagas/checkout`, undone by `PUT /internal/v1/sagas/checkout/compensations/{saga_id}`
3. customers: `POST /internal/v1/sagas/checkout`, undone by `PUT /internal/v1/sagas/checkout/compensations/{saga_id}`
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog_client import CatalogClient
from customers_client import CustomersClient

from orders_client import OrdersClient
from orders_service.saga import Orchestrator, SagaRun, Step

NAME = "checkout"


@dataclass
class Participants:
    """A client of each service the saga has a step in."""

    orders: OrdersClient
    catalog: CatalogClient
    customers: CustomersClient

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Participants:
        """Clients for the URLs in the environment, in-cluster defaults otherwise."""
        return cls(
            orders=OrdersClient.from_env(environ),
            catalog=CatalogClient.from_env(environ),
            customers=CustomersClient.from_env(environ),
        )

    async def aclose(self) -> None:
        """Close every client's connections."""
        await self.orders.aclose()
        await self.catalog.aclose()
        await self.customers.aclose()


class CheckoutSaga:
    """The steps of checkout, each with its compensation."""

    name = NAME

    def __init__(self, participants: Participants) -> None:
        self.participants = participants

    def steps(self) -> tuple[Step, ...]:
        """The steps, in order."""
        return (
            Step("orders", self.step_orders, self.undo_orders),
            Step("catalog", self.step_catalog, self.undo_catalog),
            Step("customers", self.step_customers, self.undo_customers),
        )

    async def run(
        self, orchestrator: Orchestrator, data: Mapping[str, Any], run_id: str | None = None
    ) -> SagaRun:
        """Run every step, or, when one fails, undo the ones done (raises `SagaFailed`)."""
        return await orchestrator.run(NAME, self.steps(), data, run_id)

    async def step_orders(self, run: SagaRun) -> object:
        """Step 1, orders (this service): the report does not say what the monolith used."""
        # TODO: send what checkout needs of the saga's data
        arguments = run.record("orders", saga_id=run.id, data=run.data)
        return await self.participants.orders.checkout(**arguments)

    async def undo_orders(self, run: SagaRun) -> None:
        """Undo step 1: orders compensates its part of this run (idempotent)."""
        await self.participants.orders.compensate_checkout(
            saga_id=run.id, arguments=run.sent.get("orders", {})
        )

    async def step_catalog(self, run: SagaRun) -> object:
        """Step 2, catalog: the report does not say what the monolith used."""
        # TODO: send what checkout needs of the saga's data
        arguments = run.record("catalog", saga_id=run.id, data=run.data)
        return await self.participants.catalog.checkout(**arguments)

    async def undo_catalog(self, run: SagaRun) -> None:
        """Undo step 2: catalog compensates its part of this run (idempotent)."""
        await self.participants.catalog.compensate_checkout(
            saga_id=run.id, arguments=run.sent.get("catalog", {})
        )

    async def step_customers(self, run: SagaRun) -> object:
        """Step 3, customers: the report does not say what the monolith used."""
        # TODO: send what checkout needs of the saga's data
        arguments = run.record("customers", saga_id=run.id, data=run.data)
        return await self.participants.customers.checkout(**arguments)

    async def undo_customers(self, run: SagaRun) -> None:
        """Undo step 3: customers compensates its part of this run (idempotent)."""
        await self.participants.customers.compensate_checkout(
            saga_id=run.id, arguments=run.sent.get("customers", {})
        )
