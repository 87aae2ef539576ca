from __future__ import annotations

from typing import Any

from shop.utils.helpers import isoformat, truncate

from .models import Order, OrderLine


def line_to_dict(line: OrderLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id,
        "sku": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": line.unit_price.to_dict(),
        "line_total": line.line_total.to_dict(),
    }


def order_to_dict(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "number": order.number,
        "customer_id": order.customer_id,
        "status": order.status,
        "lines": [line_to_dict(line) for line in order.lines],
        "subtotal": order.subtotal.to_dict(),
        "discount": order.discount.to_dict(),
        "shipping": order.shipping.to_dict(),
        "tax": order.tax.to_dict(),
        "total": order.total.to_dict(),
        "promo_code": order.promo_code,
        "shipping_method": order.shipping_method,
        "ship_to": {
            "name": order.ship_to_name,
            "address": order.ship_to_address,
            "country": order.ship_to_country,
        },
        "placed_at": isoformat(order.placed_at),
        "paid_at": isoformat(order.paid_at),
        "shipped_at": isoformat(order.shipped_at),
        "cancelled_at": isoformat(order.cancelled_at),
        "payment_reference": order.payment_reference,
    }


def order_summary(order: Order) -> dict[str, Any]:
    names = ", ".join(line.name for line in order.lines)
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "total": order.total.to_dict(),
        "items": truncate(names, 60),
    }


def parse_cancel(data) -> str:
    reason = (data or {}).get("reason") or "cancelled by customer"
    return str(reason)[:200]
