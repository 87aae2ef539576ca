"""The shared kernel: modules nearly everything uses and that use little, kept as a library.

Forcing config, db sessions, money types or a grab-bag utils module into one service
would make every other service depend on it; reporting them as a shared library is
what an architect would do first.
"""

from __future__ import annotations

import networkx as nx

from decompose.clustering.structure import Units
from decompose.config import SharedKernelSettings

_STATIC = {"import", "lazy", "optional", "orm"}


def _owns_tables(graph: nx.DiGraph, modules: set[str]) -> bool:
    models = graph.graph.get("models", {})
    return any(module in modules and not ref.abstract for (module, _), ref in models.items())


def _matches(module: str, names: tuple[str, ...]) -> bool:
    return any(module == n or module.startswith(n + ".") for n in names)


def shared_kernel(
    graph: nx.DiGraph, units: Units, settings: SharedKernelSettings, named: tuple[str, ...] = ()
) -> set[str]:
    """Modules of the shared kernel: named by the user, or detected from the graph.

    A module is detected when at least `min_packages` other units, and at least
    `min_unit_share` of them, depend on it, while it depends on no other domain
    (only on the kernel itself, its own unit, or outside code) and is in no import cycle
    with other units. Units that own database tables are domains, never kernel. A unit
    mostly made of kernel modules joins whole.
    """
    kernel = {m for m in graph if _matches(m, named)}
    if not settings.enabled:
        return kernel
    owning = {u for u, members in units.members.items() if _owns_tables(graph, members)}
    # A kernel sits at the bottom of the dependency order: a module in an import cycle
    # with other units' code is part of a cluster, however many units use it.
    # Only static imports and ORM relations count: configuration naming a plugin by its
    # dotted path, or a type-only import, is a reference rather than a dependency.
    static = nx.subgraph_view(
        graph, filter_edge=lambda a, b: bool(_STATIC & set(graph.edges[a, b]["kinds"]))
    )
    cyclic = {
        m
        for component in nx.strongly_connected_components(static)
        if len({units.unit_of(c) for c in component}) > 1
        for m in component
    }
    candidates = {
        m
        for m in graph
        if units.unit_of(m) not in owning
        and m not in cyclic
        and _fan_in_ok(graph, m, units, settings)
    }
    changed = True
    while changed:  # a kernel module may only lean on the kernel: iterate to a fixpoint
        changed = False
        for module in sorted(candidates):
            if not _fans_out_little(static, module, units, candidates | kernel, settings):
                candidates.discard(module)
                changed = True
    kernel |= candidates
    for unit, members in units.members.items():
        if unit in owning or len(members) < 2:
            continue
        loc = {m: max(graph.nodes[m]["loc"], 1) for m in members}
        if sum(loc[m] for m in members & kernel) >= 0.5 * sum(loc.values()):
            kernel |= members
    return kernel


def _fan_in_ok(
    graph: nx.DiGraph, module: str, units: Units, settings: SharedKernelSettings
) -> bool:
    """Used from enough other units, absolutely and as a share of them all."""
    own = units.unit_of(module)
    using = {units.unit_of(p) for p in graph.predecessors(module)} - {own}
    others = len(units.members) - 1
    return len(using) >= max(settings.min_packages, settings.min_unit_share * others)


def _fans_out_little(
    graph: nx.DiGraph,
    module: str,
    units: Units,
    kernel: set[str],
    settings: SharedKernelSettings,
) -> bool:
    own = units.unit_of(module)
    outside = {units.unit_of(t) for t in graph.successors(module) if t not in kernel}
    outside.discard(own)
    users = {units.unit_of(p) for p in graph.predecessors(module)} - {own}
    return len(outside) <= settings.max_fan_out_ratio * max(len(users), 1) and len(outside) <= 1
