"""The monolith's routes become endpoints with the same method, path shape and parameters."""

from __future__ import annotations

from decompose.model import (
    ApiItem,
    DataField,
    DataShape,
    Definition,
    ModuleEntry,
    Parameter,
    Route,
)
from decompose.scaffold.data import build_catalog
from decompose.scaffold.endpoints import build_api
from tests.unit.scaffold.test_scaffold_data import _decomposition

SCHEMA = Definition(
    name="CartSchema",
    kind="class",
    line=1,
    public=True,
    shape=DataShape.MARSHMALLOW,
    fields=(
        DataField(name="id", type="int", read_only=True, required=False),
        DataField(name="promo", type="str", required=False, max_length=20),
    ),
)


def _route(
    method: str, path: str, handler: str, *params: Parameter, uses: tuple[str, ...] = ()
) -> Route:
    return Route(method=method, path=path, handler=handler, line=1, params=params, uses=uses)


def test_routes_keep_method_path_shape_and_typed_parameters() -> None:
    module = ModuleEntry(
        name="shop.api.carts", path="c.py", loc=1, service="checkout", definitions=(SCHEMA,)
    )
    catalog = build_catalog(_decomposition(module))
    routes = [
        _route("GET", "/api/carts/<int:cart_id>", "get_cart", uses=("CartSchema",)),
        _route(
            "PUT",
            "/api/carts/<int:cart_id>/promo/<code>",
            "apply_promo",
            Parameter(name="cart_id"),
            Parameter(name="code"),
            uses=("CartSchema",),
        ),
        _route(
            "GET",
            "/api/carts/{cart_id}/items",
            "items",
            Parameter(name="cart_id", annotation="int"),
            Parameter(name="limit", annotation="int", default="10"),
        ),
        _route("GET", "/api/carts/<int:cart_id>", "shadowed"),
    ]
    handler = ApiItem(
        module="shop.api.carts",
        name="get_cart",
        kind="function",
        definition=Definition(name="get_cart", kind="function", line=1, public=True),
    )

    api = build_api([handler], [], catalog, "checkout", [("shop.api.carts", r) for r in routes])

    shapes = [
        (e.method, e.path, [(p.name, p.type.source()) for p in e.path_params + e.query])
        for e in api.endpoints
    ]
    assert shapes == [
        ("GET", "/api/carts/{cart_id}", [("cart_id", "int")]),
        ("GET", "/api/carts/{cart_id}/items", [("cart_id", "int"), ("limit", "int")]),
        ("PUT", "/api/carts/{cart_id}/promo/{code}", [("cart_id", "int"), ("code", "str")]),
    ]  # the second GET of the same path never runs; get_cart is not served twice
    get_cart, items, promo = api.endpoints
    assert get_cart.response_model == "CartSchema"
    assert promo.route_path == "/api/carts/{cart_id:int}/promo/{code}"  # digits only, as before
    assert promo.body is not None and [f.name for f in promo.body.fields] == ["promo"]
    assert promo.body.fields[0].max_length == 20 and not promo.body.permissive
    assert items.notes  # its answer is unknown: a TODO says so


def test_a_fixed_segment_is_declared_before_a_parameter_in_its_place() -> None:
    routes = [
        _route("GET", "/stock/<int:product_id>", "get_stock"),
        _route("GET", "/stock/reservations", "reservations"),
    ]

    api = build_api([], [], None, "inventory", [("shop.api", r) for r in routes])

    assert [e.path for e in api.endpoints] == ["/stock/reservations", "/stock/{product_id}"]


def test_a_handler_takes_its_body_before_the_parameters_that_have_defaults() -> None:
    route = _route(
        "POST",
        "/documents/{folder}",
        "create_document",
        Parameter(name="folder", annotation="int"),
        Parameter(name="collection", annotation="int | None", default="None"),
    )

    (endpoint,) = build_api([], [], None, "documents", [("app.api", route)]).endpoints

    assert endpoint.handler_params == (
        "folder: Annotated[int, Path(ge=0)]",
        "body: models.CreateDocumentRequest",
        "collection: int | None = None",
    )


def test_each_endpoint_declares_the_errors_its_service_can_answer() -> None:
    routes = [
        _route("GET", "/api/carts", "list_carts"),
        _route("GET", "/api/carts/<int:cart_id>", "get_cart"),
        _route("POST", "/api/carts", "open_cart"),
        _route("PUT", "/api/carts/<int:cart_id>/promo/<code>", "apply_promo"),
        _route("DELETE", "/api/carts/<code>", "drop_cart"),
    ]

    api = build_api([], [], None, "checkout", [("shop.api", r) for r in routes])

    problems = {e.operation_id: e.problems for e in api.endpoints}
    assert problems == {
        "list_carts": (501,),
        "get_cart": (404, 422, 501),
        "open_cart": (400, 409, 422, 501),
        "apply_promo": (400, 404, 422, 501),
        "drop_cart": (404, 422, 501),
    }
    bounds = {p.wire: p.minimum for e in api.endpoints for p in e.path_params}
    assert bounds == {"cart_id": 0, "code": None}
