"""Co-change coupling from git history."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from decompose.extraction.history import MAX_COMMIT_MODULES, cochange, git_commits

MODULES = {"app/a.py": "app.a", "app/b.py": "app.b", "app/c.py": "app.c"}


def test_strength_is_shared_commits_over_the_rarer_module() -> None:
    commits = [["src/app/a.py", "src/app/b.py"]] * 2 + [
        ["src/app/a.py"],
        ["src/app/c.py", "README"],
    ]
    assert cochange(commits, "src", MODULES) == {("app.a", "app.b"): 1.0}


def test_single_coincidences_and_bulk_commits_are_ignored() -> None:
    bulk = [f"app/m{i}.py" for i in range(MAX_COMMIT_MODULES + 1)]
    modules = {**MODULES, **{p: p[:-3].replace("/", ".") for p in bulk}}
    commits = [["app/a.py", "app/c.py"], [*bulk, "app/a.py", "app/b.py"], bulk]
    assert cochange(commits, "", modules) == {}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_reads_a_real_repository(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "app").mkdir()
    for round_ in range(2):
        for name in ("a", "b"):
            (tmp_path / "app" / f"{name}.py").write_text(f"x = {round_}\n")
        git("add", "-A")
        git("commit", "-qm", f"change {round_}")
    found = git_commits(tmp_path / "app", 10)
    assert found is not None
    commits, prefix = found
    assert prefix == "app" and len(commits) == 2
    assert cochange(commits, prefix, {"a.py": "a", "b.py": "b"}) == {("a", "b"): 1.0}


def test_not_a_repository(tmp_path: Path) -> None:
    assert git_commits(tmp_path, 10) is None
