from __future__ import annotations

from flask import Blueprint, request

from shop.catalog import repository, service
from shop.catalog.schemas import category_to_dict, parse_product, product_to_dict
from shop.inventory import service as inventory_service
from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.kernel.money import Money
from shop.utils.helpers import page_args, paginate, require_fields, to_decimal

bp = Blueprint("catalog", __name__, url_prefix="/api/catalog")


@bp.post("/categories")
def create_category():
    data = require_fields(request.get_json(silent=True), "name")
    return category_to_dict(service.create_category(data["name"])), 201


@bp.post("/products")
def create_product():
    product = service.create_product(parse_product(request.get_json(silent=True)))
    return product_to_dict(product), 201


@bp.get("/products")
def list_products():
    page, per_page = page_args(request.args, get_config().page_size)
    stmt = repository.product_query(
        category_slug=request.args.get("category"), search=request.args.get("q")
    )
    result = paginate(get_session(), stmt, page, per_page)
    result["items"] = [product_to_dict(p) for p in result["items"]]
    return result


@bp.get("/products/<int:product_id>")
def get_product(product_id: int):
    body = product_to_dict(repository.get_product(product_id))
    body["in_stock"] = inventory_service.available(product_id) > 0
    return body


@bp.put("/products/<int:product_id>/price")
def change_price(product_id: int):
    data = require_fields(request.get_json(silent=True), "price")
    price = Money(to_decimal(data["price"], "price"), get_config().currency)
    return product_to_dict(service.change_price(product_id, price))


@bp.delete("/products/<int:product_id>")
def deactivate(product_id: int):
    return product_to_dict(service.deactivate_product(product_id))
