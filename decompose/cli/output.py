"""What the command line prints: consoles, the progress bar, the analysis summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from decompose.errors import OutputError
from decompose.model import Decomposition, SkippedFile
from decompose.report.markdown import largest

# Markup off: paths, module names and messages from the analyzed code may hold [brackets].
out = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False)

SUMMARY_ROWS = 40  # services in the terminal's table; report.md lists them all
SUMMARY_NAMES = 6  # services named in a row's "depends on"


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn a failed write to stdout (a full disk, a closed pipe) into an OutputError.

    Wrap only code that writes to stdout: every OSError inside is taken to be stdout's.
    What could not be written is dropped, so the interpreter's last flush at exit does
    not fail a second time with a traceback-like message.
    """
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        _drop_stdout()
        raise OutputError(
            f"cannot write to standard output: {error.strerror or error}",
            hint="free some space, or send the output elsewhere",
        ) from None


def _drop_stdout() -> None:
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test runner's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)  # the buffered rest now goes nowhere, quietly
    os.close(null)


def emit(text: str) -> None:
    """Write text to stdout as it is, and flush it."""
    with writing_stdout():
        sys.stdout.write(text)


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr, shown only for long runs on a terminal."""
    with Progress(
        TextColumn(label, style="bold", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        auto_refresh=False,  # no refresh thread: extraction forks its workers
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            bar.refresh()

        yield update


def warn(message: str) -> None:
    """One line on stderr about a problem that did not stop the run."""
    err.print(Text.assemble(("warning: ", "bold yellow"), message), soft_wrap=True)


def print_skipped(skipped: Sequence[SkippedFile], shown: int = 10) -> None:
    """The first skipped files with their reasons (the report lists them all)."""
    for entry in skipped[:shown]:
        err.print(f"  skipped {entry.path}: {entry.reason}", style="dim")
    if len(skipped) > shown:
        err.print(f"  … and {len(skipped) - shown} more", style="dim")


def print_summary(
    decomposition: Decomposition, rows: int = SUMMARY_ROWS, named: int = SUMMARY_NAMES
) -> None:
    """The candidate services as a table, and the headline metrics, on stderr.

    A terminal is no place for a thousand rows: past `rows` services, the largest are
    listed (by name) and the rest counted; each row names at most `named` services it
    depends on. report.md and report.html have them all.
    """
    table = Table(title=f"Candidate services for {decomposition.root}", title_justify="left")
    for column in ("service", "modules", "lines", "public API", "models", "depends on"):
        table.add_column(
            column,
            justify="right" if column in ("modules", "lines", "public API", "models") else "left",
        )
    services = largest(decomposition.services, rows)
    for service in services:
        depends_on = [d.service for d in service.depends_on]
        if len(depends_on) > named:
            depends_on[named:] = [f"+{len(depends_on) - named} more"]
        table.add_row(
            service.name,
            str(len(service.modules)),
            str(service.loc),
            str(len(service.public_api)),
            str(len(service.owned_models)),
            ", ".join(depends_on) or "-",
        )
    if len(services) < len(decomposition.services):
        rest = len(decomposition.services) - len(services)
        table.add_row(
            Text(f"… {rest} smaller services (all in report.md)", style="dim"), "", "", "", "", ""
        )
    if decomposition.shared:
        table.add_row(
            Text("(shared kernel)", style="dim"), str(len(decomposition.shared)), "", "", "", ""
        )
    err.print(table)
    metrics = decomposition.metrics
    err.print(
        "modularity {:.2f} · MQ {:.2f} · ICP {:.2f} · {} finding(s), {} skipped file(s)".format(
            metrics.get("modularity", 0),
            metrics.get("mq", 0),
            metrics.get("icp", 0),
            len(decomposition.findings),
            len(decomposition.skipped_files),
        ),
        highlight=False,
    )
