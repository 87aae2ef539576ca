"""Database transaction blocks (`with session.begin()`, `@atomic`) and the names they use."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.context import _CHAIN, ModuleContext, Scope
from decompose.extraction.imports import dotted

_TRANSACTION_CALLS = {"atomic", "begin", "begin_nested", "transaction"}


class TransactionCollector:
    """Finds transaction blocks and the names used inside each."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset({cst.With, cst.FunctionDef})

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
                self._add(ctx, line, scope.function)
        elif isinstance(statement, cst.FunctionDef) and any(
            _is_transaction(d.decorator) for d in statement.decorators
        ):
            name = statement.name.value
            line = self._next_line(ctx, rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{name}\b")
            function = f"{scope.class_name}.{name}" if scope.class_name else name
            self._add(ctx, line, scope.function or function)

    def _add(self, ctx: ModuleContext, line: int, function: str | None) -> None:
        names = {chain.partition(".")[0] for chain in _CHAIN.findall(block_text(ctx, line))}
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


def block_text(ctx: ModuleContext, line: int) -> str:
    """The body of the compound statement whose header is on `line`, from the source text.

    Generating code for the node would walk its whole subtree; the body is simply the
    lines below the header that are indented deeper (or the rest of a one-line suite).
    """
    lines = ctx.lines
    if not 1 <= line <= len(lines):
        return ""
    header = lines[line - 1]
    indent = len(header) - len(header.lstrip())
    body = [header.rpartition(":")[2]]
    for text in lines[line:]:
        stripped = text.lstrip()
        if stripped and len(text) - len(stripped) <= indent and not stripped.startswith("#"):
            break
        body.append(text)
    return "\n".join(body)
