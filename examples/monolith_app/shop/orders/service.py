from __future__ import annotations

from sqlalchemy import select, update

from shop.inventory.models import RESERVATION_ACTIVE, RESERVATION_RELEASED, StockReservation
from shop.kernel import events
from shop.kernel.db import get_session
from shop.payments import service as payment_service
from shop.utils.helpers import get_or_404, utcnow

from .models import Order
from .state import OrderStatus, can_transition, transition


def get_order(order_id: int) -> Order:
    return get_or_404(get_session(), Order, order_id, "order")


def get_by_number(number: str) -> Order | None:
    return get_session().scalar(select(Order).where(Order.number == number))


def list_orders_for_customer(customer_id: int) -> list[Order]:
    stmt = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    return list(get_session().scalars(stmt))


def payments_for(order: Order):
    return payment_service.payments_for_order(order.id)


def mark_paid(order: Order) -> None:
    """Called by payments once the capture succeeded (no commit here)."""
    transition(order, OrderStatus.PAID)
    events.publish("order.paid", order_id=order.id, number=order.number)


def mark_shipped(order: Order) -> None:
    transition(order, OrderStatus.SHIPPED)
    order.shipped_at = utcnow()


def mark_delivered(order: Order) -> None:
    transition(order, OrderStatus.DELIVERED)


def cancel_order(order_id: int, reason: str = "cancelled by customer") -> Order:
    session = get_session()
    order = get_order(order_id)
    if not can_transition(order.status, OrderStatus.CANCELLED):
        transition(order, OrderStatus.CANCELLED)  # raises with a proper message

    payment_service.void_or_refund_for_order(order)

    # Put the stock back. (Written before inventory had release_for_order;
    # updates the reservations table directly.)
    session.execute(
        update(StockReservation)
        .where(StockReservation.order_id == order.id, StockReservation.status == RESERVATION_ACTIVE)
        .values(status=RESERVATION_RELEASED)
    )

    transition(order, OrderStatus.CANCELLED)
    order.cancelled_at = utcnow()
    order.cancel_reason = reason
    events.publish(
        "order.cancelled",
        order_id=order.id,
        number=order.number,
        customer_id=order.customer_id,
        reason=reason,
    )
    session.commit()
    return order
