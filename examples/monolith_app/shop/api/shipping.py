from __future__ import annotations

from flask import Blueprint, request

from shop.kernel.config import get_config
from shop.kernel.money import Money
from shop.shipping import CARRIERS, FREE_SHIPPING_THRESHOLD, SHIPPING_METHODS, rates, service
from shop.shipping.models import Shipment
from shop.utils.helpers import isoformat, parse_int, parse_positive_int, require_fields, to_decimal

bp = Blueprint("shipping", __name__, url_prefix="/api/shipping")


def shipment_to_dict(shipment: Shipment) -> dict:
    return {
        "id": shipment.id,
        "order_id": shipment.order_id,
        "carrier": shipment.carrier,
        "method": shipment.method,
        "tracking_number": shipment.tracking_number,
        "cost": shipment.cost.to_dict(),
        "status": shipment.status,
        "estimated_days": shipment.estimated_days,
        "created_at": isoformat(shipment.created_at),
        "delivered_at": isoformat(shipment.delivered_at),
    }


@bp.get("/methods")
def methods():
    return {
        "methods": [{"code": m, "carrier": CARRIERS[m]} for m in SHIPPING_METHODS],
        "free_shipping_from": str(FREE_SHIPPING_THRESHOLD),
    }


@bp.get("/quote")
def quote():
    args = request.args
    country = require_fields(args, "country")["country"]
    method = args.get("method", "standard")
    weight = parse_int(args.get("weight_grams"), "weight_grams", minimum=0, default=0)
    value = Money(to_decimal(args.get("value", "0"), "value"), get_config().currency)
    return {
        "price": rates.quote(country, method, weight, value).to_dict(),
        "estimated_days": rates.delivery_days(country, method),
    }


@bp.post("/shipments")
def create_shipment():
    data = require_fields(request.get_json(silent=True), "order_id")
    shipment = service.create_shipment(
        parse_positive_int(data["order_id"], "order_id"), data.get("carrier")
    )
    return shipment_to_dict(shipment), 201


@bp.get("/shipments/<int:shipment_id>")
def get_shipment(shipment_id: int):
    return shipment_to_dict(service.get_shipment(shipment_id))


@bp.post("/shipments/<int:shipment_id>/delivered")
def delivered(shipment_id: int):
    return shipment_to_dict(service.confirm_delivery(shipment_id))
