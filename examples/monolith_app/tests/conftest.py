"""Fixtures for the sample monolith's own tests.

The suite runs with ``--import-mode=importlib`` and ``pythonpath =
examples/monolith_app``; the fallback below also lets it run on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_APP_ROOT = str(Path(__file__).resolve().parents[1])
if _APP_ROOT not in sys.path:
    sys.path.insert(0, _APP_ROOT)

from shop.app import create_app  # noqa: E402
from shop.kernel import db  # noqa: E402
from shop.notifications.channels import email, sms  # noqa: E402


@pytest.fixture
def app():
    application = create_app({"database_url": "sqlite://", "testing": True})
    email.SENT.clear()
    sms.SENT.clear()
    with application.app_context():
        yield application
    db.dispose_engine()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    return db.get_session()
