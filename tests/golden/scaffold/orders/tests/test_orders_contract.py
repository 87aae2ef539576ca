"""The app's OpenAPI document is the committed contract, so neither drifts from the other."""

from __future__ import annotations

import json
from pathlib import Path

from orders_service.app import create_app

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "orders.v1.openapi.json"


def test_app_serves_the_committed_contract() -> None:
    committed = json.loads(CONTRACT.read_text(encoding="utf-8"))

    assert create_app().openapi() == committed


def test_contract_is_versioned_and_has_every_endpoint() -> None:
    paths = json.loads(CONTRACT.read_text(encoding="utf-8"))["paths"]

    assert all(path.startswith("/v1/") for path in paths)
    assert len([op for ops in paths.values() for op in ops]) == 8
