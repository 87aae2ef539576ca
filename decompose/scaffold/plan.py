"""The scaffold plan: every file to write and its content, computed without touching the disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2

from decompose.model import Decomposition
from decompose.scaffold import names, pyformat
from decompose.scaffold.asyncapi import asyncapi_text
from decompose.scaffold.contract import contract_text
from decompose.scaffold.views import ScaffoldView, ServiceView, build_view
from decompose.templating import environment

Action = Literal["create", "identical", "conflict"]

# (template, destination); destinations are formatted with the service's names.
_SERVICE_FILES = (
    ("service/README.md.j2", "{label}/README.md"),
    ("service/Dockerfile.j2", "{label}/Dockerfile"),
    ("service/pyproject.toml.j2", "{label}/pyproject.toml"),
    ("service/package/__init__.py.j2", "{label}/src/{package}/__init__.py"),
    ("service/package/app.py.j2", "{label}/src/{package}/app.py"),
    ("service/package/idempotency.py.j2", "{label}/src/{package}/idempotency.py"),
    ("service/package/db.py.j2", "{label}/src/{package}/db.py"),
    ("service/alembic.ini.j2", "{label}/alembic.ini"),
    ("service/migrations/env.py.j2", "{label}/migrations/env.py"),
    ("service/migrations/versions/0001_tables.py.j2", "{label}/migrations/versions/0001_tables.py"),
    ("service/tests/test_db.py.j2", "{label}/tests/test_{ident}_db.py"),
    ("service/package/observability.py.j2", "{label}/src/{package}/observability.py"),
    ("service/package/peers.py.j2", "{label}/src/{package}/peers.py"),
    ("service/package/problems.py.j2", "{label}/src/{package}/problems.py"),
    ("service/package/routes.py.j2", "{label}/src/{package}/routes.py"),
    ("service/package/settings.py.j2", "{label}/src/{package}/settings.py"),
    ("service/package/tracing.py.j2", "{label}/src/{package}/tracing.py"),
    ("", "{label}/src/{package}/py.typed"),
    ("service/client/pyproject.toml.j2", "{label}/client/pyproject.toml"),
    ("service/client/package/__init__.py.j2", "{label}/client/src/{client}/__init__.py"),
    ("service/client/package/client.py.j2", "{label}/client/src/{client}/client.py"),
    ("service/client/package/models.py.j2", "{label}/client/src/{client}/models.py"),
    ("service/client/package/resilience.py.j2", "{label}/client/src/{client}/resilience.py"),
    ("", "{label}/client/src/{client}/py.typed"),
    ("service/tests/conftest.py.j2", "{label}/tests/conftest.py"),
    ("service/tests/test_client.py.j2", "{label}/tests/test_{ident}_client.py"),
    ("service/tests/test_contract.py.j2", "{label}/tests/test_{ident}_contract.py"),
    ("service/tests/test_idempotency.py.j2", "{label}/tests/test_{ident}_idempotency.py"),
    ("service/tests/test_ops.py.j2", "{label}/tests/test_{ident}_ops.py"),
    ("service/tests/test_resilience.py.j2", "{label}/tests/test_{ident}_resilience.py"),
    ("service/tests/test_schema_fuzz.py.j2", "{label}/tests/test_{ident}_schema_fuzz.py"),
    ("service/tests/test_stubs.py.j2", "{label}/tests/test_{ident}_stubs.py"),
    ("service/tests/test_tracing.py.j2", "{label}/tests/test_{ident}_tracing.py"),
    ("service/package/events.py.j2", "{label}/src/{package}/events.py"),
    ("service/tests/test_events.py.j2", "{label}/tests/test_{ident}_events.py"),
    ("service/package/saga.py.j2", "{label}/src/{package}/saga.py"),
    ("service/package/sagas/__init__.py.j2", "{label}/src/{package}/sagas/__init__.py"),
    ("service/tests/test_saga.py.j2", "{label}/tests/test_{ident}_saga.py"),
    ("k8s.yaml.j2", "deploy/k8s/{label}.yaml"),
)
# Written for a service that announces its changes through its outbox.
_EVENT_TEMPLATES = ("events.py.j2", "test_events.py.j2")
# Written for a service that runs sagas.
_SAGA_TEMPLATES = ("saga.py.j2", "sagas/__init__.py.j2", "test_saga.py.j2")
# Rendered once per saga of a service: (template, destination).
_SAGA_FILES = (
    ("service/package/sagas/saga.py.j2", "{label}/src/{package}/sagas/{saga}.py"),
    ("service/tests/test_saga_run.py.j2", "{label}/tests/test_{ident}_saga_{saga}.py"),
)
# Written for a service that owns tables.
_DATA_TEMPLATES = ("db.py.j2", "alembic.ini.j2", "env.py.j2", "0001_tables.py.j2", "test_db.py.j2")
_TOP_FILES = (
    ("README.md.j2", "README.md"),
    ("Makefile.j2", "Makefile"),
    ("docker-compose.yml.j2", "docker-compose.yml"),
    ("dockerignore.j2", ".dockerignore"),
    ("observability/otel-collector.yaml.j2", "observability/otel-collector.yaml"),
    ("requirements-dev.txt.j2", "requirements-dev.txt"),
)

# Rendered once per step of the strangler fig: (template, destination).
_GATEWAY_STEPS = (
    ("gateway/step.conf.template.j2", "gateway/step-{number}.conf.template"),
    ("gateway/ingress.yaml.j2", "deploy/k8s/strangler/step-{number}.yaml"),
)


@dataclass(frozen=True)
class PlannedFile:
    """One file of the scaffold.

    Attributes:
        relpath: where it goes, relative to the output root, `/`-separated.
        content: what it holds.
        action: `create` (absent), `identical` (present, same bytes) or `conflict`
            (present, different: written only with force).
    """

    relpath: str
    content: str
    action: Action = "create"

    @property
    def data(self) -> bytes:
        """The bytes to write."""
        return self.content.encode("utf-8")


@dataclass(frozen=True)
class ScaffoldPlan:
    """Every file of a scaffold, sorted by path, and the root they go under."""

    root: Path
    files: tuple[PlannedFile, ...]

    def classified(self, read: Callable[[str], bytes | None]) -> ScaffoldPlan:
        """The plan with each action set from what `read(relpath)` finds (None: absent)."""
        return replace(self, files=tuple(_classify(f, read(f.relpath)) for f in self.files))

    def with_action(self, action: Action) -> tuple[PlannedFile, ...]:
        """The files with one action."""
        return tuple(f for f in self.files if f.action == action)


def plan_scaffold(
    decomposition: Decomposition,
    out_dir: Path,
    *,
    read: Callable[[str], bytes | None] | None = None,
) -> ScaffoldPlan:
    """Plan the scaffold of a decomposition; pure unless `read` looks at the disk.

    Args:
        decomposition: the report to scaffold.
        out_dir: the output root the paths are relative to.
        read: returns the current bytes at a relative path, or None; without it every
            file is planned as `create`.

    Raises:
        UnsafePathError: if a planned path could leave the output root.
    """
    files = sorted(_render(build_view(decomposition)), key=lambda pair: pair[0])
    for relpath, _ in files:
        names.safe_relpath(relpath)
    plan = ScaffoldPlan(out_dir, tuple(PlannedFile(relpath, text) for relpath, text in files))
    return plan.classified(read) if read is not None else plan


def _classify(planned: PlannedFile, current: bytes | None) -> PlannedFile:
    if current is None:
        return replace(planned, action="create")
    return replace(planned, action="identical" if current == planned.data else "conflict")


def _render(view: ScaffoldView) -> Iterator[tuple[str, str]]:
    env = _environment()
    for template, relpath in _TOP_FILES:
        yield relpath, env.get_template(template).render(view=view)
    for template, pattern in _GATEWAY_STEPS:
        gateway = env.get_template(template)
        for step in view.gateway:
            yield pattern.format(number=step.number), gateway.render(view=view, step=step)
    for service in view.services:
        yield f"contracts/{service.names.label}.v1.openapi.json", contract_text(service)
        if service.events:
            yield f"contracts/{service.names.label}.v1.asyncapi.json", asyncapi_text(service)
        for template, pattern in _SERVICE_FILES:
            if _skipped(template, service):
                continue
            relpath = pattern.format(
                label=service.names.label,
                package=service.names.package,
                client=service.names.client_package,
                ident=service.names.ident,
            )
            text = env.get_template(template).render(service=service) if template else ""
            yield relpath, text
        for saga in service.sagas:
            for template, pattern in _SAGA_FILES:
                relpath = pattern.format(
                    label=service.names.label,
                    package=service.names.package,
                    ident=service.names.ident,
                    saga=saga.name,
                )
                yield relpath, env.get_template(template).render(service=service, saga=saga)


def _skipped(template: str, service: ServiceView) -> bool:
    if template.endswith("peers.py.j2"):
        return not service.peers
    if template.endswith(("test_stubs.py.j2", "test_schema_fuzz.py.j2")):
        return not service.stubs
    if template.endswith(_DATA_TEMPLATES):
        return not service.tables
    if template.endswith(_EVENT_TEMPLATES):
        return not service.events
    if template.endswith(_SAGA_TEMPLATES) and not template.endswith("test_saga_run.py.j2"):
        return not service.sagas
    return False


@cache  # compiling the templates is most of a plan's time; the environment is not mutated
def _environment() -> jinja2.Environment:
    env = environment("service", autoescape=False)
    env.filters.update(
        pydoc=names.py_doc,
        comment=names.py_comment,
        quoted=names.quoted,
        md=names.md,
        md_code=names.md_code,
        md_text=names.md_text,
        py=names.py_literal,
        isort=names.isort,
    )
    env.globals.update(
        from_import=names.from_import,
        py_lines=pyformat.lines,
        py_call=pyformat.call,
        py_value=pyformat.literal,
        py_code=pyformat.code,
        py_tuple=pyformat.tuple_of,
        py_def=pyformat.definition,
        py_subscript=pyformat.subscript,
        py_chain=pyformat.chain,
        line_length=names.LINE_LENGTH,
    )
    return env
