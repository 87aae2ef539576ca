"""The app's OpenAPI document is the committed contract, so neither drifts from the other."""

from __future__ import annotations

import json
from pathlib import Path

from orders_service.app import create_app

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "orders.v1.openapi.json"
# The monolith's routes keep their paths; calls between services are under /internal/v1/.
EXPECTED = [
    ("GET", "/api/orders"),
    ("GET", "/api/orders/{order_id}"),
    ("GET", "/internal/v1/get-order"),
    ("GET", "/internal/v1/list-orders-for-customer"),
    ("GET", "/internal/v1/order-lines/{order_line_id}"),
    ("GET", "/internal/v1/orders/{order_id}"),
    ("POST", "/api/orders/{order_id}/cancel"),
    ("POST", "/internal/v1/cancel-order"),
    ("POST", "/internal/v1/mark-paid"),
    ("POST", "/internal/v1/payments-for"),
    ("POST", "/internal/v1/place-order"),
    ("POST", "/internal/v1/sagas/checkout"),
    ("PUT", "/internal/v1/sagas/checkout/compensations/{saga_id}"),
]


def test_app_serves_the_committed_contract() -> None:
    committed = json.loads(CONTRACT.read_text(encoding="utf-8"))

    assert create_app().openapi() == committed


def test_contract_has_every_endpoint() -> None:
    paths = json.loads(CONTRACT.read_text(encoding="utf-8"))["paths"]

    operations = sorted((method.upper(), path) for path, ops in paths.items() for method in ops)
    assert operations == EXPECTED
