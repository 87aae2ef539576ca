"""What each service offers and needs: its public API, its dependencies, the models it owns."""

from __future__ import annotations

from typing import TypeAlias

import networkx as nx

from decompose.metrics.names import definition_of, resolve_symbol, used_symbols
from decompose.metrics.services import (
    Partition,
    members,
    normalize,
    once_per_partition,
    service_graph,
)
from decompose.model import ApiItem, OwnedModel, ServiceDependency

_Key: TypeAlias = tuple[str, str]  # (module, name) as the calling module imports it


@once_per_partition
def public_api(graph: nx.DiGraph, partition: Partition) -> dict[str, tuple[ApiItem, ...]]:
    """The functions, classes, variables and modules of each service that other services use.

    Only uses by modules of another service count: the shared kernel is a library, not a
    client. A re-exported name is listed once, where it is defined (and under the service
    of that module). An edge without symbols (a bare `import pkg.mod`) makes the module an
    item of kind "module", as does a used symbol that is a submodule.

    Args:
        graph: The module dependency graph from `build_graph`.
        partition: Module -> service name, or None for the shared kernel.

    Returns:
        Every service (sorted) with its items sorted by (module, name).
    """
    part = normalize(graph, partition)
    used: dict[str, dict[_Key, set[str]]] = {service: {} for service in members(part)}
    for source, target, data in graph.edges(data=True):
        caller = part.get(source)
        if caller is None:
            continue
        for home, key in _used_keys(graph, target, data.get("symbols") or {}):
            callee = part.get(home)
            if callee is not None and callee != caller:
                used[callee].setdefault(key, set()).add(source)
    return {
        service: tuple(_item(graph, key, callers) for key, callers in sorted(items.items()))
        for service, items in used.items()
    }


def service_dependencies(
    graph: nx.DiGraph, partition: Partition
) -> dict[str, tuple[ServiceDependency, ...]]:
    """The services each service uses, with the summed edge weight and the symbols it uses.

    Symbols are dotted `module.name` (or the module alone for a bare import), sorted.

    Returns:
        Every service (sorted) with its dependencies sorted by service name.
    """
    services = service_graph(graph, partition)
    result: dict[str, tuple[ServiceDependency, ...]] = {}
    for service in sorted(services):
        result[service] = tuple(
            ServiceDependency(
                service=other,
                weight=round(services[service][other]["weight"], 4),
                symbols=tuple(sorted(used_symbols(graph, services[service][other]["edges"]))),
            )
            for other in sorted(services.successors(service))
        )
    return result


def owned_models(graph: nx.DiGraph, partition: Partition) -> dict[str, tuple[OwnedModel, ...]]:
    """The concrete ORM models defined in each service's modules (abstract bases left out).

    Returns:
        Every service (sorted) with its models sorted by (module, name).
    """
    part = normalize(graph, partition)
    owned: dict[str, list[OwnedModel]] = {service: [] for service in members(part)}
    for (module, name), ref in sorted(graph.graph.get("models", {}).items()):
        service = part.get(module)
        if service is not None and not ref.abstract:
            owned[service].append(OwnedModel(module=module, name=name, table=ref.table))
    return {service: tuple(models) for service, models in owned.items()}


def _used_keys(graph: nx.DiGraph, target: str, symbols: dict[str, int]) -> list[tuple[str, _Key]]:
    """(module the item lives in, item key) for each symbol used, re-exports followed."""
    if not symbols:
        return [(target, _module_key(target))]
    keys = []
    for symbol in symbols:
        module, name = resolve_symbol(graph, target, symbol)
        keys.append((module, _module_key(module) if name is None else (module, name)))
    return keys


def _module_key(module: str) -> _Key:
    parent, _, last = module.rpartition(".")
    return parent, last


def _item(graph: nx.DiGraph, key: _Key, callers: set[str]) -> ApiItem:
    module, name = key
    definition = definition_of(graph, module, name) if module else None
    if f"{module}.{name}" in graph or module == "":
        kind = "module"
    elif definition is not None:
        kind = definition.kind
    elif (module, name) in graph.graph.get("models", {}):
        kind = "class"
    else:
        kind = "variable"
    return ApiItem(
        module=module,
        name=name,
        kind=kind,
        signature=definition.signature if definition else "",
        definition=definition,
        used_by=tuple(sorted(callers)),
    )
