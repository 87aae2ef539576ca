from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.kernel.db import Base
from shop.kernel.money import Money
from shop.utils.helpers import utcnow


class PaymentStatus:
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    VOIDED = "voided"
    REFUNDED = "refunded"


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    provider: Mapped[str] = mapped_column(String(30))
    provider_ref: Mapped[str] = mapped_column(String(64), unique=True)
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default=PaymentStatus.AUTHORIZED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    captured_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    @property
    def amount(self) -> Money:
        return Money.from_cents(self.amount_cents, self.currency)
