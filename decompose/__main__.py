"""`python -m decompose` runs the command line."""

from decompose.cli import run

run()
