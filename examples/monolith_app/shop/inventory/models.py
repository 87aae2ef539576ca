from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.kernel.db import Base
from shop.utils.helpers import utcnow

RESERVATION_ACTIVE = "active"
RESERVATION_RELEASED = "released"
RESERVATION_COMMITTED = "committed"
RESERVATION_EXPIRED = "expired"


class StockItem(Base):
    __tablename__ = "stock_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StockReservation(Base):
    """Units set aside for an order until it ships (committed) or dies (released).

    Available stock is ``on_hand`` minus the quantity of active reservations.
    """

    __tablename__ = "stock_reservations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=RESERVATION_ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
