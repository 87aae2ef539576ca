"""Promise: the cache is an optimisation; no state of it stops a run or changes its answer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., "subprocess.CompletedProcess[str]"]

ROOT_WRITES_ANYWAY = "running as root, a read-only directory is writable"


def _environment(**variables: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DECOMPOSE_CACHE_DIR", "XDG_CACHE_HOME")
    }
    env.update(variables)
    return env


def _read_only(directory: Path) -> Path:
    directory.mkdir()
    directory.chmod(0o555)
    return directory


def _unusable(location: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a run whose cache location is unusable in the way named."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory\n")
    if location == "a file":
        return _environment(DECOMPOSE_CACHE_DIR=str(blocker))
    if location == "below a file":
        return _environment(DECOMPOSE_CACHE_DIR=str(blocker / "cache"))
    if location == "read-only parent":
        return _environment(DECOMPOSE_CACHE_DIR=str(_read_only(tmp_path / "parent") / "cache"))
    assert location == "read-only HOME"
    return _environment(HOME=str(_read_only(tmp_path / "home")))


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize("command", ["analyze", "graph"])
@pytest.mark.parametrize(
    "location",
    [
        "a file",
        "below a file",
        pytest.param(
            "read-only parent",
            marks=pytest.mark.skipif(os.geteuid() == 0, reason=ROOT_WRITES_ANYWAY),
        ),
        pytest.param(
            "read-only HOME",
            marks=pytest.mark.skipif(os.geteuid() == 0, reason=ROOT_WRITES_ANYWAY),
        ),
    ],
)
def test_an_unusable_cache_location_costs_one_warning_not_the_run(
    command: str, location: str, small_project: Path, tmp_path: Path, run_decompose: Run
) -> None:
    env = _unusable(location, tmp_path)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = ["-o", str(tmp_path / "out")] if command == "analyze" else []
    try:
        done = run_decompose(command, str(small_project), *out, env=env, cwd=cwd)
    finally:
        for directory in (tmp_path / "parent", tmp_path / "home"):
            if directory.exists():
                directory.chmod(0o755)
    assert done.returncode == 0, done.stderr
    warnings = _warnings(done.stderr)
    assert len(warnings) == 1, done.stderr
    assert "cache" in warnings[0]
    assert list(cwd.iterdir()) == []


def test_an_empty_cache_dir_variable_counts_as_unset(
    small_project: Path, tmp_path: Path, run_decompose: Run
) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = _environment(DECOMPOSE_CACHE_DIR="", HOME=str(home))
    done = run_decompose("graph", str(small_project), env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert list(cwd.iterdir()) == []  # not the current directory
    assert list((home / ".cache" / "decompose").glob("*.sqlite"))  # the default instead


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"\x5a\xa5" * 4096)


def _malformed(path: Path) -> None:
    """Keep the header and the schema; overwrite the pages that hold the entries."""
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    data = path.read_bytes()
    path.write_bytes(data[:page_size] + b"\xff" * (len(data) - page_size))


def _bad_entry(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE facts SET json = '{\"module\": ' WHERE rowid = 1")
    db.close()


@pytest.mark.parametrize(
    "damage", [_not_a_database, _malformed, _bad_entry], ids=lambda f: f.__name__.strip("_")
)
def test_a_damaged_cache_is_rebuilt_and_said_so(
    damage: Callable[[Path], None], small_project: Path, tmp_path: Path, run_decompose: Run
) -> None:
    env = _environment(DECOMPOSE_CACHE_DIR=str(tmp_path / "cache"))
    assert run_decompose("graph", str(small_project), env=env).returncode == 0
    [database] = (tmp_path / "cache").glob("*.sqlite")
    damage(database)

    done = run_decompose("analyze", str(small_project), "-o", str(tmp_path / "out"), env=env)
    assert done.returncode == 0, done.stderr
    warnings = _warnings(done.stderr)
    assert len(warnings) == 1 and "rebuilt" in warnings[0], done.stderr
    with sqlite3.connect(database) as db:
        entries = db.execute("SELECT json FROM facts ORDER BY key").fetchall()
    db.close()
    assert len(entries) == 4 and all(text.endswith("}") for (text,) in entries)

    clean = run_decompose(
        "analyze", str(small_project), "-o", str(tmp_path / "clean"), "--no-cache"
    )
    assert clean.returncode == 0, clean.stderr
    answer = (tmp_path / "out" / "decomposition.json").read_bytes()
    assert answer == (tmp_path / "clean" / "decomposition.json").read_bytes()
