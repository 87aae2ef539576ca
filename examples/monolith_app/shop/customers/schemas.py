from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop.kernel.errors import ValidationFailed
from shop.utils.helpers import (
    isoformat,
    mask_email,
    normalize_email,
    normalize_phone,
    require_fields,
)

from .models import Address, Customer


@dataclass(frozen=True)
class RegistrationData:
    email: str
    full_name: str
    phone: str | None = None
    marketing_opt_in: bool = False


@dataclass(frozen=True)
class AddressData:
    recipient: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    is_default: bool = False


def parse_registration(data: Any) -> RegistrationData:
    data = require_fields(data, "email", "full_name")
    return RegistrationData(
        email=normalize_email(data["email"]),
        full_name=str(data["full_name"]).strip(),
        phone=normalize_phone(data.get("phone")),
        marketing_opt_in=bool(data.get("marketing_opt_in", False)),
    )


def parse_address(data: Any) -> AddressData:
    data = require_fields(data, "recipient", "line1", "city", "postal_code", "country")
    country = str(data["country"]).strip().upper()
    if len(country) != 2:
        raise ValidationFailed("country must be an ISO 3166 alpha-2 code", field="country")
    return AddressData(
        recipient=data["recipient"].strip(),
        line1=data["line1"].strip(),
        line2=(data.get("line2") or None),
        city=data["city"].strip(),
        postal_code=str(data["postal_code"]).strip(),
        country=country,
        is_default=bool(data.get("is_default", False)),
    )


def address_to_dict(address: Address) -> dict[str, Any]:
    return {
        "id": address.id,
        "recipient": address.recipient,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
        "is_default": address.is_default,
    }


def customer_to_dict(customer: Customer, public: bool = False) -> dict[str, Any]:
    return {
        "id": customer.id,
        "email": mask_email(customer.email) if public else customer.email,
        "full_name": customer.full_name,
        "phone": None if public else customer.phone,
        "marketing_opt_in": customer.marketing_opt_in,
        "created_at": isoformat(customer.created_at),
        "addresses": [address_to_dict(a) for a in customer.addresses],
    }
