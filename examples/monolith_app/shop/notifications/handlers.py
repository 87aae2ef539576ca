"""Turn domain events into outbox messages."""

from __future__ import annotations

from shop.customers import repository as customer_repository
from shop.kernel.events import Event, EventBus

from . import outbox


def on_customer_registered(event: Event) -> None:
    p = event.payload
    outbox.enqueue(
        event.name,
        "email",
        p["email"],
        "Welcome to the shop",
        f"Hi {p['full_name']}, use code {p['welcome_code']} for 10% off your first order.",
    )


def on_order_placed(event: Event) -> None:
    customer = customer_repository.find(event.payload["customer_id"])
    if customer is None:
        return
    outbox.enqueue(
        event.name,
        "email",
        customer.email,
        f"Order {event.payload['number']} received",
        f"Thanks {customer.full_name}! We received your order totalling {event.payload['total']}.",
    )


def on_payment_captured(event: Event) -> None:
    customer = customer_repository.find(event.payload["customer_id"])
    if customer is None:
        return
    outbox.enqueue(
        event.name,
        "email",
        customer.email,
        f"Payment for order {event.payload['order_number']}",
        f"We charged {event.payload['amount']} to your card.",
    )


def on_order_shipped(event: Event) -> None:
    p = event.payload
    customer = customer_repository.find(p["customer_id"])
    if customer is None:
        return
    text = (
        f"Order {p['number']} is on its way with {p['carrier']}, tracking {p['tracking_number']}."
    )
    outbox.enqueue(event.name, "email", customer.email, f"Order {p['number']} shipped", text)
    if customer.phone:
        outbox.enqueue(event.name, "sms", customer.phone, "Shipped", text)


def on_order_cancelled(event: Event) -> None:
    customer = customer_repository.find(event.payload["customer_id"])
    if customer is None:
        return
    outbox.enqueue(
        event.name,
        "email",
        customer.email,
        f"Order {event.payload['number']} cancelled",
        f"Your order was cancelled ({event.payload['reason']}). Any payment has been returned.",
    )


def register(bus: EventBus) -> None:
    bus.subscribe("customer.registered", on_customer_registered)
    bus.subscribe("order.placed", on_order_placed)
    bus.subscribe("payment.captured", on_payment_captured)
    bus.subscribe("order.shipped", on_order_shipped)
    bus.subscribe("order.cancelled", on_order_cancelled)
