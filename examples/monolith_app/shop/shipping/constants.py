from decimal import Decimal

__all__ = [
    "BASE_RATES",
    "CARRIERS",
    "DELIVERY_DAYS",
    "EU_COUNTRIES",
    "FREE_SHIPPING_THRESHOLD",
    "PER_KG_RATES",
    "SHIPPING_METHODS",
    "ZONE_DOMESTIC",
    "ZONE_EU",
    "ZONE_INTERNATIONAL",
]

SHIPPING_METHODS = ("standard", "express")

ZONE_DOMESTIC = "domestic"
ZONE_EU = "eu"
ZONE_INTERNATIONAL = "international"

EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)

# first kilogram
BASE_RATES = {
    (ZONE_DOMESTIC, "standard"): Decimal("5.90"),
    (ZONE_DOMESTIC, "express"): Decimal("14.00"),
    (ZONE_EU, "standard"): Decimal("12.50"),
    (ZONE_EU, "express"): Decimal("29.00"),
    (ZONE_INTERNATIONAL, "standard"): Decimal("19.00"),
    (ZONE_INTERNATIONAL, "express"): Decimal("45.00"),
}

# every started kilogram after the first
PER_KG_RATES = {
    ZONE_DOMESTIC: Decimal("1.50"),
    ZONE_EU: Decimal("3.00"),
    ZONE_INTERNATIONAL: Decimal("6.00"),
}

# standard domestic shipping is free from this order value (after discounts)
FREE_SHIPPING_THRESHOLD = Decimal("75.00")

CARRIERS = {"standard": "ParcelPost", "express": "RapidAir"}

DELIVERY_DAYS = {
    (ZONE_DOMESTIC, "standard"): 4,
    (ZONE_DOMESTIC, "express"): 1,
    (ZONE_EU, "standard"): 7,
    (ZONE_EU, "express"): 3,
    (ZONE_INTERNATIONAL, "standard"): 14,
    (ZONE_INTERNATIONAL, "express"): 5,
}
