"""Write the chosen report formats into an output directory, replaced together or not at all."""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from decompose import collector
from decompose.errors import ConfigError, OutputConflict, ReportError
from decompose.model.decomposition import Decomposition
from decompose.report import beside
from decompose.report.graph_view import LayoutPrefetch
from decompose.report.html import html_pieces
from decompose.report.json_report import json_pieces
from decompose.report.markdown import render_markdown
from decompose.report.replacement import replacing_together, write_file
from decompose.timing import Timings

Renderer = Callable[[Decomposition], Iterable[bytes]]  # the file's UTF-8 text, in pieces


def _utf8(render: Callable[[Decomposition], str]) -> Renderer:
    return lambda decomposition: (render(decomposition).encode("utf-8"),)


def _json(decomposition: Decomposition) -> Iterable[bytes]:
    yield from json_pieces(decomposition)
    yield b"\n"


# format -> (file name, renderer), in the order `decompose analyze --format` lists them.
REPORT_FILES: dict[str, tuple[str, Renderer]] = {
    "json": ("decomposition.json", _json),
    "md": ("report.md", _utf8(render_markdown)),
    "html": ("report.html", html_pieces),
}
REPORT_FORMATS: tuple[str, ...] = tuple(REPORT_FILES)
_NAMES = {name for name, _ in REPORT_FILES.values()}
_FORMAT_OF = {name: fmt for fmt, (name, _) in REPORT_FILES.items()}
# Written by a forked copy of the process while it writes the others, where it can fork:
# the page's layout and panels cost about as much as the other reports together.
_BESIDE = "html"

# How each format's opening bytes show that decompose wrote the file (checked before replacing).
_OURS: dict[str, re.Pattern[str]] = {
    "json": re.compile(
        r'\A\{\s*"schema_version":\s*"[^"]*",\s*"tool":\s*\{\s*"name":\s*"decompose"'
    ),
    "md": re.compile(r"\A# Decomposition of .*^\| Written by \| decompose ", re.S | re.M),
    "html": re.compile(r'<meta name="generator" content="decompose '),
}


def write_reports(
    decomposition: Decomposition,
    out_dir: Path,
    formats: Iterable[str],
    *,
    force: bool = False,
    timings: Timings | None = None,
    started: LayoutPrefetch | None = None,
) -> list[Path]:
    """Render and write reports: decomposition.json, report.md and/or report.html.

    Every format is checked before anything is written. Every file is written in full
    beside its destination, then all are moved into place together: a reader never sees
    half a report, nor reports of two runs (a run killed while moving them is finished by
    the next one, which also removes what killed runs left). An earlier report is
    replaced; any other file of the same name only with `force`.

    Args:
        decomposition: The report to write.
        out_dir: The directory to write into; created with its parents if missing.
        formats: Some of REPORT_FORMATS (`json`, `md`, `html`); repeats are ignored.
        force: Replace files of the same names that decompose did not write.
        timings: Receives the seconds of each report (`report json`, ...: rendering and
            writing), of putting them in place (`replace`) and of a graph layout that was
            `started` earlier and taken by the page (`graph layout`, all of it beside).
        started: The page's graph layout, started as soon as the services were known.

    Returns:
        The paths written, in the order of `formats`.

    Raises:
        ConfigError: A format is not one of REPORT_FORMATS.
        ReportError: The directory or a file cannot be written.
        OutputConflict: A file of the same name is not an earlier report (without `force`).
    """
    chosen = check_report_files(out_dir, formats, force=force)
    timings = timings or Timings()
    target = out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with (
            collector.sparing_what_exists(),  # the report, and what built it
            timings.phase("replace"),  # what the reports leave to it: the renames
            replacing_together(out_dir, _NAMES, _is_earlier_report_or_absent) as staging,
        ):
            aside = _BESIDE if _BESIDE in chosen and len(chosen) > 1 and beside.can_fork() else ""
            copy = None
            try:
                if aside:
                    name, render = _renderer(aside, started)
                    temporary = staging.reserve(name)
                    copy = beside.Beside(
                        functools.partial(_render_into, temporary, render, decomposition, started)
                    )
                for fmt in chosen:
                    if fmt == aside:
                        continue
                    name, render = _renderer(fmt, started)
                    target = out_dir / name
                    with timings.phase(f"report {fmt}"):
                        staging.write(name, render(decomposition))
                layout_seconds = started.seconds if started is not None else None
                if copy is not None:
                    target = out_dir / REPORT_FILES[aside][0]
                    start = time.perf_counter()
                    seconds = copy.wait()
                    timings.add_beside(f"report {aside}", seconds, time.perf_counter() - start)
                    layout_seconds = copy.result if isinstance(copy.result, float) else None
                if layout_seconds is not None:  # it ran before and beside the reports
                    timings.add_beside("graph layout", layout_seconds, waited=0.0)
            except BaseException:
                if copy is not None:
                    copy.stop()
                raise
            target = out_dir
    except OSError as error:
        raise _write_error(target, error) from None
    return [out_dir / REPORT_FILES[fmt][0] for fmt in chosen]


def _renderer(fmt: str, started: LayoutPrefetch | None) -> tuple[str, Renderer]:
    """A format's file name and renderer; the page's takes the layout started for it."""
    name, render = REPORT_FILES[fmt]
    if render is html_pieces and started is not None:
        return name, functools.partial(html_pieces, started=started)
    return name, render


def _render_into(
    temporary: Path, render: Renderer, decomposition: Decomposition, started: LayoutPrefetch | None
) -> float | None:
    """Write a report in the forked copy; the seconds of the layout it took, if any."""
    write_file(temporary, render(decomposition))
    return started.seconds if started is not None else None


def check_report_files(out_dir: Path, formats: Iterable[str], *, force: bool = False) -> list[str]:
    """The chosen formats, normalised, once it is clear that writing them loses nothing.

    Callers about to run a long analysis check first, so a refusal comes before the wait.

    Raises:
        ConfigError: A format is not one of REPORT_FORMATS.
        OutputConflict: A file of the same name is not an earlier report (without `force`).
    """
    chosen = list(dict.fromkeys(fmt.strip().lower() for fmt in formats))
    unknown = [fmt for fmt in chosen if fmt not in REPORT_FILES]
    if unknown:
        raise ConfigError(
            f"unknown report format(s) {', '.join(repr(f) for f in unknown)}; "
            f"choose from {', '.join(REPORT_FORMATS)}"
        )
    foreign = [] if force else _foreign_files(out_dir, chosen)
    if foreign:
        verb = "exist and were" if len(foreign) > 1 else "exists and was"
        raise OutputConflict(f"{out_dir}: {', '.join(foreign)} {verb} not written by decompose")
    return chosen


def _foreign_files(out_dir: Path, formats: list[str]) -> list[str]:
    """Names of the chosen report files that exist in `out_dir` and are not earlier reports."""
    foreign = []
    for fmt in formats:
        path = out_dir / REPORT_FILES[fmt][0]
        if os.path.lexists(path) and not _is_earlier_report(path, fmt):
            foreign.append(path.name)  # lexists is False, not an error, if out_dir is unreadable
    return foreign


def _is_earlier_report(path: Path, fmt: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            head = stream.read(4096)
    except OSError:  # a directory or unreadable file: certainly not an earlier report
        return False
    return bool(_OURS[fmt].search(head))


def _is_earlier_report_or_absent(path: Path) -> bool:
    """Whether a killed run's report may still replace `path` (a person may have written it)."""
    return not os.path.lexists(path) or _is_earlier_report(path, _FORMAT_OF[path.name])


def _write_error(path: Path, error: OSError) -> ReportError:
    return ReportError(
        f"cannot write {path}: {error.strerror or error}",
        hint="choose an output directory you can write to (-o)",
    )
