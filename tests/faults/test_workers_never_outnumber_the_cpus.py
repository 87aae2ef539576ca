"""Promise: decompose never starts more worker processes than there are CPUs to run them.

`jobs` from the analyzed project's pyproject.toml (which whoever wrote the project
controls) or from the command line is capped at the CPUs available, with a warning.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

MODULES = 120  # enough for the extraction to run in parallel


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _descendants(pid: int) -> int:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = 0, {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        found += len(children)
        frontier = children
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes in /proc")
@pytest.mark.parametrize("where", ["pyproject.toml", "command line"])
def test_jobs_beyond_the_cpus_are_capped_with_a_warning(tmp_path: Path, where: str) -> None:
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text("")
    for index in range(MODULES):
        body = "".join(f"def f{n}(x):\n    return x + {n}\n\n" for n in range(40))
        (project / "app" / f"m{index}.py").write_text(f"from app import m{index // 2}\n{body}")
    args = ["graph", str(project), "--no-cache", "-o", str(tmp_path / "graph.json")]
    if where == "pyproject.toml":
        (project / "pyproject.toml").write_text("[tool.decompose]\njobs = 64\n")
    else:
        args += ["-j", "64"]

    process = subprocess.Popen(
        [sys.executable, "-m", "decompose", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    most = 0
    while process.poll() is None:
        most = max(most, _descendants(process.pid))
        time.sleep(0.005)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 0, stderr
    assert most <= _cpus(), f"{most} worker processes on {_cpus()} CPUs"
    warnings = [line for line in stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "jobs 64" in warnings[0] and str(_cpus()) in warnings[0]
