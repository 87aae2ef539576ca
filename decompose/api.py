"""The composition root: each public entry point runs the pipeline stages in order.

`check` and `scaffold` import their stages when called: `decompose analyze` starts
in a new process each time, and should not pay for the commands it does not run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from decompose import __version__, collector
from decompose.clustering import Partition, propose
from decompose.config import Settings, available_cpus, unmatched_names, worker_count
from decompose.discovery import discover, printable
from decompose.errors import BoundaryError, ReportError, SourceTreeError
from decompose.extraction import extract_tree
from decompose.extraction.cache import Warn, resolve_cache_dir
from decompose.extraction.history import cochange, git_commits
from decompose.graph import build_graph
from decompose.graph.routes import resolve_routes
from decompose.graph.transactions import project_transactions
from decompose.metrics import (
    Agreement,
    check_overlap,
    compare_partitions,
    decomposition_metrics,
    find_all,
    migration_order,
    owned_models,
    public_api,
    service_dependencies,
    service_metrics,
)
from decompose.model import (
    Boundaries,
    Decomposition,
    Dependency,
    Finding,
    MigrationStep,
    ModuleEntry,
    ModuleFacts,
    Placement,
    ReportSettings,
    Service,
    SkippedFile,
    ToolInfo,
)
from decompose.report.json_report import load_decomposition, nested_too_deeply
from decompose.timing import Timings

if TYPE_CHECKING:
    from decompose.check import CheckResult, Policy
    from decompose.scaffold import ScaffoldResult

ProgressCallback = Callable[[int, int], None]


@dataclass
class Analysis:
    """The analyzed project: its facts, the files skipped, and the dependency graph.

    The graph is frozen (`nx.freeze`): every later stage reads it, none may change it,
    and the measures computed from it are remembered for that reason.
    """

    root: Path
    facts: list[ModuleFacts]
    skipped: list[SkippedFile]
    graph: nx.DiGraph
    settings: Settings
    cached: int = 0


def analyze_graph(
    path: Path,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
    warn: Warn | None = None,
    timings: Timings | None = None,
) -> Analysis:
    """Discover, extract and resolve: the module dependency graph of the project at `path`.

    Args:
        path: A project directory, package directory or single .py file.
        settings: Run settings (defaults if None).
        progress: Called with (done, total) while files are extracted.
        warn: Called with one line about a problem that did not stop the run (the cache,
            `jobs` capped at the CPUs available).
        timings: Receives the seconds of the phases discover, extract and graph.

    Raises:
        SourceTreeError: `path` is missing or holds no Python module.
    """
    settings = settings or Settings()
    timings = timings or Timings()
    with timings.phase("discover"):
        tree = discover(Path(path), settings.excludes, settings.max_file_bytes)
    cache_dir = resolve_cache_dir(settings.cache_dir, warn) if settings.cache else None
    jobs = _workers(settings.jobs, warn)
    with collector.paused():
        with timings.phase("extract"):
            result = extract_tree(
                tree, jobs=jobs, cache_dir=cache_dir, progress=progress, warn=warn
            )
        if not result.facts:
            first = result.skipped[0]
            raise SourceTreeError(
                f"{path}: no Python modules could be parsed ({len(result.skipped)} skipped; "
                f"{first.path}: {first.reason})"
            )
        with timings.phase("graph"):
            facts = project_transactions(result.facts)
            graph = nx.freeze(build_graph(facts, tree.aliases, settings.weights, tree.excluded))
    return Analysis(tree.root, facts, result.skipped, graph, settings, result.cached)


def _workers(requested: int | None, warn: Warn | None) -> int:
    """Worker processes for extraction: never more than the CPUs, saying so when capped."""
    available = available_cpus()
    jobs = worker_count(requested, available)
    if warn is not None and requested is not None and jobs < requested:
        warn(f"jobs {requested} capped at the {available} CPU(s) available")
    return jobs


def analyze(
    path: Path,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
    warn: Warn | None = None,
    timings: Timings | None = None,
    services_known: Callable[[Sequence[Service]], None] | None = None,
) -> Decomposition:
    """The whole analysis: graph, candidate services, metrics, findings, migration order.

    Args:
        path: A project directory, package directory or single .py file.
        settings: Run settings (defaults if None).
        progress: Called with (done, total) while files are extracted.
        warn: Called with one line about a problem that did not stop the run (the cache,
            `jobs` capped, pins, shared or keep-together names that match no module).
        timings: Receives the seconds of each phase, from discover to assemble.
        services_known: Called with the services (in name order, as the report has them)
            as soon as they are measured, before the rest of the report is assembled: a
            caller may start work on them meanwhile (the graph's layout for report.html).

    Raises:
        SourceTreeError: `path` is missing or holds no Python module.
        ConfigError: the settings cannot be used (e.g. an unknown algorithm).
    """
    settings = settings or Settings()
    timings = timings or Timings()
    analysis = analyze_graph(path, settings, progress, warn, timings)
    unmatched = unmatched_names(settings, analysis.graph.nodes)
    if unmatched and warn is not None:
        warn(f"ignored, as they match no module: {', '.join(unmatched)}")
    if settings.git:
        with timings.phase("history"):
            cochange_pairs = _cochange(analysis)
    else:
        cochange_pairs = None
    with collector.sparing_what_exists():  # the facts and the graph, from here on
        with timings.phase("cluster"):
            proposal = propose(analysis.graph, settings, cochange_pairs)
        return decomposition_of(
            analysis, proposal.partition, settings, proposal.placements, timings, services_known
        )


def _cochange(analysis: Analysis) -> dict[tuple[str, str], float]:
    found = git_commits(analysis.root, analysis.settings.git_commits)
    if found is None:
        raise SourceTreeError(
            f"{analysis.root}: --git needs a git work tree and the git command",
            hint="run inside a clone of the project, or leave out --git",
        )
    commits, prefix = found
    return cochange(commits, prefix, {f.path: f.module for f in analysis.facts})


def decomposition_of(
    analysis: Analysis,
    partition: Partition,
    settings: Settings,
    placements: Mapping[str, Placement] | None = None,
    timings: Timings | None = None,
    services_known: Callable[[Sequence[Service]], None] | None = None,
) -> Decomposition:
    """Measure a partition of the analyzed project and assemble the report contract.

    `placements` say why each module is where it is (the evidence, in the report);
    `timings` receives the seconds of the phases findings, measure and assemble;
    `services_known` is called with the services as soon as they are measured.
    """
    placements = placements or {}
    timings = timings or Timings()
    graph = analysis.graph
    with timings.phase("findings"):
        findings = find_all(graph, partition, settings.thresholds)
    with timings.phase("measure"):
        services = _services(graph, partition)
        if services_known is not None:
            services_known(services)
        metrics = decomposition_metrics(graph, partition)
        order = migration_order(graph, partition, findings)
    with timings.phase("assemble"):
        return _report(
            analysis, partition, settings, placements, services, metrics, findings, order
        )


def _services(graph: nx.DiGraph, partition: Partition) -> tuple[Service, ...]:
    """Each service with its API, data, dependencies and metrics, in name order."""
    apis = public_api(graph, partition)
    depends = service_dependencies(graph, partition)
    owned = owned_models(graph, partition)
    per_service = service_metrics(graph, partition)
    members: dict[str, list[str]] = {}
    for module, service in partition.items():
        if service is not None:
            members.setdefault(service, []).append(module)
    return tuple(
        Service(
            name=name,
            modules=tuple(sorted(modules)),
            loc=sum(graph.nodes[m]["loc"] for m in modules),
            public_api=apis.get(name, ()),
            owned_models=owned.get(name, ()),
            depends_on=depends.get(name, ()),
            metrics=per_service[name],
        )
        for name, modules in sorted(members.items())
    )


def _report(
    analysis: Analysis,
    partition: Partition,
    settings: Settings,
    placements: Mapping[str, Placement],
    services: tuple[Service, ...],
    metrics: dict[str, float],
    findings: tuple[Finding, ...],
    order: tuple[MigrationStep, ...],
) -> Decomposition:
    """The report contract: every module and dependency, with what was measured."""
    graph = analysis.graph
    routes = resolve_routes(analysis.facts)
    return Decomposition(
        tool=ToolInfo(version=__version__),
        root=printable(analysis.root.name),
        settings=ReportSettings(
            algorithm=settings.algorithm,
            seed=settings.seed,
            resolution=settings.resolution,
            services=settings.services,
            level=settings.level,
            weights=settings.weights.model_dump(by_alias=True),
            git_commits=settings.git_commits if settings.git else None,
        ),
        modules=tuple(
            ModuleEntry(
                name=facts.module,
                path=facts.path,
                loc=facts.loc,
                service=partition.get(facts.module),
                definitions=facts.definitions,
                models=facts.models,
                placement=placements.get(facts.module),
                routes=routes.get(facts.module, ()),
            )
            for facts in analysis.facts
        ),
        dependencies=tuple(
            Dependency(
                source=source,
                target=target,
                weight=data["weight"],
                kinds=data["kinds"],
                symbols=tuple(data["symbols"]),
                lines=data["lines"],
            )
            for source, target, data in sorted(graph.edges(data=True), key=lambda e: e[:2])
        ),
        services=services,
        shared=tuple(sorted(m for m, s in partition.items() if s is None)),
        metrics=metrics,
        findings=findings,
        migration_order=order,
        skipped_files=tuple(analysis.skipped),
    )


def read_decomposition(path: Path) -> Decomposition:
    """Load a decomposition.json written by `analyze`.

    Raises:
        ReportError: unreadable file, invalid JSON, or not a decomposition of this schema.
    """
    return load_decomposition(_read_text(path), source=str(path))


def read_partition(path: Path) -> Partition:
    """A {module: service} mapping from a decomposition.json or an expert mapping file.

    Raises:
        ReportError: the file is neither.
    """
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ReportError(nested_too_deeply(str(path))) from None
    if isinstance(data, dict) and "schema_version" in data:
        decomposition = load_decomposition(text, source=str(path))
        return {m.name: m.service for m in decomposition.modules}
    if isinstance(data, dict) and all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in data.items()
    ):
        return dict(data)
    raise ReportError(f"{path}: expected a decomposition.json or a {{module: service}} mapping")


def compare(a: Path, b: Path) -> Agreement:
    """Agreement (MoJoFM, ARI, NMI) between two decompositions or expert mappings.

    Raises:
        ReportError: a file is neither a decomposition.json nor a mapping.
        InsufficientOverlap: the two share too few modules to be compared.
    """
    left, right = read_partition(a), read_partition(b)
    check_overlap(left, right)
    return compare_partitions(left, right)


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it ({exc})") from None


def boundaries(report: Path, out: Path, *, force: bool = False) -> Boundaries:
    """Write the boundary file a decomposition.json proposes (never over a file, unless forced).

    Raises:
        ReportError: the report cannot be read.
        BoundaryError: `out` exists and `force` is not set, or cannot be written.
    """
    from decompose.check import boundaries_of, render_boundaries
    from decompose.check.files import write_file

    decomposition = read_decomposition(report)
    found = boundaries_of(decomposition)
    write_file(out, render_boundaries(found, decomposition.root), replace=force)
    return found


def check(
    path: Path,
    settings: Settings | None = None,
    *,
    boundary_file: Path | None = None,
    decomposition: Path | None = None,
    baseline: Path | None = None,
    update_baseline: bool = False,
    policy: Policy | None = None,
    progress: ProgressCallback | None = None,
    warn: Warn | None = None,
) -> CheckResult:
    """Check the project at `path` against its accepted boundaries, with a ratchet.

    The boundaries come from `boundary_file`, else from `decomposition` (a
    decomposition.json as accepted), else from [tool.decompose] of the project's
    pyproject.toml, else from `decompose-boundaries.toml` beside it. The baseline is
    `baseline`, else `decompose-baseline.json` beside the boundaries; with
    `update_baseline` it is rewritten to accept exactly the current violations.

    Raises:
        SourceTreeError: `path` holds no Python module.
        BoundaryError: no boundaries found, or a boundary file that does not fit.
        BaselineError: a baseline that cannot be read.
    """
    from decompose.check import check_graph, parse_baseline, render_baseline
    from decompose.check.files import BASELINE_FILE, read_file, write_file

    settings = settings or Settings()
    found, home = _boundaries(Path(path), boundary_file, decomposition)
    analysis = analyze_graph(path, settings, progress, warn)
    baseline = baseline or home / BASELINE_FILE
    accepted = (
        parse_baseline(read_file(baseline, "baseline"), str(baseline))
        if baseline.exists() and not update_baseline
        else {}
    )
    result = check_graph(
        analysis.graph,
        found,
        accepted,
        policy=policy,
        root=analysis.root.name,
        baseline=str(baseline) if baseline.exists() else "",
        version=__version__,
    )
    if update_baseline:
        current = (*result.ratchet.new, *result.ratchet.known)
        text = render_baseline(current)
        write_file(baseline, text, replace=True)
        accepted = parse_baseline(text, str(baseline))
        result = check_graph(
            analysis.graph,
            found,
            accepted,
            policy=policy,
            root=result.root,
            baseline=str(baseline),
            version=__version__,
        )
    return result


def _boundaries(
    path: Path, boundary_file: Path | None, decomposition: Path | None
) -> tuple[Boundaries, Path]:
    """The boundaries to check against, and the directory the baseline belongs in."""
    from decompose.check import boundaries_of, parse_boundaries
    from decompose.check.files import BOUNDARY_FILE, project_dir, read_file

    if boundary_file is not None:
        text = read_file(boundary_file, "boundary file")
        return parse_boundaries(text, str(boundary_file)), boundary_file.parent
    if decomposition is not None:
        return boundaries_of(read_decomposition(decomposition)), project_dir(path)
    home = project_dir(path)
    pyproject = home / "pyproject.toml"
    if pyproject.is_file():
        text = read_file(pyproject, "pyproject.toml")
        if parse_boundaries(text, str(pyproject), pyproject=True).services:
            return parse_boundaries(text, str(pyproject), pyproject=True), home
    own = home / BOUNDARY_FILE
    if own.is_file():
        return parse_boundaries(read_file(own, "boundary file"), str(own)), home
    raise BoundaryError(
        f"{home}: no boundaries to check (no --boundaries, --decomposition, "
        f"[tool.decompose.services] or {BOUNDARY_FILE})",
        hint=f"write them with `decompose boundaries OUT/decomposition.json -o {BOUNDARY_FILE}`",
    )


def scaffold(
    report: Path, out_dir: Path, *, force: bool = False, dry_run: bool = False
) -> ScaffoldResult:
    """Render the service skeletons of a decomposition.json under `out_dir`.

    Raises:
        ReportError: the report cannot be read.
        ScaffoldConflict: existing files would change and `force` is not set.
        UnsafePathError: a destination would resolve outside `out_dir`.
    """
    from decompose.scaffold import scaffold as scaffold_services

    return scaffold_services(read_decomposition(report), out_dir, force=force, dry_run=dry_run)
