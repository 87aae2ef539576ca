"""Delivery channels. Each one is registered by dotted path in
``Config.notification_channels`` and instantiated by the outbox."""

from __future__ import annotations

from typing import Protocol


class DeliveryError(Exception):
    pass


class Channel(Protocol):
    name: str

    def send(self, recipient: str, subject: str, body: str) -> None: ...
