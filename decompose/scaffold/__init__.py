"""Scaffold: render a runnable service folder per candidate service, plan first, then apply."""

from __future__ import annotations

from pathlib import Path

from decompose.model import Decomposition
from decompose.scaffold.apply import ScaffoldResult, apply_plan
from decompose.scaffold.plan import PlannedFile, ScaffoldPlan, plan_scaffold


def scaffold(
    decomposition: Decomposition, out_dir: Path, *, force: bool = False, dry_run: bool = False
) -> ScaffoldResult:
    """Write the services of a decomposition under `out_dir`.

    Args:
        decomposition: the report (`decomposition.json`, validated).
        out_dir: the output root; created if missing. Nothing is written outside it.
        force: overwrite existing files whose content differs.
        dry_run: plan and classify only; write nothing.

    Returns:
        What was (or would be) created, overwritten and left unchanged.

    Raises:
        ScaffoldConflict: existing files differ and `force` is not set.
        UnsafePathError: a destination would resolve outside `out_dir`.
    """
    return apply_plan(plan_scaffold(decomposition, out_dir), force=force, dry_run=dry_run)


__all__ = [
    "PlannedFile",
    "ScaffoldPlan",
    "ScaffoldResult",
    "apply_plan",
    "plan_scaffold",
    "scaffold",
]
