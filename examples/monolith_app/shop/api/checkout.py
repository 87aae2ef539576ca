from __future__ import annotations

from flask import Blueprint, request

from shop.checkout import cart as cart_service
from shop.checkout import service as checkout_service
from shop.checkout.pricing import price_cart
from shop.checkout.schemas import cart_to_dict, parse_checkout, parse_new_item, parse_quantity
from shop.orders.schemas import order_to_dict
from shop.payments.schemas import payment_to_dict
from shop.utils.helpers import parse_positive_int, require_fields

bp = Blueprint("checkout", __name__, url_prefix="/api/carts")


@bp.post("")
def open_cart():
    data = require_fields(request.get_json(silent=True), "customer_id")
    cart = cart_service.open_cart_for(parse_positive_int(data["customer_id"], "customer_id"))
    return cart_to_dict(cart), 201


@bp.get("/<int:cart_id>")
def get_cart(cart_id: int):
    cart = cart_service.get_cart(cart_id)
    body = cart_to_dict(cart)
    country = request.args.get("country")
    if country:
        body["prices"] = price_cart(
            cart, country, request.args.get("shipping_method", "standard")
        ).to_dict()
    return body


@bp.post("/<int:cart_id>/items")
def add_item(cart_id: int):
    product_id, quantity = parse_new_item(request.get_json(silent=True))
    return cart_to_dict(cart_service.add_item(cart_id, product_id, quantity)), 201


@bp.patch("/<int:cart_id>/items/<int:product_id>")
def set_quantity(cart_id: int, product_id: int):
    quantity = parse_quantity(request.get_json(silent=True))
    return cart_to_dict(cart_service.set_quantity(cart_id, product_id, quantity))


@bp.delete("/<int:cart_id>/items/<int:product_id>")
def remove_item(cart_id: int, product_id: int):
    return cart_to_dict(cart_service.remove_item(cart_id, product_id))


@bp.put("/<int:cart_id>/promo")
def apply_promo(cart_id: int):
    code = (request.get_json(silent=True) or {}).get("code")
    return cart_to_dict(cart_service.apply_promo(cart_id, code))


@bp.post("/<int:cart_id>/checkout")
def checkout(cart_id: int):
    req = parse_checkout(request.get_json(silent=True))
    result = checkout_service.place_order(
        cart_id,
        req.address_id,
        shipping_method=req.shipping_method,
        payment_token=req.payment_token,
        payment_provider=req.payment_provider,
    )
    return {
        "order": order_to_dict(result.order),
        "payment": payment_to_dict(result.payment),
        "prices": result.prices.to_dict(),
    }, 201
