"""The composition root: each public entry point runs the pipeline stages in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from decompose.config import Settings
from decompose.discovery import discover
from decompose.errors import SourceTreeError
from decompose.extraction import extract_tree
from decompose.extraction.cache import default_cache_dir
from decompose.graph import build_graph
from decompose.model import ModuleFacts, SkippedFile

ProgressCallback = Callable[[int, int], None]


@dataclass
class Analysis:
    """The analyzed project: its facts, the files skipped, and the dependency graph."""

    root: Path
    facts: list[ModuleFacts]
    skipped: list[SkippedFile]
    graph: nx.DiGraph
    cached: int = 0


def analyze_graph(
    path: Path, settings: Settings | None = None, progress: ProgressCallback | None = None
) -> Analysis:
    """Discover, extract and resolve: the module dependency graph of the project at `path`.

    Args:
        path: A project directory, package directory or single .py file.
        settings: Run settings (defaults if None).
        progress: Called with (done, total) while files are extracted.

    Raises:
        SourceTreeError: `path` is missing or holds no Python module.
    """
    settings = settings or Settings()
    tree = discover(Path(path), settings.excludes, settings.max_file_bytes)
    cache_dir = (settings.cache_dir or default_cache_dir()) if settings.cache else None
    result = extract_tree(tree, jobs=settings.jobs, cache_dir=cache_dir, progress=progress)
    if not result.facts:
        first = result.skipped[0]
        raise SourceTreeError(
            f"{path}: no Python modules could be parsed ({len(result.skipped)} skipped; "
            f"{first.path}: {first.reason})"
        )
    graph = build_graph(result.facts, tree.aliases, settings.weights)
    return Analysis(tree.root, result.facts, result.skipped, graph, result.cached)
