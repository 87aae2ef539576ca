"""Speed and memory of analyze_graph against bare parsing and grimp, on real and synthetic trees."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# Targets from the brief.
COLD_OVER_PARSE = 1.3
WARM_OVER_GRIMP = 3.0


@dataclass
class Target:
    """A tree to measure: the directory holding its top-level packages, and their names."""

    label: str
    root: Path
    packages: tuple[str, ...]
    files: int = 0
    lines: int = 0
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)  # best of the runs
    runs: list[str] = field(default_factory=list)  # every run, as printed
    walls: dict[str, list[float]] = field(default_factory=dict)  # every run's wall seconds

    def seconds(self, phase: str) -> float:
        """Wall seconds of a measured phase."""
        return float(self.phases[phase]["seconds"])

    def cpu(self, phase: str) -> float:
        """CPU seconds (main process and workers) of a measured phase."""
        return float(self.phases[phase]["cpu_seconds"])

    def paired(self, phase: str, reference: str) -> float:
        """Median over the repeats of phase / reference, each run against its own round's.

        The rounds run one after the other, so a slow spell on the shared machine
        hits both runs of a round; the ratio of the fastest runs can pair a lucky one
        with an unlucky one.
        """
        pairs = zip(self.walls[phase], self.walls[reference], strict=True)
        return statistics.median(a / b for a, b in pairs)


# --- phases, each run in a fresh interpreter -------------------------------------------------


def _peak_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest (reaped) child, in MiB."""
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"main_mib": round(own / scale, 1), "worker_mib": round(children / scale, 1)}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its reaped children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextlib.contextmanager
def _clock(result: dict[str, Any]) -> Iterator[None]:
    """Record wall and CPU seconds (this process and its reaped workers) of the block."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    yield
    result["seconds"] = time.perf_counter() - wall
    result["cpu_seconds"] = _cpu_seconds() - cpu


def _phase_analyze(root: Path, jobs: int, cache_dir: Path) -> dict[str, Any]:
    from decompose.api import analyze_graph
    from decompose.config import Settings

    settings = Settings(jobs=jobs, cache=True, cache_dir=cache_dir)
    result: dict[str, Any] = {}
    with _clock(result):
        analysis = analyze_graph(root, settings)
    return {
        **result,
        "modules": len(analysis.facts),
        "skipped": len(analysis.skipped),
        "cached": analysis.cached,
        "edges": analysis.graph.number_of_edges(),
    }


def _parse_chunk(paths: list[str], checked: bool = True) -> None:
    import libcst

    parse_module: Callable[[bytes], object] = libcst.parse_module
    if not checked:  # imported only here: it costs each worker ~0.25 s of the timed run
        from decompose.extraction.module import parse

        parse_module = parse
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        # A file that does not parse costs what it costs; the floor keeps nothing.
        with contextlib.suppress(Exception):
            parse_module(data)


def _phase_parse(root: Path, jobs: int, checked: bool = True) -> dict[str, Any]:
    """Read and parse every file decompose would analyze, in `jobs` processes, keeping nothing.

    `checked=False` parses as decompose does, without libcst's per-node checks.
    """
    import libcst  # noqa: F401 - imported before forking, as the analysis does

    paths = [str(p) for p in _discovered(root)]
    paths.sort(key=lambda p: -os.path.getsize(p))  # biggest first, as the runner does
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    result: dict[str, Any] = {"modules": len(paths)}
    context = multiprocessing.get_context("fork")
    with _clock(result), ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for _ in pool.map(functools.partial(_parse_chunk, checked=checked), chunks):
            pass
    return result


def _phase_grimp(root: Path, packages: tuple[str, ...]) -> dict[str, Any]:
    import grimp

    sys.path.insert(0, str(root))
    result: dict[str, Any] = {}
    with _clock(result):
        graph = grimp.build_graph(*packages, cache_dir=None)
    edges = sum(len(graph.find_modules_directly_imported_by(m)) for m in graph.modules)
    return {**result, "modules": len(graph.modules), "edges": edges}


def _discovered(root: Path) -> list[Path]:
    from decompose.config import Settings
    from decompose.discovery import discover

    settings = Settings()
    return [f.path for f in discover(root, settings.excludes, settings.max_file_bytes).files]


def _run_phase(args: argparse.Namespace) -> None:
    """Entry point of a measuring subprocess: print one JSON line."""
    load = os.getloadavg()[0]
    if args.phase == "analyze":
        result = _phase_analyze(args.root, args.jobs, args.cache_dir)
    elif args.phase in ("parse", "unchecked"):
        result = _phase_parse(args.root, args.jobs, checked=args.phase == "parse")
    else:
        result = _phase_grimp(args.root, tuple(args.package))
    result.update(_peak_mib())
    result["load"] = load
    print(json.dumps(result))


def _subprocess(phase: str, target: Target, jobs: int, cache_dir: Path | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--root", str(target.root)]
    command += ["--jobs", str(jobs)]
    command += [arg for p in target.packages for arg in ("--package", p)]
    if cache_dir is not None:
        command += ["--cache-dir", str(cache_dir)]
    for attempt in range(3):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if not done.returncode:
            return dict(json.loads(done.stdout.strip().splitlines()[-1]))
        # The checkout is shared and edited live: a half-saved file can break one import.
        print(
            f"  {phase} on {target.label} failed (try {attempt + 1}):\n{done.stderr}",
            file=sys.stderr,
        )
        time.sleep(30)
    raise SystemExit(f"{phase} on {target.label} failed three times")


# --- the benchmark ---------------------------------------------------------------------------


def measure(target: Target, data: Path, jobs: int, repeat: int = 1) -> Target:
    """Cold, warm, bare parse (stock and unchecked) and grimp on one tree, each in a subprocess.

    With `repeat` > 1 every phase runs that many times (cold on an emptied cache each
    time) and the fastest run counts: other load on the machine only ever slows a run.
    """
    paths = _discovered(target.root)
    target.files = len(paths)
    target.lines = sum(p.read_bytes().count(b"\n") for p in paths)  # also warms the page cache
    cache_dir = data / "cache" / target.label
    for attempt in range(repeat):
        shutil.rmtree(cache_dir, ignore_errors=True)
        phases = ("analyze", "cold"), ("analyze", "warm"), ("parse", "parse"), ("unchecked",) * 2
        for phase, name in phases:
            _keep_fastest(target, name, _subprocess(phase, target, jobs, cache_dir), attempt)
        _keep_fastest(target, "grimp", _subprocess("grimp", target, jobs, None), attempt)
    return target


def _keep_fastest(target: Target, name: str, result: dict[str, Any], attempt: int) -> None:
    """Keep the fastest run's figures, and the least CPU time of any run."""
    line = (
        f"{target.label} #{attempt + 1}: {name} {result['seconds']:.2f} s "
        f"(cpu {result['cpu_seconds']:.1f} s, load {result['load']:.1f})"
    )
    print("  " + line, file=sys.stderr, flush=True)
    target.runs.append(line)
    target.walls.setdefault(name, []).append(result["seconds"])
    best = target.phases.get(name)
    if best is None:
        target.phases[name] = result
        return
    least_cpu = min(best["cpu_seconds"], result["cpu_seconds"])
    if result["seconds"] < best["seconds"]:
        target.phases[name] = result
    target.phases[name]["cpu_seconds"] = least_cpu


def synthetic_target(modules: int, data: Path) -> Target:
    """Generate (deterministically) the synthetic tree of `modules` modules."""
    from synthetic import TOP, generate

    root = data / f"synthetic-{modules}"
    print(f"  generating {modules} synthetic modules in {root} ...", file=sys.stderr, flush=True)
    generate(root, modules, seed=0)
    return Target(f"synthetic-{modules}", root, (TOP,))


def real_target(name: str, data: Path) -> Target:
    """Download (once) the real project's sdist."""
    from sdists import PROJECTS, fetch

    return Target(name, fetch(name, data), PROJECTS[name].packages)


def table(targets: list[Target]) -> list[str]:
    """The figures as plain tables: time (wall and CPU), ratios, peak memory."""
    rows = [
        f"{'tree':<18}{'files':>7}{'lines':>9}{'cold s':>8}{'cpu':>7}{'warm s':>8}{'cpu':>6}"
        f"{'files/s':>8}{'warm f/s':>9}{'parse s':>8}{'cpu':>7}{'unchk s':>8}{'grimp s':>8}"
        f"{'cpu':>6}{'load':>6}"
    ]
    for t in targets:
        c, w, p, u, g = (t.phases[k] for k in ("cold", "warm", "parse", "unchecked", "grimp"))
        load = max(x["load"] for x in (c, w, p, u, g))
        rows.append(
            f"{t.label:<18}{t.files:>7}{t.lines:>9}{c['seconds']:>8.2f}{c['cpu_seconds']:>7.1f}"
            f"{w['seconds']:>8.2f}{w['cpu_seconds']:>6.1f}{t.files / c['seconds']:>8.0f}"
            f"{t.files / w['seconds']:>9.0f}{p['seconds']:>8.2f}{p['cpu_seconds']:>7.1f}"
            f"{u['seconds']:>8.2f}{g['seconds']:>8.2f}{g['cpu_seconds']:>6.1f}{load:>6.1f}"
        )
    rows += [
        "",
        f"{'tree':<18}{'cold/parse':>11}{'(cpu)':>7}{'warm/grimp':>11}{'(cpu)':>7}"
        f"{'cold/unchk':>11}{'(cpu)':>7}",
    ]
    for t in targets:
        c, w, p, u, g = (t.phases[k] for k in ("cold", "warm", "parse", "unchecked", "grimp"))
        rows.append(
            f"{t.label:<18}{c['seconds'] / p['seconds']:>11.2f}"
            f"{c['cpu_seconds'] / p['cpu_seconds']:>7.2f}{w['seconds'] / g['seconds']:>11.2f}"
            f"{w['cpu_seconds'] / g['cpu_seconds']:>7.2f}{c['seconds'] / u['seconds']:>11.2f}"
            f"{c['cpu_seconds'] / u['cpu_seconds']:>7.2f}"
        )
    rows += [
        "",
        f"{'peak RSS MiB':<18}{'cold main':>10}{'worker':>8}{'warm main':>10}{'worker':>8}"
        f"{'parse main':>11}{'worker':>8}{'grimp':>7}",
    ]
    for t in targets:
        c, w, p, g = (t.phases[k] for k in ("cold", "warm", "parse", "grimp"))
        rows.append(
            f"{t.label:<18}{c['main_mib']:>10.0f}{c['worker_mib']:>8.0f}{w['main_mib']:>10.0f}"
            f"{w['worker_mib']:>8.0f}{p['main_mib']:>11.0f}{p['worker_mib']:>8.0f}"
            f"{g['main_mib']:>7.0f}"
        )
    return rows


def verdicts(targets: list[Target]) -> list[str]:
    """The ratios against their targets, and linearity between two synthetic sizes."""
    out = []
    for t in targets:
        cold_ratio = t.seconds("cold") / t.seconds("parse")
        warm_ratio = t.seconds("warm") / t.seconds("grimp")
        cold_cpu, warm_cpu = t.cpu("cold") / t.cpu("parse"), t.cpu("warm") / t.cpu("grimp")
        out.append(
            f"{t.label}: cold/bare-parse {cold_ratio:.2f} wall, {cold_cpu:.2f} cpu (target <= "
            f"{COLD_OVER_PARSE}: {_verdict(cold_ratio, cold_cpu, COLD_OVER_PARSE)}); "
            f"warm/grimp-cold {warm_ratio:.2f} wall, {warm_cpu:.2f} cpu (target <= "
            f"{WARM_OVER_GRIMP}: {_verdict(warm_ratio, warm_cpu, WARM_OVER_GRIMP)}); "
            f"median of the rounds' own ratios: cold/parse {t.paired('cold', 'parse'):.2f}, "
            f"cold/unchecked-parse {t.paired('cold', 'unchecked'):.2f}, "
            f"warm/grimp {t.paired('warm', 'grimp'):.2f}; "
            f"warm cache hits {t.phases['warm']['cached']}/{t.phases['warm']['modules']}; "
            f"{t.phases['cold']['modules']} analyzed, {t.phases['cold']['skipped']} skipped, "
            f"{t.phases['cold']['edges']} edges; grimp {t.phases['grimp']['modules']} modules, "
            f"{t.phases['grimp']['edges']} edges"
        )
    synthetic = sorted(
        (t for t in targets if t.label.startswith("synthetic")), key=lambda t: t.files
    )
    if len(synthetic) >= 2:
        small, large = synthetic[0], synthetic[-1]
        for phase in ("cold", "warm", "parse"):
            for clock, of in (("wall", Target.seconds), ("cpu", Target.cpu)):
                per_small = of(small, phase) / small.files * 1000
                per_large = of(large, phase) / large.files * 1000
                out.append(
                    f"linearity ({phase}, {clock}): {per_large:.2f} ms/file at {large.files} "
                    f"files vs {per_small:.2f} ms/file at {small.files} files (ratio "
                    f"{per_large / per_small:.2f}; 1.00 is linear)"
                )
    return out


def _verdict(wall: float, cpu: float, target: float) -> str:
    if wall <= target and cpu <= target:
        return "met"
    return "met on cpu time only" if cpu <= target else "MISSED"


def agreement(target: Target, data: Path, jobs: int) -> list[str]:
    """Grimp's edges missing from ours on the same tree (see grimp_agreement.py)."""
    from grimp_agreement import compare, print_report

    from decompose.config import Settings

    # The warm cache the benchmark left: the analysis is the one measured.
    settings = Settings(jobs=jobs, cache=True, cache_dir=data / "cache" / target.label)
    print(f"\ngrimp agreement on {target.label}:")
    return [f"tree: {target.label}", *print_report(compare(target.root, target.packages, settings))]


def write_results(
    path: Path, jobs: int, rows: list[str], notes: list[str], agree: list[str], runs: list[str]
) -> None:
    """Write the figures, with the date and the machine, as Markdown."""
    import libcst

    path.parent.mkdir(parents=True, exist_ok=True)
    grimp_version = _version("grimp")
    text = [
        "# analyze_graph: speed and memory",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; libcst "
        f"{_version('libcst') or libcst.__name__}; grimp {grimp_version}",
        f"- jobs: {jobs}; each phase in a fresh subprocess; page cache warm for every phase; "
        "with --repeat N the fastest of N runs counts; `load` is the highest 1-minute load "
        "average seen at the start of a phase (the machine is shared)",
        "- cold: empty facts cache; warm: same cache, nothing changed; parse: read + "
        "`libcst.parse_module` of the same files in a process pool of the same size; unchk: "
        "the same, parsing as decompose does, without libcst's per-node checks; grimp: "
        "`grimp.build_graph(<package>, cache_dir=None)`",
        "- memory: peak RSS (`ru_maxrss`) of the main process and of the largest worker",
        "- command: `python benchmarks/bench_analyze.py " + " ".join(sys.argv[1:]) + "`",
        "",
        "```",
        *rows,
        "```",
        "",
        *[f"- {line}" for line in notes],
        "",
        "Every run:",
        "",
        "```",
        *runs,
        "```",
        "",
    ]
    if agree:
        text += ["## Agreement with grimp", "", "```", *agree, "```", ""]
    path.write_text("\n".join(text), encoding="utf-8")


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


def main() -> None:
    """Run the benchmark (or, with the hidden --phase, one measured phase)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, help="folder for downloads, generated trees and caches (required)"
    )
    parser.add_argument("--quick", action="store_true", help="2,000 synthetic modules only")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--project", default="homeassistant", help="real project (sdists.py)")
    parser.add_argument("--modules", type=int, default=10_000, help="synthetic tree size")
    parser.add_argument("--repeat", type=int, default=1, help="runs per phase; fastest counts")
    parser.add_argument("--no-real", action="store_true", help="synthetic trees only")
    parser.add_argument("--output", type=Path, default=None, help="results Markdown file")
    phases = ("analyze", "parse", "unchecked", "grimp")
    parser.add_argument("--phase", choices=phases, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--package", action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _run_phase(args)
        return
    if args.data is None:
        parser.error("--data DIR is required: the corpora are kept outside the repository")
    data = args.data.resolve()
    sys.path.insert(0, str(HERE))
    if args.quick:
        targets = [synthetic_target(2000, data)]
    else:
        targets = [] if args.no_real else [real_target(args.project, data)]
        targets += [synthetic_target(args.modules, data), synthetic_target(args.modules // 2, data)]
    for target in targets:
        measure(target, data, args.jobs, args.repeat)
    rows, notes = table(targets), verdicts(targets)
    runs = [line for t in targets for line in t.runs]
    print("\n".join(["", *rows, "", *notes, "", "runs:", *runs]))
    agree = agreement(targets[0], data, args.jobs)
    for target in targets:
        shutil.rmtree(data / "cache" / target.label, ignore_errors=True)
    output = args.output or (None if args.quick else RESULTS / "analyze.md")
    if output is not None:  # the smoke test writes no file unless asked to
        write_results(output, args.jobs, rows, notes, agree, runs)
        print(f"\nwrote {output}")


if __name__ == "__main__":
    main()
