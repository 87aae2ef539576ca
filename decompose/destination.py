"""Where a command's output goes: regular files replaced atomically, devices written into.

A symlink is followed. `-o /dev/null` must not turn the device into a file, `-o link`
must not replace the link, and a reader must never see half a file: one function decides,
for every writer.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from decompose.errors import OutputError


def destination(path: Path) -> Path:
    """What writing to `path` writes: the file itself, or what its symlinks point to.

    Callers about to run a long analysis call it first, so a refusal comes before the wait.

    Raises:
        OutputError: `path` is (or points to) a directory, or its symlinks form a loop.
    """
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath stops where the links loop
        raise OutputError(f"cannot write {path}: its symbolic links form a loop")
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory", hint="name a file to write")
    return target


def write_output(path: Path, text: str) -> Path:
    """Write `text` to `path`, never replacing anything but a regular file.

    A regular file (or a new one, its parents created) is replaced atomically, so a reader
    never sees half of it and a failed write leaves the old one. A symlink is followed: the
    link stays and the file it points to gets the text. A device, FIFO or socket is
    written into as it is.

    Raises:
        OutputError: `path` is a directory or cannot be written (full disk, read-only...).
    """
    target = destination(path)
    try:
        if target.exists() and not target.is_file():
            with open(target, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        else:
            _replace(target, text)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _replace(target: Path, text: str) -> None:
    """Write a temporary file beside `target`, then rename it over `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
