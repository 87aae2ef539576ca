"""Facts to a networkx DiGraph of modules: import resolution, ORM relations, string references."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from decompose.config import Weights
from decompose.model import DependencyKind, ImportFact, ModuleFacts

_USAGE_CAP = 20  # beyond this many uses, another use says nothing new about coupling


@dataclass(frozen=True)
class ModelRef:
    """An ORM model and where it is defined."""

    module: str
    name: str
    table: str | None
    framework: str
    abstract: bool = False


@dataclass(frozen=True)
class ResolvedRelation:
    """A foreign key or relationship whose target model was found in the project."""

    source: ModelRef
    field: str
    kind: str
    target: ModelRef
    line: int


@dataclass
class ModuleIndex:
    """The project's module names and the import aliases that reach them."""

    modules: frozenset[str]
    aliases: Mapping[str, str] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()
    _by_head: dict[str, list[tuple[str, str]]] = field(init=False, repr=False)
    # The same import lines recur across thousands of modules: answers are memoised.
    _canonical: dict[str, str] = field(init=False, repr=False)
    _resolved: dict[str, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Aliases grouped by first component: a monorepo may have hundreds of them.
        self._by_head = {}
        self._canonical = {}
        self._resolved = {}
        for alias, real in sorted(self.aliases.items(), key=lambda kv: -len(kv[0])):
            self._by_head.setdefault(alias.partition(".")[0], []).append((alias, real))

    def resolve(self, name: str) -> str | None:
        """The project module `name` refers to: the longest existing dotted prefix.

        None for outside code, and for a module the excludes left out: an import of
        `pkg.tests.helpers` is not a dependency on `pkg`.
        """
        try:
            return self._resolved[name]
        except KeyError:
            pass
        found: str | None = None
        prefix = self.canonical(name)
        while prefix:
            if prefix in self.modules:
                found = prefix
                break
            if prefix in self.excluded:
                break
            prefix = prefix.rpartition(".")[0]
        self._resolved[name] = found
        return found

    def canonical(self, name: str) -> str:
        """`name` with a namespace alias prefix replaced by the module name discovery chose."""
        if not self._by_head:
            return name
        found = self._canonical.get(name)
        if found is None:
            found = name
            for alias, real in self._by_head.get(name.partition(".")[0], ()):
                if name == alias or name.startswith(alias + "."):
                    found = real + name[len(alias) :]
                    break
            self._canonical[name] = found
        return found


def is_stdlib(name: str) -> bool:
    """Whether a top-level import name belongs to the standard library."""
    return name.partition(".")[0] in sys.stdlib_module_names


@dataclass
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
    `graph.graph["aliases"]` the namespace aliases imports may use, and
    `graph.graph["reexports"]` where each re-exported name is defined (`reexports_of`).
    """
    weights = weights or Weights()
    facts = sorted(facts, key=lambda f: f.module)
    index = ModuleIndex(
        frozenset(f.module for f in facts), dict(aliases or {}), frozenset(excluded)
    )
    definitions = {f.module: {d.name for d in f.definitions} for f in facts}
    exports = Reexports(facts, index, definitions)
    edges: dict[tuple[str, str], _Edge] = {}
    graph = nx.DiGraph()
    for module in facts:
        externals: set[str] = set()
        for fact in module.imports:
            for target, symbols, uses in _import_targets(fact, index, exports):
                if target is None:
                    externals.add(fact.target.partition(".")[0])
                elif target != module.module:
                    _add_import(edges, module.module, target, fact, symbols, uses, weights)
        for ref in module.string_refs:
            named = _string_target(ref.value, index, definitions)
            if named and named[0] != module.module:
                edge = edges.setdefault((module.module, named[0]), _Edge())
                edge.kinds.add(DependencyKind.STRING_REF.value)
                edge.weight += weights.string_ref
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
    models, relations = resolve_relations(facts, index)
    for relation in relations:
        if relation.source.module == relation.target.module:
            continue
        edge = edges.setdefault((relation.source.module, relation.target.module), _Edge())
        edge.kinds.add(DependencyKind.ORM.value)
        edge.weight += weights.orm
        name = relation.target.name
        edge.symbols[name] = edge.symbols.get(name, 0) + 1
        edge.lines.add(relation.line)
    for (source, target), edge in sorted(edges.items()):
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
    return graph


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


class Reexports:
    """The names each module imports from other project modules without defining them."""

    _MAX_HOPS = 8

    def __init__(
        self,
        facts: Iterable[ModuleFacts],
        index: ModuleIndex,
        definitions: Mapping[str, set[str]],
    ) -> None:
        self._definitions = definitions
        self._names: dict[str, dict[str, tuple[str, str]]] = {}
        self._stars: dict[str, list[str]] = {}
        self._submodules: dict[tuple[str, str], str] = {}  # names bound to modules
        for module in facts:
            for fact in module.imports:
                plain = not fact.names and not fact.star
                if (plain and not fact.alias and "." in fact.target) or not _binds_at_import(fact):
                    continue  # `import a.b` binds `a`, not the module it names
                origin = index.resolve(fact.target)
                if origin is None or origin != index.canonical(fact.target):
                    continue
                if plain:  # `import pkg.sub as sub`
                    self._submodules[module.module, fact.alias or fact.target] = origin
                    continue
                if fact.star:
                    self._stars.setdefault(module.module, []).append(origin)
                    continue
                for name in fact.names:
                    bound = name.alias or name.name
                    submodule = index.canonical(f"{fact.target}.{name.name}")
                    if submodule in index.modules:
                        self._submodules[module.module, bound] = submodule
                    else:
                        self._names.setdefault(module.module, {})[bound] = (origin, name.name)

    def moves(self, module: str, symbols: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Those of `symbols` that `module` only re-exports: symbol -> (definer, its name)."""
        names, stars = self._names.get(module), self._stars.get(module)
        if not names and not stars:
            return {}
        defined = self._definitions.get(module, ())
        found: dict[str, tuple[str | None, str]] = {}
        for symbol in symbols:
            if symbol in defined or not (
                (names and symbol in names) or (stars and not symbol.startswith("_"))
            ):
                continue
            origin = self.origin(module, symbol)
            if origin[0] != module:
                found[symbol] = origin
        return found

    def origin(self, module: str | None, name: str) -> tuple[str | None, str]:
        """The module that defines `name` as imported from `module`, and its name there."""
        if module is None:
            return module, name
        seen: set[tuple[str, str]] = set()
        while (module, name) not in seen and len(seen) < self._MAX_HOPS:
            seen.add((module, name))
            if name in self._definitions.get(module, ()):
                break
            found = self._names.get(module, {}).get(name) or self._star_origin(module, name)
            if found is None:
                break
            module, name = found
        return module, name

    def submodule(self, module: str, name: str) -> str | None:
        """The module `name` is bound to in `module` (`from pkg import sub`, `import x as y`)."""
        return self._submodules.get((module, name))

    def _star_origin(self, module: str, name: str) -> tuple[str, str] | None:
        if name.startswith("_"):  # `import *` leaves private names out
            return None
        for origin in self._stars.get(module, ()):
            if name in self._definitions.get(origin, ()) or name in self._names.get(origin, {}):
                return origin, name
        return None


_BINDING_KINDS = frozenset({DependencyKind.IMPORT.value, DependencyKind.OPTIONAL.value})
_TYPE_ONLY = {DependencyKind.TYPE_ONLY.value}
_DYNAMIC = DependencyKind.DYNAMIC.value


def reexports_of(graph: nx.DiGraph) -> Reexports:
    """The re-exports of a graph's modules: kept by `build_graph`, else built from the facts."""
    found = graph.graph.get("reexports")
    if isinstance(found, Reexports):
        return found
    facts = [f for _, f in graph.nodes(data="facts") if isinstance(f, ModuleFacts)]
    index = ModuleIndex(frozenset(graph.nodes), dict(graph.graph.get("aliases", {})))
    definitions = {f.module: {d.name for d in f.definitions} for f in facts}
    graph.graph["reexports"] = exports = Reexports(facts, index, definitions)
    return exports


def _binds_at_import(fact: ImportFact) -> bool:
    """A top-level import (plain or guarded by try/except), so the module re-exports it."""
    return bool(fact.kinds) and _BINDING_KINDS.issuperset(fact.kinds)


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


def _string_target(
    value: str, index: ModuleIndex, definitions: Mapping[str, set[str]]
) -> tuple[str, str] | None:
    """A dotted string that names a project module, or a definition inside one."""
    module = index.canonical(value)
    if module in index.modules:
        return module, ""
    parent, _, name = module.rpartition(".")
    if parent in index.modules and name in definitions.get(parent, ()):
        return parent, name
    return None


def resolve_relations(
    facts: Iterable[ModuleFacts], index: ModuleIndex
) -> tuple[dict[tuple[str, str], ModelRef], list[ResolvedRelation]]:
    """Every model of the project and the relations whose targets could be found."""
    facts = list(facts)
    models: dict[tuple[str, str], ModelRef] = {}
    by_name: dict[str, list[ModelRef]] = {}
    by_table: dict[str, ModelRef] = {}
    for module in facts:
        for model in module.models:
            table = model.table or (
                f"{_app_label(module.module)}_{model.name.lower()}"
                if model.framework == "django"
                else None
            )
            ref = ModelRef(module.module, model.name, table, model.framework, model.abstract)
            models[(module.module, model.name)] = ref
            by_name.setdefault(model.name, []).append(ref)
            if table and not model.abstract:
                by_table.setdefault(table, ref)
    relations = []
    for module in facts:
        if not module.models:
            continue
        imported = _imported_names(module, index)
        for model in module.models:
            source = models[(module.module, model.name)]
            for relation in model.relations:
                target = _relation_target(
                    relation.target, source, relation.kind, imported, by_name, by_table
                )
                if target is not None:
                    relations.append(
                        ResolvedRelation(
                            source, relation.field, relation.kind, target, relation.line
                        )
                    )
    return dict(sorted(models.items())), relations


def _app_label(module: str) -> str:
    """Django's default app label: the package that holds the models module."""
    parts = module.split(".")
    if parts[-1] == "models" and len(parts) > 1:
        return parts[-2]
    if len(parts) > 2 and parts[-2] == "models":
        return parts[-3]
    return parts[-1]


def _imported_names(module: ModuleFacts, index: ModuleIndex) -> dict[str, str]:
    """Local name -> project module it was imported from."""
    names = {}
    for fact in module.imports:
        target = index.resolve(fact.target)
        if target is None:
            continue
        for name in fact.names:
            names[name.alias or name.name] = target
    return names


def _relation_target(
    text: str,
    source: ModelRef,
    kind: str,
    imported: Mapping[str, str],
    by_name: Mapping[str, list[ModelRef]],
    by_table: Mapping[str, ModelRef],
) -> ModelRef | None:
    if text == "self":
        return source
    if kind == "foreign_key" and source.framework == "sqlalchemy":
        return by_table.get(text.partition(".")[0]) or by_table.get(text.rpartition(".")[0])
    label, _, name = text.rpartition(".")
    candidates = by_name.get(name, [])
    if not candidates:
        return None
    if label:  # "app_label.Model" or "package.module.Model"
        for ref in candidates:
            if _app_label(ref.module) == label or ref.module == label or ref.module.endswith(label):
                return ref
        return None
    if name in imported:
        for ref in candidates:
            if ref.module == imported[name] or ref.module.startswith(imported[name] + "."):
                return ref
    same = [ref for ref in candidates if ref.module == source.module]
    if same:
        return same[0]
    return candidates[0] if len(candidates) == 1 else None
