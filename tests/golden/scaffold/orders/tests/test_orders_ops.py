"""Probes, metrics, correlation ids and JSON logs of the orders service."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import generate_latest

from orders_service.app import create_app
from orders_service.observability import JsonFormatter, Metrics, correlation_id
from orders_service.settings import Settings

PROBLEM = "application/problem+json"


def app_with_test_routes() -> FastAPI:
    """The app, plus a route that fails, and two routes of one path: typed query and body."""
    app = create_app()

    @app.get("/v1/_test/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    @app.get("/v1/_test/number")
    async def number(n: int) -> dict[str, int]:
        return {"n": n}

    @app.post("/v1/_test/number")
    async def set_number(body: dict[str, int]) -> dict[str, int]:
        return body

    return app


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


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


def test_unknown_path_answers_a_problem_with_the_correlation_id(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"X-Correlation-ID": "req-404"})

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404
    assert response.json()["correlation_id"] == "req-404"


def test_invalid_request_answers_a_422_problem_listing_the_errors() -> None:
    with TestClient(app_with_test_routes()) as client:
        response = client.get("/v1/_test/number", params={"n": "many"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["correlation_id"] == response.headers["X-Correlation-ID"]
    assert [error["loc"] for error in problem["errors"]] == [["query", "n"]]


def test_a_body_that_is_not_json_answers_a_400_problem() -> None:
    with TestClient(app_with_test_routes()) as client:
        response = client.post(
            "/v1/_test/number", content=b'{"n": ', headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 400


def test_a_method_the_path_does_not_serve_answers_405_allowing_all_it_does() -> None:
    with TestClient(app_with_test_routes()) as client:
        response = client.delete("/v1/_test/number")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    # Two routes serve the path: Allow names the methods of both.
    assert response.headers["Allow"] == "GET, POST"


def test_unhandled_error_answers_a_500_problem_and_logs_the_correlation_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with TestClient(app_with_test_routes()) as client:
        response = client.get("/v1/_test/boom", headers={"X-Correlation-ID": "req-500"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["X-Correlation-ID"] == "req-500"
    assert response.json()["correlation_id"] == "req-500"
    logged = [e for e in json_lines(capsys.readouterr().err) if e["message"] == "unhandled error"]
    assert len(logged) == 1
    assert logged[0]["correlation_id"] == "req-500"
    assert "RuntimeError: boom" in str(logged[0]["exception"])


def test_a_bad_log_level_is_reported_and_the_service_still_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings.from_env({"LOG_LEVEL": "verbose"})

    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200

    assert settings.log_level == "INFO"
    warnings = [e for e in json_lines(capsys.readouterr().err) if e["level"] == "WARNING"]
    assert any("LOG_LEVEL='verbose'" in str(e["message"]) for e in warnings)


def test_metrics_label_only_real_http_methods(client: TestClient) -> None:
    client.request("BREW", "/healthz")

    metrics = client.get("/metrics").text

    assert 'method="OTHER"' in metrics
    assert "BREW" not in metrics


def test_metrics_count_what_the_clients_of_other_services_do() -> None:
    metrics = Metrics()

    metrics.retried("peer-a", "503")
    metrics.shed("peer-a")
    metrics.circuit_changed("peer-a", "opened")

    text = generate_latest(metrics.registry).decode()
    assert 'peer_retries_total{peer="peer-a",reason="503"} 1.0' in text
    assert 'peer_bulkhead_rejections_total{peer="peer-a"} 1.0' in text
    assert 'peer_circuit{peer="peer-a",peer_circuit="opened"} 1.0' in text
