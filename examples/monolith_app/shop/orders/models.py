from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.kernel.db import Base
from shop.kernel.money import Money
from shop.utils.helpers import utcnow

from .state import OrderStatus

if TYPE_CHECKING:
    from shop.customers.models import Customer


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING_PAYMENT.value)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_cents: Mapped[int]
    discount_cents: Mapped[int] = mapped_column(default=0)
    shipping_cents: Mapped[int] = mapped_column(default=0)
    tax_cents: Mapped[int] = mapped_column(default=0)
    total_cents: Mapped[int]
    promo_code: Mapped[str | None] = mapped_column(String(20))
    shipping_method: Mapped[str] = mapped_column(String(20))
    total_weight_grams: Mapped[int] = mapped_column(default=0)
    ship_to_name: Mapped[str] = mapped_column(String(120))
    ship_to_address: Mapped[str] = mapped_column(String(400))
    ship_to_country: Mapped[str] = mapped_column(String(2))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # written by shop.payments.service when the money is in
    paid_at: Mapped[datetime | None]
    payment_reference: Mapped[str | None] = mapped_column(String(64))
    shipped_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )

    def _money(self, cents: int) -> Money:
        return Money.from_cents(cents, self.currency)

    @property
    def subtotal(self) -> Money:
        return self._money(self.subtotal_cents)

    @property
    def discount(self) -> Money:
        return self._money(self.discount_cents)

    @property
    def shipping(self) -> Money:
        return self._money(self.shipping_cents)

    @property
    def tax(self) -> Money:
        return self._money(self.tax_cents)

    @property
    def total(self) -> Money:
        return self._money(self.total_cents)


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def unit_price(self) -> Money:
        return Money.from_cents(self.unit_price_cents, self.order.currency)

    @property
    def line_total(self) -> Money:
        return self.unit_price * self.quantity
