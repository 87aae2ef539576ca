"""The command line: `decompose analyze | scaffold | graph | compare | schema | check`."""

from decompose.cli import check as _check  # noqa: F401  (registers check and boundaries)
from decompose.cli.commands import main

__all__ = ["main"]
