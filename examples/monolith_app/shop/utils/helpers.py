"""Assorted helpers used all over the shop.

If you are looking for a function and cannot find it, it is probably here.
"""

from __future__ import annotations

import math
import re
import secrets
import string
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from shop.kernel.errors import NotFound, ValidationFailed

T = TypeVar("T")

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


# -- time ------------------------------------------------------------------
def utcnow() -> datetime:
    """Naive UTC timestamp (SQLite stores no timezone anyway)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def minutes_from_now(minutes: int) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def isoformat(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


# -- identifiers and text ----------------------------------------------------
def generate_reference(prefix: str, length: int = 8) -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))
    return f"{prefix}-{body}"


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text or "item"


def truncate(text, length=80, suffix="..."):
    if text is None or len(text) <= length:
        return text
    return text[: length - len(suffix)].rstrip() + suffix


def normalize_email(email: str | None) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL_RE.match(email):
        raise ValidationFailed("invalid email address", field="email")
    return email


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def normalize_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"[^\d+]", "", phone)
    if not digits.startswith("+") or len(digits) < 8:
        raise ValidationFailed(
            "phone must be in international format, e.g. +15551234567", field="phone"
        )
    return digits


def format_address(*parts: str | None) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


# -- parsing request data ----------------------------------------------------
def require_fields(data: Mapping[str, Any] | None, *names: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationFailed("request body must be a JSON object")
    missing = [n for n in names if data.get(n) in (None, "")]
    if missing:
        raise ValidationFailed("missing required fields", fields=missing)
    return dict(data)


def to_decimal(value: Any, field: str = "value") -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field} must be a decimal number", field=field) from None
    if not result.is_finite():
        raise ValidationFailed(f"{field} must be finite", field=field)
    return result


def parse_int(
    value: Any, field: str, minimum: int | None = None, default: int | None = None
) -> int:
    if value in (None, "") and default is not None:
        return default
    try:
        result = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{field} must be an integer", field=field) from None
    if minimum is not None and result < minimum:
        raise ValidationFailed(f"{field} must be >= {minimum}", field=field)
    return result


def parse_positive_int(value: Any, field: str) -> int:
    return parse_int(value, field, minimum=1)


def clamp(value, low, high):
    return max(low, min(high, value))


# -- database ------------------------------------------------------------------
def get_or_404(session: Session, model: type[T], ident: Any, what: str | None = None) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"{what or model.__name__.lower()} {ident} not found")
    return obj


def paginate(
    session: Session, stmt: Select[Any], page: int = 1, per_page: int = 20
) -> dict[str, Any]:
    page = max(page, 1)
    per_page = clamp(per_page, 1, 100)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": math.ceil(total / per_page) if total else 0,
    }


def page_args(args: Mapping[str, Any], default_per_page: int = 20) -> tuple[int, int]:
    page = parse_int(args.get("page"), "page", minimum=1, default=1)
    per_page = parse_int(args.get("per_page"), "per_page", minimum=1, default=default_per_page)
    return page, per_page


# -- misc ----------------------------------------------------------------------
def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_by(items: Iterable[T], key: str) -> dict[Any, T]:
    return {getattr(item, key): item for item in items}
