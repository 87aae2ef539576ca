from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop.utils.helpers import isoformat

from .models import Payment


@dataclass(frozen=True)
class PaymentMethod:
    token: str
    provider: str | None = None


def parse_payment_method(data: Any) -> PaymentMethod:
    data = data or {}
    return PaymentMethod(token=str(data.get("token") or "tok_visa"), provider=data.get("provider"))


def payment_to_dict(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "order_id": payment.order_id,
        "provider": payment.provider,
        "provider_ref": payment.provider_ref,
        "amount": payment.amount.to_dict(),
        "status": payment.status,
        "created_at": isoformat(payment.created_at),
        "captured_at": isoformat(payment.captured_at),
    }
