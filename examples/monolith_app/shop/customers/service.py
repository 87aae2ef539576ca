from __future__ import annotations

from typing import Any

from shop import legacy_promo
from shop.kernel import events
from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict
from shop.kernel.money import Money

from . import repository
from .models import Address, Customer
from .schemas import AddressData, RegistrationData


def register_customer(data: RegistrationData) -> Customer:
    session = get_session()
    if repository.get_by_email(data.email) is not None:
        raise Conflict("a customer with this email already exists", field="email")
    customer = Customer(
        email=data.email,
        full_name=data.full_name,
        phone=data.phone,
        marketing_opt_in=data.marketing_opt_in,
    )
    repository.add(customer)
    session.flush()
    events.publish(
        "customer.registered",
        customer_id=customer.id,
        email=customer.email,
        full_name=customer.full_name,
        welcome_code=legacy_promo.WELCOME_CODE,
    )
    session.commit()
    return customer


def add_address(customer_id: int, data: AddressData) -> Address:
    session = get_session()
    customer = repository.get(customer_id)
    make_default = data.is_default or not customer.addresses
    if make_default:
        for existing in customer.addresses:
            existing.is_default = False
    address = Address(
        recipient=data.recipient,
        line1=data.line1,
        line2=data.line2,
        city=data.city,
        postal_code=data.postal_code,
        country=data.country,
        is_default=make_default,
    )
    customer.addresses.append(address)
    session.commit()
    return address


def get_customer(customer_id: int) -> Customer:
    return repository.get(customer_id)


def customer_summary(customer_id: int) -> dict[str, Any]:
    # Imported here: orders imports customers models, and the summary page is
    # the only place where customers needs to know about orders.
    from shop.orders import service as order_service

    customer = repository.get(customer_id)
    orders = order_service.list_orders_for_customer(customer_id)
    currency = get_config().currency
    billable = [o for o in orders if o.status in ("paid", "shipped", "delivered")]
    return {
        "customer_id": customer.id,
        "full_name": customer.full_name,
        "orders": len(orders),
        "open_orders": sum(1 for o in orders if o.status in ("pending_payment", "paid")),
        "lifetime_value": Money.total((o.total for o in billable), currency).to_dict(),
    }
