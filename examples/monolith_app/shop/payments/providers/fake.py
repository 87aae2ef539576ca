"""In-memory card provider for development and tests.

Magic tokens: ``tok_decline`` is declined at authorisation,
``tok_insufficient`` is declined above 50.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shop.kernel.money import Money
from shop.utils.helpers import generate_reference

from . import PaymentDeclined, ProviderError


@dataclass
class _Authorization:
    amount: Money
    captured: Money
    state: str = "authorized"


class FakeCardProvider:
    name = "fake"

    def __init__(self) -> None:
        self._auths: dict[str, _Authorization] = {}

    def authorize(self, amount: Money, token: str, reference: str) -> str:
        if token == "tok_decline":
            raise PaymentDeclined("card declined")
        if token == "tok_insufficient" and amount.amount > Decimal("50.00"):
            raise PaymentDeclined("insufficient funds")
        if not token.startswith("tok_"):
            raise ProviderError(f"malformed token for {reference}")
        ref = generate_reference("fake_ch", 12).lower()
        self._auths[ref] = _Authorization(amount=amount, captured=Money.zero(amount.currency))
        return ref

    def _get(self, provider_ref: str) -> _Authorization:
        try:
            return self._auths[provider_ref]
        except KeyError:
            raise ProviderError(f"unknown charge {provider_ref}") from None

    def capture(self, provider_ref: str, amount: Money) -> None:
        auth = self._get(provider_ref)
        if auth.state != "authorized":
            raise ProviderError(f"charge {provider_ref} is {auth.state}")
        if amount > auth.amount:
            raise ProviderError("cannot capture more than authorized")
        auth.captured = amount
        auth.state = "captured"

    def void(self, provider_ref: str) -> None:
        auth = self._get(provider_ref)
        if auth.state != "authorized":
            raise ProviderError(f"charge {provider_ref} is {auth.state}")
        auth.state = "voided"

    def refund(self, provider_ref: str, amount: Money) -> None:
        auth = self._get(provider_ref)
        if auth.state != "captured" or amount > auth.captured:
            raise ProviderError("nothing to refund")
        auth.state = "refunded"

    def state_of(self, provider_ref: str) -> str:
        return self._get(provider_ref).state
