from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shop.kernel.db import get_session
from shop.kernel.errors import NotFound
from shop.utils.helpers import get_or_404, paginate

from .models import Address, Customer


def get(customer_id: int) -> Customer:
    return get_or_404(get_session(), Customer, customer_id, "customer")


def find(customer_id: int) -> Customer | None:
    return get_session().get(Customer, customer_id)


def get_by_email(email: str) -> Customer | None:
    return get_session().scalar(select(Customer).where(Customer.email == email))


def get_address(customer_id: int, address_id: int) -> Address:
    address = get_session().get(Address, address_id)
    if address is None or address.customer_id != customer_id:
        raise NotFound(f"address {address_id} not found for customer {customer_id}")
    return address


def page(page: int, per_page: int) -> dict[str, Any]:
    return paginate(get_session(), select(Customer).order_by(Customer.id), page, per_page)


def add(obj: Customer | Address) -> None:
    get_session().add(obj)
