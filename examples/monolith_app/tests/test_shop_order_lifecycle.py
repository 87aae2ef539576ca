"""Service-level tests: order state machine, cancellation, reservations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from shop.catalog import service as catalog_service
from shop.catalog.schemas import ProductData
from shop.checkout import cart as cart_service
from shop.checkout import service as checkout_service
from shop.customers import service as customer_service
from shop.customers.schemas import AddressData, RegistrationData
from shop.inventory import service as inventory_service
from shop.orders import service as order_service
from shop.orders.state import InvalidTransition, OrderStatus, can_transition, transition
from shop.payments import registry
from shop.payments import service as payment_service
from shop.shipping import service as shipping_service
from shop.utils.helpers import utcnow


@pytest.fixture
def placed(app):
    customer = customer_service.register_customer(
        RegistrationData(email="bob@example.org", full_name="Bob")
    )
    address = customer_service.add_address(
        customer.id,
        AddressData(
            recipient="Bob", line1="1 Rue Haute", city="Lyon", postal_code="69001", country="FR"
        ),
    )
    book = catalog_service.create_product(
        ProductData(sku="BOOK-1", name="Field Guide", price=Decimal("30.00"), weight_grams=900)
    )
    inventory_service.set_stock(book.id, 5)
    cart = cart_service.open_cart_for(customer.id)
    cart_service.add_item(cart.id, book.id, 2)
    result = checkout_service.place_order(cart.id, address.id, "standard")
    return result, book


def test_state_machine_rules():
    assert can_transition("pending_payment", OrderStatus.PAID)
    assert can_transition("paid", OrderStatus.CANCELLED)
    assert not can_transition("shipped", OrderStatus.CANCELLED)
    assert not can_transition("cancelled", OrderStatus.PAID)

    class FakeOrder:
        status = "delivered"
        status_changed_at = None

    with pytest.raises(InvalidTransition):
        transition(FakeOrder(), OrderStatus.SHIPPED)


def test_checkout_prices_eu_order(placed):
    result, _ = placed
    # 2 x 30.00 = 60.00; EU standard 2 kg = 12.50 + 3.00; tax 8 % of 60.00 = 4.80
    assert result.prices.shipping.amount == Decimal("15.50")
    assert result.order.total.amount == Decimal("80.30")
    assert result.payment.amount == result.order.total


def test_cancel_unpaid_order_voids_payment_and_releases_stock(placed):
    result, book = placed
    assert inventory_service.available(book.id) == 3

    order = order_service.cancel_order(result.order.id, "out of budget")

    assert order.status == "cancelled"
    assert order.cancel_reason == "out of budget"
    assert inventory_service.available(book.id) == 5
    assert [p.status for p in payment_service.payments_for_order(order.id)] == ["voided"]
    assert registry.get_provider("fake").state_of(result.payment.provider_ref) == "voided"


def test_cancel_paid_order_refunds(placed):
    result, book = placed
    payment_service.capture(result.payment.id)
    assert order_service.get_order(result.order.id).status == "paid"

    order_service.cancel_order(result.order.id)

    assert [p.status for p in payment_service.payments_for_order(result.order.id)] == ["refunded"]
    assert inventory_service.available(book.id) == 5


def test_unpaid_order_cannot_ship_and_double_capture_fails(placed):
    result, _ = placed
    with pytest.raises(Exception, match="only paid orders can ship"):
        shipping_service.create_shipment(result.order.id)
    payment_service.capture(result.payment.id)
    with pytest.raises(Exception, match="cannot capture"):
        payment_service.capture(result.payment.id)


def test_stale_reservations_expire(placed):
    _, book = placed
    assert inventory_service.expire_stale_reservations(utcnow() + timedelta(hours=1)) == 1
    assert inventory_service.available(book.id) == 5


def test_customer_summary_uses_orders(placed):
    result, _ = placed
    summary = customer_service.customer_summary(result.order.customer_id)
    assert summary["orders"] == 1
    assert summary["open_orders"] == 1
    assert summary["lifetime_value"]["amount"] == "0.00"
