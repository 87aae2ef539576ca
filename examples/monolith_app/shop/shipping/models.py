from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.kernel.db import Base
from shop.kernel.money import Money
from shop.utils.helpers import utcnow


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    cost_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="label_created")
    estimated_days: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    @property
    def cost(self) -> Money:
        return Money.from_cents(self.cost_cents, self.currency)
