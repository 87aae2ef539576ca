"""Real projects for the benchmarks: pinned PyPI sdists, downloaded once into a data folder.

The folder is the caller's (`--data DIR`): corpora live outside the repository.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """A pinned sdist, where its packages live once unpacked, and its top-level packages."""

    name: str
    requirement: str
    unpacked: str  # directory the sdist unpacks to
    source: str  # sub-directory (of `unpacked`) that holds the top-level packages
    packages: tuple[str, ...]
    pip_options: tuple[str, ...] = field(default=())


PROJECTS: dict[str, Project] = {
    p.name: p
    for p in (
        Project(
            "homeassistant",
            "homeassistant==2024.3.3",
            "homeassistant-2024.3.3",
            ".",
            ("homeassistant",),
        ),
        Project(
            "pretix",
            "pretix==2026.8.0",
            "pretix-2026.8.0",
            "src",
            ("pretix",),
            # Its build backend pins importlib_metadata 9.* while setuptools pulls in 10.x.
            pip_options=("--build-constraint", "{constraints}"),
        ),
        Project("ckan", "ckan==2.12.0", "ckan-2.12.0", ".", ("ckan", "ckanext")),
        Project(
            "superset",
            "apache-superset==6.1.0",
            "apache_superset-6.1.0",
            ".",
            ("superset",),
        ),
    )
}


def fetch(name: str, data: Path) -> Path:
    """Download (once) and unpack the project's sdist; return the directory of its packages."""
    project = PROJECTS[name]
    target = data / "src" / project.unpacked
    if not target.is_dir():
        archive = _download(project, data / "sdist")
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(data / "src", filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(data / "src")
    return (target / project.source).resolve()


def _download(project: Project, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = project.unpacked
    found = sorted(directory.glob(f"{stem}.tar.gz"))
    if found:
        return found[0]
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "build-constraints.txt"
        constraints.write_text("importlib_metadata<10\n")
        options = [o.format(constraints=constraints) for o in project.pip_options]
        distribution = project.requirement.partition("==")[0]
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps",
            "--no-binary", distribution, "-d", str(directory), *options, project.requirement,
        ]  # fmt: skip
        print("$", " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    found = sorted(directory.glob(f"{stem}.tar.gz"))
    if not found:
        raise SystemExit(f"pip saved no {stem}.tar.gz in {directory}")
    return found[0]


def main() -> None:
    """Download and unpack the named projects; print where their packages are."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="folder the sdists are downloaded and unpacked in")
    parser.add_argument("projects", nargs="*", help=f"some of: {', '.join(PROJECTS)} (default all)")
    args = parser.parse_args()
    unknown = sorted(set(args.projects) - set(PROJECTS))
    if unknown:
        parser.error(f"unknown project(s): {', '.join(unknown)}")
    for name in args.projects or PROJECTS:
        print(name, fetch(name, args.data))


if __name__ == "__main__":
    main()
