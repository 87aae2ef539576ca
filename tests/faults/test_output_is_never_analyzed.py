"""Promise: what decompose wrote is never analyzed.

A scaffold written into the analyzed project (under the default `decompose-out/`, or
anywhere else) is known by what decompose writes at its top, not by its folder's name,
and is left out of the next analysis, which finds the same modules and services.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


@pytest.fixture
def decompose_in(
    run_decompose: Callable[..., subprocess.CompletedProcess[str]],
) -> Callable[..., dict]:  # type: ignore[type-arg]
    """Run decompose in a directory; for analyze, the decomposition.json it wrote."""

    def run(cwd: Path, *args: str) -> dict:  # type: ignore[type-arg]
        done = run_decompose(*args, cwd=cwd)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        report = cwd / "decompose-out" / "decomposition.json"
        return json.loads(report.read_text(encoding="utf-8")) if args[0] == "analyze" else {}

    return run


@pytest.mark.parametrize("scaffold_dir", ["decompose-out/services", "services", "deploy/new"])
def test_a_scaffold_inside_the_project_is_never_analyzed(
    scaffold_dir: str,
    tmp_path: Path,
    decompose_in: Callable[..., dict],  # type: ignore[type-arg]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE / "shop", project / "shop")
    before = decompose_in(project, "analyze", ".")
    decompose_in(project, "scaffold", "decompose-out/decomposition.json", "-o", scaffold_dir)
    assert list((project / scaffold_dir).rglob("*.py"))  # the scaffold holds Python code

    after = decompose_in(project, "analyze", ".")
    assert [m["name"] for m in after["modules"]] == [m["name"] for m in before["modules"]]
    assert after["services"] == before["services"]
    skipped = {s["path"]: s["reason"] for s in after["skipped_files"]}
    assert "written by decompose" in skipped.get(scaffold_dir, ""), skipped


def test_a_scaffold_is_analyzed_when_asked_for(
    tmp_path: Path,
    decompose_in: Callable[..., dict],  # type: ignore[type-arg]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE / "shop", project / "shop")
    decompose_in(project, "analyze", ".")
    decompose_in(project, "scaffold", "decompose-out/decomposition.json", "-o", "services")
    services = decompose_in(project, "analyze", "services")
    assert services["modules"]
