"""Client of the orders service: typed models and a resilient async client."""

from orders_client import models
from orders_client.client import DEFAULT_URL, URL_ENV, OrdersClient
from orders_client.resilience import (
    CORRELATION_HEADER,
    IDEMPOTENCY_HEADER,
    ApiError,
    BulkheadFull,
    CircuitOpenError,
    DeadlineExceeded,
    Observer,
    Policy,
    correlation_id,
)

__all__ = [
    "CORRELATION_HEADER",
    "DEFAULT_URL",
    "IDEMPOTENCY_HEADER",
    "URL_ENV",
    "ApiError",
    "BulkheadFull",
    "CircuitOpenError",
    "DeadlineExceeded",
    "Observer",
    "OrdersClient",
    "Policy",
    "correlation_id",
    "models",
]
