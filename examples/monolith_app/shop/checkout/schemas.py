from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop.kernel.errors import ValidationFailed
from shop.shipping import SHIPPING_METHODS
from shop.utils.helpers import parse_int, parse_positive_int, require_fields

from .models import Cart, CartItem


@dataclass(frozen=True)
class CheckoutRequest:
    address_id: int
    shipping_method: str
    payment_token: str
    payment_provider: str | None


def parse_new_item(data: Any) -> tuple[int, int]:
    data = require_fields(data, "product_id")
    return parse_positive_int(data["product_id"], "product_id"), parse_positive_int(
        data.get("quantity", 1), "quantity"
    )


def parse_quantity(data: Any) -> int:
    data = require_fields(data, "quantity")
    return parse_int(data["quantity"], "quantity", minimum=0)


def parse_checkout(data: Any) -> CheckoutRequest:
    data = require_fields(data, "address_id")
    method = data.get("shipping_method", "standard")
    if method not in SHIPPING_METHODS:
        raise ValidationFailed(
            f"shipping_method must be one of {', '.join(SHIPPING_METHODS)}", field="shipping_method"
        )
    payment = data.get("payment") or {}
    return CheckoutRequest(
        address_id=parse_positive_int(data["address_id"], "address_id"),
        shipping_method=method,
        payment_token=str(payment.get("token") or "tok_visa"),
        payment_provider=payment.get("provider"),
    )


def item_to_dict(item: CartItem) -> dict[str, Any]:
    return {
        "product_id": item.product_id,
        "quantity": item.quantity,
        "unit_price": item.unit_price.to_dict(),
        "line_total": item.line_total.to_dict(),
    }


def cart_to_dict(cart: Cart) -> dict[str, Any]:
    return {
        "id": cart.id,
        "customer_id": cart.customer_id,
        "status": cart.status,
        "promo_code": cart.promo_code,
        "items": [item_to_dict(i) for i in cart.items],
    }
