from __future__ import annotations

from flask import Blueprint, request

from shop.notifications import outbox
from shop.notifications.models import OutboxMessage
from shop.utils.helpers import isoformat, parse_int

bp = Blueprint("notifications", __name__, url_prefix="/api/notifications")


def message_to_dict(message: OutboxMessage) -> dict:
    return {
        "id": message.id,
        "event": message.event,
        "channel": message.channel,
        "recipient": message.recipient,
        "subject": message.subject,
        "status": message.status,
        "attempts": message.attempts,
        "created_at": isoformat(message.created_at),
        "sent_at": isoformat(message.sent_at),
    }


@bp.get("/outbox")
def list_outbox():
    limit = parse_int(request.args.get("limit"), "limit", minimum=1, default=100)
    return {
        "items": [message_to_dict(m) for m in outbox.messages(request.args.get("status"), limit)]
    }


@bp.post("/outbox/flush")
def flush():
    limit = parse_int(request.args.get("limit"), "limit", minimum=1, default=100)
    return outbox.flush(limit)
