"""Transaction blocks that touch data of several services: candidates for a saga or outbox."""

from __future__ import annotations

from collections import deque

from decompose.metrics.findings.base import FindingContext, names
from decompose.metrics.names import local_bindings, resolve_symbol
from decompose.model import Finding, Transaction


class DistributedTransactionDetector:
    """A transaction whose names reach data owned by two or more services.

    Each name used in the block is resolved through the module's imports. A concrete
    model counts for its owning service directly; a module or function of a service
    counts for that service when its module reaches, through modules of the same
    service, one that defines a model (a call into code that writes its data). High when
    models of two services are used directly, medium when only calls reach the others.
    """

    name = "distributed_transaction"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each transaction block that spans services."""
        data_modules = {module for module, _ in context.graph.graph.get("models", {})}
        findings = []
        for module in sorted(context.graph):
            facts = context.graph.nodes[module].get("facts")
            transactions = getattr(facts, "transactions", ())
            if not transactions:
                continue
            bindings = local_bindings(context.graph, module)
            for transaction in transactions:
                direct, called = self._touched(context, transaction, bindings, data_modules)
                touched = set(direct) | set(called)
                if len(touched) >= 2:
                    findings.append(self._finding(context, module, transaction, direct, called))
        return findings

    def _touched(
        self,
        context: FindingContext,
        transaction: Transaction,
        bindings: dict[str, tuple[str, str | None]],
        data_modules: set[str],
    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Services whose models the block uses, and those whose data-reaching code it calls."""
        models = context.graph.graph.get("models", {})
        direct: dict[str, set[str]] = {}
        called: dict[str, set[str]] = {}
        for name in transaction.names:
            if name not in bindings:
                continue
            module, symbol = bindings[name]
            if symbol is not None:
                module, symbol = resolve_symbol(context.graph, module, symbol)
            ref = models.get((module, symbol)) if symbol is not None else None
            service = context.service_of(ref.module if ref else module)
            if service is None:
                continue
            if ref is not None and not ref.abstract:
                direct.setdefault(service, set()).add(name)
            elif ref is None and _reaches_data(context, module, service, data_modules):
                called.setdefault(service, set()).add(name)
        return direct, called

    def _finding(
        self,
        context: FindingContext,
        module: str,
        transaction: Transaction,
        direct: dict[str, set[str]],
        called: dict[str, set[str]],
    ) -> Finding:
        services = sorted(set(direct) | set(called))
        used = set().union(*direct.values(), *called.values())
        where = transaction.function or module
        return Finding(
            kind=self.name,
            severity="high" if len(direct) >= 2 else "medium",
            services=tuple(services),
            detail=(
                f"The transaction in {where} touches data of {', '.join(services)} "
                f"(through {names(used)}): split it into a saga with compensating steps, "
                "or publish the changes through an outbox."
            ),
            locations=(context.location(module, transaction.line),),
        )


def _reaches_data(
    context: FindingContext, start: str, service: str, data_modules: set[str]
) -> bool:
    """Whether `start`, through modules of `service` only, reaches a module defining a model."""
    seen = {start}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        if module in data_modules:
            return True
        for target in context.graph.successors(module) if module in context.graph else ():
            if target not in seen and context.service_of(target) == service:
                seen.add(target)
                queue.append(target)
    return False
