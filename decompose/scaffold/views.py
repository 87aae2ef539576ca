"""View models of the scaffold: everything the service templates show, already safe and sorted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model import Decomposition, Finding, Route, Service
from decompose.scaffold.api_views import (
    KEYED_METHODS,
    PROBLEMS,
    EndpointView,
    SchemaView,
    ServiceApi,
)
from decompose.scaffold.data import DataCatalog, build_catalog
from decompose.scaffold.endpoints import build_api
from decompose.scaffold.events import EventView, build_events
from decompose.scaffold.examples import StubCase, stub_case
from decompose.scaffold.gateway import GatewayStep, RoutedService, gateway_steps, locations
from decompose.scaffold.names import (
    UniqueNames,
    dns_label,
    env_name,
    identifier,
    isort,
    one_line,
    pascal,
)
from decompose.scaffold.sagas import SagaView, plan_sagas
from decompose.scaffold.tables import (
    DeferredKey,
    TableRole,
    TableView,
    build_tables,
    deferred_keys,
    model_imports,
    sa_names,
    with_outbox,
    with_saga_log,
)
from decompose.scaffold.typemap import DECIMAL_PATTERN

PORT = 8000
#: Host ports of the services in docker compose: one each, counting up from here, so the
#: whole system runs on one machine and 8000 stays free for the monolith.
FIRST_HOST_PORT = 8001
#: The database image docker compose gives every service, one container each.
DATABASE_IMAGE = "postgres:16-alpine"
DATABASE_PORT = 5432
#: Names of the services root's own entries and of the other compose services and Kubernetes
#: objects, which no service may take (case-blind, for case-insensitive file systems).
RESERVED_LABELS = (
    "contracts",
    "deploy",
    "gateway",
    "jaeger",
    "makefile",
    "monolith",
    "observability",
    "otel-collector",
    "shared",
)
DATA_FINDINGS = ("cross_service_fk", "shared_table", "shared_model", "distributed_transaction")


@dataclass(frozen=True)
class ServiceNames:
    """Every name one service goes by, each valid where it is used."""

    original: str  # as the report has it (one line), for prose only
    label: str  # DNS-1035 label: folder, compose service, k8s objects, host name
    ident: str  # Python identifier
    env: str  # environment variable prefix

    @property
    def package(self) -> str:
        """The service's import package."""
        return f"{self.ident}_service"

    @property
    def client_package(self) -> str:
        """The import package of its client."""
        return f"{self.ident}_client"

    @property
    def client_class(self) -> str:
        """The client's class name."""
        return f"{pascal(self.ident, fallback='Service')}Client"

    @property
    def client_looks_like_a_test(self) -> bool:
        """Whether pytest would try to collect the client class (named `Test…`)."""
        return self.client_class.startswith("Test")

    @property
    def url_env(self) -> str:
        """The environment variable callers read its base URL from."""
        return f"{self.env}_URL"

    @property
    def default_url(self) -> str:
        """Its URL inside Kubernetes or docker compose (the service name resolves in DNS)."""
        return f"http://{self.label}:{PORT}"


@dataclass(frozen=True)
class DatabaseView:
    """The database a service owns in docker compose: its host, database, user and volume."""

    host: str  # DNS-1035 label of its compose service, unique among all compose services
    name: str  # database and user name (a Python identifier suits PostgreSQL too)
    image: str = DATABASE_IMAGE

    @property
    def url(self) -> str:
        """The `DATABASE_URL` the service gets; the password is for local runs only."""
        # psycopg 3, which the service installs with its tables (SQLAlchemy's plain
        # `postgresql://` would look for psycopg2, which it does not have).
        return (
            f"postgresql+psycopg://{self.name}:{self.name}@{self.host}:{DATABASE_PORT}/{self.name}"
        )


@dataclass(frozen=True)
class PeerView:
    """A service this one calls."""

    names: ServiceNames
    weight: float
    symbols: tuple[str, ...]


@dataclass(frozen=True)
class OwnedModelView:
    """A model whose table the service takes over."""

    origin: str
    table: str


@dataclass(frozen=True, order=True)
class FindingView:
    """A finding that names the service."""

    kind: str
    severity: str
    services: tuple[str, ...]
    detail: str
    locations: tuple[str, ...]


@dataclass(frozen=True)
class StubView:
    """An endpoint with a valid example call."""

    endpoint: EndpointView
    case: StubCase


@dataclass(frozen=True)
class ServiceView:
    """One service folder."""

    names: ServiceNames
    host_port: int
    database: DatabaseView
    modules: tuple[str, ...]
    loc: int
    api: ServiceApi
    stubs: tuple[StubView, ...]
    owned_models: tuple[OwnedModelView, ...]
    data_findings: tuple[FindingView, ...]
    other_findings: tuple[FindingView, ...]
    peers: tuple[PeerView, ...]
    callers: tuple[ServiceNames, ...]
    tables: tuple[TableView, ...] = ()
    sagas: tuple[SagaView, ...] = ()  # the sagas it runs
    events: tuple[EventView, ...] = ()  # what it announces through its outbox

    @property
    def title(self) -> str:
        """The API title."""
        return f"{self.names.label} service"

    @property
    def description(self) -> str:
        """The API description."""
        return (
            f"The {self.names.label} service, extracted from the monolith by decompose. "
            "Every endpoint answers 501 until its logic is ported."
        )

    @property
    def endpoints(self) -> tuple[EndpointView, ...]:
        """Its endpoints."""
        return self.api.endpoints

    @property
    def operations(self) -> tuple[tuple[str, str], ...]:
        """(method, path) of every endpoint, sorted."""
        return tuple(sorted((e.method, e.path) for e in self.endpoints))

    @property
    def schemas(self) -> tuple[SchemaView, ...]:
        """Its wire models."""
        return self.api.schemas

    @property
    def idempotent_stub(self) -> StubView | None:
        """The first endpoint a client may retry, for the retry test."""
        return next((s for s in self.stubs if s.endpoint.idempotent), None)

    @property
    def unsafe_stub(self) -> StubView | None:
        """The first endpoint a client must not retry."""
        return next((s for s in self.stubs if not s.endpoint.idempotent), None)

    @property
    def todos(self) -> tuple[str, ...]:
        """Everything a person must finish, one line each."""
        found = [f"`{e.operation_id}`: {note}" for e in self.endpoints for note in e.notes]
        shared = [s for s in self.schemas if s.origin and s.name not in self._resources]
        found += [f"`{s.name}`: {note}" for s in shared for note in s.notes]
        found += [
            f"`{m}` is used whole by other services: list what they call" for m in self.api.modules
        ]
        found += [f"`{s}`: not an endpoint; callers keep a local copy" for s in self.api.skipped]
        return tuple(found)

    @property
    def _resources(self) -> set[str]:
        return {e.response_model for e in self.endpoints if e.path_params and e.response_model}

    @property
    def model_imports(self) -> tuple[str, ...]:
        """Standard-library imports of models.py, sorted as isort sorts them."""
        found: set[str] = set()
        for schema in self.schemas:
            for model_field in schema.fields:
                found |= model_field.type.imports()
        if self.wire_decimal:
            found |= {"from decimal import Decimal", "from typing import Annotated"}
        return import_block(found)

    @property
    def wire_decimal(self) -> bool:
        """Whether models.py defines `WireDecimal`: a decimal travels in some call."""
        fields = [f for s in self.schemas for f in s.fields]
        fields += [p for e in self.endpoints for p in e.path_params + e.query]
        return any(f.type.uses_decimal() for f in fields)

    @property
    def pydantic_names(self) -> tuple[str, ...]:
        """What models.py imports from pydantic."""
        names = ["BaseModel", "ConfigDict"]
        names += ["Field"] if any(s.uses_field for s in self.schemas) else []
        names += ["WithJsonSchema"] if self.wire_decimal else []
        return tuple(names)

    @property
    def decimal_pattern(self) -> str:
        """The strings `WireDecimal` admits besides JSON numbers."""
        return DECIMAL_PATTERN

    @property
    def client_imports(self) -> tuple[str, ...]:
        """Standard-library imports of the client module."""
        found = {
            "import os",
            "import ssl",
            "from collections.abc import Callable, Mapping",
            "from datetime import date, datetime",
        }
        for endpoint in self.endpoints:
            for param in endpoint.params:
                found |= param.type.imports()
            if endpoint.path_params:
                found.add("from urllib.parse import quote")
        return import_block(found)

    @property
    def peer_imports(self) -> tuple[str, ...]:
        """Third-party imports of peers.py: httpx, FastAPI and the peers' clients."""
        lines = {f"from {p.names.client_package} import {p.names.client_class}" for p in self.peers}
        return ("import httpx", *sorted(lines | {"from fastapi import Request"}))

    @property
    def outbox(self) -> TableView | None:
        """The transactional outbox table, when the service has one."""
        return next((t for t in self.tables if t.role is TableRole.OUTBOX), None)

    @property
    def deferred_keys(self) -> tuple[DeferredKey, ...]:
        """Foreign keys that close a cycle of its tables: the migration adds them last."""
        return deferred_keys(self.tables)

    @property
    def saga_log(self) -> TableView | None:
        """The table of its sagas' runs, when it runs sagas."""
        return next((t for t in self.tables if t.role is TableRole.SAGA_LOG), None)

    @property
    def db_imports(self) -> tuple[str, ...]:
        """Standard-library imports of the models module (db.py)."""
        found = set(model_imports(self.tables))
        if self.outbox is not None:
            found |= {
                "from collections.abc import Callable",
                "from datetime import datetime, timezone",
            }
            found |= {"from typing import Any"}
        return import_block(found)

    @property
    def sa_imports(self) -> tuple[str, ...]:
        """What db.py imports from sqlalchemy."""
        extra = {"create_engine", "select"} if self.outbox is not None else {"create_engine"}
        return tuple(isort({*sa_names(self.tables), *extra}))

    @property
    def route_imports(self) -> tuple[str, ...]:
        """Standard-library imports of the routes module."""
        found: set[str] = set()
        for endpoint in self.endpoints:
            for param in endpoint.path_params + endpoint.query:
                found |= param.type.imports()
        if self._bounded_params:
            found.add("from typing import Annotated")
        return import_block(found)

    @property
    def route_fastapi_names(self) -> tuple[str, ...]:
        """What the routes module imports from FastAPI."""
        return ("APIRouter", "Path") if self._bounded_params else ("APIRouter",)

    @property
    def _bounded_params(self) -> bool:
        return any(p.minimum is not None for e in self.endpoints for p in e.path_params)

    @property
    def problem_answers(self) -> tuple[tuple[int, str], ...]:
        """Every error status the service answers with a problem, and when, ascending."""
        return tuple(sorted(PROBLEMS.items()))

    @property
    def keyed_methods(self) -> tuple[str, ...]:
        """The methods whose requests an `Idempotency-Key` protects."""
        return KEYED_METHODS


def import_block(lines: set[str]) -> tuple[str, ...]:
    """Import lines merged per module and sorted the way ruff's isort sorts them."""
    plain = sorted(line for line in lines if line.startswith("import "))
    froms: dict[str, set[str]] = {}
    for line in lines:
        if line.startswith("from "):
            module, _, names = line[len("from ") :].partition(" import ")
            froms.setdefault(module, set()).update(n.strip() for n in names.split(","))
    merged = [
        f"from {module} import {', '.join(sorted(names, key=_isort_key))}"
        for module, names in sorted(froms.items())
    ]
    return (*plain, *merged)


def _isort_key(name: str) -> tuple[int, str]:
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


@dataclass(frozen=True)
class StepView:
    """One step of the extraction order."""

    names: ServiceNames | None
    service: str
    reason: str


@dataclass(frozen=True)
class ScaffoldView:
    """The whole scaffold: services, how they call each other, the extraction order."""

    services: tuple[ServiceView, ...]
    shared: tuple[str, ...]
    migration: tuple[StepView, ...]
    tool: str
    root: str
    schema_version: str
    gateway: tuple[GatewayStep, ...] = ()
    unsaga: tuple[str, ...] = ()  # transactions across services with no saga, and why

    @property
    def gateway_port(self) -> int:
        """The gateway's host port in docker compose: the first one after the services'."""
        return FIRST_HOST_PORT + len(self.services)


def service_names(services: tuple[Service, ...]) -> dict[str, ServiceNames]:
    """Names for every service, unique after sanitizing, keyed by the report's name."""
    labels, idents = UniqueNames(RESERVED_LABELS, separator="-"), UniqueNames()
    names: dict[str, ServiceNames] = {}
    for service in sorted(services, key=lambda s: s.name):
        if service.name in names:
            continue
        label = labels.claim(dns_label(service.name)[:50])
        ident = idents.claim(identifier(label, fallback="service"))
        names[service.name] = ServiceNames(one_line(service.name), label, ident, env_name(ident))
    return names


def build_view(decomposition: Decomposition) -> ScaffoldView:
    """The view model of a whole scaffold, deterministic for a given report."""
    names = service_names(decomposition.services)
    callers: dict[str, list[ServiceNames]] = {}
    for service in decomposition.services:
        for dep in service.depends_on:
            if dep.service in names and dep.service != service.name:
                callers.setdefault(dep.service, []).append(names[service.name])
    services = sorted(
        {s.name: s for s in decomposition.services}.values(), key=lambda s: names[s.name].label
    )
    databases = database_views(names)
    catalog = build_catalog(decomposition)
    routes = {m.name: m.routes for m in decomposition.modules if m.routes}
    apis = {
        service.name: _api(service, catalog, routes, bool(callers.get(service.name)))
        for service in services
    }
    sagas = plan_sagas(decomposition, names, apis)
    views = tuple(
        _service(
            service,
            catalog,
            sagas.apis[service.name],
            sagas.sagas.get(service.name, ()),
            names,
            databases[service.name],
            decomposition.findings,
            callers.get(service.name, []),
            index,
        )
        for index, service in enumerate(services)
    )
    migration = tuple(
        StepView(names.get(step.service), one_line(step.service), one_line(step.reason))
        for step in decomposition.migration_order
    )
    return ScaffoldView(
        services=views,
        shared=tuple(sorted(one_line(m) for m in decomposition.shared)),
        migration=migration,
        tool=one_line(f"{decomposition.tool.name} {decomposition.tool.version}"),
        root=one_line(decomposition.root),
        schema_version=one_line(decomposition.schema_version),
        gateway=gateway_steps(_extraction_order(views, migration)),
        unsaga=sagas.skipped,
    )


def _extraction_order(
    services: tuple[ServiceView, ...], migration: tuple[StepView, ...]
) -> list[RoutedService]:
    """The services in the report's extraction order, the ones it leaves out last."""
    by_label = {s.names.label: s for s in services}
    ordered = [step.names.label for step in migration if step.names is not None]
    ordered += sorted(by_label)
    return [
        RoutedService(
            label, by_label[label].names.default_url, locations(by_label[label].endpoints)
        )
        for label in dict.fromkeys(ordered)
    ]


def database_views(names: Mapping[str, ServiceNames]) -> dict[str, DatabaseView]:
    """One database per service, its host name clashing with no service's label."""
    hosts = UniqueNames([n.label for n in names.values()], separator="-")
    ordered = sorted(names.items(), key=lambda item: item[1].label)
    return {
        original: DatabaseView(hosts.claim(f"{n.label}-db"), n.ident) for original, n in ordered
    }


def _owned(service: Service) -> list[tuple[str, str, str]]:
    """`(module, class, table)` of the models it owns, sorted."""
    return sorted({(m.module, m.name, m.table or "") for m in service.owned_models})


def _api(
    service: Service,
    catalog: DataCatalog,
    routes: Mapping[str, tuple[Route, ...]],
    read_by_others: bool,
) -> ServiceApi:
    """Its endpoints and wire models; those of its aggregates too when others read them."""
    owned = [(module, name) for module, name, _ in _owned(service)]
    return build_api(
        service.public_api,
        owned,
        catalog,
        service.name,
        [(module, route) for module in sorted(service.modules) for route in routes.get(module, ())],
        aggregates=owned if read_by_others else (),
    )


def _service(
    service: Service,
    catalog: DataCatalog,
    api: ServiceApi,
    sagas: tuple[SagaView, ...],
    names: Mapping[str, ServiceNames],
    database: DatabaseView,
    findings: tuple[Finding, ...],
    callers: list[ServiceNames],
    index: int,
) -> ServiceView:
    owned = _owned(service)
    schemas = {s.name: s for s in api.schemas}
    mine = [_finding(f) for f in findings if service.name in f.services]
    peers: dict[str, PeerView] = {}
    for dep in service.depends_on:
        if dep.service in names and dep.service != service.name:
            peer = names[dep.service]
            peers[peer.label] = PeerView(
                peer, dep.weight, tuple(sorted(one_line(s) for s in dep.symbols))
            )
    for saga in sagas:  # a saga calls every service it has a step in
        for step in saga.steps:
            if not step.local and step.service.label not in peers:
                peers[step.service.label] = PeerView(step.service, 0.0, ())
    tables = _tables(owned, catalog, service.name, bool(callers))
    return ServiceView(
        names=names[service.name],
        host_port=FIRST_HOST_PORT + index,
        database=database,
        modules=tuple(sorted(one_line(m) for m in service.modules)),
        loc=service.loc,
        api=api,
        stubs=tuple(StubView(e, stub_case(e, schemas)) for e in api.endpoints),
        owned_models=tuple(
            OwnedModelView(one_line(f"{module}:{name}"), one_line(table))
            for module, name, table in owned
        ),
        tables=with_saga_log(tables) if sagas else tables,
        sagas=sagas,
        events=build_events(names[service.name].label, api) if _has_outbox(tables) else (),
        data_findings=tuple(sorted(f for f in mine if f.kind in DATA_FINDINGS)),
        other_findings=tuple(sorted(f for f in mine if f.kind not in DATA_FINDINGS)),
        peers=tuple(peers[label] for label in sorted(peers)),
        callers=tuple(sorted(set(callers), key=lambda n: n.label)),
    )


def _tables(
    owned: list[tuple[str, str, str]], catalog: DataCatalog, service: str, read_by_others: bool
) -> tuple[TableView, ...]:
    """Its tables, and an outbox when other services depend on it (they read its changes)."""
    tables = build_tables(owned, catalog, service)
    return with_outbox(tables) if tables and read_by_others else tables


def _has_outbox(tables: tuple[TableView, ...]) -> bool:
    return any(t.role is TableRole.OUTBOX for t in tables)


def _finding(finding: Finding) -> FindingView:
    return FindingView(
        kind=one_line(finding.kind),
        severity=one_line(finding.severity),
        services=tuple(sorted(one_line(s) for s in finding.services)),
        detail=one_line(finding.detail),
        locations=tuple(sorted(one_line(f"{loc.path}:{loc.line}") for loc in finding.locations)),
    )
