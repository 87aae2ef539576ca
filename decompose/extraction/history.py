"""Co-change coupling from git history: modules changed together in recent commits.

Logical coupling (Gall et al. 1998; Zimmermann et al. 2004) finds dependencies no
import shows: a view and the template-driven code it pairs with, a model and the task
that migrates it. Counted over the last N commits, ignoring bulk commits.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path

# Commits touching more modules than this are renames, reformatting or vendoring.
MAX_COMMIT_MODULES = 30
# Pairs changed together fewer times than this are coincidence.
MIN_SUPPORT = 2


def git_commits(root: Path, limit: int) -> tuple[list[list[str]], str] | None:
    """The files changed by each of the last `limit` non-merge commits touching `root`.

    Returns:
        The commits' file paths (relative to the repository top) and the path of `root`
        relative to the top, or None if `root` is not in a git work tree or git is absent.
    """
    git = shutil.which("git")
    if git is None:
        return None
    try:
        top = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        log = subprocess.run(
            [
                git,
                "-C",
                str(root),
                "log",
                "--no-merges",
                "--no-renames",
                f"-n{limit}",
                "--name-only",
                "--format=%x00",
                "--",
                ".",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    commits = [[line for line in chunk.splitlines() if line.strip()] for chunk in log.split("\0")]
    return [c for c in commits if c], "" if prefix == "." else prefix


def cochange(
    commits: Iterable[list[str]], prefix: str, modules_by_path: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    """Co-change strength of module pairs: shared commits / commits of the rarer one.

    Args:
        commits: Each commit's changed paths, relative to the repository top.
        prefix: The analyzed root relative to the repository top ('' if the same).
        modules_by_path: Module name by path relative to the analyzed root.
    """
    strip = prefix + "/" if prefix else ""
    together: Counter[tuple[str, str]] = Counter()
    alone: Counter[str] = Counter()
    for paths in commits:
        changed = sorted(
            {
                modules_by_path[p[len(strip) :]]
                for p in paths
                if p.startswith(strip) and p[len(strip) :] in modules_by_path
            }
        )
        if not changed or len(changed) > MAX_COMMIT_MODULES:
            continue
        alone.update(changed)
        together.update(combinations(changed, 2))
    return {
        pair: round(count / min(alone[pair[0]], alone[pair[1]]), 4)
        for pair, count in sorted(together.items())
        if count >= MIN_SUPPORT
    }
