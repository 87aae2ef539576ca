"""Promise: `analyze` replaces its reports together or not at all, even when it is killed."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

KILL_AT = Path(__file__).with_name("kill_at.py")
Run = Callable[..., "subprocess.CompletedProcess[str]"]
REPORTS = ("decomposition.json", "report.md", "report.html")


def _reports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in REPORTS}


def _analyze(run_decompose: Run, project: Path, out: Path, *more: str) -> None:
    done = run_decompose("analyze", str(project), "-o", str(out), *more)
    assert done.returncode == 0, done.stderr


def _runs_that_wrote(
    found: dict[str, bytes], versions: dict[str, dict[str, bytes]]
) -> dict[str, str]:
    """Which version ("before", "after" or "neither") each report in `found` is from."""
    return {
        name: next((label for label, ours in versions.items() if ours[name] == data), "neither")
        for name, data in found.items()
    }


def _kill_a_run(
    point: str, project: Path, out: Path, run_decompose: Run
) -> dict[str, dict[str, bytes]]:
    """Reports of the project before and after a change, and a run killed at `point` between.

    Returns the reports of both versions, as clean runs write them.
    """
    _analyze(run_decompose, project, out)
    before = _reports(out)
    (project / "shop" / "refunds.py").write_text("from shop import orders, billing\n")
    expected = out.parent / "expected"
    _analyze(run_decompose, project, expected)
    after = _reports(expected)
    assert all(before[name] != after[name] for name in REPORTS)  # each report tells them apart

    command = [sys.executable, str(KILL_AT), point, str(out)]
    killed = subprocess.run(
        [*command, "analyze", str(project), "-o", str(out)], capture_output=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    return {"before": before, "after": after}


@pytest.mark.parametrize("point", ["replaced-1", "replaced-2"])
def test_reports_are_replaced_together_or_not_at_all(
    point: str, small_project: Path, tmp_path: Path, run_decompose: Run
) -> None:
    out = tmp_path / "out"
    versions = _kill_a_run(point, small_project, out, run_decompose)

    _analyze(run_decompose, small_project, out, "--format", "md")
    # The next run wrote report.md only; the other two must still come from one run.
    runs = _runs_that_wrote(_reports(out), versions)
    assert runs["decomposition.json"] == runs["report.html"], f"reports of different runs: {runs}"
    assert runs["report.md"] == "after"
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORTS)


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(
    small_project: Path, tmp_path: Path, run_decompose: Run
) -> None:
    out = tmp_path / "out"
    versions = _kill_a_run("writing", small_project, out, run_decompose)
    assert _reports(out) == versions["before"]  # nothing replaced before the kill

    _analyze(run_decompose, small_project, out, "--format", "md")
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORTS)
    runs = _runs_that_wrote(_reports(out), versions)
    assert runs == {"decomposition.json": "before", "report.md": "after", "report.html": "before"}
