"""View models: everything the report templates show, computed once from a Decomposition."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, partial

from decompose.model.decomposition import (
    ApiItem,
    Decomposition,
    ModuleEntry,
    Service,
    ServiceDependency,
)
from decompose.report.decisions import DecisionView, build_decisions, why
from decompose.report.finding_view import (
    FindingView,
    KindGroup,
    SeverityGroup,
    build_findings,
    group_by_kind,
    group_by_severity,
)
from decompose.report.formatting import format_number
from decompose.report.graph_view import GraphView, LayoutPrefetch, build_graph_view
from decompose.report.overview import (
    MetricView,
    SettingView,
    SummaryView,
    metric_view,
    ordered_metrics,
    service_metrics,
    settings_view,
    summary_view,
)

MAX_SHOWN_CALLERS = 5
MAX_SHOWN_SYMBOLS = 6


@dataclass(frozen=True)
class ModuleView:
    """A module of a service or of the shared kernel."""

    name: str
    path: str
    loc: int
    definitions: int
    models: int
    reason: str = ""  # the kind of evidence for its place, in words
    confidence: str = ""  # a percentage
    why: str = ""  # the evidence


@dataclass(frozen=True)
class ApiView:
    """A public API item and the modules that call it."""

    module: str
    name: str
    qualified: str
    kind: str
    signature: str
    line: int | None
    doc: str
    callers: tuple[str, ...]
    callers_shown: tuple[str, ...]
    callers_hidden: int


@dataclass(frozen=True)
class DataView:
    """An ORM model a service owns."""

    module: str
    name: str
    table: str


@dataclass(frozen=True)
class PackageView:
    """A package holding some of a service's modules: where its code lives."""

    name: str
    modules: int


@dataclass(frozen=True)
class LinkView:
    """A dependency between two services, seen from one end."""

    service: str
    dom_id: str
    anchor: str
    weight: float
    weight_display: str
    symbols: tuple[str, ...]
    symbols_shown: tuple[str, ...]
    symbols_hidden: int


@dataclass(frozen=True)
class ServiceView:
    """One service with everything its report section shows."""

    name: str
    anchor: str  # the heading slug code-hosting sites generate (Markdown links)
    dom_id: str  # an id safe in HTML whatever the name (HTML links, graph)
    color: int  # palette index
    loc: int
    modules: tuple[ModuleView, ...]
    packages: tuple[PackageView, ...]  # the most modules first
    public_api: tuple[ApiView, ...]
    most_used_api: tuple[ApiView, ...]  # the same, the most callers first
    owned_data: tuple[DataView, ...]
    depends_on: tuple[LinkView, ...]
    used_by: tuple[LinkView, ...]
    metrics: tuple[MetricView, ...]
    cohesion: str
    coupling: str
    cohesion_percent: str  # 0-100, one decimal: the width of a bar
    findings: tuple[FindingView, ...]
    finding_kinds: tuple[KindGroup, ...]  # the same findings by kind
    migration_step: int | None


@dataclass(frozen=True)
class MigrationView:
    """One step of the extraction order."""

    position: int
    service: str
    anchor: str
    dom_id: str
    reason: str


@dataclass(frozen=True)
class SkippedView:
    """A file that could not be analyzed."""

    path: str
    reason: str


@dataclass(frozen=True)
class ReportView:
    """The whole report, ready for a template."""

    title: str
    root: str
    tool: str
    schema_version: str
    settings: tuple[SettingView, ...]
    summary: SummaryView
    services: tuple[ServiceView, ...]
    shared: tuple[ModuleView, ...]
    metrics: tuple[MetricView, ...]
    finding_groups: tuple[SeverityGroup, ...]
    migration: tuple[MigrationView, ...]
    skipped: tuple[SkippedView, ...]
    decisions: tuple[DecisionView, ...]
    draw_graph: Callable[[], GraphView] = field(repr=False, compare=False)

    @cached_property
    def graph(self) -> GraphView:
        """The service graph and its layout, drawn on first use: report.md shows none."""
        return self.draw_graph()

    def close(self) -> None:
        """Stop a graph layout still being computed beside (the page was abandoned)."""
        if "graph" in vars(self):  # drawn: only the HTML page asks for it
            self.graph.close()


def build_view(
    decomposition: Decomposition,
    *,
    graph_first: bool = False,
    started: LayoutPrefetch | None = None,
) -> ReportView:
    """Compute the report view of a decomposition; pure, and stable for the same input.

    `graph_first` starts the service graph's layout before anything else, for a page that
    draws it: a large graph is laid out in a forked copy while the rest is built, unless
    its layout was `started` earlier.
    """
    services = sorted(decomposition.services, key=lambda s: s.name)
    anchors = _anchors(s.name for s in services)
    dom_ids = {s.name: f"svc-{index}" for index, s in enumerate(services)}
    modules = {m.name: m for m in decomposition.modules}
    findings = build_findings(decomposition.findings)
    draw_graph = cache(partial(build_graph_view, services, dom_ids, findings, started))
    if graph_first:
        draw_graph()
    context = _Context(
        anchors=anchors,
        dom_ids=dom_ids,
        modules=modules,
        findings=findings,
        steps={step.service: i for i, step in enumerate(decomposition.migration_order, start=1)},
        used_by=_reverse_links(services),
    )
    views = tuple(_service_view(service, index, context) for index, service in enumerate(services))
    return ReportView(
        title=f"Decomposition of {decomposition.root}",
        root=decomposition.root,
        tool=f"{decomposition.tool.name} {decomposition.tool.version}",
        schema_version=decomposition.schema_version,
        settings=settings_view(decomposition),
        summary=summary_view(decomposition, findings),
        services=views,
        shared=tuple(_module_view(name, modules) for name in sorted(decomposition.shared)),
        metrics=tuple(
            metric_view(key, value) for key, value in ordered_metrics(decomposition.metrics)
        ),
        finding_groups=group_by_severity(findings),
        migration=tuple(
            MigrationView(
                i,
                step.service,
                anchors.get(step.service, ""),
                dom_ids.get(step.service, ""),
                step.reason,
            )
            for i, step in enumerate(decomposition.migration_order, start=1)
        ),
        skipped=tuple(
            SkippedView(f.path, f.reason)
            for f in sorted(decomposition.skipped_files, key=lambda f: (f.path, f.reason))
        ),
        decisions=build_decisions(decomposition.modules, anchors, dom_ids),
        draw_graph=draw_graph,
    )


@dataclass(frozen=True)
class _Context:
    """What every service view needs from the whole decomposition."""

    anchors: dict[str, str]
    dom_ids: dict[str, str]
    modules: dict[str, ModuleEntry]
    findings: tuple[FindingView, ...]
    steps: dict[str, int]
    used_by: dict[str, list[ServiceDependency]]


def _service_view(service: Service, index: int, context: _Context) -> ServiceView:
    findings = tuple(f for f in context.findings if service.name in f.services)
    api = tuple(_api_view(item) for item in _sorted_api(service.public_api))
    return ServiceView(
        name=service.name,
        anchor=context.anchors[service.name],
        dom_id=context.dom_ids[service.name],
        color=index,
        loc=service.loc,
        modules=tuple(_module_view(name, context.modules) for name in sorted(service.modules)),
        packages=_packages(service.modules, context.modules),
        public_api=api,
        most_used_api=tuple(sorted(api, key=lambda item: -len(item.callers))),
        owned_data=tuple(
            DataView(m.module, m.name, m.table or "")
            for m in sorted(service.owned_models, key=lambda m: (m.module, m.name))
        ),
        depends_on=_links(service.depends_on, context.anchors, context.dom_ids),
        used_by=_links(context.used_by[service.name], context.anchors, context.dom_ids),
        metrics=service_metrics(service),
        cohesion=format_number(service.metrics.cohesion),
        coupling=format_number(service.metrics.coupling),
        cohesion_percent=f"{min(max(service.metrics.cohesion, 0.0), 1.0) * 100:.1f}",
        findings=findings,
        finding_kinds=group_by_kind(findings),
        migration_step=context.steps.get(service.name),
    )


def github_anchor(text: str) -> str:
    """The id GitHub and GitLab give a Markdown heading with this text."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return slug.replace(" ", "-")


def _anchors(names: Iterable[str]) -> dict[str, str]:
    """Heading anchors; repeated slugs get -1, -2 suffixes as the hosting sites do."""
    seen: dict[str, int] = defaultdict(int)
    # Sections the report itself titles; a service sharing a slug gets a suffix.
    for taken in (
        "summary",
        "services",
        "shared-kernel",
        "findings",
        "migration-order",
        "metrics",
        "skipped-files",
        "decisions-left-to-the-architect",
    ):
        seen[taken] = 1
    anchors: dict[str, str] = {}
    for name in names:
        slug = github_anchor(name)
        anchors[name] = slug if seen[slug] == 0 else f"{slug}-{seen[slug]}"
        seen[slug] += 1
    return anchors


def _module_view(name: str, modules: dict[str, ModuleEntry]) -> ModuleView:
    entry = modules.get(name)
    if entry is None:
        return ModuleView(name, "", 0, 0, 0)
    reason, confidence, detail = why(entry.placement)
    return ModuleView(
        name,
        entry.path,
        entry.loc,
        len(entry.definitions),
        len(entry.models),
        reason,
        confidence,
        detail,
    )


def _packages(names: Iterable[str], modules: dict[str, ModuleEntry]) -> tuple[PackageView, ...]:
    """The packages directly holding the modules; a package's `__init__` is in itself."""
    counts: dict[str, int] = defaultdict(int)
    for name in names:
        entry = modules.get(name)
        is_package = entry is not None and entry.path.endswith("__init__.py")
        counts[name if is_package else name.rpartition(".")[0] or name] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(PackageView(name, count) for name, count in ranked)


def _sorted_api(items: Iterable[ApiItem]) -> list[ApiItem]:
    return sorted(items, key=lambda item: (item.module, item.name, item.kind))


def _api_view(item: ApiItem) -> ApiView:
    callers = tuple(sorted(set(item.used_by)))
    definition = item.definition
    return ApiView(
        module=item.module,
        name=item.name,
        qualified=f"{item.module}.{item.name}" if item.kind != "module" else item.module,
        kind=item.kind,
        signature=item.signature or (definition.signature if definition else ""),
        line=definition.line if definition else None,
        doc=definition.doc if definition else "",
        callers=callers,
        callers_shown=callers[:MAX_SHOWN_CALLERS],
        callers_hidden=max(0, len(callers) - MAX_SHOWN_CALLERS),
    )


def _reverse_links(services: list[Service]) -> dict[str, list[ServiceDependency]]:
    reverse: dict[str, list[ServiceDependency]] = {s.name: [] for s in services}
    for service in services:
        for dep in service.depends_on:
            if dep.service in reverse:
                reverse[dep.service].append(
                    ServiceDependency(service=service.name, weight=dep.weight, symbols=dep.symbols)
                )
    return reverse


def _links(
    deps: Iterable[ServiceDependency], anchors: dict[str, str], dom_ids: dict[str, str]
) -> tuple[LinkView, ...]:
    """Heaviest first, then by name."""
    ordered = sorted(deps, key=lambda d: (-d.weight, d.service))
    return tuple(
        LinkView(
            service=dep.service,
            dom_id=dom_ids.get(dep.service, ""),
            anchor=anchors.get(dep.service, ""),
            weight=dep.weight,
            weight_display=format_number(dep.weight),
            symbols=tuple(sorted(set(dep.symbols))),
            symbols_shown=tuple(sorted(set(dep.symbols)))[:MAX_SHOWN_SYMBOLS],
            symbols_hidden=max(0, len(set(dep.symbols)) - MAX_SHOWN_SYMBOLS),
        )
        for dep in ordered
    )
