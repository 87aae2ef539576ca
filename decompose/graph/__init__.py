"""Facts to a networkx DiGraph of modules: import resolution, ORM relations, string references."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from decompose.config import Weights
from decompose.graph.classes import class_parents, derived_from
from decompose.graph.index import ModuleIndex, is_stdlib
from decompose.graph.models import ModelRef, ResolvedRelation, resolve_relations
from decompose.graph.reexports import Reexports, reexports_of
from decompose.graph.roots import source_root_aliases
from decompose.graph.strings import StringTargets
from decompose.model import DependencyKind, ImportFact, ModuleFacts

__all__ = [
    "ModelRef",
    "ModuleIndex",
    "Reexports",
    "ResolvedRelation",
    "build_graph",
    "is_stdlib",
    "reexports_of",
]

_USAGE_CAP = 20  # beyond this many uses, another use says nothing new about coupling


@dataclass(slots=True)
class _Edge:
    imports: int = 0
    uses: int = 0
    weight: float = 0.0
    kinds: set[str] = field(default_factory=set)
    symbols: dict[str, int] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)


def build_graph(
    facts: Iterable[ModuleFacts],
    aliases: Mapping[str, str] | None = None,
    weights: Weights | None = None,
    excluded: Iterable[str] = (),
) -> nx.DiGraph:
    """The module dependency graph.

    Nodes are modules (attributes: path, loc, package, is_package, namespace, facts,
    externals: the top-level outside names it imports, third_party: those of them that
    are not in the standard library).
    Edges are internal dependencies (attributes: weight, kinds, symbols, lines, imports).
    `graph.graph["relations"]` lists the ORM relations resolved between models and
    `graph.graph["models"]` every model found, keyed by (module, name), and
    `graph.graph["aliases"]` the aliases imports may use (namespace paths, and the bare
    names of packages in a folder the project puts on sys.path, see `roots`), and
    `graph.graph["reexports"]` where each re-exported name is defined (`reexports_of`),
    `graph.graph["apps"]` the modules declaring an app (an AppConfig, through the
    project's own base classes, or a blueprint).
    """
    weights = weights or Weights()
    facts = sorted(facts, key=lambda f: f.module)
    modules = frozenset(f.module for f in facts)
    # the folders the project runs from first; a namespace alias of discovery's wins
    aliases = {**source_root_aliases(facts, modules), **(aliases or {})}
    index = ModuleIndex(modules, aliases, frozenset(excluded))
    definitions = {f.module: {d.name for d in f.definitions} for f in facts}
    exports = Reexports(facts, index, definitions)
    edges: dict[tuple[str, str], _Edge] = {}
    graph = nx.DiGraph()
    parents = class_parents(facts, index, exports)
    models, relations = resolve_relations(facts, index, parents)
    strings = StringTargets(index, definitions, models.values())
    for module in facts:
        externals: set[str] = set()
        for fact in module.imports:
            for target, symbols, uses in _import_targets(fact, index, exports):
                if target is None:
                    externals.add(fact.target.partition(".")[0])
                elif target != module.module:
                    _add_import(edges, module.module, target, fact, symbols, uses, weights)
        for ref in module.string_refs:
            named = strings.resolve(ref)
            if named and named[0] != module.module:
                edge = edges.setdefault((module.module, named[0]), _Edge())
                # a pair (`get_class("a.forms", "F")`) loads code, as an import would
                kind = DependencyKind.DYNAMIC if ref.name else DependencyKind.STRING_REF
                edge.kinds.add(kind.value)
                edge.weight += weights.dynamic if ref.name else weights.string_ref
                edge.lines.add(ref.line)
                if named[1]:
                    edge.symbols[named[1]] = edge.symbols.get(named[1], 0) + 1
        graph.add_node(
            module.module,
            path=module.path,
            loc=module.loc,
            package=module.module if module.is_package else module.module.rpartition(".")[0],
            is_package=module.is_package,
            facts=module,
            externals=tuple(sorted(e for e in externals if e and e != "__future__")),
            third_party=tuple(sorted(e for e in externals if e and not is_stdlib(e))),
            namespace=module.is_package and _declares_namespace(module, externals),
        )
    for relation in relations:
        if relation.source.module == relation.target.module:
            continue
        edge = edges.setdefault((relation.source.module, relation.target.module), _Edge())
        edge.kinds.add(DependencyKind.ORM.value)
        edge.weight += weights.orm
        name = relation.target.name
        edge.symbols[name] = edge.symbols.get(name, 0) + 1
        edge.lines.add(relation.line)
    for source, target in sorted(edges):
        edge = edges.pop((source, target))  # freed as its edge is added: not both at once
        graph.add_edge(
            source,
            target,
            weight=round(edge.weight, 4),
            imports=edge.imports,
            uses=edge.uses,
            kinds=tuple(sorted(edge.kinds)),
            symbols=dict(sorted(edge.symbols.items())),
            lines=tuple(sorted(edge.lines)),
        )
    graph.graph["models"] = models
    graph.graph["relations"] = relations
    graph.graph["aliases"] = dict(index.aliases)
    graph.graph["reexports"] = exports
    configs = {m for m, _ in derived_from(facts, parents, _is_app_base)}
    graph.graph["apps"] = sorted(configs | {f.module for f in facts if f.declares_app})
    return graph


def _is_app_base(base: str) -> bool:
    """A framework's application class, as a base is written (Django's `AppConfig`)."""
    return base.rpartition(".")[2].endswith("AppConfig")


def _declares_namespace(module: ModuleFacts, externals: set[str]) -> bool:
    """An `__init__` that only extends its `__path__` (pkgutil or pkg_resources style)."""
    return module.loc <= 6 and bool(externals & {"pkgutil", "pkg_resources"})


def _import_targets(
    fact: ImportFact, index: ModuleIndex, exports: Reexports
) -> list[tuple[str | None, dict[str, int], int]]:
    """Which project modules an import reaches, the symbols it uses from each, and how often.

    A symbol a module only re-exports (`from .orders import Order` in a package's
    `__init__`) counts as used from the module that defines it, whether imported by
    name or used as an attribute (`models.Order`); the importing module still depends
    on the re-exporting one, with no usage.
    """
    if fact.star or not fact.names:
        target = index.resolve(fact.target)
        if target is None or target != index.canonical(fact.target):
            return [(target, {}, fact.uses)]
        uses = sum(fact.attrs.values()) or fact.uses
        return _through_exports(target, fact.attrs, uses, exports)
    results: list[tuple[str | None, dict[str, int], int]] = []
    from_symbols: dict[str, int] = {}
    for name in fact.names:
        submodule = index.canonical(f"{fact.target}.{name.name}")
        if submodule in index.modules:
            uses = sum(name.attrs.values()) or fact.uses
            results += _through_exports(submodule, name.attrs, uses, exports)
        else:
            from_symbols[name.name] = from_symbols.get(name.name, 0) + max(name.uses, 1)
    if from_symbols:
        source = index.resolve(fact.target)
        if source is not None and source == index.canonical(fact.target):
            results += _through_exports(source, from_symbols, sum(from_symbols.values()), exports)
        else:
            results.append((source, from_symbols, sum(from_symbols.values())))
    return results


def _through_exports(
    module: str, symbols: dict[str, int], uses: int, exports: Reexports
) -> list[tuple[str | None, dict[str, int], int]]:
    """`symbols` used from `module`, each credited to the module that defines it."""
    moves = exports.moves(module, symbols)
    if not moves:
        return [(module, symbols, uses)]
    by_origin: dict[str | None, dict[str, int]] = {module: {}}
    for symbol, count in symbols.items():
        origin, name = moves.get(symbol, (module, symbol))
        counted = by_origin.setdefault(origin, {})
        counted[name] = counted.get(name, 0) + count
    moved = sum(symbols[symbol] for symbol in moves)
    return [
        (origin, counted, max(uses - moved, 0) if origin == module else sum(counted.values()))
        for origin, counted in by_origin.items()
    ]


_TYPE_ONLY = {DependencyKind.TYPE_ONLY.value}
_DYNAMIC = DependencyKind.DYNAMIC.value


def _add_import(
    edges: dict[tuple[str, str], _Edge],
    source: str,
    target: str,
    fact: ImportFact,
    symbols: dict[str, int],
    uses: int,
    weights: Weights,
) -> None:
    edge = edges.setdefault((source, target), _Edge())
    kinds: set[str] = set(fact.kinds)
    edge.kinds |= kinds
    edge.imports += 1
    edge.lines.add(fact.line)
    for symbol, count in symbols.items():
        edge.symbols[symbol] = edge.symbols.get(symbol, 0) + count
    if kinds == _TYPE_ONLY:
        base = weights.type_only
    elif _DYNAMIC in kinds:
        base = weights.dynamic
    else:
        base = weights.import_
    capped = min(uses, _USAGE_CAP) - min(edge.uses, _USAGE_CAP)
    edge.uses += uses
    edge.weight += base + weights.usage * max(capped, 0)
