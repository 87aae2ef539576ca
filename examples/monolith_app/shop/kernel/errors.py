"""Exceptions understood by the HTTP layer (see shop.app)."""

from __future__ import annotations

from typing import Any


class ShopError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class NotFound(ShopError):
    status_code = 404
    code = "not_found"


class ValidationFailed(ShopError):
    status_code = 422
    code = "validation_failed"


class Conflict(ShopError):
    status_code = 409
    code = "conflict"
