"""The whole job: `decompose analyze` with all three reports, each run a new process.

Measured against references taken in the same run, each also a new process:

* warm (nothing changed since the last run): against grimp building the same packages'
  import graph from scratch (target: at most WARM_OVER_GRIMP times);
* cold (empty cache), with 1, 2 and all available workers: against libcst's stock
  `parse_module` of the same files with as many processes (target: at most
  COLD_OVER_PARSE times), with the serial share of the single-worker run (the time
  outside the parallel extraction) and what Amdahl's law makes of it on 16 cores;
* every phase of the warm run (`decompose analyze --timings`), so that a regression
  shows where it happens;
* size: warm and cold milliseconds per module of synthetic trees, nested packages and
  loose modules, from 5,000 to 20,000 modules, and peak memory per million lines;
  a single 2 MB module.

Usage (from the repository root, with the project's virtualenv, on an idle machine):

    python benchmarks/bench_whole.py CORPORA_DIR [--repeat 3] [--output FILE]

CORPORA_DIR holds `saleor/` (the public benchmark's `checkout.sh`) and receives the
Home Assistant sdist (`sdists.py`) and the synthetic trees on first use.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

WARM_OVER_GRIMP = 2.0
COLD_OVER_PARSE = 1.0
SERIAL_SHARE = 0.06
FLAT_PER_MODULE = 1.5  # the largest tree's time per module over the smallest's, at most
MIB_PER_MILLION_LINES = 500
BIG_MODULE_MIB = 200
PHASES = (
    "discover",
    "extract",
    "graph",
    "cluster",
    "findings",
    "measure",
    "assemble",
    "report json",
    "report md",
    "report html",
    "graph layout",  # from 100 services on: started when the services are known, beside
    "replace",
)


@dataclass
class Run:
    """One measured process: wall seconds, peak memory of its largest process, phases."""

    seconds: float
    peak_mib: float
    phases: dict[str, float] = field(default_factory=dict)
    beside: float = 0.0  # seconds of the phases that ran beside others, in another process


def run(command: list[str], cwd: Path | None = None) -> Run:
    """Run a command to its end; its wall time, peak RSS and `--timings` phases if any."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_ENV
    )
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    # The largest RSS of the process and of the children it waited for.
    peak = _peak_mib_of_children()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}{stdout[-500:]}")
    phases, beside = {}, 0.0
    for line in stderr.splitlines():
        found = _PHASE_LINE.fullmatch(line)
        if found and found["name"] in PHASES:
            phases[found["name"]] = float(found["seconds"])
            beside += float(found["beside"] or 0.0)
    return Run(seconds, peak, phases, beside)


# `report html    2.171 s  (0.737 s beside)`: a phase, and how much of it ran beside others.
_PHASE_LINE = re.compile(
    r"(?P<name>\S+(?: \S+)*) {2,}(?P<seconds>[0-9.]+) s(?:  \((?P<beside>[0-9.]+) s beside\))?"
)


# Code runs as installed: installing a wheel compiles its modules, so a shell that forbids
# writing bytecode (PYTHONDONTWRITEBYTECODE) would have every measured run compile
# decompose from source (0.15 s of a warm run) while grimp's core is already compiled.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _peak_mib_of_children() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def isolated(command: list[str]) -> Run:
    """`run` in a fresh launcher, so that the peak memory is this command's alone."""
    launcher = [sys.executable, __file__, "--measure", json.dumps(command)]
    done = subprocess.run(launcher, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(data["seconds"], data["peak_mib"], data["phases"], data["beside"])


def best(runs: list[Run]) -> Run:
    """The fastest run (other load only ever slows a run down)."""
    return min(runs, key=lambda r: r.seconds)


def analyze_command(root: Path, out: Path, cache: Path, jobs: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "decompose", "analyze", str(root), "-o", str(out)]
    command += ["--cache-dir", str(cache), "--format", "json,md,html", "--timings", "--force"]
    return command + (["-j", str(jobs)] if jobs else [])


def grimp_command(root: Path, packages: tuple[str, ...]) -> list[str]:
    code = (
        "import sys, grimp; sys.path.insert(0, sys.argv[1]); "
        "grimp.build_graph(*sys.argv[2:], cache_dir=None)"
    )
    return [sys.executable, "-c", code, str(root), *packages]


def parse_command(root: Path, jobs: int) -> list[str]:
    """libcst's stock parse of the files decompose analyzes, in `jobs` processes."""
    return [
        sys.executable,
        str(HERE / "bench_analyze.py"),
        "--phase",
        "parse",
        "--root",
        str(root),
        "--jobs",
        str(jobs),
    ]


@dataclass
class Project:
    label: str
    root: Path
    packages: tuple[str, ...]
    modules: int = 0
    lines: int = 0
    warm: Run | None = None
    grimp: Run | None = None
    cold: dict[int, Run] = field(default_factory=dict)
    parse: dict[int, Run] = field(default_factory=dict)


def measure_project(project: Project, work: Path, repeat: int, cores: list[int]) -> None:
    """Warm against grimp; cold with each number of workers against the stock parse."""
    out, cache = work / f"{project.label}-out", work / f"{project.label}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    first = isolated(analyze_command(project.root, out, cache))  # fills the cache
    data = json.loads((out / "decomposition.json").read_text(encoding="utf-8"))
    project.modules = len(data["modules"])
    project.lines = sum(m["loc"] for m in data["modules"])
    _say(f"{project.label}: first run {first.seconds:.1f} s, {project.modules} modules")
    warm, grimp = [], []
    for _ in range(repeat):
        warm.append(isolated(analyze_command(project.root, out, cache)))
        grimp.append(isolated(grimp_command(project.root, project.packages)))
        _say(f"  warm {warm[-1].seconds:.2f} s, grimp {grimp[-1].seconds:.2f} s")
    project.warm, project.grimp = best(warm), best(grimp)
    for jobs in cores:
        colds, parses = [], []
        for _ in range(repeat if jobs > 1 else 1):
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(isolated(analyze_command(project.root, out, cache, jobs)))
            parses.append(isolated(parse_command(project.root, jobs)))
            _say(f"  -j {jobs}: cold {colds[-1].seconds:.1f} s, parse {parses[-1].seconds:.1f} s")
        project.cold[jobs], project.parse[jobs] = best(colds), best(parses)


@dataclass
class Size:
    label: str
    modules: int
    lines: int
    cold: Run
    warm: Run


def measure_sizes(data: Path, work: Path, sizes: list[int], jobs: int) -> list[Size]:
    """Cold and warm runs of synthetic trees, nested and flat, of each size."""
    from synthetic import TOP, generate, generate_flat

    found = []
    for flat in (False, True):
        for modules in sizes:
            label = f"{'flat' if flat else 'nested'}-{modules}"
            root = data / f"synthetic-{label}"
            if not root.exists():
                _say(f"generating {label} in {root}")
                (generate_flat if flat else generate)(root, modules, seed=0)
            tree = root if flat else root / TOP
            out, cache = work / f"{label}-out", work / f"{label}-cache"
            shutil.rmtree(cache, ignore_errors=True)
            cold = isolated(analyze_command(tree, out, cache, jobs))
            warm = isolated(analyze_command(tree, out, cache, jobs))
            lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))
            found.append(Size(label, modules, lines, cold, warm))
            _say(f"{label}: cold {cold.seconds:.1f} s, warm {warm.seconds:.1f} s")
    return found


def measure_big_module(work: Path) -> tuple[int, Run]:
    """One module just under the default 2 MB limit (classes, functions): time, peak memory."""
    root = work / "big-module"
    shutil.rmtree(root, ignore_errors=True)
    (root / "big").mkdir(parents=True)
    (root / "big" / "__init__.py").write_text("", encoding="utf-8")
    parts = ["import os", "from typing import Any", ""]
    index = 0
    while sum(len(p) + 1 for p in parts) < 1_950_000:
        parts += [
            f"class Thing{index}:",
            f'    """Thing number {index}."""',
            f"    def run(self, value: int = {index}) -> dict[str, Any]:",
            f"        return {{'id': {index}, 'path': os.path.join('a', str(value))}}",
            "",
            f"def make_{index}(count: int) -> list[Thing{index}]:",
            f"    return [Thing{index}() for _ in range(count)]",
            "",
        ]
        index += 1
    text = "\n".join(parts) + "\n"
    (root / "big" / "huge.py").write_text(text, encoding="utf-8")
    command = analyze_command(root / "big", work / "big-out", work / "big-cache")
    return len(text.encode()), isolated(command)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(
    projects: list[Project], sizes: list[Size], big: tuple[int, Run] | None, cores: list[int]
) -> list[str]:
    """The figures as Markdown tables, with each target's verdict."""
    lines = ["## Warm `decompose analyze` (json, md, html) against grimp's cold build", ""]
    lines += ["| project | modules | lines | warm s | grimp s | ratio | target | peak MiB |"]
    lines += ["|:--|--:|--:|--:|--:|--:|--:|--:|"]
    for p in projects:
        assert p.warm and p.grimp
        ratio = p.warm.seconds / p.grimp.seconds
        lines.append(
            f"| {p.label} | {p.modules:,} | {p.lines:,} | {p.warm.seconds:.2f} | "
            f"{p.grimp.seconds:.2f} | {ratio:.2f} | ≤ {WARM_OVER_GRIMP} "
            f"{_verdict(ratio <= WARM_OVER_GRIMP)} | {p.warm.peak_mib:.0f} |"
        )
    lines += ["", "## Phases of the warm run (seconds)", ""]
    header = "| phase | " + " | ".join(p.label for p in projects) + " |"
    lines += [header, "|:--|" + "--:|" * len(projects)]
    for phase in PHASES:
        cells = [f"{p.warm.phases.get(phase, 0.0):.3f}" for p in projects if p.warm]
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    outside = [
        p.warm.seconds - sum(p.warm.phases.values()) + p.warm.beside for p in projects if p.warm
    ]
    lines.append("| start, imports, summary, exit | " + " | ".join(f"{s:.3f}" for s in outside))
    lines[-1] += " |"
    overlap = [f"{p.label} {p.warm.beside:.3f} s" for p in projects if p.warm and p.warm.beside]
    if overlap:
        lines += [
            "",
            "A phase's seconds are its whole cost. Where work runs beside the rest in a forked "
            "copy (report.html while json and md are written; from 100 services on, the "
            "graph's layout from when the services are measured), the run waited less than "
            f"the sum; seconds beside the rest: {', '.join(overlap)}.",
        ]
    lines += ["", "## Cold, by workers, against libcst's stock parse with as many processes", ""]
    lines += ["| project | workers | cold s | parse s | ratio | target | speed-up | peak MiB |"]
    lines += ["|:--|--:|--:|--:|--:|--:|--:|--:|"]
    for p in projects:
        for jobs in cores:
            cold, parse = p.cold[jobs], p.parse[jobs]
            ratio = cold.seconds / parse.seconds
            speedup = p.cold[cores[0]].seconds / cold.seconds
            lines.append(
                f"| {p.label} | {jobs} | {cold.seconds:.1f} | {parse.seconds:.1f} | "
                f"{ratio:.2f} | ≤ {COLD_OVER_PARSE} {_verdict(ratio <= COLD_OVER_PARSE)} | "
                f"{speedup:.2f}x | {cold.peak_mib:.0f} |"
            )
    lines += ["", "## Serial share of a cold single-worker run (Amdahl)", ""]
    lines += ["| project | 1-worker s | parallel (extract) s | serial s | serial share | "]
    lines[-1] += "target | 16 cores would give |"
    lines += ["|:--|--:|--:|--:|--:|--:|--:|"]
    for p in projects:
        one = p.cold[1]
        serial = one.seconds - one.phases.get("extract", 0.0)
        share = serial / one.seconds
        lines.append(
            f"| {p.label} | {one.seconds:.1f} | {one.phases.get('extract', 0.0):.1f} | "
            f"{serial:.2f} | {share:.1%} | ≤ {SERIAL_SHARE:.0%} {_verdict(share <= SERIAL_SHARE)}"
            f" | {1 / (share + (1 - share) / 16):.1f}x |"
        )
    if sizes:
        lines += ["", "## Size: milliseconds per module, synthetic trees", ""]
        lines += ["| tree | modules | lines | cold s | cold ms/module | warm s | warm ms/module"]
        lines[-1] += " | peak MiB | MiB per million lines |"
        lines += ["|:--|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for s in sizes:
            peak = max(s.cold.peak_mib, s.warm.peak_mib)
            lines.append(
                f"| {s.label} | {s.modules:,} | {s.lines:,} | {s.cold.seconds:.1f} | "
                f"{1000 * s.cold.seconds / s.modules:.2f} | {s.warm.seconds:.1f} | "
                f"{1000 * s.warm.seconds / s.modules:.2f} | {peak:.0f} | "
                f"{peak / (s.lines / 1e6):.0f} |"
            )
        lines += [""]
        for kind in ("nested", "flat"):
            group = [s for s in sizes if s.label.startswith(kind)]
            if len(group) > 1:
                small, large = group[0], group[-1]
                growth = (large.warm.seconds / large.modules) / (small.warm.seconds / small.modules)
                lines.append(
                    f"- {kind}: warm time per module at {large.modules:,} over {small.modules:,}"
                    f" modules: {growth:.2f}x (≤ {FLAT_PER_MODULE} "
                    f"{_verdict(growth <= FLAT_PER_MODULE)})"
                )
        worst = max(max(s.cold.peak_mib, s.warm.peak_mib) / (s.lines / 1e6) for s in sizes)
        lines.append(
            f"- memory: at most {worst:.0f} MiB per million lines "
            f"(≤ {MIB_PER_MILLION_LINES} {_verdict(worst <= MIB_PER_MILLION_LINES)})"
        )
    if big is not None:
        size, result = big
        lines.append(
            f"- one module of {size / 1e6:.1f} MB: {result.seconds:.1f} s, peak "
            f"{result.peak_mib:.0f} MiB (≤ {BIG_MODULE_MIB} "
            f"{_verdict(result.peak_mib <= BIG_MODULE_MIB)})"
        )
    return lines


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", help="the corpora folder")
    parser.add_argument("--projects", default="saleor,homeassistant")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs; the fastest counts")
    parser.add_argument("--sizes", default="5000,10000,20000", help="synthetic trees ('' none)")
    parser.add_argument("--no-big-module", action="store_true")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "whole.md")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the launcher of `isolated`
        result = run(json.loads(args.measure))
        print(json.dumps(result.__dict__))
        return
    if args.data is None:
        parser.error("the corpora folder is required")
    from sdists import fetch

    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    cores = sorted({1, min(2, available), available})
    projects = []
    for name in filter(None, args.projects.split(",")):
        if name == "saleor":
            projects.append(Project("saleor", args.data / "saleor", ("saleor",)))
        else:
            from sdists import PROJECTS

            projects.append(Project(name, fetch(name, args.data), PROJECTS[name].packages))
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as scratch:
        work = Path(scratch)
        for project in projects:
            measure_project(project, work, args.repeat, cores)
        sizes = [int(s) for s in args.sizes.split(",") if s]
        found = measure_sizes(args.data, work, sizes, available) if sizes else []
        big = None if args.no_big_module else measure_big_module(work)
    load = os.getloadavg()[0]
    head = [
        "# The whole job: warm and cold `decompose analyze`",
        "",
        f"{datetime.date.today()} · Python {platform.python_version()} · "
        f"{available} CPU(s) · load average at the end {load:.1f} · "
        f"fastest of {args.repeat} warm runs, each a new process.",
        "",
    ]
    text = "\n".join(head + report(projects, found, big, cores)) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
