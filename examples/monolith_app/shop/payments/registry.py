"""Payment provider lookup by name -> dotted path (from config) -> instance."""

from __future__ import annotations

import importlib

from shop.kernel.config import get_config
from shop.kernel.errors import ValidationFailed

from .providers import PaymentProvider

_instances: dict[str, PaymentProvider] = {}


def load_object(dotted_path: str) -> object:
    module_name, _, attribute = dotted_path.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, attribute)


def get_provider(name: str | None = None) -> PaymentProvider:
    config = get_config()
    name = name or config.default_payment_provider
    if name not in _instances:
        try:
            dotted_path = config.payment_providers[name]
        except KeyError:
            raise ValidationFailed(f"unknown payment provider {name!r}", field="provider") from None
        provider_class = load_object(dotted_path)
        _instances[name] = provider_class()  # type: ignore[operator]
    return _instances[name]


def reset() -> None:
    _instances.clear()
