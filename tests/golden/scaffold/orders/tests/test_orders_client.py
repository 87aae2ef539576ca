"""The client package against the real app, and its resilience under failure."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from orders_client import (
    IDEMPOTENCY_HEADER,
    ApiError,
    BulkheadFull,
    OrdersClient,
    Policy,
    correlation_id,
)
from orders_client.resilience import Bulkhead

CALLS = [
    pytest.param("list_orders", {}, "shop.orders.views:list_orders", id="list_orders"),
    pytest.param(
        "get_order_view", {"order_id": 1}, "shop.orders.views:get_order_view", id="get_order_view"
    ),
    pytest.param("cancel", {"order_id": 1}, "shop.orders.views:cancel", id="cancel"),
    pytest.param(
        "place_order",
        {"customer_id": 1, "lines": []},
        "shop.orders.checkout:place_order",
        id="place_order",
    ),
    pytest.param("lookup_order", {"order_id": 1}, "shop.orders.models:Order", id="lookup_order"),
    pytest.param(
        "lookup_order_line",
        {"order_line_id": 1},
        "shop.orders.models:OrderLine",
        id="lookup_order_line",
    ),
    pytest.param(
        "cancel_order", {"order_id": 1}, "shop.orders.service:cancel_order", id="cancel_order"
    ),
    pytest.param("get_order", {"order_id": 1}, "shop.orders.service:get_order", id="get_order"),
    pytest.param(
        "list_orders_for_customer",
        {"customer_id": 1},
        "shop.orders.service:list_orders_for_customer",
        id="list_orders_for_customer",
    ),
    pytest.param(
        "mark_paid",
        {
            "order": {
                "id": 1,
                "number": "example",
                "status": "pending_payment",
                "customer_id": 1,
                "total_cents": 1,
                "placed_at": "2024-01-31T12:00:00Z",
            }
        },
        "shop.orders.service:mark_paid",
        id="mark_paid",
    ),
    pytest.param(
        "payments_for", {"order": None}, "shop.orders.service:payments_for", id="payments_for"
    ),
    pytest.param(
        "checkout", {"saga_id": "example", "data": {}}, "shop.orders.checkout", id="checkout"
    ),
    pytest.param(
        "compensate_checkout",
        {"saga_id": "example", "arguments": {}},
        "shop.orders.checkout",
        id="compensate_checkout",
    ),
]
FAST = Policy(backoff=0.001, max_backoff=0.002)


def call(
    operation: str,
    kwargs: dict[str, Any],
    transport: httpx.AsyncBaseTransport,
    policy: Policy = FAST,
) -> object:
    async def run() -> object:
        async with OrdersClient("http://test", transport=transport, policy=policy) as client:
            return await getattr(client, operation)(**kwargs)

    return asyncio.run(run())


def answering(status: int, seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={"title": "error", "status": status})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("operation", "kwargs", "replaces"), CALLS)
def test_client_reaches_the_stub(
    app: FastAPI, operation: str, kwargs: dict[str, Any], replaces: str
) -> None:
    with pytest.raises(ApiError) as raised:
        call(operation, kwargs, httpx.ASGITransport(app=app))

    assert raised.value.status == 501
    assert raised.value.problem["replaces"] == replaces


def test_client_sends_the_callers_correlation_id() -> None:
    seen: list[httpx.Request] = []
    token = correlation_id.set("req-99")
    try:
        with pytest.raises(ApiError):
            call("list_orders", {}, answering(501, seen))
    finally:
        correlation_id.reset(token)

    assert seen[0].headers["X-Correlation-ID"] == "req-99"


def test_client_retries_idempotent_calls_while_the_service_is_unavailable() -> None:
    seen: list[httpx.Request] = []

    with pytest.raises(ApiError):
        call("list_orders", {}, answering(503, seen))

    assert len(seen) == FAST.attempts


def test_client_retries_other_calls_with_one_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    with pytest.raises(ApiError):
        call("cancel", {"order_id": 1}, answering(503, seen))

    keys = {request.headers.get(IDEMPOTENCY_HEADER) for request in seen}
    assert len(seen) == FAST.attempts
    assert len(keys) == 1 and None not in keys


def test_bulkhead_sheds_calls_beyond_its_limit() -> None:
    async def run() -> None:
        bulkhead = Bulkhead(limit=1, queue_timeout=0.01)
        async with bulkhead.slot():
            with pytest.raises(BulkheadFull):
                async with bulkhead.slot():
                    pass

    asyncio.run(run())


def test_client_finds_its_service_in_the_environment() -> None:
    async def run() -> str:
        async with OrdersClient.from_env({"ORDERS_URL": "http://elsewhere:9000"}) as client:
            return client.base_url

    assert asyncio.run(run()) == "http://elsewhere:9000"
