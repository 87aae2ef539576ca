from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop.kernel.errors import ValidationFailed
from shop.utils.helpers import isoformat, parse_int, require_fields, to_decimal

from .models import Category, Product


@dataclass(frozen=True)
class ProductData:
    sku: str
    name: str
    price: Decimal
    description: str = ""
    weight_grams: int = 0
    category_slug: str | None = None


def parse_product(data: Any) -> ProductData:
    data = require_fields(data, "sku", "name", "price")
    price = to_decimal(data["price"], "price")
    if price <= 0:
        raise ValidationFailed("price must be positive", field="price")
    return ProductData(
        sku=str(data["sku"]).strip().upper(),
        name=str(data["name"]).strip(),
        price=price,
        description=data.get("description") or "",
        weight_grams=parse_int(data.get("weight_grams"), "weight_grams", minimum=0, default=0),
        category_slug=data.get("category"),
    )


def category_to_dict(category: Category) -> dict[str, Any]:
    return {"id": category.id, "name": category.name, "slug": category.slug}


def product_to_dict(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "price": product.price.to_dict(),
        "weight_grams": product.weight_grams,
        "active": product.active,
        "category": product.category.slug if product.category else None,
        "updated_at": isoformat(product.updated_at),
    }
