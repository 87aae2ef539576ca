from __future__ import annotations

import logging

from shop.utils.helpers import truncate

from . import DeliveryError

log = logging.getLogger(__name__)

SENT: list[dict[str, str]] = []
MAX_LENGTH = 160


class SmsChannel:
    name = "sms"

    def send(self, recipient: str, subject: str, body: str) -> None:
        if not recipient.startswith("+"):
            raise DeliveryError(f"not an international phone number: {recipient!r}")
        text = truncate(f"{subject}: {body}", MAX_LENGTH)
        log.info("sms to %s", recipient)
        SENT.append({"to": recipient, "text": text})
