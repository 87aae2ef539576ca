"""Applying a scaffold plan: the only place that writes; it never deletes nor leaves the root.

What it removes again is only what it made in the same run, when the run fails.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from decompose.errors import OutputError, ScaffoldConflict, UnsafePathError
from decompose.scaffold.names import safe_relpath
from decompose.scaffold.plan import PlannedFile, ScaffoldPlan


@dataclass(frozen=True)
class ScaffoldResult:
    """What applying a plan did (or, in a dry run, would do).

    Attributes:
        plan: the plan, each file classified against the disk.
        created: paths of files that did not exist.
        overwritten: paths of differing files replaced because of force.
        unchanged: paths of files that already held the same bytes.
        conflicts: paths of differing files a dry run without force would refuse.
        dry_run: True when nothing was written.
    """

    plan: ScaffoldPlan
    created: tuple[str, ...]
    overwritten: tuple[str, ...]
    unchanged: tuple[str, ...]
    dry_run: bool
    conflicts: tuple[str, ...] = ()

    @property
    def written(self) -> tuple[str, ...]:
        """Paths written (or that a dry run would write)."""
        return tuple(sorted(self.created + self.overwritten))


def reader(root: Path) -> Callable[[str], bytes | None]:
    """A `read` function for `plan_scaffold`: a file's bytes under `root`, None if absent.

    Raises:
        UnsafePathError: for a path that resolves outside `root` (a symlink pointing out)
            or that exists but is not a regular file.
    """

    def read(relpath: str) -> bytes | None:
        destination = destination_of(root, relpath)
        if not destination.exists():
            return None
        if not destination.is_file():
            raise UnsafePathError(f"refusing to write {relpath!r}: it exists and is not a file")
        try:
            return destination.read_bytes()
        except OSError as error:
            raise OutputError(
                f"cannot read {destination}: {error.strerror or error}",
                hint="make the existing files readable, or scaffold elsewhere with -o",
            ) from None

    return read


def destination_of(root: Path, relpath: str) -> Path:
    """The absolute destination of a planned path, checked to resolve inside `root`.

    Raises:
        UnsafePathError: if it does not.
    """
    base = root.resolve()
    destination = (base / safe_relpath(relpath)).resolve()
    if not destination.is_relative_to(base):
        raise UnsafePathError(f"refusing to write {relpath!r}: it resolves outside {str(root)!r}")
    return destination


def apply_plan(plan: ScaffoldPlan, force: bool = False, dry_run: bool = False) -> ScaffoldResult:
    """Write a plan's files under its root, classifying them against the disk first.

    Args:
        plan: from `plan_scaffold`.
        force: overwrite files that differ from the plan.
        dry_run: classify only; write nothing (conflicts are reported, not raised).

    Raises:
        ScaffoldConflict: if files differ, `force` is not set and this is no dry run;
            nothing is written then.
        UnsafePathError: if a path would leave the root; nothing is written then.
        OutputError: if a file cannot be written (a full disk, a read-only directory);
            what this run made is removed again and no existing file has changed.
    """
    plan = plan.classified(reader(plan.root))
    conflicts = [f.relpath for f in plan.with_action("conflict")]
    if conflicts and not force and not dry_run:
        raise ScaffoldConflict(conflicts)
    result = ScaffoldResult(
        plan=plan,
        created=tuple(f.relpath for f in plan.with_action("create")),
        overwritten=tuple(conflicts) if force else (),
        unchanged=tuple(f.relpath for f in plan.with_action("identical")),
        dry_run=dry_run,
        conflicts=() if force else tuple(conflicts),
    )
    if not dry_run:
        # conflicts only get here with force
        _write_all(plan.root, [f for f in plan.files if f.action != "identical"])
    return result


@dataclass
class _Staging:
    """What a run has made so far: directories, and temporary files beside destinations."""

    directories: list[Path] = field(default_factory=list)
    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, destination)
    created: list[Path] = field(default_factory=list)  # destinations that did not exist

    def undo(self) -> None:
        """Remove what was made, newest first; what cannot be removed is left."""
        for path in [t for t, _ in self.staged] + self.created:
            with contextlib.suppress(OSError):
                path.unlink()
        for directory in reversed(self.directories):
            with contextlib.suppress(OSError):
                directory.rmdir()


def _write_all(root: Path, files: Iterable[PlannedFile]) -> None:
    """Write every file, or, if one cannot be written, none.

    Each file is first written to a temporary file beside its destination; only when all
    are on disk are they renamed into place. A full disk or a read-only directory thus
    fails while staging, before any destination changed, and the staging is removed.
    (A rename within one directory needs no space; should one fail all the same, the
    files created so far are removed and those already replaced stay replaced.)
    """
    staging = _Staging()
    destination = root
    try:
        for planned in files:
            destination = destination_of(root, planned.relpath)
            _make_directories(destination.parent, staging.directories)
            staging.staged.append((_stage(destination, planned.data), destination))
        for temporary, destination in staging.staged:
            existed = os.path.lexists(destination)
            os.replace(temporary, destination)
            if not existed:
                staging.created.append(destination)
        staging.staged.clear()
    except OSError as error:
        staging.undo()
        raise OutputError(f"cannot write {destination}: {error.strerror or error}") from None
    except BaseException:
        staging.undo()
        raise


def _make_directories(directory: Path, made: list[Path]) -> None:
    """Create `directory` and its missing parents, adding each made to `made` at once.

    Raises:
        OutputError: one cannot be created (a file in the way, a read-only parent).
    """
    missing = []
    while not directory.is_dir():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as error:  # named here: the files under it would hide the cause
            raise OutputError(f"cannot create {path}: {error.strerror or error}") from None
        made.append(path)


def _stage(destination: Path, data: bytes) -> Path:
    """A temporary file beside `destination` holding `data`."""
    handle, name = tempfile.mkstemp(dir=destination.parent, prefix=".decompose-")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary
