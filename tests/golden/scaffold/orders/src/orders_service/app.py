"""The orders service: its FastAPI app, health, readiness and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from orders_service import problems
from orders_service.idempotency import Idempotency
from orders_service.observability import Metrics, RequestContext, configure_logging, log
from orders_service.peers import Peers
from orders_service.routes import router
from orders_service.settings import Settings
from orders_service.tracing import configure_tracing

TITLE = "orders service"
DESCRIPTION = "The orders service, extracted from the monolith by decompose. Every endpoint answers 501 until its logic is ported."


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: versioned API, problem answers, logs, metrics and probes."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    for mistake in settings.mistakes:
        log.warning(mistake)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.peers = Peers.from_env(observer=metrics)
        app.state.ready = True
        log.info("started")
        try:
            yield
        finally:
            app.state.ready = False
            await app.state.peers.aclose()
            if tracer is not None:
                tracer.shutdown()  # send the spans still in the batch
            log.info("stopped")

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
        separate_input_output_schemas=False,
    )
    app.state.ready = False
    # The last middleware added is the outermost: the request context wraps the rest, so
    # even the answer to an unhandled error carries the correlation id.
    app.add_middleware(Idempotency)
    problems.install(app)
    app.add_middleware(RequestContext, metrics=metrics)
    tracer = configure_tracing(app)
    app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Readiness: startup finished and shutdown has not begun."""
        if app.state.ready:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "starting"}, status_code=503)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        """Prometheus metrics in the text exposition format."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app


app = create_app()
