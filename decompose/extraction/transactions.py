"""Database transaction blocks (`with session.begin()`, `@atomic`) and the names they use."""

from __future__ import annotations

import re

import libcst as cst

from decompose.extraction.context import _CHAIN, ModuleContext, Scope
from decompose.extraction.imports import dotted

_TRANSACTION_CALLS = {"atomic", "begin", "begin_nested", "transaction"}


class TransactionCollector:
    """Finds transaction blocks and the names used inside each."""

    def __init__(self) -> None:
        self.blocks: list[tuple[int, str | None, set[str]]] = []
        self._cursor = 0

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record a `with` transaction block or an atomic-decorated function."""
        if isinstance(statement, cst.With):
            if any(_is_transaction(item.item) for item in statement.items):
                line = self._next_line(
                    ctx, r"^[ \t]*(?:async[ \t]+)?with\b.*\b(?:atomic|begin|transaction)"
                )
                self._add(ctx, statement.body, line, scope.function)
        elif isinstance(statement, cst.FunctionDef) and any(
            _is_transaction(d.decorator) for d in statement.decorators
        ):
            name = statement.name.value
            line = self._next_line(ctx, rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{name}\b")
            function = f"{scope.class_name}.{name}" if scope.class_name else name
            self._add(ctx, statement.body, line, scope.function or function)

    def _add(self, ctx: ModuleContext, node: cst.CSTNode, line: int, function: str | None) -> None:
        names = {chain.partition(".")[0] for chain in _CHAIN.findall(ctx.code(node))}
        self.blocks.append((line, function, names))

    def _next_line(self, ctx: ModuleContext, pattern: str) -> int:
        found = ctx.find_line(re.compile(pattern, re.M), self._cursor)
        if found is None:
            return max(self._cursor, 1)
        self._cursor = found + 1
        return found


def _is_transaction(expression: cst.BaseExpression) -> bool:
    target = expression.func if isinstance(expression, cst.Call) else expression
    return dotted(target).rpartition(".")[2] in _TRANSACTION_CALLS
