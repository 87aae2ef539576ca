"""Structured JSON logs, correlation ids and Prometheus metrics for every request."""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone

from opentelemetry import trace
from prometheus_client import CollectorRegistry, Counter, Enum, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orders_service.settings import SERVICE_NAME

CORRELATION_HEADER = "X-Correlation-ID"
#: The methods metrics name; any other becomes `OTHER`, so a client cannot add label values.
HTTP_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}
)
#: The states of a client's circuit breaker, as its `circuit_changed` reports them.
CIRCUIT_STATES = ["closed", "half-opened", "opened"]
#: The id of the request being served; logs and outgoing calls carry it.
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

log = logging.getLogger("orders_service")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, service, correlation id, trace."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": SERVICE_NAME,
            "correlation_id": correlation_id.get(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    """Send every log record, uvicorn's included, through the JSON formatter on stderr.

    uvicorn's access log is turned off: `RequestContext` logs each request once, with its
    correlation id, whether or not uvicorn runs with `--no-access-log`.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True


class Metrics:
    """The service's Prometheus metrics, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "HTTP requests served, by route and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to serve an HTTP request, by route.",
            ["method", "route"],
            registry=self.registry,
        )
        self.peer_retries = Counter(
            "peer_retries",
            "Tries of calls to other services that failed and were tried again, by reason.",
            ["peer", "reason"],
            registry=self.registry,
        )
        self.peer_shed = Counter(
            "peer_bulkhead_rejections",
            "Calls to other services refused because too many were in flight.",
            ["peer"],
            registry=self.registry,
        )
        self.peer_circuit = Enum(
            "peer_circuit",
            "State of the circuit breaker in front of each service this one calls.",
            ["peer"],
            states=CIRCUIT_STATES,
            registry=self.registry,
        )

    # The three methods below make this an observer of the peers' clients.
    def retried(self, service: str, reason: str) -> None:
        """A try of a call to `service` failed with `reason` and will be tried again."""
        self.peer_retries.labels(service, reason).inc()

    def shed(self, service: str) -> None:
        """A call to `service` was shed by its bulkhead."""
        self.peer_shed.labels(service).inc()

    def circuit_changed(self, service: str, state: str) -> None:
        """The circuit breaker in front of `service` changed state."""
        if state in CIRCUIT_STATES:
            self.peer_circuit.labels(service).state(state)


class RequestContext:
    """ASGI middleware: correlation id in and out, one log line and metrics per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(CORRELATION_HEADER.lower().encode())
        current = incoming.decode("latin-1")[:128] if incoming else uuid.uuid4().hex
        token = correlation_id.set(current)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((CORRELATION_HEADER.lower().encode(), current.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"] if scope["method"] in HTTP_METHODS else "OTHER"
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            log.info(
                "request served",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 1),
                    }
                },
            )
            correlation_id.reset(token)
