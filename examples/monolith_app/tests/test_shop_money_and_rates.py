from __future__ import annotations

from decimal import Decimal

import pytest
from shop import legacy_promo
from shop.kernel.errors import ValidationFailed
from shop.kernel.money import CurrencyMismatch, Money
from shop.shipping import rates


def test_money_rounds_half_up_and_adds():
    assert Money("0.125").amount == Decimal("0.13")
    assert Money.from_cents(1999).amount == Decimal("19.99")
    assert Money("19.99").cents == 1999
    assert Money("19.99") * 3 == Money("59.97")
    assert Money.total([Money("1.10"), Money("2.20")]) == Money("3.30")
    assert Money("10.00").percent(Decimal("0.075")) == Money("0.75")
    assert str(Money("5", "eur")) == "5.00 EUR"


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(0.1)
    with pytest.raises(CurrencyMismatch):
        Money("1.00", "USD") + Money("1.00", "EUR")
    assert Money("-3.00").clamp_min_zero() == Money.zero()


def test_legacy_promo_codes():
    assert legacy_promo.discount_for("welcome10", Money("84.98")) == Money("8.50")
    assert legacy_promo.discount_for("VIP25", Money("99.99")) == Money.zero()
    assert legacy_promo.discount_for("VIP25", Money("100.00")) == Money("25.00")
    assert legacy_promo.discount_for("BOGUS", Money("100.00")) == Money.zero()
    assert legacy_promo.discount_for(None, Money("100.00")) == Money.zero()


@pytest.mark.parametrize(
    ("country", "method", "grams", "value", "expected"),
    [
        ("US", "standard", 800, "20.00", "5.90"),
        ("US", "standard", 800, "75.00", "0.00"),  # free shipping threshold
        ("US", "express", 2200, "100.00", "17.00"),
        ("DE", "standard", 1000, "20.00", "12.50"),
        ("FR", "express", 2001, "20.00", "35.00"),
        ("JP", "standard", 0, "20.00", "19.00"),
    ],
)
def test_shipping_quotes(app, country, method, grams, value, expected):
    assert rates.quote(country, method, grams, Money(value)) == Money(expected)


def test_shipping_zones_and_unknown_method(app):
    assert rates.zone_for("us") == "domestic"
    assert rates.zone_for("NL") == "eu"
    assert rates.zone_for("BR") == "international"
    assert rates.delivery_days("NL", "express") == 3
    with pytest.raises(ValidationFailed):
        rates.quote("US", "drone", 100, Money("1.00"))


def test_quote_endpoint(client):
    response = client.get(
        "/api/shipping/quote?country=DE&method=express&weight_grams=1500&value=40"
    )
    assert response.get_json() == {
        "price": {"amount": "32.00", "currency": "USD"},
        "estimated_days": 3,
    }
    methods = client.get("/api/shipping/methods").get_json()
    assert [m["code"] for m in methods["methods"]] == ["standard", "express"]
    assert methods["free_shipping_from"] == "75.00"
