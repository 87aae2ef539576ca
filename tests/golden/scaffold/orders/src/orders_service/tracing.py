"""OpenTelemetry tracing, off unless an OTLP endpoint is set in the standard `OTEL_*` variables.

With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, every request
the service serves and every call it makes with httpx becomes a span, exported over OTLP/HTTP
in batches; the clients of other services send the W3C `traceparent` header, so one request
through several services is one trace. Spans follow the stable HTTP semantic conventions.
Probes and metrics are not traced. The exporter, sampler and resource read the other
`OTEL_*` variables as the OpenTelemetry SDK documents them; `OTEL_SDK_DISABLED=true` turns
tracing off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fastapi import FastAPI
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME as SERVICE_NAME_KEY
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from orders_service.settings import SERVICE_NAME

#: Any of these turns tracing on.
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
#: Paths left out of traces (regular expressions, comma-separated, as the instrumentation takes).
UNTRACED = "/healthz,/readyz,/metrics"


def tracing_wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def configure_tracing(
    app: FastAPI,
    environ: Mapping[str, str] = os.environ,
    exporter: SpanExporter | None = None,
) -> TracerProvider | None:
    """Trace the app's requests and the process's httpx calls, if the environment asks for it.

    Args:
        app: the service's app.
        environ: where the `OTEL_*` variables are read.
        exporter: where spans go instead of OTLP (tests pass an in-memory one).

    Returns:
        The tracer provider, or None when tracing is off.
    """
    if exporter is None and not tracing_wanted(environ):
        return None
    # The instrumentations read this from the process's environment once, when they first
    # instrument: the stable HTTP conventions unless the operator chose otherwise.
    os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http")
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME_KEY: environ.get("OTEL_SERVICE_NAME", SERVICE_NAME)})
    )
    provider.add_span_processor(BatchSpanProcessor(exporter or OTLPSpanExporter()))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=UNTRACED)
    httpx_instrumentor = HTTPXClientInstrumentor()
    if not httpx_instrumentor.is_instrumented_by_opentelemetry:
        httpx_instrumentor.instrument(tracer_provider=provider)
    app.state.tracer_provider = provider
    return provider
