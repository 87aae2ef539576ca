"""Version 1 of the orders API: the monolith's routes, and internal calls.

The monolith's own routes keep their method, path and parameters; what other services
called in-process is served under `/internal/v1/`. Every endpoint is a stub that answers
501 (a problem document naming the monolith code it replaces) until its logic is ported.
Request and response models live in `orders_client.models`, shared
with the client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from orders_client import models
from orders_service.problems import NotPorted, answers

router = APIRouter(tags=["orders"])


@router.get(
    "/api/orders",
    operation_id="list_orders",
    summary="List orders",
    responses=answers(422, 501),
)
async def list_orders(status: str | None = None, page: int = 1) -> models.Order:
    """Replaces `shop.orders.views:list_orders` in the monolith."""
    # TODO: the handler uses Order: check it answers one, not a list
    raise NotPorted("shop.orders.views:list_orders")


@router.get(
    "/api/orders/{order_id:int}",
    operation_id="get_order_view",
    summary="One order, as the storefront shows it.",
    responses=answers(404, 422, 501),
)
async def get_order_view(order_id: Annotated[int, Path(ge=0)]) -> models.Order:
    """Replaces `shop.orders.views:get_order_view` in the monolith."""
    raise NotPorted("shop.orders.views:get_order_view")


@router.post(
    "/api/orders/{order_id:int}/cancel",
    operation_id="cancel",
    summary="Cancel",
    responses=answers(400, 404, 409, 422, 501),
)
async def cancel(
    order_id: Annotated[int, Path(ge=0)],
    body: models.CancelRequest,
) -> models.CancelResponse:
    """Replaces `shop.orders.views:cancel` in the monolith."""
    # TODO: the handler reads its body itself: declare the fields it takes
    # TODO: the handler builds its answer itself: declare the fields it sends
    raise NotPorted("shop.orders.views:cancel")


@router.post(
    "/internal/v1/place-order",
    operation_id="place_order",
    summary="Turn a cart into an order; reserves stock and charges loyalty points.",
    responses=answers(400, 409, 422, 501),
)
async def place_order(body: models.PlaceOrderRequest) -> models.Order:
    """Replaces `shop.orders.checkout:place_order` in the monolith."""
    # TODO: `total`: default `Decimal("0.00")` is not a JSON literal; None stands for it
    raise NotPorted("shop.orders.checkout:place_order")


@router.get(
    "/internal/v1/orders/{order_id:int}",
    operation_id="lookup_order",
    summary="Look up one order",
    responses=answers(404, 422, 501),
)
async def lookup_order(order_id: Annotated[int, Path(ge=0)]) -> models.Order:
    """Replaces `shop.orders.models:Order` in the monolith."""
    raise NotPorted("shop.orders.models:Order")


@router.get(
    "/internal/v1/order-lines/{order_line_id:int}",
    operation_id="lookup_order_line",
    summary="Look up one order line",
    responses=answers(404, 422, 501),
)
async def lookup_order_line(order_line_id: Annotated[int, Path(ge=0)]) -> models.OrderLine:
    """Replaces `shop.orders.models:OrderLine` in the monolith."""
    raise NotPorted("shop.orders.models:OrderLine")


@router.post(
    "/internal/v1/cancel-order",
    operation_id="cancel_order",
    summary="Cancel order",
    responses=answers(400, 409, 422, 501),
)
async def cancel_order(body: models.CancelOrderRequest) -> models.Order:
    """Replaces `shop.orders.service:cancel_order` in the monolith."""
    raise NotPorted("shop.orders.service:cancel_order")


@router.get(
    "/internal/v1/get-order",
    operation_id="get_order",
    summary="Get order",
    responses=answers(422, 501),
)
async def get_order(order_id: int) -> models.Order:
    """Replaces `shop.orders.service:get_order` in the monolith."""
    raise NotPorted("shop.orders.service:get_order")


@router.get(
    "/internal/v1/list-orders-for-customer",
    operation_id="list_orders_for_customer",
    summary="List orders for customer",
    responses=answers(422, 501),
)
async def list_orders_for_customer(
    customer_id: int,
    status: str | None = None,
) -> models.ListOrdersForCustomerResponse:
    """Replaces `shop.orders.service:list_orders_for_customer` in the monolith."""
    raise NotPorted("shop.orders.service:list_orders_for_customer")


@router.post(
    "/internal/v1/mark-paid",
    operation_id="mark_paid",
    summary="Mark paid",
    status_code=204,
    responses=answers(400, 409, 422, 501),
)
async def mark_paid(body: models.MarkPaidRequest) -> None:
    """Replaces `shop.orders.service:mark_paid` in the monolith."""
    raise NotPorted("shop.orders.service:mark_paid")


@router.post(
    "/internal/v1/payments-for",
    operation_id="payments_for",
    summary="Payments for",
    responses=answers(400, 409, 422, 501),
)
async def payments_for(body: models.PaymentsForRequest) -> models.PaymentsForResponse:
    """Replaces `shop.orders.service:payments_for` in the monolith."""
    # TODO: `order`: no annotation
    # TODO: return value: no annotation
    raise NotPorted("shop.orders.service:payments_for")


@router.post(
    "/internal/v1/sagas/checkout",
    operation_id="checkout",
    summary="Do this service's step of checkout",
    status_code=204,
    responses=answers(400, 409, 422, 501),
)
async def checkout(body: models.CheckoutRequest) -> None:
    """This service's step of the saga checkout, which replaces the transaction of `shop.orders.checkout` in the monolith; keyed by `saga_id`, so a repeat does nothing more."""
    # TODO: port what `shop.orders.checkout` did here with its data: take what it needs from `data`, and answer what later steps read
    raise NotPorted("shop.orders.checkout")


@router.put(
    "/internal/v1/sagas/checkout/compensations/{saga_id}",
    operation_id="compensate_checkout",
    summary="Undo this service's step of checkout",
    status_code=204,
    responses=answers(400, 404, 422, 501),
)
async def compensate_checkout(saga_id: str, body: models.CompensateCheckoutRequest) -> None:
    """Compensates this service's step of the saga checkout (`checkout`) for one run, when a later step fails; `shop.orders.checkout` in the monolith rolled its transaction back instead. Idempotent: a repeat for the same saga_id does nothing more."""
    # TODO: undo what `checkout` did for this run (it was sent `arguments`); a repeat for the same saga_id must change nothing more
    raise NotPorted("shop.orders.checkout")
