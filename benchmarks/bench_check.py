"""Speed of `decompose check` on a warm cache against grimp's cold build of the import graph.

usage: python benchmarks/bench_check.py ROOT --package PACKAGE [--data DIR] [--repeat N]

ROOT holds the top-level PACKAGE (saleor: the checkout of saleor/saleor, package saleor).
The boundaries checked are those `decompose analyze` proposes for the project; the facts
cache lives in DIR (default: a temporary folder). Each run is a new process: the whole
command a CI job runs (`decompose check ROOT --boundaries FILE`), warm, against
`grimp.build_graph(PACKAGE, cache_dir=None)`. The fastest of N runs counts (other load
only slows a run). The target (issue 15): check at most twice grimp.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall seconds of one run of `command` (which must succeed or find violations)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def main() -> None:
    """Prepare the boundaries and the warm cache, then time check and grimp side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--package", required=True)
    parser.add_argument("--data", type=Path, help="folder for the cache and the boundaries")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.root.resolve()
    data = Path(args.data or tempfile.mkdtemp(prefix="bench-check-")).resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DECOMPOSE_CACHE_DIR": str(data / "cache")}
    decompose = [sys.executable, "-m", "decompose"]
    out = data / "out"
    boundaries = data / "boundaries.toml"
    print(f"preparing: analyze {root} (fills the cache) and write its boundaries", flush=True)
    analyze = [*decompose, "analyze", str(root), "-o", str(out), "--format", "json", "--force"]
    subprocess.run(analyze, env=env, check=True, capture_output=True)
    write = [*decompose, "boundaries", str(out / "decomposition.json"), "-o", str(boundaries)]
    subprocess.run([*write, "--force"], env=env, check=True, capture_output=True)
    check = [*decompose, "check", str(root), "--boundaries", str(boundaries), "--format", "json"]
    grimp = [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(root)!r}); import grimp; "
        f"grimp.build_graph({args.package!r}, cache_dir=None)",
    ]
    checks, grimps = [], []
    for attempt in range(args.repeat):
        checks.append(timed(check, env, data))
        grimps.append(timed(grimp, env, data))
        print(
            f"  #{attempt + 1}: check (warm) {checks[-1]:.2f} s, grimp (cold) {grimps[-1]:.2f} s",
            flush=True,
        )
    ratio = min(checks) / min(grimps)
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(
        f"{root.name}: check {min(checks):.2f} s, grimp {min(grimps):.2f} s, ratio {ratio:.2f} "
        f"(target <= {TARGET}: {verdict}); {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
