"""Payment provider interface. Implementations are looked up by dotted path
(see ``Config.payment_providers`` and :mod:`shop.payments.registry`)."""

from __future__ import annotations

from typing import Protocol

from shop.kernel.money import Money


class ProviderError(Exception):
    pass


class PaymentDeclined(ProviderError):
    pass


class PaymentProvider(Protocol):
    name: str

    def authorize(self, amount: Money, token: str, reference: str) -> str: ...

    def capture(self, provider_ref: str, amount: Money) -> None: ...

    def void(self, provider_ref: str) -> None: ...

    def refund(self, provider_ref: str, amount: Money) -> None: ...
