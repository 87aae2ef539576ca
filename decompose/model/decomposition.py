"""The report contract: the shape of decomposition.json, a public and versioned API."""

from __future__ import annotations

from collections import Counter

from pydantic import Field, field_serializer, field_validator
from pydantic.dataclasses import dataclass

from decompose.model.facts import FACT_CONFIG, Definition, Frozen, OrmModel, Route, SkippedFile
from decompose.model.placement import Placement

# 1.1: modules[].placement. 1.2: fields of models and data classes (`DataField`),
# `Definition.shape/fields/model/wraps`, module routes and mounts. 1.3: a distributed
# transaction's steps (`Finding.transaction`).
SCHEMA_VERSION = "1.3"


class ToolInfo(Frozen):
    """Which tool wrote the report."""

    name: str = "decompose"
    version: str


class ModuleEntry(Frozen):
    """One analyzed module and where it ended up."""

    name: str
    path: str
    loc: int
    service: str | None  # None: part of the shared kernel
    definitions: tuple[Definition, ...] = ()
    models: tuple[OrmModel, ...] = ()
    placement: Placement | None = None  # why it is there (schema 1.1)
    routes: tuple[Route, ...] = ()  # its HTTP routes, full paths (schema 1.2)


# One per edge of the graph (41,351 for Home Assistant): a slotted dataclass, as the
# facts are, not a model; the same JSON and JSON Schema.
@dataclass(frozen=True, slots=True, kw_only=True, config=FACT_CONFIG)
class Dependency:
    """An internal module-to-module dependency."""

    source: str
    target: str
    weight: float
    kinds: tuple[str, ...]
    symbols: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()


class ApiItem(Frozen):
    """A function or class of a service that other services use."""

    module: str
    name: str
    kind: str  # "class", "function", "variable", "module"
    signature: str = ""
    definition: Definition | None = None
    used_by: tuple[str, ...] = ()  # calling modules


class ServiceDependency(Frozen):
    """One service's use of another."""

    service: str
    weight: float
    symbols: tuple[str, ...] = ()


class ServiceMetrics(Frozen):
    """Size, cohesion and coupling of one service."""

    modules: int
    loc: int
    cohesion: float  # internal edge weight / all edge weight touching the service
    coupling: float  # external edge weight / all edge weight touching the service
    afferent: int  # services that depend on this one
    efferent: int  # services this one depends on
    instability: float  # efferent / (afferent + efferent)


class OwnedModel(Frozen):
    """An ORM model a service owns, and the table behind it."""

    module: str
    name: str
    table: str | None


class Service(Frozen):
    """A candidate microservice (bounded context)."""

    name: str
    modules: tuple[str, ...]
    loc: int
    public_api: tuple[ApiItem, ...] = ()
    owned_models: tuple[OwnedModel, ...] = ()
    depends_on: tuple[ServiceDependency, ...] = ()
    metrics: ServiceMetrics


class Location(Frozen):
    """A place in the analyzed code."""

    path: str
    line: int
    module: str = ""


class TransactionStep(Frozen):
    """One service a transaction touches, and what of it the transaction uses (schema 1.3)."""

    service: str
    uses: tuple[str, ...] = ()  # `module:name` (or a module), in the order the block uses them


class SpanningTransaction(Frozen):
    """A transaction over several services' data: where it is and its steps (schema 1.3).

    The steps follow the order in which the block first touches each service's data: the
    order a saga replacing it takes its steps in.
    """

    module: str
    function: str | None  # the enclosing function or `Class.method`; None at module level
    kind: str  # as `Transaction.kind`: block, decorator, commit, request
    steps: tuple[TransactionStep, ...]


class Finding(Frozen):
    """An anti-pattern that would make the services a distributed monolith."""

    kind: str  # service_cycle, shared_table, cross_service_fk, distributed_transaction, ...
    severity: str  # "high", "medium", "low"
    services: tuple[str, ...]
    detail: str
    locations: tuple[Location, ...] = ()
    transaction: SpanningTransaction | None = None  # distributed_transaction (schema 1.3)


class MigrationStep(Frozen):
    """One step of the strangler-fig extraction order."""

    service: str
    reason: str


class ReportSettings(Frozen):
    """The settings the decomposition was made with (enough to reproduce it)."""

    algorithm: str
    seed: int
    resolution: float | None = None
    services: int | None = None
    level: str = "module"
    weights: dict[str, float] = Field(default_factory=dict)
    git_commits: int | None = None  # co-change taken from this many recent commits

    @field_serializer("weights")
    def _weights_by_name(self, weights: dict[str, float]) -> dict[str, float]:
        return _by_key(weights)


class Decomposition(Frozen):
    """The whole report: modules, dependencies, services, metrics and findings."""

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    root: str
    settings: ReportSettings
    modules: tuple[ModuleEntry, ...]
    dependencies: tuple[Dependency, ...]
    services: tuple[Service, ...]
    shared: tuple[str, ...] = ()
    metrics: dict[str, float] = Field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    migration_order: tuple[MigrationStep, ...] = ()
    skipped_files: tuple[SkippedFile, ...] = ()

    @field_serializer("metrics")
    def _metrics_by_name(self, metrics: dict[str, float]) -> dict[str, float]:
        return _by_key(metrics)

    @field_validator("services")
    @classmethod
    def _names_are_unique(cls, services: tuple[Service, ...]) -> tuple[Service, ...]:
        # Everything about a service is keyed by its name: a second one of the same name
        # would be dropped by whatever reads the report (scaffold did, silently).
        counts = Counter(service.name for service in services)
        repeated = sorted(name for name, count in counts.items() if count > 1)
        if repeated:
            names = ", ".join(repr(name) for name in repeated)
            several = len(repeated) > 1
            raise ValueError(
                f"service name{'s' if several else ''} {names} "
                f"appear{'' if several else 's'} more than once"
            )
        return services


def _by_key(mapping: dict[str, float]) -> dict[str, float]:
    """A dict in key order, so the order its producer inserted keys in never shows."""
    return dict(sorted(mapping.items()))
