"""What a name in a module refers to: local bindings, re-exports, and the lines that use them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import networkx as nx

from decompose.graph import reexports_of
from decompose.model import Definition, ModuleFacts

# (project module, symbol in it; None: the module itself)
Binding: TypeAlias = tuple[str, str | None]


def facts_of(graph: nx.DiGraph, module: str) -> ModuleFacts | None:
    """The extraction facts of a module, if the graph has them."""
    if module not in graph:
        return None
    facts = graph.nodes[module].get("facts")
    return facts if isinstance(facts, ModuleFacts) else None


def resolve_module(graph: nx.DiGraph, name: str) -> str | None:
    """The project module `name` refers to: its longest dotted prefix that is a module."""
    while name:
        if name in graph:
            return name
        name = name.rpartition(".")[0]
    return None


def local_bindings(graph: nx.DiGraph, module: str) -> dict[str, Binding]:
    """Names bound at the top of `module` to project code: imports, then its own definitions.

    `import a.b` binds only `a` and is left out unless aliased, since the name alone
    does not say which submodule a later use reaches.
    """
    facts = facts_of(graph, module)
    if facts is None:
        return {}
    bindings: dict[str, Binding] = {}
    for fact in facts.imports:
        target = resolve_module(graph, fact.target)
        if target is None:
            continue
        if fact.star:
            star = facts_of(graph, target)
            for definition in star.definitions if star else ():
                if definition.public:
                    bindings[definition.name] = (target, definition.name)
        elif fact.names:
            for name in fact.names:
                submodule = f"{fact.target}.{name.name}"
                local = name.alias or name.name
                if submodule in graph:
                    bindings[local] = (submodule, None)
                elif target == fact.target:
                    bindings[local] = (target, name.name)
        elif fact.alias or "." not in fact.target:
            bindings[fact.alias or fact.target] = (target, None)
    for definition in facts.definitions:
        bindings[definition.name] = (module, definition.name)
    for model in facts.models:
        bindings[model.name] = (module, model.name)
    return bindings


def resolve_symbol(graph: nx.DiGraph, module: str, name: str) -> Binding:
    """Where `module.name` is defined, following re-exports such as `from .models import X`.

    Returns (module, None) when the name is a submodule, and (module, name) unchanged
    when its definition cannot be found. Answers are kept in the graph's attributes, as
    its re-exports are: the detectors and the measures ask for the same names many times.
    """
    known: dict[tuple[str, str], Binding] = graph.graph.setdefault("resolved_symbols", {})
    found = known.get((module, name))
    if found is None:
        found = known[module, name] = _resolve(graph, module, name)
    return found


def _resolve(graph: nx.DiGraph, module: str, name: str) -> Binding:
    if f"{module}.{name}" in graph:
        return f"{module}.{name}", None
    exports = reexports_of(graph)
    origin, symbol = exports.origin(module, name)
    origin = origin or module
    submodule = exports.submodule(origin, symbol)
    return (submodule, None) if submodule else (origin, symbol)


def definition_of(graph: nx.DiGraph, module: str, name: str) -> Definition | None:
    """The top-level definition `module.name` refers to, through re-exports."""
    owner, symbol = resolve_symbol(graph, module, name)
    facts = facts_of(graph, owner)
    if facts is None or symbol is None:
        return None
    return next((d for d in facts.definitions if d.name == symbol), None)


def symbol_lines(graph: nx.DiGraph, source: str, target: str, name: str) -> tuple[int, ...]:
    """Lines of `source` that bring `name` of `target` in; all the edge's lines if none is clear."""
    data = graph.get_edge_data(source, target) or {}
    lines = set(data.get("lines", ()))
    facts = facts_of(graph, source)
    found: set[int] = set()
    for fact in facts.imports if facts else ():
        if fact.line in lines and (
            name in fact.attrs or any(n.name == name or name in n.attrs for n in fact.names)
        ):
            found.add(fact.line)
    for ref in facts.string_refs if facts else ():
        if ref.line in lines and ref.value.endswith(f".{name}"):
            found.add(ref.line)
    found.update(_relation_lines(graph).get((source, target, name), ()))
    return tuple(sorted(found or lines))


def _relation_lines(graph: nx.DiGraph) -> dict[tuple[str, str, str], list[int]]:
    """The lines of the graph's ORM relations by (source module, target module, model).

    Built once per graph and kept in its attributes, as the re-exports are: a detector
    asks for the lines of thousands of symbols.
    """
    found = graph.graph.get("relation_lines")
    if isinstance(found, dict):
        return found
    index: dict[tuple[str, str, str], list[int]] = {}
    for relation in graph.graph.get("relations", ()):
        key = (relation.source.module, relation.target.module, relation.target.name)
        index.setdefault(key, []).append(relation.line)
    graph.graph["relation_lines"] = index
    return index


def used_symbols(graph: nx.DiGraph, edges: Iterable[tuple[str, str]]) -> set[str]:
    """The dotted names used along module edges, where defined (the module for a bare import)."""
    found: set[str] = set()
    for source, target in edges:
        symbols = graph[source][target].get("symbols") or {}
        for symbol in symbols:
            module, name = resolve_symbol(graph, target, symbol)
            found.add(module if name is None else f"{module}.{name}")
        if not symbols:
            found.add(target)
    return found
