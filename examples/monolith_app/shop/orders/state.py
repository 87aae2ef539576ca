"""Order state machine.

pending_payment --> paid --> shipped --> delivered
      |               |
      +--> cancelled <+
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from shop.kernel.errors import Conflict
from shop.utils.helpers import utcnow


class OrderStatus(str, Enum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


class InvalidTransition(Conflict):
    code = "invalid_order_transition"


class HasStatus(Protocol):
    status: str
    status_changed_at: object


def can_transition(current: str, target: OrderStatus) -> bool:
    return target in TRANSITIONS[OrderStatus(current)]


def transition(order: HasStatus, target: OrderStatus) -> None:
    if not can_transition(order.status, target):
        raise InvalidTransition(
            f"cannot move order from {order.status} to {target.value}",
            current=order.status,
            target=target.value,
        )
    order.status = target.value
    order.status_changed_at = utcnow()
