"""Probes, metrics, correlation ids and JSON logs of the orders service."""

from __future__ import annotations

import json
import logging

from fastapi.testclient import TestClient

from orders_service.app import create_app
from orders_service.observability import JsonFormatter, correlation_id


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_ready_once_started(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_answers_503_before_startup() -> None:
    response = TestClient(create_app()).get("/readyz")  # no lifespan: startup never ran

    assert response.status_code == 503


def test_metrics_count_requests_by_route(client: TestClient) -> None:
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in response.text


def test_correlation_id_is_passed_through(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Correlation-ID": "req-42"})

    assert response.headers["X-Correlation-ID"] == "req-42"


def test_correlation_id_is_made_up_when_missing(client: TestClient) -> None:
    first = client.get("/healthz").headers["X-Correlation-ID"]
    second = client.get("/healthz").headers["X-Correlation-ID"]

    assert first and second and first != second


def test_logs_are_json_lines_with_the_correlation_id() -> None:
    record = logging.LogRecord("test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    token = correlation_id.set("req-7")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        correlation_id.reset(token)

    assert entry["message"] == "hello world"
    assert entry["level"] == "INFO"
    assert entry["correlation_id"] == "req-7"
    assert entry["service"] == "orders"
