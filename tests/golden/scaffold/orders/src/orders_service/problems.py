"""Error answers as problem documents (RFC 9457, `application/problem+json`).

Every error the service sends is one, with the request's correlation id: the 501 of a stub,
the 400 of a body that is not JSON, the other 4xx of routing and validation, and the 500 of
an unhandled exception, which is also logged with the correlation id. The contract declares
each answer an operation can give, with the `Problem` schema.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orders_client.models import Problem
from orders_service.observability import correlation_id, log

MEDIA_TYPE = "application/problem+json"
SERVICE = "orders"

#: The contract's one schema of every error answer.
PROBLEM_REF = "#/components/schemas/Problem"
#: When the service answers each error status, as the contract describes it.
ANSWERS = {
    400: "Malformed request: the body is not valid JSON, or (PATCH, POST) the `Idempotency-Key` header is empty or too long.",
    404: "No route matches the path: a path parameter is not of its type or form.",
    409: "A request with this `Idempotency-Key` is still running; retry after `Retry-After`.",
    422: "The request does not match the contract (the problem lists the `errors`), or (PATCH, POST) its `Idempotency-Key` was used before with another request.",
    501: "Not ported yet: the monolith still serves this call.",
}
#: A validation error of this type means the body is not JSON at all: a malformed request.
MALFORMED = "json_invalid"


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses`: a problem document for each error status it can answer."""
    content = {MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}
    return {status: {"description": ANSWERS[status], "content": content} for status in statuses}


class NotPorted(Exception):
    """Raised by an endpoint whose logic still lives in the monolith."""

    def __init__(self, replaces: str) -> None:
        super().__init__(replaces)
        self.replaces = replaces


def problem_response(
    status: int,
    *,
    instance: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    """A problem document for `status`, carrying the request's correlation id."""
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        correlation_id=correlation_id.get(),
        **extra,
    )
    return JSONResponse(
        jsonable_encoder(problem.model_dump(exclude_none=True)),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


async def not_ported(request: Request, error: Exception) -> JSONResponse:
    """Answer 501 and say which monolith function still does the work."""
    replaces = error.replaces if isinstance(error, NotPorted) else None
    detail = (
        f"{SERVICE} has not ported {replaces} from the monolith yet; "
        "call the monolith until it does."
    )
    return problem_response(501, instance=request.url.path, detail=detail, replaces=replaces)


async def http_error(request: Request, error: Exception) -> JSONResponse:
    """Answer an HTTP error raised by routing or by an endpoint (404, 405 …)."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else None
    headers = dict((error.headers if isinstance(error, HTTPException) else None) or {})
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return problem_response(status, instance=request.url.path, detail=detail, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method the routes at the request's path serve.

    Starlette's 405 names only the methods of the first route whose path matched; RFC 9110
    wants all of them, as when `GET` and `POST` of one path are two routes.
    """
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is Match.PARTIAL and isinstance(route, Route) and route.methods:
            methods |= route.methods
    return sorted(methods)


async def invalid_request(request: Request, error: Exception) -> JSONResponse:
    """Answer 400 to a body that is not JSON, else 422 listing what is wrong with the request."""
    errors = error.errors() if isinstance(error, RequestValidationError) else []
    if any(e.get("type") == MALFORMED for e in errors):
        return problem_response(
            400, instance=request.url.path, detail="The request body is not valid JSON."
        )
    return problem_response(
        422,
        instance=request.url.path,
        detail="The request does not match the API: see errors.",
        errors=[{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors],
    )


class Unhandled:
    """ASGI middleware: an exception nothing handled becomes a logged 500 problem.

    It sits inside `RequestContext`, so the log line and the answer both carry the
    request's correlation id (Starlette's own fallback answers in plain text, outside it).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            log.exception("unhandled error", extra={"fields": {"path": scope["path"]}})
            if started:
                raise  # too late to answer: let the server close the connection
            answer = problem_response(
                500, instance=scope["path"], detail="The service failed; see its logs."
            )
            await answer(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register the problem handlers, the last-resort middleware and the Problem schema."""
    app.add_exception_handler(NotPorted, not_ported)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_middleware(Unhandled)
    fastapi_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        # No route returns a Problem, so FastAPI's document lacks the schema the error
        # answers refer to: add it (FastAPI caches the document, so this runs once).
        document = fastapi_openapi()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Problem", Problem.model_json_schema())
        return document

    app.openapi = openapi  # type: ignore[method-assign]
