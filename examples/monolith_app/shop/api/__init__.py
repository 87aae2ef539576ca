"""HTTP API: one blueprint per area, all mounted under /api."""

from __future__ import annotations

from flask import Flask

from . import catalog, checkout, customers, inventory, notifications, orders, payments, shipping

BLUEPRINTS = (
    customers.bp,
    catalog.bp,
    inventory.bp,
    checkout.bp,
    orders.bp,
    payments.bp,
    shipping.bp,
    notifications.bp,
)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
