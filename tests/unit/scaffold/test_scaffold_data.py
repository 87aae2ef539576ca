"""Wire models declared from the monolith's data: columns, serializers, ids across services."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from decompose.model import (
    ApiItem,
    DataField,
    DataShape,
    Decomposition,
    Definition,
    ModuleEntry,
    OrmModel,
    Parameter,
    ReportSettings,
    Service,
    ServiceMetrics,
    ToolInfo,
)
from decompose.scaffold.contract import wire_models
from decompose.scaffold.data import build_catalog
from decompose.scaffold.endpoints import build_api
from decompose.scaffold.pyformat import flat
from decompose.scaffold.tables import build_tables, with_outbox

_METRICS = ServiceMetrics(
    modules=1, loc=1, cohesion=1, coupling=0, afferent=0, efferent=0, instability=0
)
ORDER = OrmModel(
    name="Order",
    framework="sqlalchemy",
    line=1,
    table="orders",
    fields=(
        DataField(name="id", type="int", primary_key=True, read_only=True),
        DataField(name="number", type="str", max_length=20),
        DataField(name="status", type="str", choices=("new", "paid")),
        DataField(name="customer_id", type="int", references="customers.id"),
        DataField(name="note", type="str", nullable=True, required=False, max_length=200),
        DataField(name="placed_at", type="datetime", required=False),  # the database fills it
        DataField(name="discount", type="int", required=False, default="0"),
    ),
)
CUSTOMER = OrmModel(
    name="Customer",
    framework="sqlalchemy",
    line=1,
    table="customers",
    fields=(DataField(name="id", type="int", primary_key=True),),
)


def _decomposition(*modules: ModuleEntry) -> Decomposition:
    services = sorted({m.service for m in modules if m.service})
    return Decomposition(
        tool=ToolInfo(version="0"),
        root=".",
        settings=ReportSettings(algorithm="x", seed=0),
        modules=modules,
        dependencies=(),
        services=tuple(
            Service(
                name=s,
                modules=tuple(m.name for m in modules if m.service == s),
                loc=1,
                metrics=_METRICS,
            )
            for s in services
        ),
    )


def _item(module: str, name: str, kind: str = "class", **definition: object) -> ApiItem:
    found = Definition(name=name, kind=kind, line=1, public=True, **definition)  # type: ignore[arg-type]
    return ApiItem(module=module, name=name, kind=kind, definition=found)


def test_a_model_becomes_a_typed_wire_model_and_its_lookup_takes_its_key_type() -> None:
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(name="shop.orders", path="o.py", loc=1, service="orders", models=(ORDER,))
        )
    )
    api = build_api([_item("shop.orders", "Order")], [("shop.orders", "Order")], catalog, "orders")

    order = next(s for s in api.schemas if s.name == "Order")
    declared = {f.name: (f.type.source(), f.required, f.max_length) for f in order.fields}
    assert declared == {
        "id": ("int", True, None),
        "number": ("str", True, 20),
        "status": ('Literal["new", "paid"]', True, None),
        "customer_id": ("int", True, None),
        "note": ("str | None", False, 200),
        "placed_at": ("datetime", True, None),
        "discount": ("int", False, None),
    }
    assert not order.permissive
    lookup = api.endpoints[0]
    assert lookup.path == "/internal/v1/orders/{order_id}"
    assert lookup.path_params[0].type.source() == "int" and not lookup.notes
    model = wire_models(api.schemas)["Order"]
    with pytest.raises(ValidationError):
        model(id=1, number="x" * 21, status="new", customer_id=1, placed_at="2024-01-01T00:00:00")
    with pytest.raises(ValidationError):
        model(id=1, number="x", status="lost", customer_id=1, placed_at="2024-01-01T00:00:00")


def test_a_serializer_of_the_model_is_preferred_and_completed_from_its_columns() -> None:
    serializer = Definition(
        name="OrderSerializer",
        kind="class",
        line=1,
        public=True,
        shape=DataShape.DRF,
        model="Order",
        meta_fields=("id", "number", "total"),
        fields=(DataField(name="total", type="Decimal", read_only=True, required=False),),
    )
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(
                name="shop.orders.models", path="m.py", loc=1, service="orders", models=(ORDER,)
            ),
            ModuleEntry(
                name="shop.orders.serializers",
                path="s.py",
                loc=1,
                service="orders",
                definitions=(serializer,),
            ),
        )
    )
    api = build_api([_item("shop.orders.models", "Order")], [], catalog, "orders")

    order = next(s for s in api.schemas if s.name == "Order")
    assert [(f.name, f.type.source()) for f in order.fields] == [
        ("id", "int"),
        ("number", "str"),
        ("total", "WireDecimal | None"),
    ]


def test_a_model_of_another_service_travels_as_its_id() -> None:
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(name="shop.orders", path="o.py", loc=1, service="orders", models=(ORDER,)),
            ModuleEntry(
                name="shop.customers", path="c.py", loc=1, service="customers", models=(CUSTOMER,)
            ),
        )
    )
    notify = _item(
        "shop.orders",
        "notify_customer",
        kind="function",
        params=(Parameter(name="customer", annotation="Customer"),),
        returns="None",
    )
    api = build_api([notify], [], catalog, "orders")

    (endpoint,) = api.endpoints
    assert endpoint.body is not None
    assert [(f.name, f.type.source()) for f in endpoint.body.fields] == [("customer", "int")]


def test_decorators_and_kwargs_only_helpers_are_no_endpoints_and_nouns_are_reads() -> None:
    api = build_api(
        [
            _item("k", "admins_only", kind="function", params=(Parameter(name="f"),), wraps=True),
            _item(
                "k",
                "log_everything",
                kind="function",
                params=(Parameter(name="kwargs", kind="var_keyword"),),
            ),
            _item(
                "k",
                "payments_for_order",
                kind="function",
                params=(Parameter(name="order_id", annotation="int"),),
                returns="list[int]",
            ),
            _item(
                "k",
                "refund_order",
                kind="function",
                params=(Parameter(name="order_id", annotation="int"),),
                returns="None",
            ),
        ],
        [],
    )

    assert [(e.operation_id, e.method) for e in api.endpoints] == [
        ("payments_for_order", "GET"),
        ("refund_order", "POST"),
    ]
    assert [s.split(":")[1] for s in api.skipped] == ["admins_only", "log_everything"]


def test_owned_tables_keep_their_keys_inside_and_plain_ids_across_services() -> None:
    line = OrmModel(
        name="OrderLine",
        framework="sqlalchemy",
        line=1,
        table="order_lines",
        fields=(
            DataField(name="order_id", type="int", references="orders.id"),
            DataField(name="tags", type="list[int]", many=True, references="Tag"),
        ),
    )
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(
                name="shop.orders", path="o.py", loc=1, service="orders", models=(line, ORDER)
            ),
            ModuleEntry(
                name="shop.customers", path="c.py", loc=1, service="customers", models=(CUSTOMER,)
            ),
        )
    )
    owned = [("shop.orders", "OrderLine", "order_lines"), ("shop.orders", "Order", "orders")]

    tables = build_tables(owned, catalog, "orders")

    assert [t.name for t in tables] == ["orders", "order_lines"]  # referenced first
    orders, lines = tables
    columns = {c.name: c for c in orders.columns}
    assert columns["customer_id"].foreign_key == ""
    assert "customers service" in columns["customer_id"].owner
    assert (columns["number"].sa_type, columns["note"].annotation) == ("String(20)", "str | None")
    assert [c.name for c in lines.columns] == ["id", "order_id"]  # a key added; no M2M column
    assert lines.columns[1].foreign_key == "orders.id" and not lines.columns[1].owner


def test_a_service_others_depend_on_gets_an_outbox_named_apart_from_its_tables() -> None:
    taken = OrmModel(name="EventOutbox", framework="sqlalchemy", line=1, table="event_outbox")
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(name="shop.orders", path="o.py", loc=1, service="orders", models=(taken,))
        )
    )

    tables = with_outbox(
        build_tables([("shop.orders", "EventOutbox", "event_outbox")], catalog, "orders")
    )

    outbox = tables[-1]
    assert (outbox.name, outbox.class_name, outbox.origin) == (
        "event_outbox_2",
        "EventOutbox_2",
        "",
    )
    assert [c.name for c in outbox.columns if c.nullable] == ["published_at"]


def _model(name: str, table: str, *keys: tuple[str, str]) -> OrmModel:
    fields = [DataField(name="id", type="int", primary_key=True)]
    fields += [DataField(name=column, type="int", references=target) for column, target in keys]
    return OrmModel(name=name, framework="sqlalchemy", line=1, table=table, fields=tuple(fields))


def test_a_cycle_of_references_is_closed_by_a_key_added_after_the_tables() -> None:
    import warnings

    import sqlalchemy as sa

    # A forum points at its last post, a post at its topic, a topic at its forum.
    models = (
        _model("Forum", "forums", ("last_post_id", "posts.id")),
        _model("Topic", "topics", ("forum_id", "forums.id"), ("last_post_id", "posts.id")),
        _model("Post", "posts", ("topic_id", "topics.id")),
    )
    catalog = build_catalog(
        _decomposition(
            ModuleEntry(name="forum.models", path="m.py", loc=1, service="forum", models=models)
        )
    )
    owned = [("forum.models", m.name, m.table) for m in models]

    tables = build_tables(owned, catalog, "forum")

    created: set[str] = set()
    for table in tables:
        for column in table.columns:
            target = column.foreign_key.partition(".")[0]
            assert bool(column.deferred) == bool(target and target not in created | {table.name})
        created.add(table.name)
    assert any(c.deferred for t in tables for c in t.columns)
    metadata = sa.MetaData()
    for table in tables:  # as the migration declares them
        columns = [eval(flat(c.migration_call), {"sa": sa}) for c in table.columns]
        sa.Table(table.name, metadata, *columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Cannot correctly sort tables" when a cycle is left
        assert [t.name for t in metadata.sorted_tables] == [t.name for t in tables]
        engine = sa.create_engine("sqlite://")
        metadata.create_all(engine)
    assert {fk["referred_table"] for fk in sa.inspect(engine).get_foreign_keys("forums")} == {
        "posts"
    }
