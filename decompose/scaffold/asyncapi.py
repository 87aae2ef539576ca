"""The AsyncAPI 3.0 contract of a service's events, written beside its OpenAPI contract.

One channel per event type (its address is the type), one `send` operation per channel
(the service publishes, through its outbox), and one message per event whose payload is
the event's envelope: the outbox row's fields, with the aggregate's state as the wire
model the OpenAPI contract uses. The schemas are made the way the OpenAPI ones are: the
same pydantic models, built from the view and turned into JSON Schema by pydantic. The
generated service's own test checks that its event classes give the same schemas.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic.json_schema import GenerateJsonSchema

from decompose.scaffold.contract import API_VERSION, REF_TEMPLATE, document_text, wire_models
from decompose.scaffold.events import EventView
from decompose.scaffold.names import humanize
from decompose.scaffold.views import ServiceView

ASYNCAPI_VERSION = "3.0.0"
CONTENT_TYPE = "application/json"


def event_models(service: ServiceView) -> dict[str, type[BaseModel]]:
    """The event classes of the service, field for field as its `events.py` declares them."""
    models = wire_models(service.schemas)
    return {event.message: _envelope(event, models[event.payload]) for event in service.events}


def _envelope(event: EventView, payload: type[BaseModel]) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "id": (int, ...),
        "event_type": (Literal[event.type], ...),
        "aggregate": (Literal[event.aggregate], ...),
        "aggregate_id": (str, ...),
        "created_at": (datetime, ...),
        "payload": (payload, ...),
    }
    model: type[BaseModel] = create_model(event.message, __doc__=event.doc, **fields)
    return model


def build_asyncapi(service: ServiceView) -> dict[str, Any]:
    """The AsyncAPI document of the events a service publishes."""
    models = event_models(service)
    inputs = [
        (name, "validation", TypeAdapter(model).core_schema) for name, model in models.items()
    ]
    generator = GenerateJsonSchema(ref_template=REF_TEMPLATE)
    _, generated = generator.generate_definitions(inputs=inputs)  # type: ignore[arg-type]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event in service.events:
        message_ref = f"#/channels/{event.channel}/messages/{event.message}"
        channels[event.channel] = {
            "address": event.type,
            "title": event.type,
            "description": (
                f"Every committed change of one {humanize(event.aggregate).lower()} "
                f"(`{event.origin}` in the monolith), announced through the "
                f"{service.names.label} service's outbox."
            ),
            "messages": {event.message: {"$ref": f"#/components/messages/{event.message}"}},
        }
        operations[event.operation] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{event.channel}"},
            "summary": f"Publish {event.type} once its change commits.",
            "messages": [{"$ref": message_ref}],
        }
        messages[event.message] = {
            "name": event.message,
            "title": event.type,
            "summary": event.doc,
            "contentType": CONTENT_TYPE,
            "payload": {"$ref": REF_TEMPLATE.format(model=event.message)},
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"{service.names.label} service events",
            "version": API_VERSION,
            "description": (
                f"The events the {service.names.label} service publishes, at least once, "
                "through its transactional outbox: a consumer ignores an event id it has "
                "seen. Payloads use the wire models of its OpenAPI contract."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": {str(name): schema for name, schema in generated.items()},
        },
    }


def asyncapi_text(service: ServiceView) -> str:
    """The document as committed, written as the OpenAPI contract is."""
    return document_text(build_asyncapi(service))


__all__ = ["asyncapi_text", "build_asyncapi", "event_models"]
