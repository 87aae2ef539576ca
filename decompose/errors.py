"""The exception hierarchy: every error the library raises on purpose is a DecomposeError."""

from __future__ import annotations


class DecomposeError(Exception):
    """Root of every error decompose raises on purpose.

    Attributes:
        exit_code: The process exit code the command line uses for this error.
        hint: One sentence telling the user what to do about it.
    """

    exit_code = 3
    hint = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments are lost by the default pickling of exceptions;
        # errors cross process boundaries when extraction runs in a pool.
        return (_rebuild, (type(self), self.message, self.hint))

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


def _rebuild(cls: type[DecomposeError], message: str, hint: str) -> DecomposeError:
    error = cls.__new__(cls)
    DecomposeError.__init__(error, message, hint=hint)
    return error


class UserError(DecomposeError):
    """Something the user must fix: usage, configuration, input, a refused overwrite."""

    exit_code = 2


class ConfigError(UserError):
    """Settings that cannot be used, from pyproject.toml or the command line."""

    hint = "check [tool.decompose] in pyproject.toml and the command-line options"


class SourceTreeError(UserError):
    """The path to analyze is missing, unreadable or holds no Python module."""

    hint = "point decompose at a directory or .py file of the project to analyze"


class ReportError(UserError):
    """A decomposition or mapping file that cannot be read or does not fit the schema."""

    hint = "pass a decomposition.json written by `decompose analyze` or a {module: service} mapping"


class ScaffoldConflict(UserError):
    """Scaffolding would overwrite files that differ from what it would write."""

    hint = "pass --force to overwrite them, or --dry-run to see the plan"

    def __init__(self, paths: list[str]) -> None:
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        super().__init__(f"{len(paths)} existing file(s) would be overwritten: {shown}")
        self.paths = paths

    def __reduce__(self) -> tuple[object, ...]:
        return (ScaffoldConflict, (self.paths,))


class OutputConflict(UserError):
    """A report would replace a file of the same name that decompose did not write."""

    hint = "pass --force to replace it, or write the reports elsewhere with -o"


class OutputError(UserError):
    """An output file, directory or stream that cannot be written (full, read-only, a folder)."""

    hint = "free some space, or write somewhere you can with -o"


class InsufficientOverlap(UserError):
    """Two decompositions share too few modules for their agreement to mean anything."""

    hint = "compare decompositions of the same project, named from the same root"

    def __init__(self, common: int, a_modules: int, b_modules: int, needed: int) -> None:
        super().__init__(
            f"only {common} module(s) in common between A ({a_modules} modules) and "
            f"B ({b_modules} modules); comparing needs at least {needed}"
        )
        self.common, self.a_modules, self.b_modules, self.needed = (
            common,
            a_modules,
            b_modules,
            needed,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (InsufficientOverlap, (self.common, self.a_modules, self.b_modules, self.needed))


class UnsafePathError(UserError):
    """A destination path would resolve outside the output directory."""

    hint = "names from the analyzed code are sanitized; this one could not be made safe"


class BoundaryError(UserError):
    """A boundary file that cannot be read or does not fit the analyzed code."""

    hint = "fix the boundary file, or write a new one with `decompose boundaries`"


class BaselineError(UserError):
    """A check baseline that cannot be read."""

    hint = "write a new one with `decompose check --update-baseline`"
