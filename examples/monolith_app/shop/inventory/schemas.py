from __future__ import annotations

from typing import Any

from shop.utils.helpers import isoformat, parse_int, require_fields

from .models import StockReservation


def parse_stock_level(data: Any) -> int:
    data = require_fields(data, "on_hand")
    return parse_int(data["on_hand"], "on_hand", minimum=0)


def parse_receipt(data: Any) -> int:
    data = require_fields(data, "quantity")
    return parse_int(data["quantity"], "quantity", minimum=1)


def stock_to_dict(product_id: int, on_hand: int, reserved: int) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "on_hand": on_hand,
        "reserved": reserved,
        "available": max(on_hand - reserved, 0),
    }


def reservation_to_dict(reservation: StockReservation) -> dict[str, Any]:
    return {
        "id": reservation.id,
        "order_id": reservation.order_id,
        "product_id": reservation.product_id,
        "quantity": reservation.quantity,
        "status": reservation.status,
        "expires_at": isoformat(reservation.expires_at),
    }
