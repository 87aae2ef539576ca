"""The boundaries a team accepted, and the violations `decompose check` finds in the code."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from decompose.model.facts import Frozen


class ServiceBoundary(Frozen):
    """One service: the code it holds, what others may use of it, whom it may use.

    `modules` are dotted names, each covering the module and everything under it (a new
    module under a pattern belongs to the service), or globs (`shop.*.orders`). `public`
    names modules (`shop.orders.api`) or symbols (`shop.orders.service:place_order`).
    `depends_on`, when given, lists the only services it may use.
    """

    modules: tuple[str, ...]
    public: tuple[str, ...] = ()
    depends_on: tuple[str, ...] | None = None


class Boundaries(Frozen):
    """The services, the shared kernel and the wiring, as a boundary file states them.

    The shared kernel may be used by every service and may use none; wiring (entry
    points, an app factory, URL maps) may use every service, as it puts them together.
    """

    services: dict[str, ServiceBoundary] = Field(default_factory=dict)
    shared: tuple[str, ...] = ()
    wiring: tuple[str, ...] = ()


class Rule(str, Enum):
    """What a violation breaks."""

    INTERNAL_USE = "internal_use"  # another service's code outside its public API
    UNDECLARED_DEPENDENCY = "undeclared_dependency"  # a service its `depends_on` leaves out
    KERNEL_USES_SERVICE = "kernel_uses_service"  # the shared kernel depends on a service
    SERVICE_CYCLE = "service_cycle"  # services that depend on each other in a cycle
    CROSS_SERVICE_FK = "cross_service_fk"  # a relation to another service's model
    SHARED_TABLE = "shared_table"  # a model or table used by several services
    DISTRIBUTED_TRANSACTION = "distributed_transaction"  # one transaction, several services


class Severity(str, Enum):
    """How much a violation matters; only errors fail a check."""

    ERROR = "error"
    WARNING = "warning"


class Violation(Frozen):
    """One crossing of a boundary, where it is, and how to fix it.

    `key` identifies the violation without line numbers, so moving code does not make
    it new (the baseline counts violations by key).
    """

    rule: Rule
    severity: Severity
    key: str
    services: tuple[str, ...]
    path: str
    line: int
    module: str
    message: str
    hint: str = ""
