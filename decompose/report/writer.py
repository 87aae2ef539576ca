"""Write the chosen report formats into an output directory, each file replaced atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from decompose.errors import ConfigError, ReportError
from decompose.model.decomposition import Decomposition
from decompose.report.html import render_html
from decompose.report.json_report import render_json
from decompose.report.markdown import render_markdown

Renderer = Callable[[Decomposition], str]

# format -> (file name, renderer), in the order `decompose analyze --format` lists them.
REPORT_FILES: dict[str, tuple[str, Renderer]] = {
    "json": ("decomposition.json", render_json),
    "md": ("report.md", render_markdown),
    "html": ("report.html", render_html),
}
REPORT_FORMATS: tuple[str, ...] = tuple(REPORT_FILES)


def write_reports(
    decomposition: Decomposition, out_dir: Path, formats: Iterable[str]
) -> list[Path]:
    """Render and write reports: decomposition.json, report.md and/or report.html.

    Every format is checked before anything is written; each file is written to a
    temporary file beside it and moved into place, so a reader never sees half a report.

    Args:
        decomposition: The report to write.
        out_dir: The directory to write into; created with its parents if missing.
        formats: Some of REPORT_FORMATS (`json`, `md`, `html`); repeats are ignored.

    Returns:
        The paths written, in the order of `formats`.

    Raises:
        ConfigError: A format is not one of REPORT_FORMATS.
        ReportError: The directory or a file cannot be written.
    """
    chosen = list(dict.fromkeys(fmt.strip().lower() for fmt in formats))
    unknown = [fmt for fmt in chosen if fmt not in REPORT_FILES]
    if unknown:
        raise ConfigError(
            f"unknown report format(s) {', '.join(repr(f) for f in unknown)}; "
            f"choose from {', '.join(REPORT_FORMATS)}"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _write_error(out_dir, error) from None
    written = []
    for fmt in chosen:
        name, render = REPORT_FILES[fmt]
        written.append(write_atomically(out_dir / name, render(decomposition)))
    return written


def write_atomically(path: Path, text: str) -> Path:
    """Write UTF-8 text (newlines as given) via a temporary file and os.replace.

    Raises:
        ReportError: The file cannot be written.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _write_error(path, error) from None
    return path


def _write_error(path: Path, error: OSError) -> ReportError:
    return ReportError(
        f"cannot write {path}: {error.strerror or error}",
        hint="choose an output directory you can write to (-o)",
    )
