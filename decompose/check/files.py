"""Where the boundary file and the baseline are, and how they are read and written safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from decompose.config import BOUNDARY_FILE
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
    """Write `text` to `path` in one step (a temporary file renamed over it).

    Raises:
        BoundaryError: the file exists and `replace` is false, or it cannot be written.
    """
    if path.exists() and not replace:
        raise BoundaryError(f"{path} exists", hint="pass --force to replace it")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if "temporary" in locals():
            Path(temporary).unlink(missing_ok=True)
        raise BoundaryError(f"{path}: cannot write it ({exc.strerror or exc})") from None
