"""The boundary file: read, written from a decomposition, matched against the modules."""

from __future__ import annotations

import pytest

from decompose.check.boundary_file import (
    assign,
    boundaries_of,
    compress,
    parse_boundaries,
    render_boundaries,
)
from decompose.errors import BoundaryError
from decompose.model import Boundaries, Decomposition, ServiceBoundary

MODULES = [
    "shop", "shop.app", "shop.api", "shop.api.orders", "shop.api.pay", "shop.orders",
    "shop.orders.models", "shop.orders.service", "shop.pay", "shop.pay.models", "shop.kernel.db",
]  # fmt: skip

FILE = """
shared = ["shop.kernel", "shop.__init__"]
wiring = ["shop.app", "shop.api.__init__"]

[services.orders]
modules = ["shop.orders", "shop.api.orders"]
public = ["shop.orders.service:place", "shop.orders.models"]
depends_on = ["pay"]

[services.pay]
modules = ["shop.pay", "shop.api.pay"]
"""


def test_a_boundary_file_is_read_and_written_back_the_same() -> None:
    boundaries = parse_boundaries(FILE, "b.toml")
    assert boundaries.services["orders"].depends_on == ("pay",)
    assert boundaries.services["pay"].depends_on is None  # not stated: any service
    text = render_boundaries(boundaries)
    again = parse_boundaries(text, "again.toml")
    assert render_boundaries(again) == text  # stable: the same text, lists sorted
    assert set(again.services["orders"].public) == set(boundaries.services["orders"].public)
    assert set(again.wiring) == set(boundaries.wiring)


def test_pyproject_states_them_under_tool_decompose() -> None:
    text = (
        '[tool.decompose]\nseed = 3\nshared = ["shop.kernel"]\n'
        '[tool.decompose.services.a]\nmodules = ["shop.a"]\n'
    )
    boundaries = parse_boundaries(text, "pyproject.toml", pyproject=True)
    assert boundaries == Boundaries(
        services={"a": ServiceBoundary(modules=("shop.a",))}, shared=("shop.kernel",)
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("shared = [", "not valid TOML"),
        ("[services.a]\nmodules = ['x']\nowner = 'me'\n", "services.a.owner"),
        ("[services.a]\npublic = ['x']\n", "services.a.modules"),
    ],
)
def test_a_file_that_does_not_fit_is_one_error(text: str, says: str) -> None:
    with pytest.raises(BoundaryError, match=says):
        parse_boundaries(text, "b.toml")


def test_the_most_specific_name_wins() -> None:
    boundaries = parse_boundaries(FILE, "b.toml")
    assignment = assign(boundaries, MODULES)
    assert assignment.owner["shop.orders.service"] == "orders"
    assert assignment.owner["shop.api.orders"] == "orders"  # beats nothing: `shop.api` is exact
    assert assignment.owner["shop"] is None and assignment.owner["shop.kernel.db"] is None
    assert assignment.wiring == {"shop.app", "shop.api"}
    assert assignment.unassigned == ()


def test_new_code_under_a_name_is_covered_and_code_under_none_is_listed() -> None:
    boundaries = parse_boundaries(FILE, "b.toml")
    assignment = assign(boundaries, [*MODULES, "shop.orders.refunds", "shop.reports.daily"])
    assert assignment.owner["shop.orders.refunds"] == "orders"
    assert assignment.unassigned == ("shop.reports.daily",)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"modules": ("shop.orders", "shop.nothing")}, "shop.nothing matches no module"),
        ({"modules": ("shop.orders", "shop.pay")}, "shop.pay.models is in two services"),
        ({"public": ("shop.pay.models:Payment",)}, "public API of orders names shop.pay.models"),
        ({"depends_on": ("billing",)}, "depends on billing, which is no service"),
    ],
)
def test_a_boundary_file_that_does_not_fit_the_code_is_one_error(
    change: dict[str, object], says: str
) -> None:
    boundaries = parse_boundaries(FILE, "b.toml")
    orders = boundaries.services["orders"].model_copy(update=change)
    broken = boundaries.model_copy(update={"services": {**boundaries.services, "orders": orders}})
    with pytest.raises(BoundaryError, match=says):
        assign(broken, MODULES)


def test_whole_packages_where_they_can_and_mixed_packages_by_their_own_module() -> None:
    owner = {
        "shop": None, "shop.orders": "orders", "shop.orders.models": "orders",
        "shop.api": None, "shop.api.orders": "orders", "shop.api.pay": "pay",
    }  # fmt: skip
    assert compress(owner) == {
        None: ["shop.__init__", "shop.api.__init__"],
        "orders": ["shop.api.orders", "shop.orders"],
        "pay": ["shop.api.pay"],
    }


def test_a_decomposition_proposes_its_boundaries(decomposition: Decomposition) -> None:
    boundaries = boundaries_of(decomposition)
    assert set(boundaries.services) == {s.name for s in decomposition.services}
    assignment = assign(boundaries, [m.name for m in decomposition.modules])
    for module in decomposition.modules:  # the file gives every module its place back
        assert assignment.owner[module.name] == module.service
    billing = boundaries.services["billing"]
    assert billing.depends_on == tuple(
        sorted(
            d.service
            for d in next(s for s in decomposition.services if s.name == "billing").depends_on
        )
    )
