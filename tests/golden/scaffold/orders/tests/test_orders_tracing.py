"""Tracing: off by default; on, requests are spans and calls to other services carry the trace."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from orders_client import OrdersClient
from orders_service.app import create_app
from orders_service.tracing import configure_tracing, tracing_wanted

ENDPOINT = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}


def traced() -> tuple[TestClient, TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    app = create_app()
    provider = configure_tracing(app, environ={}, exporter=exporter)
    assert provider is not None
    return TestClient(app), provider, exporter


def test_tracing_is_off_unless_an_otlp_endpoint_is_set() -> None:
    assert not tracing_wanted({})
    assert tracing_wanted(ENDPOINT)
    assert tracing_wanted({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318"})
    assert not tracing_wanted({**ENDPOINT, "OTEL_SDK_DISABLED": "true"})
    assert configure_tracing(create_app(), environ={}) is None


def test_requests_are_server_spans_with_stable_attributes_but_probes_are_not() -> None:
    client, provider, exporter = traced()
    try:
        with client:
            client.get("/healthz")
            client.get("/metrics")
            client.get("/v1/_test/traced")
        provider.force_flush()
        spans = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    finally:
        HTTPXClientInstrumentor().uninstrument()

    assert len(spans) == 1
    assert spans[0].attributes is not None
    assert spans[0].attributes["http.request.method"] == "GET"
    assert spans[0].attributes["http.response.status_code"] == 404
    assert spans[0].resource.attributes["service.name"] == "orders"


def test_calls_to_other_services_carry_the_trace_in_traceparent() -> None:
    _, provider, exporter = traced()
    headers: list[dict[str, str]] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")[1:]
        headers.append({k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head if h)})
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
        await writer.drain()
        writer.close()

    async def run() -> None:
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        async with server, OrdersClient(url) as peer:
            await peer.caller.send("GET", "/v1/anything", idempotent=True)

    try:
        asyncio.run(run())
        provider.force_flush()
        spans = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.CLIENT]
    finally:
        HTTPXClientInstrumentor().uninstrument()

    assert len(spans) == 1
    version, trace_id, span_id, _ = headers[0]["traceparent"].split("-")
    assert version == "00"
    assert int(trace_id, 16) == spans[0].context.trace_id
    assert int(span_id, 16) == spans[0].context.span_id
