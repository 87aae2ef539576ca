"""Fixtures: the app behind a TestClient, started and stopped as in production."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from orders_service.app import create_app


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A fresh app, started and stopped around one test."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def app() -> FastAPI:
    """One app shared by the tests that only call stateless endpoints (building it is slow)."""
    return create_app()


@pytest.fixture(scope="session")
def stub_client(app: FastAPI) -> Iterator[TestClient]:
    """The shared app, started once for the whole session."""
    with TestClient(app) as test_client:
        yield test_client
