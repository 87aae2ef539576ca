"""Shipping rate calculation (pure functions, no database)."""

from __future__ import annotations

import math

from shop.kernel.config import get_config
from shop.kernel.errors import ValidationFailed
from shop.kernel.money import Money

from .constants import (
    BASE_RATES,
    DELIVERY_DAYS,
    EU_COUNTRIES,
    FREE_SHIPPING_THRESHOLD,
    PER_KG_RATES,
    SHIPPING_METHODS,
    ZONE_DOMESTIC,
    ZONE_EU,
    ZONE_INTERNATIONAL,
)


def zone_for(country: str, home_country: str | None = None) -> str:
    country = country.upper()
    home = (home_country or get_config().shop_country).upper()
    if country == home:
        return ZONE_DOMESTIC
    if country in EU_COUNTRIES:
        return ZONE_EU
    return ZONE_INTERNATIONAL


def billable_kilograms(weight_grams: int) -> int:
    return max(1, math.ceil(weight_grams / 1000))


def quote(country: str, method: str, weight_grams: int, goods_value: Money) -> Money:
    """Price of shipping ``weight_grams`` worth of goods to ``country``."""
    if method not in SHIPPING_METHODS:
        raise ValidationFailed(f"unknown shipping method {method!r}", field="shipping_method")
    zone = zone_for(country)
    if (
        zone == ZONE_DOMESTIC
        and method == "standard"
        and goods_value.amount >= FREE_SHIPPING_THRESHOLD
    ):
        return Money.zero(goods_value.currency)
    extra_kg = billable_kilograms(weight_grams) - 1
    amount = BASE_RATES[(zone, method)] + PER_KG_RATES[zone] * extra_kg
    return Money(amount, goods_value.currency)


def delivery_days(country: str, method: str) -> int:
    return DELIVERY_DAYS[(zone_for(country), method)]
