"""Fault injection: decompose runs as a real process, with real signals and real file systems."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

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


Cli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def decompose(tmp_path: Path) -> Cli:
    """Run `python -m decompose ARGS` in tmp_path; stdout may be a file opened by the test."""

    def run(
        *args: str | Path, stdout: IO[str] | int | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "decompose", *map(str, args)],
            cwd=tmp_path,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def _assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert lines and lines[0].startswith("error: "), result.stderr
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("hint: ")), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], result.stderr
    return lines[0]


@pytest.fixture
def user_error() -> Callable[..., str]:
    """Asserts exit 2 with one `error:` line holding the fragments (and at most a `hint:`
    line), and no traceback; returns the line."""
    return _assert_user_error


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(target: Path, options: str) -> None:
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    target.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real filesystem of a given size in bytes (a tmpfs; needs root, skipped otherwise)."""
    mounted: list[Path] = []

    def make(size: int) -> Path:
        target = tmp_path / f"disk{len(mounted)}"
        _mount(target, f"size={size},mode=0755")
        mounted.append(target)
        return target

    yield make
    for target in mounted:
        _unmount(target)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory nobody may write into.

    For an ordinary user that is a directory without write permission; root writes into
    those regardless, so for root it is a read-only tmpfs (skipped where none can be mounted).
    """
    target = tmp_path / "read-only"
    if is_root():
        _mount(target, "ro,size=65536")
        yield target
        _unmount(target)
    else:
        target.mkdir()
        target.chmod(0o555)
        yield target
        target.chmod(0o755)


def _tree_of(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def tree_of() -> Callable[[Path], dict[str, bytes | None]]:
    """Every entry under a root (hidden ones too): files with their bytes, directories None."""
    return _tree_of
