"""Applying a scaffold plan: the only place that writes; it never deletes nor leaves the root."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from decompose.errors import ScaffoldConflict, UnsafePathError
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
        return destination.read_bytes()

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
        for planned in plan.files:
            if planned.action != "identical":  # conflicts only get here with force
                _write(plan.root, planned)
    return result


def _write(root: Path, planned: PlannedFile) -> None:
    destination = destination_of(root, planned.relpath)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the destination, then rename: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".decompose-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(planned.data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
