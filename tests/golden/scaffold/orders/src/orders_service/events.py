"""Events of the orders service, as `contracts/orders.v1.asyncapi.json` declares them.

Other services read this one's data: each change they must learn about is announced in
the transaction that makes it. `announce` writes the event into the outbox table
(`event_outbox`), so the event exists if and only if the change commits. The
`Publisher` sends what is committed and not sent yet, oldest first, and marks each event
sent: at least once, so a consumer ignores an event id it has seen. Run it beside the
service with `python -m orders_service.events`; until a broker is chosen it
sends to the log (`log_sink`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from orders_client import models
from orders_service.db import EventOutbox, engine, publish, relay

log = logging.getLogger(__name__)


class OrderChanged(BaseModel):
    """`orders.order.changed`: one order as a committed change left it."""

    id: int
    event_type: Literal["orders.order.changed"]
    aggregate: Literal["order"]
    aggregate_id: str
    created_at: datetime
    payload: models.Order


class OrderLineChanged(BaseModel):
    """`orders.order_line.changed`: one order line as a committed change left it."""

    id: int
    event_type: Literal["orders.order_line.changed"]
    aggregate: Literal["order_line"]
    aggregate_id: str
    created_at: datetime
    payload: models.OrderLine


#: Each event type (the address of its channel) and the message it is sent as.
EVENTS: dict[str, type[BaseModel]] = {
    "orders.order.changed": OrderChanged,
    "orders.order_line.changed": OrderLineChanged,
}
#: The wire model each event carries: the aggregate as it is after the change.
PAYLOADS: dict[str, type[BaseModel]] = {
    "orders.order.changed": models.Order,
    "orders.order_line.changed": models.OrderLine,
}
#: What each event is about.
AGGREGATES = {
    "orders.order.changed": "order",
    "orders.order_line.changed": "order_line",
}

#: Sends one message on a channel: `(address, message)`.
Send = Callable[[str, dict[str, Any]], None]


def announce(
    session: Session, event_type: str, aggregate_id: object, payload: BaseModel
) -> EventOutbox:
    """Record an event in the outbox, in the session's transaction: it commits with the change.

    Raises:
        KeyError: the contract has no such event type.
        pydantic.ValidationError: the payload is not the event's wire model.
    """
    wire = PAYLOADS[event_type]
    data = wire.model_validate(payload.model_dump(mode="json", by_alias=True))
    body = data.model_dump(mode="json", by_alias=True)
    return publish(session, event_type, AGGREGATES[event_type], aggregate_id, body)


def message(row: EventOutbox) -> dict[str, Any]:
    """The message an outbox row is sent as, checked against its event's schema."""
    envelope = {
        "id": row.id,
        "event_type": row.event_type,
        "aggregate": row.aggregate,
        "aggregate_id": row.aggregate_id,
        "created_at": row.created_at,
        "payload": row.payload,
    }
    event = EVENTS.get(row.event_type)
    if event is None:  # recorded with `publish` directly: sent as it is
        return {**envelope, "created_at": row.created_at.isoformat()}
    return event.model_validate(envelope).model_dump(mode="json", by_alias=True)


def log_sink(address: str, body: dict[str, Any]) -> None:
    """Stands for the broker until one is chosen: each message becomes a log line."""
    log.info("event %s %s", address, json.dumps(body, sort_keys=True))


class Publisher:
    """Sends the outbox's committed events not sent yet, oldest first, marking each sent."""

    def __init__(self, bind: Engine | None = None, send: Send = log_sink, batch: int = 100) -> None:
        self.bind = bind if bind is not None else engine()
        self.send = send
        self.batch = batch

    def publish_pending(self) -> int:
        """Send one batch; how many were sent.

        A send that fails leaves its event, and the batch's others, unmarked: they are sent
        again by the next call (consumers ignore an event id they have seen).
        """
        with Session(self.bind) as session:
            return relay(session, lambda row: self.send(row.event_type, message(row)), self.batch)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Publish until `stop` is set, pausing `interval` seconds when nothing is pending."""
        while not stop.is_set():
            try:
                sent = self.publish_pending()
            except Exception:
                log.exception("publishing the outbox failed; trying again")
                sent = 0
            if sent == 0:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)


def main() -> None:
    """Publish the outbox until interrupted; `OUTBOX_INTERVAL` seconds between empty polls."""
    logging.basicConfig(level=logging.INFO)
    interval = float(os.environ.get("OUTBOX_INTERVAL", "1"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Publisher().run(asyncio.Event(), interval))


if __name__ == "__main__":
    main()
