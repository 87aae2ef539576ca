"""Promise: one file never costs more than itself.

A file the parser cannot afford (nested too deeply, chains too long, more time or memory
than the budget per file, a crash of the native parser) is skipped with its reason; every
other file is analyzed, and the run ends as usual.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Below the runner's threshold for worker processes (24 files to parse) and above it.
FEW, MANY = 4, 30


def _project(root: Path, healthy: int, bad: dict[str, str]) -> Path:
    """A package of `healthy` modules importing one another in a ring, plus the bad files."""
    package = root / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""The shop."""\n')
    for index in range(healthy):
        following = f"m{(index + 1) % healthy}"
        (package / f"m{index}.py").write_text(
            f"from shop import {following}\n\n\ndef view_{index}(request):\n"
            f"    return {following}.__name__\n"
        )
    for name, source in bad.items():
        (package / name).write_text(source)
    return root


def _analyze(project: Path, out: Path, timeout: float = 120) -> tuple[int, str, dict]:  # type: ignore[type-arg]
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "decompose", "analyze", str(project), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, (run.returncode, run.stderr)
    report = json.loads((out / "decomposition.json").read_text(encoding="utf-8"))
    report["elapsed"] = time.monotonic() - started
    return run.returncode, run.stderr, report


def _check(report: dict, healthy: int, bad: dict[str, str], reason: str) -> None:  # type: ignore[type-arg]
    skipped = {s["path"]: s["reason"] for s in report["skipped_files"]}
    for name in bad:
        assert reason in skipped.get(f"shop/{name}", ""), skipped
    modules = {m["name"] for m in report["modules"]}
    assert modules == {"shop", *(f"shop.m{i}" for i in range(healthy))}
    edges = {(d["source"], d["target"]) for d in report["dependencies"]}
    assert ("shop.m0", "shop.m1") in edges


def _deep(depth: int) -> str:
    return "x = " + "(" * depth + "1" + ")" * depth + "\n"


@pytest.mark.parametrize("bad_files", [FEW, MANY], ids=["in-process", "workers"])
def test_deeply_nested_files_are_skipped_and_the_rest_analyzed(
    bad_files: int, tmp_path: Path
) -> None:
    # 1,500 nested parentheses overflow the native parser's stack: it used to take the
    # whole run down (a segfault; with 24 files or more, BrokenProcessPool and exit 3).
    bad = {f"deep{i}.py": _deep(1500) for i in range(bad_files)}
    _, _, report = _analyze(_project(tmp_path / "p", 6, bad), tmp_path / "out")
    _check(report, 6, bad, "too deeply nested")


def test_a_long_chain_is_skipped_at_once(tmp_path: Path) -> None:
    # A 20,000-term sum on one line: parsing it takes minutes (quadratic in the chain).
    bad = {"chain.py": "x = " + "+".join(["1"] * 20_000) + "\n"}
    _, _, report = _analyze(_project(tmp_path / "p", 6, bad), tmp_path / "out", timeout=60)
    _check(report, 6, bad, "too deeply nested")
    assert report["elapsed"] < 30


@pytest.mark.parametrize("healthy", [FEW, MANY], ids=["in-process", "workers"])
def test_a_parser_crash_costs_only_its_file(healthy: int, tmp_path: Path) -> None:
    # Closing brackets in strings hide the nesting from any cheap check; the native
    # parser still overflows its stack on the 1,500 open brackets that follow.
    hidden = "".join(f'_{i} = "{"]" * 40}"\n' for i in range(60))
    nest = "x = (\n" + "[\n" * 1500 + "1" + "]\n" * 1500 + ")\n"
    bad = {"hidden.py": hidden + nest}
    _, _, report = _analyze(_project(tmp_path / "p", healthy, bad), tmp_path / "out")
    _check(report, healthy, bad, "crashed")


def test_a_file_over_its_time_budget_is_skipped(tmp_path: Path) -> None:
    # A 20,000-term sum over 20,000 lines escapes the cheap checks; its parse would take
    # minutes, and its budget of CPU time (5 s, and 20 s per MB) stops it.
    bad = {"slow.py": "x = (\n" + " +\n".join(["1"] * 20_000) + "\n)\n"}
    _, _, report = _analyze(_project(tmp_path / "p", 6, bad), tmp_path / "out", timeout=90)
    _check(report, 6, bad, "too costly")


def test_a_file_over_its_memory_budget_is_skipped(tmp_path: Path) -> None:
    # 3,000 chained conditional expressions over as many lines: the parser would hold
    # 1.6 GB for this 33 kB file; its budget (512 MiB, and 1,500 bytes per byte) stops it.
    bad = {"greedy.py": "x = (\n" + "a if b else\n" * 3000 + "c\n)\n"}
    _, _, report = _analyze(_project(tmp_path / "p", 6, bad), tmp_path / "out")
    _check(report, 6, bad, "too costly")
