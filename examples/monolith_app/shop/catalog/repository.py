from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select

from shop.kernel.db import get_session
from shop.utils.helpers import get_or_404, index_by

from .models import Category, Product


def get_product(product_id: int) -> Product:
    return get_or_404(get_session(), Product, product_id, "product")


def get_by_sku(sku: str) -> Product | None:
    return get_session().scalar(select(Product).where(Product.sku == sku))


def products_by_ids(ids: Iterable[int]) -> dict[int, Product]:
    ids = set(ids)
    if not ids:
        return {}
    rows = get_session().scalars(select(Product).where(Product.id.in_(ids)))
    return index_by(rows, "id")


def get_category_by_slug(slug: str) -> Category | None:
    return get_session().scalar(select(Category).where(Category.slug == slug))


def product_query(
    category_slug: str | None = None, include_inactive: bool = False, search: str | None = None
) -> Select[tuple[Product]]:
    stmt = select(Product).order_by(Product.name, Product.id)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    if category_slug:
        stmt = stmt.join(Product.category).where(Category.slug == category_slug)
    if search:
        stmt = stmt.where(Product.name.ilike(f"%{search}%"))
    return stmt
