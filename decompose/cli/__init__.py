"""The command line: `decompose analyze | scaffold | graph | compare | schema`."""

from decompose.cli.commands import main

__all__ = ["main"]
