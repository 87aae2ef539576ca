"""Error answers as problem documents (RFC 9457, `application/problem+json`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from orders_client.models import Problem

MEDIA_TYPE = "application/problem+json"
SERVICE = "orders"

#: The 501 answer every stub documents in the contract.
NOT_PORTED = {
    "description": "Not ported yet: the monolith still serves this call.",
    "content": {MEDIA_TYPE: {"schema": Problem.model_json_schema()}},
}


class NotPorted(Exception):
    """Raised by an endpoint whose logic still lives in the monolith."""

    def __init__(self, replaces: str) -> None:
        super().__init__(replaces)
        self.replaces = replaces


async def not_ported(request: Request, error: Exception) -> JSONResponse:
    """Answer 501 and say which monolith function still does the work."""
    replaces = error.replaces if isinstance(error, NotPorted) else None
    problem = Problem(
        title="Not Implemented",
        status=501,
        detail=(
            f"{SERVICE} has not ported {replaces} from the monolith yet; "
            "call the monolith until it does."
        ),
        instance=request.url.path,
        replaces=replaces,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=501, media_type=MEDIA_TYPE
    )


def install(app: FastAPI) -> None:
    """Register the problem handlers on the app."""
    app.add_exception_handler(NotPorted, not_ported)
