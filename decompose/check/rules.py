"""The rules a boundary sets, and the violations of them in the module graph.

Across a boundary, code may use only the other service's public API, only services its
`depends_on` allows, and the shared kernel may use no service. The data rules and cycles
are the anti-pattern findings of the report, judged on the boundary's services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from decompose.check.boundary_file import Assignment
from decompose.metrics.findings import find_all
from decompose.metrics.names import resolve_symbol, symbol_lines
from decompose.model import DependencyKind, Finding
from decompose.model.boundaries import Boundaries, Rule, Severity, Violation

# Anti-pattern findings that break a boundary, as rules.
_FINDING_RULES = {
    "service_cycle": (Rule.SERVICE_CYCLE, Severity.ERROR),
    "shared_table": (Rule.SHARED_TABLE, Severity.ERROR),
    "distributed_transaction": (Rule.DISTRIBUTED_TRANSACTION, Severity.WARNING),
}
_TYPE_ONLY = {DependencyKind.TYPE_ONLY.value}
_NAMED_ONLY = {DependencyKind.STRING_REF.value}
# How many public names a hint offers before "and N more".
_HINT_NAMES = 3
# How many of the imports that make a cycle its hint lists.
_CYCLE_PLACES = 8


@dataclass(frozen=True)
class Policy:
    """How strict a check is: the severity of imports made only for type checking.

    None leaves them out; cycles and data rules count every dependency.
    """

    type_only: Severity | None = Severity.WARNING


def violations(
    graph: nx.DiGraph,
    boundaries: Boundaries,
    assignment: Assignment,
    policy: Policy | None = None,
) -> list[Violation]:
    """Every violation of the boundaries in the graph, sorted by place.

    Args:
        graph: The module dependency graph.
        boundaries: The services, their public API and allowed dependencies.
        assignment: Each module's service (None: shared kernel; absent: unassigned),
            and the wiring, which may use every service.
        policy: How type-only imports count (a warning by default).
    """
    policy = policy or Policy()
    owner = assignment.owner
    public = {name: _public(service.public) for name, service in boundaries.services.items()}
    found: list[Violation] = []
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        if source not in owner or target not in owner or source in assignment.wiring:
            continue
        mine, theirs = owner[source], owner[target]
        if mine == theirs or theirs is None:
            continue
        kinds = set(data.get("kinds", ()))
        severity = Severity.ERROR
        if kinds <= _TYPE_ONLY:
            if policy.type_only is None:
                continue
            severity = policy.type_only
        elif kinds <= _TYPE_ONLY | _NAMED_ONLY:
            severity = Severity.WARNING  # a dotted path in a string: configuration, mostly
        context = _Edge(graph, source, target, mine, theirs, severity)
        if mine is None:
            found += context.kernel_uses_service()
            continue
        allowed = boundaries.services[mine].depends_on
        if allowed is not None and theirs not in allowed:
            found.append(context.undeclared(allowed))
        found += context.internal_uses(public.get(theirs, _Public()), data.get("symbols") or {})
    found += _foreign_keys(graph, owner)
    for finding in find_all(graph, dict(owner), kinds=sorted(_FINDING_RULES)):
        found.append(_from_finding(finding))
    return sorted(found, key=lambda v: (v.path, v.line, v.rule.value, v.key))


@dataclass(frozen=True)
class _Public:
    """A service's public API: whole modules, and symbols of modules."""

    modules: frozenset[str] = frozenset()
    symbols: frozenset[tuple[str, str]] = frozenset()

    def offers(self, module: str, name: str | None) -> bool:
        if module in self.modules:
            return True
        return name is not None and (module, name) in self.symbols

    def examples(self, near: str = "") -> list[str]:
        """Its entries, those of the module `near` first."""
        names = sorted(self.modules) + sorted(f"{m}:{n}" for m, n in self.symbols)
        return sorted(names, key=lambda n: (n.partition(":")[0] != near, n))


def _public(entries: Iterable[str]) -> _Public:
    modules, symbols = set(), set()
    for entry in entries:
        module, _, name = entry.partition(":")
        if name:
            symbols.add((module, name))
        else:
            modules.add(module)
    return _Public(frozenset(modules), frozenset(symbols))


@dataclass(frozen=True)
class _Edge:
    """One module dependency that crosses a boundary, and the violations it makes."""

    graph: nx.DiGraph
    source: str
    target: str
    mine: str | None
    theirs: str
    severity: Severity

    @property
    def path(self) -> str:
        return str(self.graph.nodes[self.source].get("path", ""))

    def first_line(self, name: str | None = None) -> int:
        lines = (
            symbol_lines(self.graph, self.source, self.target, name)
            if name
            else tuple(self.graph.edges[self.source, self.target].get("lines", ()))
        )
        return lines[0] if lines else 1

    def internal_uses(self, public: _Public, symbols: Mapping[str, int]) -> list[Violation]:
        """A use of code outside the other service's public API, one per name used."""
        used: list[tuple[str, str | None, str]] = []  # (module, name, as written)
        if not symbols:
            used.append((self.target, None, self.target))
        for symbol in sorted(symbols):
            module, name = resolve_symbol(self.graph, self.target, symbol)
            used.append((module, name, symbol))
        found = []
        for module, name, written in used:
            if public.offers(module, name) or public.offers(self.target, written):
                continue
            what = module if name is None else f"{module}.{name}"
            offered = public.examples(near=module)
            hint = (
                f"use the public API of {self.theirs} ({_first(offered)}), or add {what} to "
                "it in the boundary file"
                if offered
                else f"{self.theirs} has no public API yet: add {what} to it in the boundary "
                "file, or move the code"
            )
            found.append(
                Violation(
                    rule=Rule.INTERNAL_USE,
                    severity=self.severity,
                    key=f"internal_use|{self.source}|{what}",
                    services=(str(self.mine), self.theirs),
                    path=self.path,
                    line=self.first_line(written if name is not None else None),
                    module=self.source,
                    message=f"{self.source} ({self.mine}) uses {what}, internal to {self.theirs}",
                    hint=hint,
                )
            )
        return found

    def undeclared(self, allowed: tuple[str, ...]) -> Violation:
        """A dependency on a service the source's `depends_on` leaves out."""
        return Violation(
            rule=Rule.UNDECLARED_DEPENDENCY,
            severity=self.severity,
            key=f"undeclared_dependency|{self.source}|{self.target}",
            services=(str(self.mine), self.theirs),
            path=self.path,
            line=self.first_line(),
            module=self.source,
            message=(
                f"{self.source} ({self.mine}) depends on {self.target} ({self.theirs}); "
                f"{self.mine} may depend on {', '.join(allowed) or 'no service'}"
            ),
            hint=f"add {self.theirs} to {self.mine}'s depends_on, or remove the dependency",
        )

    def kernel_uses_service(self) -> list[Violation]:
        """The shared kernel depending on a service: every service would depend on it."""
        return [
            Violation(
                rule=Rule.KERNEL_USES_SERVICE,
                severity=self.severity,
                key=f"kernel_uses_service|{self.source}|{self.target}",
                services=(self.theirs,),
                path=self.path,
                line=self.first_line(),
                module=self.source,
                message=f"{self.source} (shared kernel) depends on {self.target} ({self.theirs})",
                hint=f"move the code it needs into the kernel, or {self.source} into {self.theirs}",
            )
        ]


def _foreign_keys(graph: nx.DiGraph, owner: Mapping[str, str | None]) -> list[Violation]:
    """A relation from a model to another service's model, where it is declared."""
    found = []
    for relation in graph.graph.get("relations", ()):
        mine, theirs = owner.get(relation.source.module), owner.get(relation.target.module)
        if mine is None or theirs is None or mine == theirs:
            continue
        source, target = relation.source, relation.target
        via = f" through {relation.field}" if relation.field else ""
        found.append(
            Violation(
                rule=Rule.CROSS_SERVICE_FK,
                severity=Severity.ERROR,
                key=f"cross_service_fk|{source.module}:{source.name}|{target.module}:{target.name}",
                services=(mine, theirs),
                path=str(graph.nodes[source.module].get("path", "")),
                line=relation.line,
                module=source.module,
                message=(
                    f"{source.name} ({mine}) references {target.name} ({theirs}){via}, "
                    "a join across services"
                ),
                hint=f"keep the id as a plain value and get {theirs} data through its API",
            )
        )
    return found


def _first(names: list[str]) -> str:
    shown = ", ".join(names[:_HINT_NAMES])
    return shown + (f" and {len(names) - _HINT_NAMES} more" if len(names) > _HINT_NAMES else "")


def _from_finding(finding: Finding) -> Violation:
    rule, severity = _FINDING_RULES[finding.kind]
    first = finding.locations[0] if finding.locations else None
    places = [f"{loc.path}:{loc.line}" for loc in finding.locations]
    hint = ""
    if rule is Rule.SERVICE_CYCLE and places:  # the imports that make the cycle
        more = len(places) - _CYCLE_PLACES
        hint = "the dependencies that make it: " + ", ".join(places[:_CYCLE_PLACES])
        hint += f" and {more} more" if more > 0 else ""
    modules = sorted({loc.module for loc in finding.locations})
    # A cycle is the same cycle whatever imports make it; data crossings are where they are.
    where = "" if rule is Rule.SERVICE_CYCLE else f"|{','.join(modules)}"
    return Violation(
        rule=rule,
        severity=severity,
        key=f"{rule.value}|{','.join(finding.services)}{where}",
        services=finding.services,
        path=first.path if first else "",
        line=first.line if first else 1,
        module=first.module if first else "",
        message=finding.detail,
        hint=hint,
    )
