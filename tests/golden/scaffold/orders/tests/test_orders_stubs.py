"""Each endpoint is a stub: it answers 501 with a problem naming the monolith code it replaces."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

STUBS = [
    pytest.param(
        "GET",
        "/api/orders",
        {},
        None,
        "shop.orders.views:list_orders",
        id="list_orders",
    ),
    pytest.param(
        "GET",
        "/api/orders/1",
        {},
        None,
        "shop.orders.views:get_order_view",
        id="get_order_view",
    ),
    pytest.param(
        "POST",
        "/api/orders/1/cancel",
        {},
        {},
        "shop.orders.views:cancel",
        id="cancel",
    ),
    pytest.param(
        "POST",
        "/internal/v1/place-order",
        {},
        {"customer_id": 1, "lines": []},
        "shop.orders.checkout:place_order",
        id="place_order",
    ),
    pytest.param(
        "GET",
        "/internal/v1/orders/1",
        {},
        None,
        "shop.orders.models:Order",
        id="lookup_order",
    ),
    pytest.param(
        "GET",
        "/internal/v1/order-lines/1",
        {},
        None,
        "shop.orders.models:OrderLine",
        id="lookup_order_line",
    ),
    pytest.param(
        "POST",
        "/internal/v1/cancel-order",
        {},
        {"order_id": 1},
        "shop.orders.service:cancel_order",
        id="cancel_order",
    ),
    pytest.param(
        "GET",
        "/internal/v1/get-order",
        {"order_id": 1},
        None,
        "shop.orders.service:get_order",
        id="get_order",
    ),
    pytest.param(
        "GET",
        "/internal/v1/list-orders-for-customer",
        {"customer_id": 1},
        None,
        "shop.orders.service:list_orders_for_customer",
        id="list_orders_for_customer",
    ),
    pytest.param(
        "POST",
        "/internal/v1/mark-paid",
        {},
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
        "POST",
        "/internal/v1/payments-for",
        {},
        {"order": None},
        "shop.orders.service:payments_for",
        id="payments_for",
    ),
    pytest.param(
        "POST",
        "/internal/v1/sagas/checkout",
        {},
        {"saga_id": "example", "data": {}},
        "shop.orders.checkout",
        id="checkout",
    ),
    pytest.param(
        "PUT",
        "/internal/v1/sagas/checkout/compensations/example",
        {},
        {"arguments": {}},
        "shop.orders.checkout",
        id="compensate_checkout",
    ),
]


@pytest.mark.parametrize(("method", "url", "query", "body", "replaces"), STUBS)
def test_stub_answers_501_naming_the_monolith_code(
    stub_client: TestClient,
    method: str,
    url: str,
    query: dict[str, object],
    body: dict[str, object] | None,
    replaces: str,
) -> None:
    response = stub_client.request(method, url, params=query, json=body)

    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 501
    assert problem["replaces"] == replaces
    assert replaces in problem["detail"]
    assert problem["instance"] == url
