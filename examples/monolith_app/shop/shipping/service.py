from __future__ import annotations

from sqlalchemy import select

from shop.inventory import service as inventory_service
from shop.kernel import events
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict
from shop.orders import service as order_service
from shop.orders.state import OrderStatus, can_transition
from shop.utils.helpers import generate_reference, get_or_404, utcnow

from . import rates
from .constants import CARRIERS
from .models import Shipment


def get_shipment(shipment_id: int) -> Shipment:
    return get_or_404(get_session(), Shipment, shipment_id, "shipment")


def shipments_for_order(order_id: int) -> list[Shipment]:
    return list(get_session().scalars(select(Shipment).where(Shipment.order_id == order_id)))


def create_shipment(order_id: int, carrier: str | None = None) -> Shipment:
    """Hand a paid order to the carrier: label, stock deduction, order status."""
    session = get_session()
    order = order_service.get_order(order_id)
    if not can_transition(order.status, OrderStatus.SHIPPED):
        raise Conflict(f"order {order.number} is {order.status}; only paid orders can ship")

    shipment = Shipment(
        order_id=order.id,
        carrier=carrier or CARRIERS[order.shipping_method],
        method=order.shipping_method,
        tracking_number=generate_reference("TRK", 12),
        cost_cents=order.shipping_cents,
        currency=order.currency,
        estimated_days=rates.delivery_days(order.ship_to_country, order.shipping_method),
    )
    session.add(shipment)
    inventory_service.commit_for_order(order.id)
    order_service.mark_shipped(order)
    session.flush()
    events.publish(
        "order.shipped",
        order_id=order.id,
        number=order.number,
        customer_id=order.customer_id,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
    )
    session.commit()
    return shipment


def confirm_delivery(shipment_id: int) -> Shipment:
    session = get_session()
    shipment = get_shipment(shipment_id)
    if shipment.status == "delivered":
        return shipment
    shipment.status = "delivered"
    shipment.delivered_at = utcnow()
    order_service.mark_delivered(order_service.get_order(shipment.order_id))
    session.commit()
    return shipment
