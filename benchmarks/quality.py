"""Decomposition quality: each algorithm's services against an expert mapping of real monoliths."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from decompose.api import analyze_graph
from decompose.clustering import algorithm_names, cluster_modules
from decompose.config import Settings
from decompose.errors import ConfigError
from decompose.metrics import icp, modularity
from decompose.metrics.compare import compare_partitions

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
sys.path.insert(0, str(HERE))

from sdists import PROJECTS, fetch  # noqa: E402

# Namespaces whose children are independent apps (the package baseline splits them).
CONTAINERS: dict[str, tuple[str, ...]] = {"pretix": ("pretix.plugins",)}


@dataclass
class Row:
    """One algorithm's result on one project."""

    algorithm: str
    services: int
    shared: int
    mojofm: float
    mojofm_reverse: float
    ari: float
    nmi: float
    largest: float  # share of the compared modules in the biggest service
    mojofm_services: float  # MoJoFM ours->expert on the modules the expert puts in a service
    ari_services: float
    modularity: float  # Newman's Q of the services on the module graph
    icp: float  # share of dependency weight that crosses services
    seconds: float | None


def package_baseline(modules: list[str], containers: tuple[str, ...]) -> dict[str, str | None]:
    """Each module in the package just below its top-level package (a container's child);
    top-level modules are shared."""
    partition: dict[str, str | None] = {}
    for module in modules:
        parts = module.split(".")
        depth = 2
        for container in containers:
            if module.startswith(container + "."):
                depth = container.count(".") + 2
        partition[module] = ".".join(parts[:depth]) if len(parts) >= depth else None
    return partition


def score(
    name: str,
    graph: nx.DiGraph,
    partition: Mapping[str, str | None],
    expert: Mapping[str, str | None],
    seconds: float | None,
) -> Row:
    """Compare a partition (ours) with the expert's, over the modules both map."""
    agreement = compare_partitions(partition, expert)
    in_services = compare_partitions(partition, {m: s for m, s in expert.items() if s})
    common = [partition[m] for m in expert if m in partition]
    sizes = Counter(s for s in common if s is not None)
    return Row(
        algorithm=name,
        services=len({s for s in partition.values() if s is not None}),
        shared=sum(1 for s in partition.values() if s is None),
        mojofm=agreement.mojofm,
        mojofm_reverse=agreement.mojofm_reverse,
        ari=agreement.ari,
        nmi=agreement.nmi,
        largest=max(sizes.values(), default=0) / max(len(common), 1),
        mojofm_services=in_services.mojofm,
        ari_services=in_services.ari,
        modularity=modularity(graph, dict(partition)),
        icp=icp(graph, dict(partition)),
        seconds=seconds,
    )


def algorithms() -> list[str]:
    """Every registered algorithm; leiden only if its optional dependencies import."""
    names = list(algorithm_names())
    try:
        import igraph  # noqa: F401
        import leidenalg  # noqa: F401
    except ImportError:
        names = [n for n in names if n != "leiden"]
    first = ["decompose", "louvain", "label_propagation", "agglomerative", "leiden"]
    return sorted(names, key=lambda n: (first.index(n) if n in first else len(first), n))


def run_project(name: str, jobs: int, seed: int) -> tuple[list[str], dict[str, object]]:
    """Analyze one project, run every algorithm, compare each with the expert mapping."""
    expert_path = HERE / "experts" / f"{name}.json"
    expert: dict[str, str | None] = json.loads(expert_path.read_text(encoding="utf-8"))
    expert_services = len({s for s in expert.values() if s is not None})
    root = fetch(name)
    cache = DATA / "cache" / f"quality-{name}"
    start = time.perf_counter()
    analysis = analyze_graph(root, Settings(jobs=jobs, cache=True, cache_dir=cache))
    analyze_seconds = time.perf_counter() - start
    graph: nx.DiGraph = analysis.graph
    modules = sorted(graph.nodes)
    common = sorted(set(modules) & set(expert))
    rows = [
        score("expert", graph, {m: expert.get(m) for m in modules}, expert, None),
        score(
            "package baseline",
            graph,
            package_baseline(modules, CONTAINERS.get(name, ())),
            expert,
            None,
        ),
    ]
    runs: list[tuple[str, int | None]] = [(a, None) for a in algorithms()]
    runs.insert(1, ("decompose", expert_services))  # also at the expert's service count
    for algorithm, services in runs:
        if algorithm == "agglomerative":
            services = expert_services
        settings = Settings(algorithm=algorithm, seed=seed, services=services)
        label = algorithm + (f" (services={services})" if services else "")
        print(f"  {name}: {label} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            partition = cluster_modules(graph, settings)
        except ConfigError as exc:
            print(f"  {name}: {label} skipped: {exc}", file=sys.stderr)
            continue
        rows.append(score(label, graph, partition, expert, time.perf_counter() - start))
    info = {
        "root": root,
        "analyzed": len(modules),
        "skipped": len(analysis.skipped),
        "cached": analysis.cached,
        "edges": graph.number_of_edges(),
        "expert_modules": len(expert),
        "expert_services": expert_services,
        "expert_shared": sum(1 for s in expert.values() if s is None),
        "common": len(common),
        "analyze_seconds": analyze_seconds,
        "only_expert": sorted(set(expert) - set(modules)),
    }
    return format_table(name, rows, info), info


def format_table(name: str, rows: list[Row], info: Mapping[str, object]) -> list[str]:
    """A Markdown table of one project's rows, with its coverage."""
    only = info["only_expert"]
    assert isinstance(only, list)
    lines = [
        f"## {name} ({PROJECTS[name].requirement})",
        "",
        f"- analyzed: {info['analyzed']} modules, {info['edges']} edges, "
        f"{info['skipped']} files skipped; analysis {info['analyze_seconds']:.1f} s "
        f"({info['cached']} modules read from the facts cache)",
        f"- expert: {info['expert_modules']} modules in {info['expert_services']} services "
        f"+ {info['expert_shared']} shared",
        f"- compared on {info['common']} common modules: "
        f"{int(str(info['common'])) / int(str(info['expert_modules'])):.0%} of the expert's, "
        f"{int(str(info['common'])) / int(str(info['analyzed'])):.0%} of ours"
        + (
            f"; expert-only: {', '.join(only[:8])}{' ...' if len(only) > 8 else ''}" if only else ""
        ),
        "",
        "| algorithm | services | shared | largest | MoJoFM ours->expert | MoJoFM expert->ours "
        "| ARI | NMI | MoJoFM (services only) | ARI (services only) | Q | ICP | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        seconds = "-" if r.seconds is None else f"{r.seconds:.2f}"
        lines.append(
            f"| {r.algorithm} | {r.services} | {r.shared} | {r.largest:.0%} | {r.mojofm:.3f} | "
            f"{r.mojofm_reverse:.3f} | {r.ari:.3f} | {r.nmi:.3f} | {r.mojofm_services:.3f} | "
            f"{r.ari_services:.3f} | {r.modularity:.2f} | {r.icp:.2f} | {seconds} |"
        )
    return [*lines, ""]


def main() -> None:
    """Score every algorithm against the expert mappings; print and write quality.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("projects", nargs="*", default=["pretix", "ckan"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=HERE / "quality.md")
    args = parser.parse_args()
    missing = [p for p in args.projects if not (HERE / "experts" / f"{p}.json").is_file()]
    if missing:
        parser.error(f"no expert mapping for {', '.join(missing)} (run experts/make_<name>.py)")
    text = [
        "# Decomposition quality against expert mappings",
        "",
        f"- date: {datetime.date.today().isoformat()}; machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; seed {args.seed}; algorithms: "
        f"{', '.join(algorithms())}",
        "- command: `python benchmarks/quality.py " + " ".join(sys.argv[1:]) + "`",
        "- expert mappings: benchmarks/experts/ (rules in its README, written before any run)",
        "- MoJoFM ours->expert takes the expert as the reference; the shared kernel (null) is "
        "one cluster on both sides; agglomerative and the second decompose row get the "
        "expert's number of services; the package baseline groups modules by the package "
        "below the top-level one (plugins split), top-level modules shared",
        "- largest: share of the compared modules in the biggest service; services only: the "
        "same scores on the modules the expert puts in a service (its shared kernel left out)",
        "- Q and ICP: structure, not agreement. Q is Newman's modularity of the services on the "
        "module graph (higher is better). ICP is the share of dependency weight that crosses "
        "services (lower is better). The expert row scores the expert's own mapping, with "
        "modules it does not map counted as shared",
        "",
    ]
    for name in args.projects:
        table, _ = run_project(name, args.jobs, args.seed)
        print("\n".join(table))
        text += table
    args.output.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
