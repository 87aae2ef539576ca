"""Fault injection: decompose runs as a real process, with real signals and real file systems."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def run_decompose() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run decompose to completion; returns the finished process with its output as text."""

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "decompose", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Three modules in a package: a run takes about a second."""
    root = tmp_path / "project"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    for name, imports in (("orders", "billing"), ("billing", "users"), ("users", "orders")):
        (root / "shop" / f"{name}.py").write_text(
            f"from shop import {imports}\n\n\ndef {name}_view(request):\n"
            f"    return {imports}.__name__\n"
        )
    return root


@pytest.fixture
def heavy_project(tmp_path: Path) -> Path:
    """48 modules of 250 functions: extraction runs in worker processes for seconds."""
    root = tmp_path / "heavy-project"
    files, functions = 48, 250
    package = root / "heavy"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    body = "".join(
        f"def f{i}(a, b={i}):\n    return [x * b for x in range(a) if x % 3 == {i % 3}]\n\n\n"
        for i in range(functions)
    )
    for index in range(files):
        imported = f"m{(index + 1) % files}"
        (package / f"m{index}.py").write_text(f"from heavy import {imported}\n\n\n{body}")
    return root
