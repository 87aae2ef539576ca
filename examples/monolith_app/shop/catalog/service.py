from __future__ import annotations

from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict, NotFound, ValidationFailed
from shop.utils.helpers import slugify

from ..kernel.money import Money
from . import repository
from .models import Category, Product
from .schemas import ProductData


def create_category(name: str) -> Category:
    session = get_session()
    slug = slugify(name)
    if repository.get_category_by_slug(slug) is not None:
        raise Conflict(f"category {slug} already exists")
    category = Category(name=name.strip(), slug=slug)
    session.add(category)
    session.commit()
    return category


def create_product(data: ProductData) -> Product:
    session = get_session()
    if repository.get_by_sku(data.sku) is not None:
        raise Conflict(f"sku {data.sku} already exists", field="sku")
    category = None
    if data.category_slug:
        category = repository.get_category_by_slug(data.category_slug)
        if category is None:
            raise NotFound(f"category {data.category_slug} not found")
    product = Product(
        sku=data.sku,
        name=data.name,
        slug=slugify(data.name),
        description=data.description,
        weight_grams=data.weight_grams,
        category=category,
    )
    product.set_price(Money(data.price, get_config().currency))
    session.add(product)
    session.commit()
    return product


def change_price(product_id: int, price: Money) -> Product:
    product = repository.get_product(product_id)
    if price.amount <= 0:
        raise ValidationFailed("price must be positive", field="price")
    product.set_price(price)
    get_session().commit()
    return product


def deactivate_product(product_id: int) -> Product:
    product = repository.get_product(product_id)
    product.active = False
    get_session().commit()
    return product
