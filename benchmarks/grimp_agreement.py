"""Check that every internal import edge grimp finds is also an edge of decompose's graph."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import grimp
import networkx as nx

from decompose.api import analyze_graph
from decompose.config import Settings
from decompose.discovery import is_excluded


@dataclass(frozen=True)
class Missing:
    """A grimp edge absent from our graph, where grimp saw it, and why we think it is absent."""

    importer: str
    imported: str
    line: int
    source: str
    cause: str


@dataclass
class Agreement:
    """Edges of both graphs over the same packages, and the grimp edges we lack."""

    grimp_modules: int
    our_modules: int
    grimp_edges: int
    our_edges: int
    common_edges: int
    missing: list[Missing] = field(default_factory=list)
    extra_kinds: Counter[str] = field(default_factory=Counter)  # kinds of edges grimp lacks
    extra_imports: list[Missing] = field(default_factory=list)  # import edges grimp lacks

    @property
    def missing_between_analyzed(self) -> list[Missing]:
        """Missing edges whose two ends we analyzed: these would be extraction/resolution bugs."""
        return [m for m in self.missing if not m.cause.startswith("not analyzed")]


def compare(root: Path, packages: tuple[str, ...], settings: Settings) -> Agreement:
    """Build both graphs of `packages` under `root` and compare their internal edges."""
    analysis = analyze_graph(root, settings)
    ours = analysis.graph
    sys.path.insert(0, str(root))
    try:
        theirs = grimp.build_graph(*packages, cache_dir=None)
    finally:
        sys.path.remove(str(root))
    skipped = {s.path: s.reason for s in analysis.skipped}
    paths = {m: _relpath(root, m) for m in theirs.modules}
    grimp_edges = {
        (a, b)
        for a in theirs.modules
        for b in theirs.find_modules_directly_imported_by(a)
        if a != b  # a module importing itself is no dependency
    }
    ours_in_scope = {(a, b) for a, b in ours.edges if a in theirs.modules and b in theirs.modules}
    result = Agreement(
        grimp_modules=len(theirs.modules),
        our_modules=sum(1 for m in ours if m in theirs.modules),
        grimp_edges=len(grimp_edges),
        our_edges=len(ours_in_scope),
        common_edges=len(grimp_edges & ours_in_scope),
    )
    for a, b in sorted(ours_in_scope - grimp_edges):
        kinds = ours.edges[a, b]["kinds"]
        result.extra_kinds["+".join(kinds)] += 1
        if set(kinds) <= {"import", "lazy", "type_only", "optional"}:
            line = min(ours.edges[a, b]["lines"])
            text = _line(root / ours.nodes[a]["path"], line)
            result.extra_imports.append(Missing(a, b, line, text, "only in ours"))
    for a, b in sorted(grimp_edges - ours_in_scope):
        details = theirs.get_import_details(importer=a, imported=b)
        line = details[0]["line_number"] if details else 0
        text = details[0]["line_contents"] if details else ""
        cause = _cause(a, b, line, ours, paths, skipped, settings.excludes)
        result.missing.append(Missing(a, b, line, text, cause))
    return result


def _line(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _relpath(root: Path, module: str) -> str:
    """The '/'-separated path of a module grimp found, relative to `root`."""
    parts = module.split(".")
    package_dir = root.joinpath(*parts)
    if (package_dir / "__init__.py").is_file():
        return "/".join([*parts, "__init__.py"])
    return "/".join(parts) + ".py"


def _cause(
    a: str,
    b: str,
    line: int,
    ours: nx.DiGraph,
    paths: dict[str, str],
    skipped: dict[str, str],
    excludes: tuple[str, ...],
) -> str:
    """Our best explanation of why the edge a -> b is not in our graph."""
    graph = ours
    for end in (a, b):
        if end not in graph:
            path = paths[end]
            if path in skipped:
                return f"not analyzed (skipped): {end}: {skipped[path]}"
            if is_excluded(path, excludes):
                return f"not analyzed (excluded by a default pattern): {end}"
            return f"not analyzed (not discovered): {end}"
    facts = graph.nodes[a]["facts"]
    at_line = [f for f in facts.imports if f.line == line]
    if not at_line:
        return f"extraction: no import fact at line {line} of {a}"
    linked = sorted(t for t in graph.successors(a) if line in graph.edges[a, t]["lines"])
    targets = ", ".join(
        f.target + (f" [{', '.join(n.name for n in f.names)}]" if f.names else "") for f in at_line
    )
    return f"resolution: import {targets} resolved to {linked or 'nothing internal'}"


def print_report(result: Agreement, limit: int = 20) -> list[str]:
    """Print the agreement; return the printed lines (for a results file)."""
    out = [
        f"grimp: {result.grimp_modules} modules, {result.grimp_edges} edges; "
        f"ours: {result.our_modules} modules, {result.our_edges} edges; "
        f"common: {result.common_edges}",
        f"grimp edges missing from ours: {len(result.missing)} "
        f"({len(result.missing_between_analyzed)} between modules we analyzed, "
        f"{len(result.missing) - len(result.missing_between_analyzed)} touching a module "
        "we do not analyze)",
    ]
    causes = Counter(m.cause.split(":")[0] for m in result.missing)
    out += [f"  {count:6d}  {cause}" for cause, count in causes.most_common()]
    shown = result.missing_between_analyzed[:limit]
    if shown:
        out.append(f"first {len(shown)} missing between analyzed modules:")
    for m in shown:
        out.append(f"  {m.importer} -> {m.imported}  (line {m.line}: {m.source.strip()})")
        out.append(f"      {m.cause}")
    out.append("edges only in ours, by kind: " + ", ".join(
        f"{kind} {count}" for kind, count in result.extra_kinds.most_common()
    ))  # fmt: skip
    if result.extra_imports:
        out.append(f"first import edges only in ours (of {len(result.extra_imports)}):")
    for m in result.extra_imports[:limit]:
        out.append(f"  {m.importer} -> {m.imported}  (line {m.line}: {m.source.strip()})")
    for line in out:
        print(line)
    return out


def main() -> None:
    """Compare decompose's and grimp's import graphs of a source tree."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path, help="directory holding the top-level packages")
    parser.add_argument("--package", action="append", required=True, help="top-level package")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=20, help="missing edges to list")
    args = parser.parse_args()
    settings = Settings(jobs=args.jobs, cache=args.cache_dir is not None, cache_dir=args.cache_dir)
    print_report(compare(args.root.resolve(), tuple(args.package), settings), args.limit)


if __name__ == "__main__":
    main()
