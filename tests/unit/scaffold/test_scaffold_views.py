"""From public API items to endpoints, wire models and their contract."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from decompose.model import ApiItem, Decomposition, Definition, Parameter
from decompose.scaffold.contract import build_contract, problem_model, wire_models
from decompose.scaffold.endpoints import build_api
from decompose.scaffold.plan import plan_scaffold
from decompose.scaffold.typemap import TypeMapper
from decompose.scaffold.views import build_view
from decompose.templating import templates_dir

FIXTURE = Path(__file__).parents[2] / "fixtures" / "scaffold" / "decomposition.json"


def _function(name: str, *params: Parameter, returns: str | None = None) -> ApiItem:
    definition = Definition(
        name=name, kind="function", line=1, public=True, params=params, returns=returns
    )
    return ApiItem(module="shop.things", name=name, kind="function", definition=definition)


def _class(name: str, *bases: str) -> ApiItem:
    definition = Definition(name=name, kind="class", line=1, public=True, bases=bases)
    return ApiItem(module="shop.things", name=name, kind="class", definition=definition)


@pytest.mark.parametrize(
    ("annotation", "source", "lost"),
    [
        ("int", "int", False),
        ("Optional[Decimal]", "WireDecimal | None", False),
        ("typing.Union[str, None]", "str | None", False),
        ("list[datetime.date]", "list[date]", False),
        ("Dict[str, uuid.UUID]", "dict[str, UUID]", False),
        ("Sequence[int] | None", "list[int] | None", False),
        ("'Product'", "Product", False),
        ("tuple[int, ...]", "list[int]", False),
        ("tuple[int, str]", "Any", True),
        ("Money", "Any", True),
        ("dict[Money, int]", "Any", True),
        ("int | Any", "Any", False),
        ("not valid(", "Any", True),
        (None, "Any", True),
    ],
)
def test_annotations_map_to_safe_types(annotation: str | None, source: str, lost: bool) -> None:
    ref, note = TypeMapper(models={"Product": "Product"}).map(annotation)

    assert ref.source() == source
    assert (note is not None) == lost


def test_reads_are_gets_with_query_parameters_and_writes_are_posts() -> None:
    api = build_api(
        [
            _function("get_user", Parameter(name="user_id", annotation="int"), returns="User"),
            _function(
                "rename_user",
                Parameter(name="user_id", annotation="int"),
                Parameter(name="name", annotation="str"),
                returns="None",
            ),
            _class("User", "Base"),
        ],
        owned=[("shop.things", "User")],
    )
    by_id = {e.operation_id: e for e in api.endpoints}

    get, rename, lookup = by_id["get_user"], by_id["rename_user"], by_id["lookup_user"]
    assert (get.method, get.path) == ("GET", "/internal/v1/get-user")
    assert [q.name for q in get.query] == ["user_id"]
    assert get.response_model == "User"
    assert (rename.method, rename.status_code, rename.body and rename.body.name) == (
        "POST",
        204,
        "RenameUserRequest",
    )
    assert (lookup.method, lookup.path) == ("GET", "/internal/v1/users/{user_id}")


def test_errors_and_enums_are_not_endpoints() -> None:
    api = build_api(
        [
            _class("NotFoundError", "Exception"),
            _class("Color", "str", "Enum"),
            _function("paint", Parameter(name="color", annotation="Color"), returns="None"),
        ],
        owned=[],
    )

    assert api.errors == ("shop.things:NotFoundError",)
    assert [e.operation_id for e in api.endpoints] == ["paint"]
    assert api.endpoints[0].params[0].type.source() == "str"


def test_awkward_parameters_become_aliased_or_optional_fields() -> None:
    api = build_api(
        [
            _function(
                "send",
                Parameter(name="json", annotation="dict"),
                Parameter(name="_trace", annotation="bool", default="True"),
                Parameter(name="when", annotation="datetime", default="datetime.now()"),
                Parameter(name="extra", annotation="str", kind="var_keyword"),
            )
        ],
        owned=[],
    )
    fields = {f.wire: f for f in api.endpoints[0].params}

    assert (fields["json"].name, fields["json"].alias) == ("json_", "json")
    assert (fields["_trace"].name, fields["_trace"].default) == ("trace_", True)
    assert fields["when"].type.source() == "datetime | None" and fields["when"].note
    assert "extra" not in fields  # **kwargs: the request model takes other keys instead
    body = api.endpoints[0].body
    assert body is not None and body.permissive and body.notes


def test_same_names_in_two_modules_get_distinct_endpoints() -> None:
    first = _function("get")
    second = first.model_copy(update={"module": "shop.other"})

    api = build_api([first, second], owned=[])

    assert sorted(e.path for e in api.endpoints) == [
        "/internal/v1/other-get",
        "/internal/v1/things-get",
    ]


def test_generated_models_match_the_models_the_contract_is_built_from(tmp_path: Path) -> None:
    decomposition = Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    files = {f.relpath: f.content for f in plan_scaffold(decomposition, tmp_path).files}

    for service in build_view(decomposition).services:
        source = files[f"{service.names.label}/client/src/{service.names.client_package}/models.py"]
        module = types.ModuleType(f"generated_{service.names.ident}_models")
        sys.modules[module.__name__] = module  # pydantic resolves annotations through it
        try:
            exec(compile(source, module.__name__, "exec"), module.__dict__)
        finally:
            del sys.modules[module.__name__]
        expected = wire_models(service.schemas)
        for name, model in expected.items():
            assert getattr(module, name).model_json_schema() == model.model_json_schema(), name
        assert module.Problem.model_json_schema() == problem_model().model_json_schema()


def test_contract_is_deterministic_and_versioned() -> None:
    decomposition = Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    orders = next(s for s in build_view(decomposition).services if s.names.label == "orders")

    contract = build_contract(orders)

    again = build_contract(orders)
    assert json.dumps(contract, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert all(path.startswith(("/internal/v1/", "/api/orders")) for path in contract["paths"])
    assert contract["paths"]["/internal/v1/mark-paid"]["post"]["responses"]["501"]["content"]


def test_every_error_answer_of_the_contract_is_a_problem_document() -> None:
    decomposition = Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    orders = next(s for s in build_view(decomposition).services if s.names.label == "orders")

    contract = build_contract(orders)

    problem = {"$ref": "#/components/schemas/Problem"}
    errors = [
        answer
        for operation in (op for ops in contract["paths"].values() for op in ops.values())
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    ]
    assert errors and all(
        answer["content"] == {"application/problem+json": {"schema": problem}} for answer in errors
    )
    schemas = contract["components"]["schemas"]
    assert schemas["Problem"] == problem_model().model_json_schema()
    assert "HTTPValidationError" not in schemas


def test_every_service_template_is_rendered() -> None:
    decomposition = Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    plan = plan_scaffold(decomposition, Path("out"))
    root = templates_dir() / "service"
    templates = {p.relative_to(root).as_posix() for p in root.rglob("*.j2")}

    from decompose.scaffold import plan as plan_module

    used = {t for t, _ in plan_module._SERVICE_FILES + plan_module._TOP_FILES if t}
    used |= {t for t, _ in plan_module._GATEWAY_STEPS + plan_module._SAGA_FILES}
    assert templates == used
    assert all(f.content or f.relpath.endswith("py.typed") for f in plan.files)


def test_a_client_named_like_a_test_class_is_not_collected_by_pytest(tmp_path: Path) -> None:
    decomposition = Decomposition.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    renamed = decomposition.model_copy(
        update={
            "services": tuple(
                s.model_copy(update={"name": "testutils"}) if s.name == "catalog" else s
                for s in decomposition.services
            )
        }
    )
    files = {f.relpath: f.data for f in plan_scaffold(renamed, tmp_path).files}
    client = files["testutils/client/src/testutils_client/client.py"].decode()
    assert "class TestutilsClient:" in client and "__test__ = False" in client
    assert "__test__" not in files["orders/client/src/orders_client/client.py"].decode()


def test_a_query_parameter_that_may_be_none_is_not_required() -> None:
    api = build_api(
        [_function("get_mime_type", Parameter(name="header", annotation="str | None"))],
        owned=[],
    )

    (param,) = api.endpoints[0].query
    assert (param.required, param.default, param.type.source()) == (False, None, "str | None")


def test_query_parameters_are_declared_required_first_in_handler_and_contract() -> None:
    api = build_api(
        [
            _function(
                "get_rows",
                Parameter(name="page", annotation="int", default="1"),
                Parameter(name="table", annotation="str"),
            )
        ],
        owned=[],
    )

    (endpoint,) = api.endpoints
    assert [p.name for p in endpoint.ordered_query] == ["table", "page"]
    assert endpoint.handler_params == ("table: str", "page: int = 1")
