"""The command line: `decompose analyze | scaffold | graph | compare | schema | check`."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from decompose.cli import check as _check  # noqa: F401  (registers check and boundaries)
from decompose.cli.commands import main

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The console script: `main`, then leave without tearing the heap down.

    At shutdown Python collects and frees every object still alive: 0.26 s after a
    warm saleor analysis, a tenth of the run, for memory the operating system takes
    back at once anyway. Nothing of decompose waits for exit (its worker pools are
    closed before a command returns, it registers no atexit work), so once the output
    is flushed the process ends there, with the exit code `main` chose.
    """
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = _exit_status(stop.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what was left cannot be written
            code = code or 1
    os._exit(code)


def _exit_status(code: object) -> int:
    """What the interpreter would exit with for `SystemExit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
