"""Transactional outbox.

Messages are written in the same transaction as the change they announce and
delivered later by :func:`flush` (a cron job in production).
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import select

from shop.kernel.config import get_config
from shop.kernel.db import get_session
from shop.utils.helpers import truncate, utcnow

from .channels import Channel, DeliveryError
from .models import FAILED, PENDING, SENT, OutboxMessage


def enqueue(event: str, channel: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    if channel not in get_config().notification_channels:
        raise ValueError(f"unknown notification channel {channel!r}")
    message = OutboxMessage(
        event=event, channel=channel, recipient=recipient, subject=subject, body=body
    )
    get_session().add(message)
    return message


def _channel(name: str) -> Channel:
    dotted_path = get_config().notification_channels[name]
    module_name, _, class_name = dotted_path.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def messages(status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id).limit(limit)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return list(get_session().scalars(stmt))


def flush(limit: int = 100) -> dict[str, Any]:
    session = get_session()
    max_attempts = get_config().notification_max_attempts
    channels: dict[str, Channel] = {}
    sent = failed = 0
    for message in messages(PENDING, limit):
        channel = channels.get(message.channel) or channels.setdefault(
            message.channel, _channel(message.channel)
        )
        message.attempts += 1
        try:
            channel.send(message.recipient, message.subject, message.body)
        except DeliveryError as exc:
            message.last_error = truncate(str(exc), 400)
            if message.attempts >= max_attempts:
                message.status = FAILED
                failed += 1
            continue
        message.status = SENT
        message.sent_at = utcnow()
        sent += 1
    session.commit()
    return {"sent": sent, "failed": failed}
