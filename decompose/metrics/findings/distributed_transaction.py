"""Transaction blocks that touch data of several services: candidates for a saga or outbox."""

from __future__ import annotations

from collections import deque

from decompose.metrics.findings.base import FindingContext, names
from decompose.metrics.names import Binding, local_bindings, resolve_symbol
from decompose.model import Finding, SpanningTransaction, Transaction, TransactionStep


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
                    steps = _steps(context, transaction, bindings, direct, called)
                    findings.append(
                        self._finding(context, module, transaction, direct, called, steps)
                    )
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
        steps: tuple[TransactionStep, ...],
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
            transaction=SpanningTransaction(
                module=module,
                function=transaction.function,
                kind=transaction.kind,
                steps=steps,
            ),
        )


def _steps(
    context: FindingContext,
    transaction: Transaction,
    bindings: dict[str, Binding],
    direct: dict[str, set[str]],
    called: dict[str, set[str]],
) -> tuple[TransactionStep, ...]:
    """The services touched, in the order the block first uses each, with what it uses."""
    counted = {
        name: service
        for found in (direct, called)
        for service, names in found.items()
        for name in names
    }
    uses: dict[str, list[str]] = {}
    for use in transaction.uses or transaction.names:
        head, _, attribute = use.partition(".")
        service = counted.get(head)
        if service is None:
            continue
        label = _label(context, bindings[head], attribute)
        if label not in uses.setdefault(service, []):
            uses[service].append(label)
    for service in sorted(set(counted.values()) - set(uses)):  # facts without `uses`
        uses[service] = []
    return tuple(TransactionStep(service=s, uses=tuple(found)) for s, found in uses.items())


def _label(context: FindingContext, binding: Binding, attribute: str) -> str:
    """`module:name` of what a use reaches: a module's function, or the name itself."""
    module, symbol = binding
    if symbol is None and attribute:
        symbol = attribute
    if symbol is None:
        return module
    module, found = resolve_symbol(context.graph, module, symbol)
    return f"{module}:{found}" if found is not None else module


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
