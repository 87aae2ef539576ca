"""Events: the classes are the committed AsyncAPI contract, and the outbox publishes each once."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic.json_schema import models_json_schema
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from orders_service.db import Base, EventOutbox
from orders_service.events import EVENTS, PAYLOADS, Publisher, announce

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "orders.v1.asyncapi.json"
REF_TEMPLATE = "#/components/schemas/{model}"
#: A payload of each event that passes validation.
EXAMPLES: dict[str, Any] = {
    "orders.order.changed": {
        "id": 1,
        "number": "example",
        "status": "pending_payment",
        "customer_id": 1,
        "total_cents": 1,
        "placed_at": "2024-01-31T12:00:00Z",
    },
    "orders.order_line.changed": {"id": 1, "order_id": 1, "product_id": 1, "quantity": 1},
}
EVENT = "orders.order.changed"


@pytest.fixture
def bind(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    Base.metadata.create_all(engine)
    return engine


def payload(event_type: str) -> Any:
    return PAYLOADS[event_type].model_validate(EXAMPLES[event_type])


def test_the_event_classes_are_the_committed_contract() -> None:
    document = json.loads(CONTRACT.read_text(encoding="utf-8"))
    classes = [(event, "validation") for event in EVENTS.values()]

    _, schemas = models_json_schema(classes, ref_template=REF_TEMPLATE)  # type: ignore[arg-type]

    assert document["asyncapi"] == "3.0.0"
    assert document["components"]["schemas"] == schemas["$defs"]
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == set(EVENTS)


def test_an_event_is_published_once_if_its_change_commits_and_never_if_not(bind: Engine) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    with Session(bind) as session:
        announce(session, EVENT, 1, payload(EVENT))
        session.rollback()
        for event_type in EVENTS:
            announce(session, event_type, 2, payload(event_type))
        session.commit()
    publisher = Publisher(bind, lambda address, body: sent.append((address, body)))

    assert publisher.publish_pending() == len(EVENTS)
    assert publisher.publish_pending() == 0
    assert [address for address, _ in sent] == list(EVENTS)
    for address, body in sent:
        assert EVENTS[address].model_validate(body).aggregate_id == "2"
    with Session(bind) as session:
        rows = session.scalars(select(EventOutbox)).all()
        assert all(row.published_at is not None for row in rows)


def test_an_event_whose_sending_fails_is_sent_again_next_time(bind: Engine) -> None:
    with Session(bind) as session:
        announce(session, EVENT, 3, payload(EVENT))
        session.commit()

    def broken(address: str, body: dict[str, Any]) -> None:
        raise ConnectionError("the broker is down")

    with pytest.raises(ConnectionError):
        Publisher(bind, broken).publish_pending()
    sent: list[str] = []
    assert Publisher(bind, lambda address, body: sent.append(address)).publish_pending() == 1
    assert sent == [EVENT]


def test_an_event_the_contract_does_not_declare_is_refused(bind: Engine) -> None:
    with Session(bind) as session, pytest.raises(KeyError):
        announce(session, "not.an.event", 1, payload(EVENT))


def test_the_publisher_runs_until_stopped(bind: Engine) -> None:
    with Session(bind) as session:
        announce(session, EVENT, 4, payload(EVENT))
        session.commit()
    sent: list[str] = []

    async def publish_then_stop() -> None:
        stop = asyncio.Event()

        def send(address: str, body: dict[str, Any]) -> None:
            sent.append(address)
            stop.set()

        await asyncio.wait_for(Publisher(bind, send).run(stop, interval=0.01), timeout=5)

    asyncio.run(publish_then_stop())
    assert sent == [EVENT]
