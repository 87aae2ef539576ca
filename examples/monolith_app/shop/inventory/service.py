"""Stock operations.

``reserve``, ``release_for_order`` and ``commit_for_order`` do not commit: they
run inside the caller's transaction (checkout, cancellation, shipping).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict, ValidationFailed
from shop.utils.helpers import minutes_from_now, utcnow

from .models import (
    RESERVATION_ACTIVE,
    RESERVATION_COMMITTED,
    RESERVATION_EXPIRED,
    RESERVATION_RELEASED,
    StockItem,
    StockReservation,
)


class OutOfStock(Conflict):
    code = "out_of_stock"


def _stock_item(product_id: int, create: bool = False) -> StockItem | None:
    session = get_session()
    item = session.scalar(select(StockItem).where(StockItem.product_id == product_id))
    if item is None and create:
        item = StockItem(product_id=product_id, on_hand=0)
        session.add(item)
    return item


def on_hand(product_id: int) -> int:
    item = _stock_item(product_id)
    return item.on_hand if item else 0


def reserved_quantity(product_id: int) -> int:
    stmt = select(func.coalesce(func.sum(StockReservation.quantity), 0)).where(
        StockReservation.product_id == product_id,
        StockReservation.status == RESERVATION_ACTIVE,
    )
    return int(get_session().scalar(stmt) or 0)


def available(product_id: int) -> int:
    return max(on_hand(product_id) - reserved_quantity(product_id), 0)


def set_stock(product_id: int, quantity: int) -> StockItem:
    if quantity < 0:
        raise ValidationFailed("stock cannot be negative", field="on_hand")
    item = _stock_item(product_id, create=True)
    assert item is not None
    item.on_hand = quantity
    get_session().commit()
    return item


def receive_stock(product_id: int, quantity: int) -> StockItem:
    item = _stock_item(product_id, create=True)
    assert item is not None
    item.on_hand += quantity
    get_session().commit()
    return item


def reserve(
    order_id: int, product_id: int, quantity: int, ttl_minutes: int | None = None
) -> StockReservation:
    free = available(product_id)
    if quantity > free:
        raise OutOfStock(
            f"only {free} unit(s) of product {product_id} available",
            product_id=product_id,
            requested=quantity,
            available=free,
        )
    ttl = ttl_minutes if ttl_minutes is not None else get_config().reservation_ttl_minutes
    reservation = StockReservation(
        order_id=order_id,
        product_id=product_id,
        quantity=quantity,
        status=RESERVATION_ACTIVE,
        expires_at=minutes_from_now(ttl),
    )
    session = get_session()
    session.add(reservation)
    session.flush()
    return reservation


def reservations_for_order(order_id: int) -> list[StockReservation]:
    stmt = (
        select(StockReservation)
        .where(StockReservation.order_id == order_id)
        .order_by(StockReservation.id)
    )
    return list(get_session().scalars(stmt))


def release_for_order(order_id: int) -> int:
    released = 0
    for reservation in reservations_for_order(order_id):
        if reservation.status == RESERVATION_ACTIVE:
            reservation.status = RESERVATION_RELEASED
            released += reservation.quantity
    return released


def commit_for_order(order_id: int) -> int:
    """Stock physically leaves the warehouse: turn reservations into deductions."""
    shipped = 0
    for reservation in reservations_for_order(order_id):
        if reservation.status != RESERVATION_ACTIVE:
            continue
        item = _stock_item(reservation.product_id)
        if item is None or item.on_hand < reservation.quantity:
            raise OutOfStock(f"stock for product {reservation.product_id} went missing")
        item.on_hand -= reservation.quantity
        reservation.status = RESERVATION_COMMITTED
        shipped += reservation.quantity
    return shipped


def expire_stale_reservations(now: datetime | None = None) -> int:
    now = now or utcnow()
    stmt = select(StockReservation).where(
        StockReservation.status == RESERVATION_ACTIVE, StockReservation.expires_at < now
    )
    expired = list(get_session().scalars(stmt))
    for reservation in expired:
        reservation.status = RESERVATION_EXPIRED
    get_session().commit()
    return len(expired)
