from __future__ import annotations

from flask import Blueprint, request

from shop.payments import service
from shop.payments.schemas import payment_to_dict
from shop.utils.helpers import parse_positive_int

bp = Blueprint("payments", __name__, url_prefix="/api/payments")


@bp.get("")
def list_payments():
    order_id = parse_positive_int(request.args.get("order_id"), "order_id")
    return {"items": [payment_to_dict(p) for p in service.payments_for_order(order_id)]}


@bp.get("/<int:payment_id>")
def get_payment(payment_id: int):
    return payment_to_dict(service.get_payment(payment_id))


@bp.post("/<int:payment_id>/capture")
def capture(payment_id: int):
    return payment_to_dict(service.capture(payment_id))
