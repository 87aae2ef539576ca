"""Promo codes from the 2019 storefront.

Nobody really owns this. Marketing still prints WELCOME10 on flyers, the
welcome e-mail hands it out and the cart accepts it, so it stays.
"""

from decimal import Decimal

from shop.kernel.money import Money

WELCOME_CODE = "WELCOME10"

_PERCENT_OFF = {
    "WELCOME10": Decimal("0.10"),
    "SPRING15": Decimal("0.15"),
    "VIP25": Decimal("0.25"),
}
_MINIMUM_SUBTOTAL = {"VIP25": Decimal("100.00")}


def normalize_code(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


def is_valid_code(code: str | None) -> bool:
    return normalize_code(code) in _PERCENT_OFF


def discount_for(code: str | None, subtotal: Money) -> Money:
    code = normalize_code(code)
    if code not in _PERCENT_OFF:
        return Money.zero(subtotal.currency)
    if subtotal.amount < _MINIMUM_SUBTOTAL.get(code, Decimal("0")):
        return Money.zero(subtotal.currency)
    return subtotal.percent(_PERCENT_OFF[code])
