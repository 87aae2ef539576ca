from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop import legacy_promo
from shop.catalog import repository as catalog_repository
from shop.kernel.config import get_config
from shop.kernel.money import Money
from shop.shipping import rates

from .models import Cart


@dataclass(frozen=True)
class PriceBreakdown:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    total: Money
    weight_grams: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "subtotal": self.subtotal.to_dict(),
            "discount": self.discount.to_dict(),
            "shipping": self.shipping.to_dict(),
            "tax": self.tax.to_dict(),
            "total": self.total.to_dict(),
            "weight_grams": self.weight_grams,
        }


def cart_weight(cart: Cart) -> int:
    products = catalog_repository.products_by_ids(i.product_id for i in cart.items)
    return sum(products[i.product_id].weight_grams * i.quantity for i in cart.items)


def price_cart(cart: Cart, country: str, shipping_method: str) -> PriceBreakdown:
    """Tax is charged on the discounted goods, not on shipping."""
    config = get_config()
    subtotal = Money.total((item.line_total for item in cart.items), cart.currency)
    discount = legacy_promo.discount_for(cart.promo_code, subtotal)
    goods = (subtotal - discount).clamp_min_zero()
    weight = cart_weight(cart)
    shipping = (
        rates.quote(country, shipping_method, weight, goods)
        if cart.items
        else Money.zero(cart.currency)
    )
    tax = goods.percent(config.tax_rate)
    return PriceBreakdown(
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax,
        total=goods + shipping + tax,
        weight_grams=weight,
    )
