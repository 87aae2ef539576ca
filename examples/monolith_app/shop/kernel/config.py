"""Application configuration.

Plugins (payment providers, notification channels) are registered here by
dotted path and loaded lazily with importlib, so deployments can swap them
without touching code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any


def _default_payment_providers() -> dict[str, str]:
    return {"fake": "shop.payments.providers.fake.FakeCardProvider"}


def _default_notification_channels() -> dict[str, str]:
    return {
        "email": "shop.notifications.channels.email.EmailChannel",
        "sms": "shop.notifications.channels.sms.SmsChannel",
    }


@dataclass(frozen=True)
class Config:
    database_url: str = "sqlite:///shop.db"
    testing: bool = False
    currency: str = "USD"
    shop_country: str = "US"
    tax_rate: Decimal = Decimal("0.08")
    reservation_ttl_minutes: int = 30
    payment_providers: dict[str, str] = field(default_factory=_default_payment_providers)
    default_payment_provider: str = "fake"
    notification_channels: dict[str, str] = field(default_factory=_default_notification_channels)
    notification_max_attempts: int = 3
    page_size: int = 20


_ENV_PREFIX = "SHOP_"
_current: Config | None = None


def _from_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields(Config):
        raw = os.environ.get(_ENV_PREFIX + f.name.upper())
        if raw is None or f.name in ("payment_providers", "notification_channels"):
            continue
        if f.type == "bool":
            values[f.name] = raw.lower() in ("1", "true", "yes")
        elif f.type == "int":
            values[f.name] = int(raw)
        elif f.type == "Decimal":
            values[f.name] = Decimal(raw)
        else:
            values[f.name] = raw
    return values


def load_config(overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then SHOP_* environment variables, then explicit overrides."""
    return replace(Config(), **{**_from_env(), **(overrides or {})})


def set_config(config: Config) -> None:
    global _current
    _current = config


def get_config() -> Config:
    global _current
    if _current is None:
        _current = load_config()
    return _current
