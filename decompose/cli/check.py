"""`decompose check` and `decompose boundaries`: the accepted boundaries, enforced in CI."""

from __future__ import annotations

from pathlib import Path

import click

from decompose import api
from decompose.check import CHECK_FORMATS, Policy, render_check
from decompose.check.files import write_file
from decompose.cli.commands import _settings, _source_options, main
from decompose.cli.output import emit, err, progress, warn
from decompose.model import Severity

_TYPE_ONLY = {"error": Severity.ERROR, "warning": Severity.WARNING, "ignore": None}


@main.command()
@_source_options
@click.option(
    "--boundaries",
    "boundary_file",
    type=click.Path(path_type=Path),
    help="Boundary file (default: [tool.decompose.services] or decompose-boundaries.toml).",
)
@click.option(
    "--decomposition",
    type=click.Path(path_type=Path),
    help="Take the boundaries from a decomposition.json as accepted.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Violations accepted so far (default: decompose-baseline.json beside the boundaries).",
)
@click.option(
    "--update-baseline", is_flag=True, help="Write the current violations as the baseline."
)
@click.option(
    "--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True
)
@click.option(
    "--type-only",
    type=click.Choice(sorted(_TYPE_ONLY)),
    default="warning",
    show_default=True,
    help="How an import made only for type checking counts.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
def check(
    path: Path,
    exclude: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    boundary_file: Path | None,
    decomposition: Path | None,
    baseline: Path | None,
    update_baseline: bool,
    fmt: str,
    type_only: str,
    output: Path | None,
) -> None:
    """Check PATH against the accepted service boundaries; fail on new violations.

    Exit 0 when no new violation is an error, 1 when one is, 2 for bad input.
    """
    settings = _settings(path, exclude, no_cache, cache_dir, jobs)
    with progress("Parsing") as advance:
        result = api.check(
            path,
            settings,
            boundary_file=boundary_file,
            decomposition=decomposition,
            baseline=baseline,
            update_baseline=update_baseline,
            policy=Policy(type_only=_TYPE_ONLY[type_only]),
            progress=advance,
            warn=warn,
        )
    text = render_check(result, fmt)
    if output is None:
        emit(text)
    else:
        write_file(output, text, replace=True)
        err.print(result.summary(), soft_wrap=True)
    if update_baseline:
        err.print("baseline updated: it accepts every violation found", soft_wrap=True)
        return
    if result.failed:
        click.get_current_context().exit(1)


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("decompose-boundaries.toml"),
    show_default=True,
    help="Boundary file to write.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def boundaries(report: Path, output: Path, force: bool) -> None:
    """Write the boundary file REPORT (a decomposition.json) proposes, for the team to edit."""
    found = api.boundaries(report, output, force=force)
    err.print(
        f"wrote {output}: {len(found.services)} services, {len(found.shared)} shared names",
        soft_wrap=True,
    )
