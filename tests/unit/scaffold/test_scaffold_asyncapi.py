"""The event contracts: valid AsyncAPI 3.0, one channel per event, the OpenAPI wire models.

The documents are validated against the official AsyncAPI 3.0.0 JSON Schema, kept in
tests/fixtures/asyncapi/ as the AsyncAPI Initiative publishes it (see the README there):
no package on PyPI ships it, and the tests run offline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from decompose.api import analyze
from decompose.config import Settings
from decompose.model import Decomposition
from decompose.scaffold import plan_scaffold
from decompose.scaffold.asyncapi import asyncapi_text, build_asyncapi
from decompose.scaffold.contract import _plain, build_contract
from decompose.scaffold.views import ServiceView, build_view

FIXTURES = Path(__file__).parents[2] / "fixtures"
EXAMPLE = Path(__file__).parents[3] / "examples" / "monolith_app"
OFFICIAL_SCHEMA = FIXTURES / "asyncapi" / "asyncapi-3.0.0.schema.json"


@cache
def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "AsyncAPI 3.0.0 schema."
    return jsonschema.Draft7Validator(schema)


@cache
def _services(source: str) -> tuple[ServiceView, ...]:
    if source == "fixture":
        text = (FIXTURES / "scaffold" / "decomposition.json").read_text(encoding="utf-8")
        decomposition = Decomposition.model_validate_json(text)
    else:
        decomposition = analyze(EXAMPLE, Settings(cache=False))
    return build_view(decomposition).services


def _with_events(source: str) -> list[ServiceView]:
    return [s for s in _services(source) if s.events]


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("source", ["fixture", "monolith_app"])
def test_every_event_contract_is_valid_asyncapi_3(source: str) -> None:
    services = _with_events(source)
    assert services

    for service in services:
        document = build_asyncapi(service)
        errors = [e.message for e in _validator().iter_errors(document)]
        assert errors == [], service.names.label
        for ref in _refs(document):  # the schema does not check that references resolve
            assert ref.startswith("#/"), ref
            _pointer(document, ref)


def test_the_official_schema_refuses_what_asyncapi_3_does_not_allow() -> None:
    document = build_asyncapi(_with_events("fixture")[0])
    operation = next(iter(document["operations"].values()))
    operation["action"] = "publish"  # AsyncAPI 2's verb; 3.0 has send and receive only

    assert list(_validator().iter_errors(document))


@pytest.mark.parametrize("source", ["fixture", "monolith_app"])
def test_one_channel_per_event_sent_by_one_operation(source: str) -> None:
    for service in _with_events(source):
        document = build_asyncapi(service)
        addresses = [c["address"] for c in document["channels"].values()]
        assert sorted(addresses) == sorted(e.type for e in service.events)
        assert all(a.startswith(f"{service.names.label}.") for a in addresses)
        sent = [o["channel"]["$ref"] for o in document["operations"].values()]
        assert sorted(sent) == sorted(f"#/channels/{c}" for c in document["channels"])
        assert {o["action"] for o in document["operations"].values()} == {"send"}


@pytest.mark.parametrize("source", ["fixture", "monolith_app"])
def test_payloads_are_the_wire_models_of_the_openapi_contract(source: str) -> None:
    compared = 0
    for service in _with_events(source):
        schemas = build_asyncapi(service)["components"]["schemas"]
        openapi = build_contract(service).get("components", {}).get("schemas", {})
        for event in service.events:
            envelope = schemas[event.message]
            assert envelope["properties"]["payload"] == {
                "$ref": f"#/components/schemas/{event.payload}"
            }
            assert envelope["properties"]["event_type"]["const"] == event.type
            if event.payload in openapi:  # the model the API serves too: the same schema
                # (FastAPI leaves `"default": null` out of the OpenAPI document)
                assert _plain(schemas[event.payload]) == openapi[event.payload]
                compared += 1
    assert compared


def test_the_contract_is_written_beside_the_openapi_one_and_only_for_services_with_events() -> None:
    text = (FIXTURES / "scaffold" / "decomposition.json").read_text(encoding="utf-8")
    plan = plan_scaffold(Decomposition.model_validate_json(text), Path("out"))
    written = {f.relpath for f in plan.files if f.relpath.endswith(".asyncapi.json")}

    labels = {s.names.label for s in _with_events("fixture")}
    assert written == {f"contracts/{label}.v1.asyncapi.json" for label in labels}
    assert "contracts/cafe-notifications.v1.asyncapi.json" not in written  # nobody reads it
    orders = next(s for s in _services("fixture") if s.names.label == "orders")
    assert asyncapi_text(orders) == asyncapi_text(orders)
    assert asyncapi_text(orders).endswith("}\n")
