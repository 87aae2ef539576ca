from __future__ import annotations

from flask import Blueprint, request

from shop.catalog import repository as catalog_repository
from shop.inventory import service
from shop.inventory.schemas import (
    parse_receipt,
    parse_stock_level,
    reservation_to_dict,
    stock_to_dict,
)

bp = Blueprint("inventory", __name__, url_prefix="/api/inventory")


def _stock(product_id: int) -> dict:
    return stock_to_dict(
        product_id, service.on_hand(product_id), service.reserved_quantity(product_id)
    )


@bp.get("/<int:product_id>")
def get_stock(product_id: int):
    catalog_repository.get_product(product_id)  # 404 for unknown products
    return _stock(product_id)


@bp.put("/<int:product_id>")
def set_stock(product_id: int):
    catalog_repository.get_product(product_id)
    service.set_stock(product_id, parse_stock_level(request.get_json(silent=True)))
    return _stock(product_id)


@bp.post("/<int:product_id>/receipts")
def receive(product_id: int):
    catalog_repository.get_product(product_id)
    service.receive_stock(product_id, parse_receipt(request.get_json(silent=True)))
    return _stock(product_id), 201


@bp.get("/reservations")
def reservations():
    order_id = request.args.get("order_id", type=int)
    if order_id is None:
        return {"items": []}
    return {"items": [reservation_to_dict(r) for r in service.reservations_for_order(order_id)]}


@bp.post("/reservations/expire")
def expire():
    return {"expired": service.expire_stale_reservations()}
