"""Money value object. Every price in the shop goes through this class."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class CurrencyMismatch(ValueError):
    """Raised when two amounts in different currencies are combined."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money does not accept floats; use Decimal or str")
        amount = Decimal(str(self.amount)) if not isinstance(self.amount, Decimal) else self.amount
        object.__setattr__(self, "amount", amount.quantize(CENT, rounding=ROUND_HALF_UP))
        object.__setattr__(self, "currency", self.currency.upper())

    # -- constructors -----------------------------------------------------
    @classmethod
    def zero(cls, currency: str = "USD") -> Money:
        return cls(Decimal("0"), currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str = "USD") -> Money:
        return cls(Decimal(cents).scaleb(-2), currency)

    @classmethod
    def total(cls, items: Iterable[Money], currency: str = "USD") -> Money:
        result = cls.zero(currency)
        for item in items:
            result = result + item
        return result

    # -- conversions ------------------------------------------------------
    @property
    def cents(self) -> int:
        return int(self.amount.scaleb(2))

    def to_dict(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    # -- arithmetic -------------------------------------------------------
    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply Money by int or Decimal, not float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def percent(self, rate: Decimal) -> Money:
        """``rate`` is a fraction: Decimal("0.08") is 8 %."""
        return self * rate

    def is_zero(self) -> bool:
        return self.amount == 0

    def clamp_min_zero(self) -> Money:
        return self if self.amount >= 0 else Money.zero(self.currency)
