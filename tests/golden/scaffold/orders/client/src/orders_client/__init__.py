"""Client of the orders service: typed models and a resilient async client."""

from orders_client import models
from orders_client.client import DEFAULT_URL, URL_ENV, OrdersClient
from orders_client.resilience import (
    CORRELATION_HEADER,
    ApiError,
    BulkheadFull,
    Policy,
    correlation_id,
)

__all__ = [
    "CORRELATION_HEADER",
    "DEFAULT_URL",
    "URL_ENV",
    "ApiError",
    "BulkheadFull",
    "OrdersClient",
    "Policy",
    "correlation_id",
    "models",
]
