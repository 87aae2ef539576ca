"""The events a service announces through its outbox: one per aggregate other services read.

A service whose data other services read announces each change of an aggregate it owns
(a model taken over from the monolith) as an event carrying the aggregate's state after
the change, in the wire model its API already uses. Each event type is one channel of the
service's AsyncAPI contract, and its address is the event type:
`<service>.<aggregate>.changed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from decompose.scaffold.api_views import ServiceApi
from decompose.scaffold.examples import example
from decompose.scaffold.names import UniqueNames, humanize, identifier, one_line, pascal
from decompose.scaffold.typemap import TypeRef
from decompose.scaffold.wire import MODEL_NAMESPACE


@dataclass(frozen=True)
class EventView:
    """One event type: its channel, its message and the wire model it carries.

    Attributes:
        type: the event type, also the channel's address (`orders.order.changed`).
        channel: the channel's id in the AsyncAPI document (`order_changed`).
        aggregate: what changed (`order`), the outbox row's `aggregate`.
        message: the message's name, and its class in the service (`OrderChanged`).
        payload: the wire model of the aggregate (`Order`).
        origin: `module:Class` of the aggregate in the monolith.
        example: a payload that passes validation, for the generated tests.
    """

    type: str
    channel: str
    aggregate: str
    message: str
    payload: str
    origin: str
    example: object = None

    @property
    def doc(self) -> str:
        """The message's docstring, also its schema's description."""
        what = humanize(self.aggregate).lower()
        return f"`{self.type}`: one {what} as a committed change left it."

    @property
    def operation(self) -> str:
        """The id of the operation that sends it."""
        return f"send_{self.channel}"


def build_events(label: str, api: ServiceApi) -> tuple[EventView, ...]:
    """The events of a service that announces changes, from its aggregates' wire models.

    Args:
        label: the service's DNS label, the first part of every event type.
        api: its API, whose `aggregates` name the wire model of each owned model.
    """
    messages = UniqueNames((*MODEL_NAMESPACE, *(s.name for s in api.schemas), "EVENTS"))
    aggregates = UniqueNames()
    schemas = {s.name: s for s in api.schemas}
    events = []
    for origin, payload in api.aggregates:
        aggregate = aggregates.claim(identifier(origin.rpartition(":")[2], fallback="aggregate"))
        events.append(
            EventView(
                type=f"{label}.{aggregate}.changed",
                channel=f"{aggregate}_changed",
                aggregate=aggregate,
                message=messages.claim(f"{pascal(aggregate)}Changed", suffix="Event"),
                payload=payload,
                origin=one_line(origin),
                example=example(TypeRef("model", payload), schemas),
            )
        )
    return tuple(events)
