"""Plugins loaded by dotted path (payments, notification channels) and the outbox."""

from __future__ import annotations

import pytest
from shop.customers import service as customer_service
from shop.customers.schemas import RegistrationData
from shop.kernel.config import get_config
from shop.kernel.errors import ValidationFailed
from shop.kernel.events import bus
from shop.kernel.money import Money
from shop.notifications import outbox
from shop.notifications.channels import email
from shop.payments import registry
from shop.payments.providers import PaymentDeclined
from shop.payments.providers.fake import FakeCardProvider


def test_provider_is_loaded_from_its_dotted_path(app):
    assert get_config().payment_providers["fake"] == "shop.payments.providers.fake.FakeCardProvider"
    provider = registry.get_provider()
    assert isinstance(provider, FakeCardProvider)
    assert registry.get_provider("fake") is provider
    with pytest.raises(ValidationFailed):
        registry.get_provider("paypal")


def test_fake_provider_lifecycle():
    provider = FakeCardProvider()
    ref = provider.authorize(Money("20.00"), "tok_visa", "ORD-1")
    provider.capture(ref, Money("20.00"))
    provider.refund(ref, Money("20.00"))
    assert provider.state_of(ref) == "refunded"
    with pytest.raises(PaymentDeclined):
        provider.authorize(Money("60.00"), "tok_insufficient", "ORD-2")


def test_registration_writes_outbox_and_flush_delivers(app):
    customer_service.register_customer(RegistrationData(email="eve@example.net", full_name="Eve"))
    assert [e.name for e in bus.history] == ["customer.registered"]
    pending = outbox.messages("pending")
    assert len(pending) == 1 and pending[0].recipient == "eve@example.net"

    assert outbox.flush() == {"sent": 1, "failed": 0}
    assert email.SENT[0]["body"].startswith("Hi Eve, use code WELCOME10")
    assert outbox.messages("pending") == []


def test_undeliverable_message_fails_after_max_attempts(app):
    outbox.enqueue("test", "sms", "not-a-number", "Hi", "there")
    for _ in range(get_config().notification_max_attempts - 1):
        assert outbox.flush() == {"sent": 0, "failed": 0}
    assert outbox.flush() == {"sent": 0, "failed": 1}
    (message,) = outbox.messages("failed")
    assert message.attempts == 3
    assert "international" in message.last_error
