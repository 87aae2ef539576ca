from __future__ import annotations

from sqlalchemy import select

from shop.kernel import events
from shop.kernel.db import get_session
from shop.kernel.errors import Conflict, ShopError
from shop.orders import service as order_service
from shop.orders.models import Order
from shop.utils.helpers import get_or_404, utcnow

from . import registry
from .models import Payment, PaymentStatus
from .providers import PaymentDeclined, ProviderError


class PaymentFailed(ShopError):
    status_code = 402
    code = "payment_failed"


def authorize(order: Order, token: str, provider_name: str | None = None) -> Payment:
    """Authorise the order total. Runs inside the checkout transaction."""
    provider = registry.get_provider(provider_name)
    try:
        provider_ref = provider.authorize(order.total, token, reference=order.number)
    except (PaymentDeclined, ProviderError) as exc:
        raise PaymentFailed(str(exc), order_number=order.number) from exc
    payment = Payment(
        order_id=order.id,
        provider=provider.name,
        provider_ref=provider_ref,
        amount_cents=order.total_cents,
        currency=order.currency,
        status=PaymentStatus.AUTHORIZED,
    )
    session = get_session()
    session.add(payment)
    session.flush()
    return payment


def get_payment(payment_id: int) -> Payment:
    return get_or_404(get_session(), Payment, payment_id, "payment")


def payments_for_order(order_id: int) -> list[Payment]:
    stmt = select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)
    return list(get_session().scalars(stmt))


def capture(payment_id: int) -> Payment:
    session = get_session()
    payment = get_payment(payment_id)
    if payment.status != PaymentStatus.AUTHORIZED:
        raise Conflict(f"payment {payment_id} is {payment.status}, cannot capture")
    order = get_or_404(session, Order, payment.order_id, "order")

    try:
        registry.get_provider(payment.provider).capture(payment.provider_ref, payment.amount)
    except ProviderError as exc:
        raise PaymentFailed(str(exc), payment_id=payment.id) from exc

    payment.status = PaymentStatus.CAPTURED
    payment.captured_at = utcnow()
    # bookkeeping on the order row itself
    order.paid_at = payment.captured_at
    order.payment_reference = payment.provider_ref
    order_service.mark_paid(order)

    events.publish(
        "payment.captured",
        payment_id=payment.id,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        amount=str(payment.amount),
    )
    session.commit()
    return payment


def void_or_refund_for_order(order: Order) -> Payment | None:
    """Give the money back, whatever state the payment is in. No commit."""
    open_payments = [
        p
        for p in payments_for_order(order.id)
        if p.status in (PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED)
    ]
    if not open_payments:
        return None
    payment = open_payments[-1]
    provider = registry.get_provider(payment.provider)
    if payment.status == PaymentStatus.AUTHORIZED:
        provider.void(payment.provider_ref)
        payment.status = PaymentStatus.VOIDED
    else:
        provider.refund(payment.provider_ref, payment.amount)
        payment.status = PaymentStatus.REFUNDED
        events.publish(
            "payment.refunded", payment_id=payment.id, order_id=order.id, amount=str(payment.amount)
        )
    payment.closed_at = utcnow()
    return payment
