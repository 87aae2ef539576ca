from __future__ import annotations

from flask import Blueprint, request

from shop.customers import repository, service
from shop.customers.schemas import (
    address_to_dict,
    customer_to_dict,
    parse_address,
    parse_registration,
)
from shop.utils.helpers import page_args

bp = Blueprint("customers", __name__, url_prefix="/api/customers")


@bp.post("")
def register():
    customer = service.register_customer(parse_registration(request.get_json(silent=True)))
    return customer_to_dict(customer), 201


@bp.get("")
def list_customers():
    page, per_page = page_args(request.args)
    result = repository.page(page, per_page)
    result["items"] = [customer_to_dict(c, public=True) for c in result["items"]]
    return result


@bp.get("/<int:customer_id>")
def get_customer(customer_id: int):
    return customer_to_dict(service.get_customer(customer_id))


@bp.post("/<int:customer_id>/addresses")
def add_address(customer_id: int):
    address = service.add_address(customer_id, parse_address(request.get_json(silent=True)))
    return address_to_dict(address), 201


@bp.get("/<int:customer_id>/summary")
def summary(customer_id: int):
    return service.customer_summary(customer_id)
