from __future__ import annotations

from sqlalchemy import select

from shop import legacy_promo
from shop.catalog import repository as catalog_repository
from shop.customers import repository as customer_repository
from shop.inventory import service as inventory_service
from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict, ValidationFailed
from shop.utils.helpers import get_or_404

from . import CART_OPEN
from .models import Cart, CartItem


def get_cart(cart_id: int) -> Cart:
    return get_or_404(get_session(), Cart, cart_id, "cart")


def _open_cart(cart_id: int) -> Cart:
    cart = get_cart(cart_id)
    if cart.status != CART_OPEN:
        raise Conflict(f"cart {cart_id} is {cart.status}")
    return cart


def open_cart_for(customer_id: int) -> Cart:
    """Return the customer's open cart, creating one if needed."""
    session = get_session()
    customer = customer_repository.get(customer_id)
    cart = session.scalar(
        select(Cart).where(Cart.customer_id == customer.id, Cart.status == CART_OPEN)
    )
    if cart is None:
        cart = Cart(customer_id=customer.id, currency=get_config().currency)
        session.add(cart)
        session.commit()
    return cart


def add_item(cart_id: int, product_id: int, quantity: int = 1) -> Cart:
    session = get_session()
    cart = _open_cart(cart_id)
    product = catalog_repository.get_product(product_id)
    if not product.active:
        raise Conflict(f"product {product.sku} is no longer sold")
    if product.currency != cart.currency:
        raise Conflict(f"product {product.sku} is priced in {product.currency}")
    item = cart.item_for(product_id)
    wanted = quantity + (item.quantity if item else 0)
    if wanted > inventory_service.available(product_id):
        raise inventory_service.OutOfStock(
            f"not enough {product.sku} in stock", product_id=product_id
        )
    if item is None:
        cart.items.append(
            CartItem(product_id=product_id, quantity=quantity, unit_price_cents=product.price_cents)
        )
    else:
        item.quantity = wanted
        item.unit_price_cents = product.price_cents  # always the current price
    session.commit()
    return cart


def set_quantity(cart_id: int, product_id: int, quantity: int) -> Cart:
    cart = _open_cart(cart_id)
    item = cart.item_for(product_id)
    if item is None:
        raise ValidationFailed(f"product {product_id} is not in the cart")
    if quantity <= 0:
        cart.items.remove(item)
    else:
        item.quantity = quantity
    get_session().commit()
    return cart


def remove_item(cart_id: int, product_id: int) -> Cart:
    return set_quantity(cart_id, product_id, 0)


def apply_promo(cart_id: int, code: str | None) -> Cart:
    cart = _open_cart(cart_id)
    if code and not legacy_promo.is_valid_code(code):
        raise ValidationFailed(f"unknown promo code {code!r}", field="code")
    cart.promo_code = legacy_promo.normalize_code(code)
    get_session().commit()
    return cart
