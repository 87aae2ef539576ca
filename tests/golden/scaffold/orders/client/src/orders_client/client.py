"""Typed client of the orders service (API v1), for the services that call it."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from orders_client import models
from orders_client.resilience import (
    CORRELATION_HEADER,
    Caller,
    Observer,
    Policy,
    correlation_id,
)

#: The environment variable holding the service's base URL.
URL_ENV = "ORDERS_URL"
#: Where the service listens inside the cluster (Kubernetes and docker compose DNS).
DEFAULT_URL = "http://orders:8000"


class OrdersClient:
    """Calls the orders service; use it as an async context manager.

    Every call has a deadline and runs behind a circuit breaker; each try holds a bulkhead
    slot. Failed tries are retried with backoff (or after the service's `Retry-After`): GETs
    because they are idempotent, other calls because each carries an `Idempotency-Key`.
    The caller's correlation id travels in the `X-Correlation-ID` header.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        policy: Policy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        correlation: Callable[[], str | None] = correlation_id.get,
        observer: Observer | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.policy = policy or Policy()
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=self.policy.http_timeout(),
            transport=transport,
            verify=verify,
        )
        self.caller = Caller("orders", self._http, self.policy, observer)
        self._correlation = correlation

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] = os.environ,
        *,
        policy: Policy | None = None,
        correlation: Callable[[], str | None] = correlation_id.get,
        observer: Observer | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> OrdersClient:
        """A client for the URL in `ORDERS_URL`, or the in-cluster default.

        `verify`: a TLS context several clients share (building one reads the CA bundle).
        """
        url = environ.get(URL_ENV, DEFAULT_URL)
        return cls(url, policy=policy, correlation=correlation, observer=observer, verify=verify)

    @property
    def base_url(self) -> str:
        """Where the client sends its requests."""
        return str(self._http.base_url)

    async def __aenter__(self) -> OrdersClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def list_orders(
        self,
        *,
        status: str | None = None,
        page: int = 1,
    ) -> models.Order:
        """Call `GET /api/orders`, which replaces `shop.orders.views:list_orders`."""
        response = await self._send(
            "GET",
            "/api/orders",
            params={
                "status": status,
                "page": page,
            },
            idempotent=True,
        )
        return models.Order.model_validate(response.json())

    async def get_order_view(
        self,
        *,
        order_id: int,
    ) -> models.Order:
        """Call `GET /api/orders/{order_id}`, which replaces `shop.orders.views:get_order_view`."""
        response = await self._send(
            "GET",
            f"/api/orders/{quote(str(order_id), safe='')}",
            idempotent=True,
        )
        return models.Order.model_validate(response.json())

    async def cancel(
        self,
        *,
        order_id: int,
    ) -> models.CancelResponse:
        """Call `POST /api/orders/{order_id}/cancel`, which replaces `shop.orders.views:cancel`."""
        body = models.CancelRequest()
        response = await self._send(
            "POST",
            f"/api/orders/{quote(str(order_id), safe='')}/cancel",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )
        return models.CancelResponse.model_validate(response.json())

    async def place_order(
        self,
        *,
        customer_id: int,
        lines: list[dict[str, int]],
        promo_code: str | None = None,
        total: models.WireDecimal | None = None,
        placed_at: datetime | None = None,
        ship_on: date | None = None,
        request_id: UUID | None = None,
    ) -> models.Order:
        """Call `POST /internal/v1/place-order`, which replaces `shop.orders.checkout:place_order`."""
        body = models.PlaceOrderRequest(
            customer_id=customer_id,
            lines=lines,
            promo_code=promo_code,
            total=total,
            placed_at=placed_at,
            ship_on=ship_on,
            request_id=request_id,
        )
        response = await self._send(
            "POST",
            "/internal/v1/place-order",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )
        return models.Order.model_validate(response.json())

    async def lookup_order(
        self,
        *,
        order_id: int,
    ) -> models.Order:
        """Call `GET /internal/v1/orders/{order_id}`, which replaces `shop.orders.models:Order`."""
        response = await self._send(
            "GET",
            f"/internal/v1/orders/{quote(str(order_id), safe='')}",
            idempotent=True,
        )
        return models.Order.model_validate(response.json())

    async def lookup_order_line(
        self,
        *,
        order_line_id: int,
    ) -> models.OrderLine:
        """Call `GET /internal/v1/order-lines/{order_line_id}`, which replaces `shop.orders.models:OrderLine`."""
        response = await self._send(
            "GET",
            f"/internal/v1/order-lines/{quote(str(order_line_id), safe='')}",
            idempotent=True,
        )
        return models.OrderLine.model_validate(response.json())

    async def cancel_order(
        self,
        *,
        order_id: int,
        reason: str = "cancelled by customer",
    ) -> models.Order:
        """Call `POST /internal/v1/cancel-order`, which replaces `shop.orders.service:cancel_order`."""
        body = models.CancelOrderRequest(
            order_id=order_id,
            reason=reason,
        )
        response = await self._send(
            "POST",
            "/internal/v1/cancel-order",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )
        return models.Order.model_validate(response.json())

    async def get_order(
        self,
        *,
        order_id: int,
    ) -> models.Order:
        """Call `GET /internal/v1/get-order`, which replaces `shop.orders.service:get_order`."""
        response = await self._send(
            "GET",
            "/internal/v1/get-order",
            params={
                "order_id": order_id,
            },
            idempotent=True,
        )
        return models.Order.model_validate(response.json())

    async def list_orders_for_customer(
        self,
        *,
        customer_id: int,
        status: str | None = None,
    ) -> models.ListOrdersForCustomerResponse:
        """Call `GET /internal/v1/list-orders-for-customer`, which replaces `shop.orders.service:list_orders_for_customer`."""
        response = await self._send(
            "GET",
            "/internal/v1/list-orders-for-customer",
            params={
                "customer_id": customer_id,
                "status": status,
            },
            idempotent=True,
        )
        return models.ListOrdersForCustomerResponse.model_validate(response.json())

    async def mark_paid(
        self,
        *,
        order: models.Order,
    ) -> None:
        """Call `POST /internal/v1/mark-paid`, which replaces `shop.orders.service:mark_paid`."""
        body = models.MarkPaidRequest(
            order=order,
        )
        await self._send(
            "POST",
            "/internal/v1/mark-paid",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )

    async def payments_for(
        self,
        *,
        order: Any,
    ) -> models.PaymentsForResponse:
        """Call `POST /internal/v1/payments-for`, which replaces `shop.orders.service:payments_for`."""
        body = models.PaymentsForRequest(
            order=order,
        )
        response = await self._send(
            "POST",
            "/internal/v1/payments-for",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )
        return models.PaymentsForResponse.model_validate(response.json())

    async def checkout(
        self,
        *,
        saga_id: str,
        data: dict[str, Any],
    ) -> None:
        """Call `POST /internal/v1/sagas/checkout`, which replaces `shop.orders.checkout`."""
        body = models.CheckoutRequest(
            saga_id=saga_id,
            data=data,
        )
        await self._send(
            "POST",
            "/internal/v1/sagas/checkout",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )

    async def compensate_checkout(
        self,
        *,
        saga_id: str,
        arguments: dict[str, Any],
    ) -> None:
        """Call `PUT /internal/v1/sagas/checkout/compensations/{saga_id}`, which replaces `shop.orders.checkout`."""
        body = models.CompensateCheckoutRequest(
            arguments=arguments,
        )
        await self._send(
            "PUT",
            f"/internal/v1/sagas/checkout/compensations/{quote(str(saga_id), safe='')}",
            json=body.model_dump(mode="json", by_alias=True),
            idempotent=False,
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: object = None,
        idempotent: bool,
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if (current := self._correlation()) is not None:
            headers[CORRELATION_HEADER] = current
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        return await self.caller.send(
            method, path, idempotent=idempotent, params=query, json=json, headers=headers
        )


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
