"""`python -m decompose` runs the command line."""

from decompose.cli import main

main()
