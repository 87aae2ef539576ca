from __future__ import annotations

import logging

from . import DeliveryError

log = logging.getLogger(__name__)

# Development mailbox: what would have been handed to the SMTP relay.
SENT: list[dict[str, str]] = []


class EmailChannel:
    name = "email"

    def send(self, recipient: str, subject: str, body: str) -> None:
        if "@" not in recipient:
            raise DeliveryError(f"not an e-mail address: {recipient!r}")
        log.info("email to %s: %s", recipient, subject)
        SENT.append({"to": recipient, "subject": subject, "body": body})
