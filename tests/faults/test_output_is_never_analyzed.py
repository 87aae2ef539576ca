"""Promise: what decompose wrote is never analyzed.

A scaffold written into the analyzed project (under the default `decompose-out/`, or
anywhere else) is known by what decompose writes at its top, not by its folder's name,
and is left out of the next analysis, which finds the same modules and services.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "monolith_app"


def _decompose(cwd: Path, *args: str) -> dict:  # type: ignore[type-arg]
    run = subprocess.run(
        [sys.executable, "-m", "decompose", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    report = cwd / "decompose-out" / "decomposition.json"
    return json.loads(report.read_text(encoding="utf-8")) if args[0] == "analyze" else {}


@pytest.mark.parametrize("scaffold_dir", ["decompose-out/services", "services", "deploy/new"])
def test_a_scaffold_inside_the_project_is_never_analyzed(scaffold_dir: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE / "shop", project / "shop")
    before = _decompose(project, "analyze", ".")
    _decompose(project, "scaffold", "decompose-out/decomposition.json", "-o", scaffold_dir)
    assert list((project / scaffold_dir).rglob("*.py"))  # the scaffold holds Python code

    after = _decompose(project, "analyze", ".")
    assert [m["name"] for m in after["modules"]] == [m["name"] for m in before["modules"]]
    assert after["services"] == before["services"]
    skipped = {s["path"]: s["reason"] for s in after["skipped_files"]}
    assert "written by decompose" in skipped.get(scaffold_dir, ""), skipped


def test_a_scaffold_is_analyzed_when_asked_for(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE / "shop", project / "shop")
    _decompose(project, "analyze", ".")
    _decompose(project, "scaffold", "decompose-out/decomposition.json", "-o", "services")
    services = _decompose(project, "analyze", "services")
    assert services["modules"]
