"""The commands: parse options, build Settings, call the api, hand the results to output."""

from __future__ import annotations

import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.table import Table
from rich.text import Text

from decompose import __version__, api
from decompose.cli.output import (
    emit,
    err,
    out,
    print_skipped,
    print_summary,
    progress,
    warn,
    writing_stdout,
)
from decompose.clustering import algorithm_names
from decompose.config import load_settings
from decompose.errors import ConfigError, DecomposeError
from decompose.metrics.findings import fail_on_conditions, matching
from decompose.report.graph_export import GRAPH_FORMATS, graph_target, render_graph, write_graph
from decompose.report.graph_view import LayoutPrefetch
from decompose.report.json_report import json_schema
from decompose.report.writer import check_report_files, write_reports
from decompose.timing import Timings

F = TypeVar("F", bound=Callable[..., Any])


class _Terminated(BaseException):
    """SIGTERM arrived: unwinding stops the worker processes and removes temporary files."""


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While a command runs, SIGTERM raises _Terminated in it instead of ending the process.

    A second SIGTERM ends the process at once, as it would have without us.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


class _Group(click.Group):
    """Turns every error into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv
        try:
            with _sigterm_unwinds():
                return super().invoke(ctx)
        except DecomposeError as exc:
            if debug:
                traceback.print_exc()
            err.print(Text.assemble(("error: ", "bold red"), exc.message), soft_wrap=True)
            if exc.hint:
                err.print(f"hint: {exc.hint}", style="dim", soft_wrap=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            err.print("interrupted")
            ctx.exit(130)
        except _Terminated:
            err.print("terminated")
            ctx.exit(143)  # 128 + SIGTERM, as a shell reports it
        except Exception as exc:
            if debug:
                traceback.print_exc()
            err.print(
                Text.assemble(
                    ("internal error: ", "bold red"),
                    f"{type(exc).__name__}: {exc} "
                    "(a bug in decompose; rerun with --debug for the traceback and report it)",
                ),
                soft_wrap=True,
            )
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decompose")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def main(debug: bool) -> None:
    """Break a Python monolith into candidate microservices.

    Static analysis only: the analyzed code is parsed, never imported or run.
    """


def _source_options(function: F) -> F:
    for option in reversed(
        [
            click.argument("path", type=click.Path(path_type=Path)),
            click.option(
                "--exclude",
                multiple=True,
                metavar="GLOB",
                help="Leave matching files out (repeatable).",
            ),
            click.option(
                "--no-cache", is_flag=True, help="Parse every file again; do not use the cache."
            ),
            click.option(
                "--cache-dir", type=click.Path(path_type=Path), help="Where the cache lives."
            ),
            click.option(
                "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: CPUs)."
            ),
        ]
    ):
        function = option(function)
    return function


def _settings(
    path: Path,
    exclude: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    **more: Any,
) -> Any:
    return load_settings(
        path,
        exclude=exclude,
        cache=False if no_cache else None,
        cache_dir=cache_dir,
        jobs=jobs,
        **more,
    )


@main.command()
@_source_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default, or '-': stdout).",
)
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="json", show_default=True
)
def graph(
    path: Path,
    exclude: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    output: Path | None,
    fmt: str,
) -> None:
    """Export the module dependency graph of PATH."""
    settings = _settings(path, exclude, no_cache, cache_dir, jobs)
    if output == Path("-"):
        output = None
    if output is not None:
        graph_target(output)  # refuse a directory before the analysis
    with progress("Parsing") as advance:
        analysis = api.analyze_graph(path, settings, advance, warn)
    if output is None:
        emit(render_graph(analysis.graph, fmt))
    else:
        write_graph(analysis.graph, fmt, output)
    g = analysis.graph
    err.print(
        f"{g.number_of_nodes()} modules, {g.number_of_edges()} dependencies, "
        f"{len(analysis.skipped)} skipped" + (f" -> {output}" if output else ""),
        highlight=False,
    )
    print_skipped(analysis.skipped)


def _pins(values: tuple[str, ...]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for value in values:
        module, sep, service = value.partition("=")
        if not sep or not module.strip() or not service.strip():
            raise click.BadParameter(f"{value!r} is not MODULE=SERVICE", param_hint="--pin")
        module, service = module.strip(), service.strip()
        if pins.get(module, service) != service:
            raise ConfigError(
                f"--pin {module!r} names two services, {pins[module]!r} and {service!r}"
            )
        pins[module] = service
    return pins


def _formats(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None  # pyproject's formats, or all of them
    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("json", "md", "html")]
    if unknown or not formats:
        raise click.BadParameter(f"{value!r}: choose from json, md, html", param_hint="--format")
    return formats


@main.command()
@_source_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("decompose-out"),
    show_default=True,
    help="Directory for decomposition.json and the reports.",
)
@click.option(
    "--algorithm",
    type=click.Choice(algorithm_names()),
    help="Clustering algorithm [default: decompose].",
)
@click.option("--services", type=click.IntRange(min=1), help="Aim for exactly N services.")
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    help="Modularity resolution: higher gives more, smaller services.",
)
@click.option("--seed", type=int, help="Random seed (same input and seed, same output).")
@click.option(
    "--pin",
    multiple=True,
    metavar="MODULE=SERVICE",
    help="Put a module or package in a service (repeatable).",
)
@click.option(
    "--shared",
    multiple=True,
    metavar="MODULE",
    help="Treat a module or package as shared kernel (repeatable).",
)
@click.option(
    "--level",
    type=click.Choice(["module", "package"]),
    help="Cluster modules, or whole packages [default: module].",
)
@click.option(
    "--git",
    "use_git",
    is_flag=True,
    default=None,
    help="Add co-change coupling from the repository's recent history.",
)
@click.option(
    "--git-commits",
    type=click.IntRange(min=1),
    help="How many recent commits --git reads [default: 1000].",
)
@click.option(
    "--format",
    "formats",
    help="Reports to write, of json,md,html [default: formats in pyproject.toml, or all].",
)
@click.option(
    "--fail-on",
    multiple=True,
    metavar="KIND|SEVERITY",
    help="Exit 1 if a finding of this kind or severity is found (repeatable).",
)
@click.option(
    "--force", is_flag=True, help="Replace files of the same names that decompose did not write."
)
@click.option(
    "--timings", is_flag=True, help="Print the seconds of each phase of the run to stderr."
)
def analyze(
    path: Path,
    exclude: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    output: Path,
    algorithm: str | None,
    services: int | None,
    resolution: float | None,
    seed: int | None,
    pin: tuple[str, ...],
    shared: tuple[str, ...],
    level: str | None,
    use_git: bool | None,
    git_commits: int | None,
    formats: str | None,
    fail_on: tuple[str, ...],
    force: bool,
    timings: bool,
) -> None:
    """Propose candidate services for the project at PATH and write the reports."""
    settings = _settings(
        path,
        exclude,
        no_cache,
        cache_dir,
        jobs,
        algorithm=algorithm,
        services=services,
        resolution=resolution,
        seed=seed,
        pins=_pins(pin),
        shared=shared,
        level=level,
        git=use_git,
        git_commits=git_commits,
        formats=_formats(formats),
        fail_on=fail_on,
    )
    gate = fail_on_conditions(settings.fail_on)  # refuse before the long part
    chosen = check_report_files(output, settings.formats, force=force)
    phases = Timings()
    # A large graph's layout is computed beside the rest, from when the services are known.
    layout = LayoutPrefetch() if "html" in chosen else None
    try:
        with progress("Parsing") as advance:
            decomposition = api.analyze(
                path, settings, advance, warn, phases, layout.start if layout else None
            )
        written = write_reports(
            decomposition, output, chosen, force=force, timings=phases, started=layout
        )
    finally:
        if layout is not None:
            layout.stop()
    if timings:
        for line in phases.lines():
            err.print(line, highlight=False)
    print_summary(decomposition)
    print_skipped(decomposition.skipped_files)
    for file in written:
        err.print(f"wrote {file}", highlight=False)
    matched = matching(decomposition.findings, gate)
    if matched:
        err.print(f"{len(matched)} finding(s) match --fail-on {', '.join(sorted(gate))}")
        click.get_current_context().exit(1)


@main.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
def compare(a: Path, b: Path) -> None:
    """Agreement between two decompositions (or a decomposition and an expert mapping).

    A and B are decomposition.json files or JSON objects {module: service or null}.
    MoJoFM is directional (A towards B); both directions are shown.
    """
    agreement = api.compare(a, b)
    table = Table(show_header=False)
    table.add_row("common modules", str(agreement.common_modules))
    table.add_row("MoJoFM (A→B)", f"{agreement.mojofm:.3f}")
    table.add_row("MoJoFM (B→A)", f"{agreement.mojofm_reverse:.3f}")
    table.add_row("ARI", f"{agreement.ari:.3f}")
    table.add_row("NMI", f"{agreement.nmi:.3f}")
    with writing_stdout():
        out.print(table)
    for label, only in (("only in A", agreement.only_in_a), ("only in B", agreement.only_in_b)):
        if only:
            err.print(f"{len(only)} module(s) {label}, not compared", style="dim")


@main.command()
def schema() -> None:
    """Print the JSON Schema of decomposition.json."""
    emit(json_schema())


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("services"),
    show_default=True,
    help="Directory to write the services into.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite files that differ from what would be written."
)
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
def scaffold(report: Path, output: Path, force: bool, dry_run: bool) -> None:
    """Write a runnable service skeleton per service of REPORT (a decomposition.json)."""
    result = api.scaffold(report, output, force=force, dry_run=dry_run)
    if dry_run:
        with writing_stdout():
            for label, paths in (
                ("create", result.created),
                ("overwrite", result.overwritten),
                ("conflict", result.conflicts),
                ("unchanged", result.unchanged),
            ):
                for path in paths:
                    out.print(f"{label:>9}  {output / path}", highlight=False)
    verb = "would write" if dry_run else "wrote"
    err.print(
        f"{verb} {len(result.written)} file(s) under {output} "
        f"({len(result.unchanged)} unchanged"
        + (
            f", {len(result.conflicts)} in conflict: rerun with --force to overwrite"
            if result.conflicts
            else ""
        )
        + ")",
        highlight=False,
    )
