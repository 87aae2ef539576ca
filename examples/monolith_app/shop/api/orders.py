from __future__ import annotations

from flask import Blueprint, request

from shop.orders import service
from shop.orders.schemas import order_summary, order_to_dict, parse_cancel
from shop.payments.schemas import payment_to_dict
from shop.utils.helpers import parse_positive_int

bp = Blueprint("orders", __name__, url_prefix="/api/orders")


@bp.get("")
def list_orders():
    customer_id = parse_positive_int(request.args.get("customer_id"), "customer_id")
    return {"items": [order_summary(o) for o in service.list_orders_for_customer(customer_id)]}


@bp.get("/<int:order_id>")
def get_order(order_id: int):
    order = service.get_order(order_id)
    body = order_to_dict(order)
    body["payments"] = [payment_to_dict(p) for p in service.payments_for(order)]
    return body


@bp.post("/<int:order_id>/cancel")
def cancel(order_id: int):
    order = service.cancel_order(order_id, parse_cancel(request.get_json(silent=True)))
    return order_to_dict(order)
