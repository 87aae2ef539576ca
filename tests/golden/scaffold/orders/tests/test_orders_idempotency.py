"""The service honours `Idempotency-Key`: a repeated POST gets the first answer, not a second run."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from orders_service.app import create_app


def counting_app() -> tuple[FastAPI, list[int]]:
    """The app, plus POST routes that count their runs: one fine, one that fails once."""
    app = create_app()
    runs: list[int] = []

    @app.post("/v1/_test/count")
    async def count(body: dict[str, int]) -> dict[str, int]:
        runs.append(body["n"])
        await asyncio.sleep(0.05)
        return {"runs": len(runs)}

    @app.post("/v1/_test/flaky")
    async def flaky(response: Response) -> dict[str, int]:
        runs.append(0)
        if len(runs) == 1:
            response.status_code = 503
        return {"runs": len(runs)}

    return app, runs


def test_a_repeated_key_gets_the_first_answer_without_a_second_run() -> None:
    app, runs = counting_app()
    key = {"Idempotency-Key": "k-1"}

    with TestClient(app) as client:
        first = client.post("/v1/_test/count", json={"n": 1}, headers=key)
        second = client.post("/v1/_test/count", json={"n": 1}, headers=key)

    assert runs == [1]
    assert second.status_code == first.status_code == 200
    assert second.json() == first.json() == {"runs": 1}
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_requests_without_a_key_run_every_time() -> None:
    app, runs = counting_app()

    with TestClient(app) as client:
        client.post("/v1/_test/count", json={"n": 1})
        client.post("/v1/_test/count", json={"n": 1})

    assert runs == [1, 1]


def test_a_key_reused_for_another_request_is_refused() -> None:
    app, runs = counting_app()
    key = {"Idempotency-Key": "k-2"}

    with TestClient(app) as client:
        client.post("/v1/_test/count", json={"n": 1}, headers=key)
        reused = client.post("/v1/_test/count", json={"n": 2}, headers=key)

    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert runs == [1]


def test_an_answer_worth_retrying_is_not_kept() -> None:
    app, runs = counting_app()
    key = {"Idempotency-Key": "k-3"}

    with TestClient(app) as client:
        first = client.post("/v1/_test/flaky", headers=key)
        retried = client.post("/v1/_test/flaky", headers=key)

    assert (first.status_code, retried.status_code) == (503, 200)
    assert len(runs) == 2


def test_a_repeat_while_the_first_runs_is_told_to_wait() -> None:
    app, runs = counting_app()
    key = {"Idempotency-Key": "k-4"}

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(
                *(client.post("/v1/_test/count", json={"n": 1}, headers=key) for _ in range(2))
            )
        return sorted(a.status_code for a in answers)

    assert asyncio.run(run()) == [200, 409]
    assert runs == [1]
