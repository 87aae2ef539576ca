"""Where the boundary file and the baseline are, and how they are read and written safely."""

from __future__ import annotations

from pathlib import Path

from decompose.config import BOUNDARY_FILE
from decompose.destination import write_output
from decompose.errors import BoundaryError

__all__ = ["BASELINE_FILE", "BOUNDARY_FILE", "project_dir", "read_file", "write_file"]
BASELINE_FILE = "decompose-baseline.json"


def project_dir(path: Path) -> Path:
    """The directory a check's default files live in: the project's (or the file's)."""
    return path if path.is_dir() else path.parent


def read_file(path: Path, what: str) -> str:
    """A text file's content.

    Raises:
        BoundaryError: it cannot be read (named as `what`).
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BoundaryError(f"{path}: no such {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BoundaryError(f"{path}: cannot read the {what} ({exc})") from None


def write_file(path: Path, text: str, *, replace: bool) -> None:
    """Write `text` to `path` (see `destination.write_output`), refusing to replace a file.

    Raises:
        BoundaryError: the file exists and `replace` is false.
        OutputError: it cannot be written.
    """
    if path.exists() and not replace:
        raise BoundaryError(f"{path} exists", hint="pass --force to replace it")
    write_output(path, text)
