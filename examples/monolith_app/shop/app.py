"""Application factory: ``flask --app shop.app:create_app run``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from shop.api import register_blueprints
from shop.catalog import models as catalog_models
from shop.checkout import models as checkout_models
from shop.customers import models as customer_models
from shop.inventory import models as inventory_models
from shop.kernel import db, events
from shop.kernel.config import load_config, set_config
from shop.kernel.errors import ShopError
from shop.notifications import handlers as notification_handlers
from shop.notifications import models as notification_models
from shop.orders import models as order_models
from shop.payments import models as payment_models
from shop.payments import registry as payment_registry
from shop.shipping import models as shipping_models

# Every mapped class must be imported before the first query: relationships
# refer to classes of other packages by name.
MODEL_MODULES = (
    customer_models,
    catalog_models,
    inventory_models,
    checkout_models,
    order_models,
    payment_models,
    shipping_models,
    notification_models,
)


def _handle_shop_error(error: ShopError):
    return error.to_dict(), error.status_code


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    config = load_config(overrides)
    set_config(config)

    app = Flask(__name__)
    app.config["TESTING"] = config.testing
    app.config["SHOP"] = config

    db.init_engine(config.database_url)
    db.create_all()

    payment_registry.reset()
    events.bus.clear()
    notification_handlers.register(events.bus)

    register_blueprints(app)
    app.register_error_handler(ShopError, _handle_shop_error)
    app.teardown_appcontext(db.remove_session)
    return app
