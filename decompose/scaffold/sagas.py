"""Sagas: each transaction over several services' data, as steps the service starting it runs.

A `distributed_transaction` finding says where the monolith wrote data of several services
in one database transaction, and (schema 1.3) in which order it touched each service and
what it used there. Its saga lives in the service owning the function the transaction is
in. It has one step per service touched, in that order (without it: the owner first, then
the others by name). A step calls the endpoint that replaces what the monolith called in
that service, a write before a read; where the monolith only used the service's models,
the service gets an internal endpoint for its part of the saga. Every step names its
compensation: a stub endpoint of the step's service that undoes the step for one run of the
saga, idempotent since the orchestrator may repeat it. The endpoints a saga adds are under
`/internal/v1/sagas/<saga>`, apart from the calls the monolith made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from decompose.model import Decomposition, Finding
from decompose.scaffold.api_views import API_PREFIX, EndpointView, FieldView, SchemaView, ServiceApi
from decompose.scaffold.examples import field_example
from decompose.scaffold.names import (
    UniqueNames,
    humanize,
    identifier,
    kebab,
    one_line,
    pascal,
    py_literal,
)
from decompose.scaffold.typemap import ANY, TypeRef, scalar
from decompose.scaffold.wire import MODEL_NAMESPACE

if TYPE_CHECKING:
    from decompose.scaffold.views import ServiceNames

KIND = "distributed_transaction"
_JSON_OBJECT = TypeRef("dict", args=(scalar("str"), ANY))


@dataclass(frozen=True)
class SagaStepView:
    """One step: the service, the call that does its part, and the call that undoes it.

    Attributes:
        number: its place in the saga, from 1.
        service: the names of the service the step calls.
        local: whether it is the step of the service that runs the saga.
        uses: `module:name` of what the monolith used of the service in the transaction.
        action: the endpoint the step calls.
        compensation: the endpoint that undoes the step.
        arguments: `(keyword, expression)` of the action's call, read from the run.
        data: `(key, example)` of the saga's data the step reads, for the generated test.
        made: whether the action endpoint was made for the saga (no call of the monolith
            covered the step).
    """

    number: int
    service: ServiceNames
    local: bool
    uses: tuple[str, ...]
    action: EndpointView
    compensation: EndpointView
    arguments: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, object], ...]
    made: bool

    @property
    def name(self) -> str:
        """The step's name in the run: the service's identifier."""
        return self.service.ident

    @property
    def record(self) -> str:
        """The call that keeps the action's arguments in the run and returns them."""
        args = [py_literal(self.name), *(f"{k}={v}" for k, v in self.arguments)]
        return f"run.record({', '.join(args)})"


@dataclass(frozen=True)
class SagaView:
    """The saga replacing one transaction, run by the service it starts in.

    Attributes:
        name: its identifier in the service (the monolith function's name).
        class_name: the class holding its steps.
        replaces: `module:function` of the transaction in the monolith.
        location: `path:line` of the transaction.
        kind: how the monolith made it a transaction (block, decorator, commit, request).
        ordered: whether the steps follow the order the monolith took (else: owner
            first, then by name).
        steps: its steps, in order.
    """

    name: str
    class_name: str
    replaces: str
    location: str
    kind: str
    ordered: bool
    steps: tuple[SagaStepView, ...]

    @property
    def data(self) -> tuple[tuple[str, object], ...]:
        """Every key of the saga's data a step reads, with an example value, sorted."""
        found: dict[str, object] = {}
        for step in self.steps:
            for key, value in step.data:
                found.setdefault(key, value)
        return tuple(sorted(found.items()))

    @property
    def participants(self) -> tuple[ServiceNames, ...]:
        """The services with a step, in step order."""
        return tuple(step.service for step in self.steps)

    @property
    def client_imports(self) -> tuple[str, ...]:
        """`from <client> import <Client>` of every other participant, sorted."""
        return tuple(
            sorted(
                {
                    f"from {s.client_package} import {s.client_class}"
                    for step in self.steps
                    if not step.local
                    for s in (step.service,)
                }
            )
        )

    @property
    def local(self) -> SagaStepView | None:
        """The step of the service that runs the saga, if it has one."""
        return next((step for step in self.steps if step.local), None)


@dataclass(frozen=True)
class SagaPlan:
    """The sagas of a decomposition, and the endpoints their steps add to the services.

    Attributes:
        apis: every service's API, with its saga endpoints added, by report name.
        sagas: the sagas each service runs, by report name.
        skipped: transactions with no saga, each with the reason.
    """

    apis: dict[str, ServiceApi]
    sagas: dict[str, tuple[SagaView, ...]]
    skipped: tuple[str, ...] = ()


@dataclass
class _Additions:
    """What the sagas add to one service's API, under names unique in it."""

    ops: UniqueNames
    paths: UniqueNames
    schemas: UniqueNames
    endpoints: list[EndpointView] = field(default_factory=list)
    messages: list[SchemaView] = field(default_factory=list)

    @classmethod
    def of(cls, api: ServiceApi) -> _Additions:
        return cls(
            ops=UniqueNames(e.operation_id for e in api.endpoints),
            paths=UniqueNames((e.path for e in api.endpoints), separator="-"),
            schemas=UniqueNames((*MODEL_NAMESPACE, *(s.name for s in api.schemas))),
        )


def plan_sagas(
    decomposition: Decomposition,
    names: Mapping[str, ServiceNames],
    apis: Mapping[str, ServiceApi],
) -> SagaPlan:
    """A saga for every distributed transaction a service starts, deterministically.

    Args:
        decomposition: the report; its `distributed_transaction` findings are used.
        names: every service's names, by report name.
        apis: every service's API before the sagas, by report name.
    """
    owner_of = {m.name: m.service for m in decomposition.modules}
    additions = {service: _Additions.of(api) for service, api in apis.items()}
    saga_names = {service: UniqueNames() for service in apis}
    sagas: dict[str, list[SagaView]] = {}
    skipped: list[str] = []
    for finding in decomposition.findings:
        if finding.kind != KIND:
            continue
        module = finding.transaction.module if finding.transaction else _module(finding)
        owner = owner_of.get(module)
        function = _function(finding)
        where = one_line(f"{module}:{function}" if function else module)
        if owner is None or owner not in apis:
            skipped.append(f"{where}: in the shared kernel, no service runs it")
            continue
        steps = _step_order(finding, owner, names)
        if len(steps) < 2:
            skipped.append(f"{where}: it touches fewer than two services scaffolded")
            continue
        base = identifier(function or module.rsplit(".", 1)[-1], fallback="saga")
        name = saga_names[owner].claim(base)
        saga = _saga(finding, name, where, steps, owner, names, apis, additions)
        sagas.setdefault(owner, []).append(saga)
    return SagaPlan(
        apis={service: _extended(api, additions[service]) for service, api in apis.items()},
        sagas={service: tuple(found) for service, found in sagas.items()},
        skipped=tuple(skipped),
    )


def _module(finding: Finding) -> str:
    return finding.locations[0].module if finding.locations else ""


def _function(finding: Finding) -> str:
    return finding.transaction.function or "" if finding.transaction else ""


def _step_order(
    finding: Finding, owner: str, names: Mapping[str, ServiceNames]
) -> list[tuple[str, tuple[str, ...]]]:
    """`(service, what it uses)` in the monolith's order, or the owner first then by name."""
    if finding.transaction and finding.transaction.steps:
        found = [(s.service, s.uses) for s in finding.transaction.steps]
    else:
        services = ([owner] if owner in finding.services else []) + sorted(finding.services)
        found = [(service, ()) for service in dict.fromkeys(services)]
    return [(service, uses) for service, uses in found if service in names]


def _saga(
    finding: Finding,
    name: str,
    where: str,
    steps: list[tuple[str, tuple[str, ...]]],
    owner: str,
    names: Mapping[str, ServiceNames],
    apis: Mapping[str, ServiceApi],
    additions: Mapping[str, _Additions],
) -> SagaView:
    location = finding.locations[0] if finding.locations else None
    views = []
    for number, (service, uses) in enumerate(steps, start=1):
        api, added = apis[service], additions[service]
        segment = added.paths.claim(f"{API_PREFIX}/sagas/{kebab(name, fallback='saga')}")
        existing = _covering(api.endpoints, uses)
        action = existing or _made_action(name, where, uses, segment, added)
        compensation = _compensation(name, where, action, segment, added)
        schemas = {s.name: s for s in (*api.schemas, *added.messages)}
        views.append(
            SagaStepView(
                number=number,
                service=names[service],
                local=service == owner,
                uses=tuple(one_line(u) for u in uses),
                action=action,
                compensation=compensation,
                arguments=_arguments(action, made=existing is None),
                data=_data(action, schemas) if existing else (),
                made=existing is None,
            )
        )
    return SagaView(
        name=name,
        class_name=f"{pascal(name, fallback='Saga')}Saga",
        replaces=where,
        location=one_line(f"{location.path}:{location.line}") if location else "",
        kind=one_line(finding.transaction.kind) if finding.transaction else "",
        ordered=bool(finding.transaction and finding.transaction.steps),
        steps=tuple(views),
    )


def _covering(endpoints: Iterable[EndpointView], uses: tuple[str, ...]) -> EndpointView | None:
    """The endpoint replacing what the transaction called in the service: a write first."""
    by_origin = {e.replaces: e for e in endpoints if e.kind == "function"}
    found = [by_origin[use] for use in uses if use in by_origin]
    writes = [e for e in found if e.method != "GET"]
    chosen = writes or found
    return chosen[0] if chosen else None


def _made_action(
    saga: str, where: str, uses: tuple[str, ...], path: str, added: _Additions
) -> EndpointView:
    """An internal endpoint for the service's part of the saga: it takes the saga's data."""
    op = added.ops.claim(saga, suffix="_step")
    body = SchemaView(
        name=added.schemas.claim(f"{pascal(op)}Request"),
        doc=one_line(f"A run of the saga {saga}: its id, and its data."),
        fields=(
            FieldView("saga_id", "saga_id", scalar("str")),
            FieldView("data", "data", _JSON_OBJECT),
        ),
    )
    added.messages.append(body)
    used = ", ".join(f"`{u}`" for u in uses) or "its data"
    endpoint = EndpointView(
        operation_id=op,
        method="POST",
        path=path,
        summary=f"Do this service's step of {humanize(saga).lower()}",
        replaces=where,
        kind="saga_step",
        body=body,
        notes=(
            f"port what `{where}` did here with {used}: take what it needs from `data`, "
            "and answer what later steps read",
        ),
        doc=one_line(
            f"This service's step of the saga {saga}, which replaces the transaction of "
            f"`{where}` in the monolith; keyed by `saga_id`, so a repeat does nothing more."
        ),
    )
    added.endpoints.append(endpoint)
    return endpoint


def _compensation(
    saga: str, where: str, action: EndpointView, path: str, added: _Additions
) -> EndpointView:
    """The stub that undoes the step for one run: PUT, so repeating it is harmless."""
    op = added.ops.claim(f"compensate_{saga}")
    body = SchemaView(
        name=added.schemas.claim(f"{pascal(op)}Request"),
        doc=one_line(f"What the step of the saga {saga} was sent, for undoing it."),
        fields=(FieldView("arguments", "arguments", _JSON_OBJECT),),
    )
    added.messages.append(body)
    endpoint = EndpointView(
        operation_id=op,
        method="PUT",
        path=f"{path}/compensations/{{saga_id}}",
        summary=f"Undo this service's step of {humanize(saga).lower()}",
        replaces=where,
        kind="compensation",
        path_params=(FieldView("saga_id", "saga_id", scalar("str")),),
        body=body,
        notes=(
            f"undo what `{action.operation_id}` did for this run (it was sent `arguments`); "
            "a repeat for the same saga_id must change nothing more",
        ),
        doc=one_line(
            f"Compensates this service's step of the saga {saga} (`{action.operation_id}`) "
            f"for one run, when a later step fails; `{where}` in the monolith rolled its "
            "transaction back instead. Idempotent: a repeat for the same saga_id does "
            "nothing more."
        ),
    )
    added.endpoints.append(endpoint)
    return endpoint


def _arguments(action: EndpointView, *, made: bool) -> tuple[tuple[str, str], ...]:
    """The action's keyword arguments, taken from the run's data by name (required only)."""
    if made:
        return (("saga_id", "run.id"), ("data", "run.data"))
    return tuple((p.name, f"run.data[{py_literal(p.name)}]") for p in _required(action))


def _data(
    action: EndpointView, schemas: Mapping[str, SchemaView]
) -> tuple[tuple[str, object], ...]:
    return tuple((p.name, field_example(p, schemas)) for p in _required(action))


def _required(action: EndpointView) -> tuple[FieldView, ...]:
    return tuple(p for p in action.params if p.required)


def _extended(api: ServiceApi, added: _Additions) -> ServiceApi:
    if not added.endpoints:
        return api
    return replace(
        api,
        endpoints=(*api.endpoints, *added.endpoints),
        schemas=(*api.schemas, *added.messages),
    )
