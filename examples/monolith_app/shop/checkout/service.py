"""Checkout: turn an open cart into an order with reserved stock and an
authorised payment, all in ONE database transaction."""

from __future__ import annotations

from dataclasses import dataclass

from shop.catalog import repository as catalog_repository
from shop.customers import repository as customer_repository
from shop.inventory import service as inventory_service
from shop.kernel import events
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict, NotFound, ValidationFailed
from shop.orders.models import Order, OrderLine
from shop.orders.state import OrderStatus
from shop.payments import service as payment_service
from shop.payments.models import Payment
from shop.utils.helpers import generate_reference

from . import CART_CHECKED_OUT, CART_OPEN
from .models import Cart
from .pricing import PriceBreakdown, price_cart


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    payment: Payment
    prices: PriceBreakdown


def place_order(
    cart_id: int,
    address_id: int,
    shipping_method: str = "standard",
    payment_token: str = "tok_visa",
    payment_provider: str | None = None,
) -> CheckoutResult:
    session = get_session()
    if session.in_transaction():
        # end the implicit read-only transaction opened by earlier lookups
        session.commit()

    with session.begin():
        cart = session.get(Cart, cart_id)
        if cart is None:
            raise NotFound(f"cart {cart_id} not found")
        if cart.status != CART_OPEN:
            raise Conflict(f"cart {cart_id} is {cart.status}")
        if not cart.items:
            raise ValidationFailed("cart is empty")
        address = customer_repository.get_address(cart.customer_id, address_id)
        prices = price_cart(cart, address.country, shipping_method)
        products = catalog_repository.products_by_ids(i.product_id for i in cart.items)

        # orders
        order = Order(
            number=generate_reference("ORD"),
            customer_id=cart.customer_id,
            status=OrderStatus.PENDING_PAYMENT.value,
            currency=cart.currency,
            subtotal_cents=prices.subtotal.cents,
            discount_cents=prices.discount.cents,
            shipping_cents=prices.shipping.cents,
            tax_cents=prices.tax.cents,
            total_cents=prices.total.cents,
            promo_code=cart.promo_code,
            shipping_method=shipping_method,
            total_weight_grams=prices.weight_grams,
            ship_to_name=address.recipient,
            ship_to_address=address.one_line(),
            ship_to_country=address.country,
        )
        for item in cart.items:
            product = products[item.product_id]
            order.lines.append(
                OrderLine(
                    product_id=product.id,
                    sku=product.sku,
                    name=product.name,
                    quantity=item.quantity,
                    unit_price_cents=item.unit_price_cents,
                )
            )
        session.add(order)
        session.flush()

        # inventory
        for line in order.lines:
            inventory_service.reserve(order.id, line.product_id, line.quantity)

        # payments
        payment = payment_service.authorize(order, payment_token, payment_provider)

        cart.status = CART_CHECKED_OUT
        events.publish(
            "order.placed",
            order_id=order.id,
            number=order.number,
            customer_id=order.customer_id,
            total=str(order.total),
        )
    return CheckoutResult(order=order, payment=payment, prices=prices)
