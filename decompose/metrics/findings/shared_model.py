"""ORM models that modules of several services use: a database shared behind the services."""

from __future__ import annotations

from typing import TypeAlias

from decompose.graph import ModelRef
from decompose.metrics.findings.base import FindingContext, names
from decompose.metrics.names import resolve_symbol, symbol_lines
from decompose.model import Finding

_Use: TypeAlias = tuple[str, int]  # (using module, line)


class SharedModelDetector:
    """A concrete model imported or referenced by modules of a service other than its owner.

    The owner is the service of the model's module (None: the shared kernel). A finding
    needs two services among the owner and the users; it is high when three or more
    services share the model, medium for two.
    """

    name = "shared_model"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each model used across services."""
        uses = _model_uses(context)
        findings = []
        for key, ref in sorted(context.graph.graph.get("models", {}).items()):
            if ref.abstract:
                continue
            owner = context.owner(ref)
            users: dict[str, set[_Use]] = {}
            for module, line in uses.get(key, ()):
                service = context.service_of(module)
                if service is not None and service != owner:
                    users.setdefault(service, set()).add((module, line))
            involved = set(users) | ({owner} if owner is not None else set())
            if users and len(involved) >= 2:
                findings.append(self._finding(context, ref, owner, users, involved))
        return findings

    def _finding(
        self,
        context: FindingContext,
        ref: ModelRef,
        owner: str | None,
        users: dict[str, set[_Use]],
        involved: set[str],
    ) -> Finding:
        owned_by = owner if owner is not None else "the shared kernel"
        table = f" (table {ref.table})" if ref.table else ""
        pairs = [(ref.module, context.model_line(ref)), *set().union(*users.values())]
        return Finding(
            kind=self.name,
            severity="high" if len(involved) >= 3 else "medium",
            services=tuple(sorted(involved)),
            detail=(
                f"Model {ref.name}{table} of {owned_by} is used by {names(users)}: let one "
                "service own it and have the others call its API or keep a copy fed by events."
            ),
            locations=context.locations(pairs),
        )


def _model_uses(context: FindingContext) -> dict[tuple[str, str], set[_Use]]:
    """(model module, model name) -> the (module, line) pairs that use it, re-exports followed."""
    models = context.graph.graph.get("models", {})
    uses: dict[tuple[str, str], set[_Use]] = {}
    for source, target, data in context.graph.edges(data=True):
        for symbol in data.get("symbols") or {}:
            module, name = resolve_symbol(context.graph, target, symbol)
            if name is None or (module, name) not in models:
                continue
            lines = symbol_lines(context.graph, source, target, symbol) or (1,)
            uses.setdefault((module, name), set()).update((source, line) for line in lines)
    return uses
