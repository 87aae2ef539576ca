"""Sagas: one per distributed transaction, its steps in the monolith's order, each undoable."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.api import analyze
from decompose.config import Settings
from decompose.model import Decomposition, Finding, SpanningTransaction, TransactionStep
from decompose.scaffold import plan_scaffold
from decompose.scaffold.contract import build_contract
from decompose.scaffold.views import ScaffoldView, ServiceView, build_view

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"
EXAMPLE = Path(__file__).parents[3] / "examples" / "monolith_app"


def _fixture() -> Decomposition:
    return Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def _with_transaction(
    decomposition: Decomposition, transaction: SpanningTransaction
) -> Decomposition:
    findings = tuple(
        f.model_copy(update={"transaction": transaction})
        if f.kind == "distributed_transaction"
        else f
        for f in decomposition.findings
    )
    return decomposition.model_copy(update={"findings": findings})


def _service(view: ScaffoldView, label: str) -> ServiceView:
    return next(s for s in view.services if s.names.label == label)


# The fixture's transaction in shop.orders.checkout, as schema 1.3 reports it: it reads a
# customer first, then writes the order, then a product's price.
ORDERED = SpanningTransaction(
    module="shop.orders.checkout",
    function="place_order",
    kind="block",
    steps=(
        TransactionStep(service="customers", uses=("shop.customers.service:get_customer",)),
        TransactionStep(service="orders", uses=("shop.orders.models:Order",)),
        TransactionStep(
            service="catalog",
            uses=("shop.catalog.repository:get_by_sku", "shop.catalog.service:change_price"),
        ),
    ),
)


def test_the_saga_is_run_by_the_service_the_transaction_is_in_with_steps_in_its_order() -> None:
    view = build_view(_with_transaction(_fixture(), ORDERED))

    [saga] = _service(view, "orders").sagas
    assert (saga.name, saga.class_name, saga.replaces) == (
        "place_order",
        "PlaceOrderSaga",
        "shop.orders.checkout:place_order",
    )
    assert saga.ordered and saga.location == "shop/orders/checkout.py:40"
    assert [(s.number, s.service.label, s.local) for s in saga.steps] == [
        (1, "customers", False),
        (2, "orders", True),
        (3, "catalog", False),
    ]
    assert all(not s.sagas for s in view.services if s.names.label != "orders")


def test_a_step_calls_the_endpoint_replacing_what_the_monolith_called_a_write_first() -> None:
    view = build_view(_with_transaction(_fixture(), ORDERED))
    customers, orders, catalog = _service(view, "orders").sagas[0].steps

    assert (customers.action.replaces, customers.made) == (
        "shop.customers.service:get_customer",
        False,
    )
    assert (catalog.action.replaces, catalog.action.method) == (
        "shop.catalog.service:change_price",
        "POST",
    )
    assert catalog.arguments == tuple(
        (p.name, f'run.data["{p.name}"]') for p in catalog.action.params if p.required
    )
    # Only the orders' model was used there: the saga gives orders an endpoint of its own.
    assert (orders.made, orders.action.method, orders.action.path) == (
        True,
        "POST",
        "/internal/v1/sagas/place-order",
    )
    assert orders.arguments == (("saga_id", "run.id"), ("data", "run.data"))


def test_every_step_names_an_idempotent_compensation_stub_of_its_own_service() -> None:
    view = build_view(_with_transaction(_fixture(), ORDERED))
    saga = _service(view, "orders").sagas[0]

    for step in saga.steps:
        compensation = step.compensation
        assert compensation.method == "PUT"  # idempotent: repeating it is harmless
        assert compensation.path == "/internal/v1/sagas/place-order/compensations/{saga_id}"
        assert compensation.status_code == 204
        assert compensation.body is not None
        assert [f.name for f in compensation.body.fields] == ["arguments"]
        service = _service(view, step.service.label)
        assert compensation in service.endpoints  # a stub of the step's service
        assert any(s.endpoint == compensation for s in service.stubs)  # tested to answer 501
        contract = build_contract(service)
        assert "put" in contract["paths"][compensation.path]


def test_the_saga_service_keeps_its_runs_in_its_database_and_calls_every_participant() -> None:
    view = build_view(_with_transaction(_fixture(), ORDERED))
    orders = _service(view, "orders")

    assert orders.saga_log is not None and orders.saga_log.name == "saga_runs"
    assert orders.saga_log in orders.tables
    assert {"catalog", "customers"} <= {p.names.label for p in orders.peers}
    assert _service(view, "catalog").saga_log is None


def test_without_the_order_the_owner_goes_first_then_the_others_by_name() -> None:
    view = build_view(_fixture())  # schema 1.2: the finding has no steps

    [saga] = _service(view, "orders").sagas
    assert not saga.ordered
    assert saga.name == "checkout"  # no function known: the module's name
    assert [s.service.label for s in saga.steps] == ["orders", "catalog", "customers"]
    assert all(s.made for s in saga.steps)


def test_a_transaction_in_the_shared_kernel_gets_no_saga() -> None:
    decomposition = _fixture()
    shared = decomposition.model_copy(
        update={
            "modules": tuple(
                m.model_copy(update={"service": None}) if m.name == "shop.orders.checkout" else m
                for m in decomposition.modules
            )
        }
    )
    view = build_view(shared)

    assert all(not s.sagas for s in view.services)


def test_two_transactions_of_the_same_name_get_two_sagas() -> None:
    decomposition = _with_transaction(_fixture(), ORDERED)
    [finding] = [f for f in decomposition.findings if f.kind == "distributed_transaction"]
    again = Finding(**{**finding.model_dump(), "locations": finding.locations})
    twice = decomposition.model_copy(update={"findings": (*decomposition.findings, again)})

    sagas = _service(build_view(twice), "orders").sagas
    assert [s.name for s in sagas] == ["place_order", "place_order_2"]
    paths = [s.steps[0].compensation.path for s in sagas]
    assert paths[0] != paths[1]


def test_the_files_of_a_saga_are_written_in_the_service_that_runs_it() -> None:
    plan = plan_scaffold(_with_transaction(_fixture(), ORDERED), Path("out"))
    paths = {f.relpath for f in plan.files}

    assert {
        "orders/src/orders_service/saga.py",
        "orders/src/orders_service/sagas/__init__.py",
        "orders/src/orders_service/sagas/place_order.py",
        "orders/tests/test_orders_saga.py",
        "orders/tests/test_orders_saga_place_order.py",
    } <= paths
    assert not any("saga" in p for p in paths if p.startswith("catalog/"))


@pytest.fixture(scope="module")
def example() -> ScaffoldView:
    return build_view(analyze(EXAMPLE, Settings(cache=False)))


def test_the_sample_checkout_is_a_saga_of_six_steps_each_with_a_compensation(
    example: ScaffoldView,
) -> None:
    [saga] = [s for s in _service(example, "checkout").sagas if s.name == "place_order"]

    assert [s.service.label for s in saga.steps] == [
        "checkout",
        "customers",
        "catalog",
        "orders",
        "inventory",
        "payments",
    ]
    assert [s.action.operation_id for s in saga.steps if not s.made] == [
        "get_address",
        "products_by_ids",
        "reserve",
        "authorize",
    ]
    compensations = [s.compensation for s in saga.steps]
    assert len({(c.operation_id, c.path) for c in compensations}) == 1  # one name in each
    for step in saga.steps:
        assert step.compensation in _service(example, step.service.label).endpoints
