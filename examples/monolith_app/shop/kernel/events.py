"""In-process domain events.

Handlers run synchronously, inside the publisher's database transaction: an
exception in a handler rolls the publisher back. That is how the notification
outbox stays consistent with the data it talks about.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Event], None]


class EventBus:
    def __init__(self, history_size: int = 200) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._history_size = history_size
        self.history: list[Event] = []

    def subscribe(self, name: str, handler: Handler) -> None:
        if handler not in self._handlers[name]:
            self._handlers[name].append(handler)

    def publish(self, name: str, **payload: Any) -> Event:
        event = Event(name, payload)
        self.history.append(event)
        del self.history[: -self._history_size]
        for handler in [*self._handlers[name], *self._handlers["*"]]:
            log.debug("event %s -> %s", name, getattr(handler, "__qualname__", handler))
            handler(event)
        return event

    def clear(self) -> None:
        self._handlers.clear()
        self.history.clear()


bus = EventBus()


def publish(name: str, **payload: Any) -> Event:
    return bus.publish(name, **payload)


def subscribe(name: str, handler: Handler) -> None:
    bus.subscribe(name, handler)
