"""The command line: parse options, build Settings, call the api, print with rich."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from decompose import __version__, api
from decompose.config import load_settings
from decompose.errors import DecomposeError
from decompose.report.graph_export import GRAPH_FORMATS, render_graph, write_graph

F = TypeVar("F", bound=Callable[..., Any])

out = Console()
err = Console(stderr=True)


class _Group(click.Group):
    """Turns every error into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv
        try:
            return super().invoke(ctx)
        except DecomposeError as exc:
            if debug:
                traceback.print_exc()
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
            if exc.hint:
                err.print(f"[dim]hint: {exc.hint}[/]", highlight=False, soft_wrap=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            err.print("interrupted")
            ctx.exit(130)
        except Exception as exc:
            if debug:
                traceback.print_exc()
            err.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
                "(a bug in decompose; rerun with --debug for the traceback and report it)",
                highlight=False,
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


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr, shown only for long runs on a terminal."""
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


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
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
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
    with _progress("Parsing") as progress:
        analysis = api.analyze_graph(path, settings, progress)
    if output is None:
        click.echo(render_graph(analysis.graph, fmt), nl=False)
    else:
        write_graph(analysis.graph, fmt, output)
    g = analysis.graph
    err.print(
        f"{g.number_of_nodes()} modules, {g.number_of_edges()} dependencies, "
        f"{len(analysis.skipped)} skipped" + (f" -> {output}" if output else ""),
        highlight=False,
    )
    for skipped in analysis.skipped[:10]:
        err.print(f"  skipped {skipped.path}: {skipped.reason}", highlight=False, style="dim")
    if len(analysis.skipped) > 10:
        err.print(f"  … and {len(analysis.skipped) - 10} more", style="dim")
