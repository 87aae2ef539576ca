"""Database transactions and the names they use, in every common form.

`with session.begin()` / `with transaction.atomic()` blocks, `@transaction.atomic`
functions, functions that end their unit of work with `db.session.commit()` (Flask-SQLAlchemy
request handlers do), and, as candidates, Django views: they run in one transaction
when the project sets `ATOMIC_REQUESTS`, which only the whole project can tell.
"""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.context import _CHAIN, ModuleContext, Scope
from decompose.extraction.imports import dotted

_TRANSACTION_CALLS = {"atomic", "begin", "begin_nested", "transaction"}
_VIEW_METHODS = {"get", "post", "put", "patch", "delete", "create", "update", "destroy"}
_VIEW_METHODS |= {"partial_update"}
# `"ATOMIC_REQUESTS": True` in a DATABASES setting, or `ATOMIC_REQUESTS = True`.
ATOMIC_REQUESTS = re.compile(r"""['"]?ATOMIC_REQUESTS['"]?\s*[:=]\s*True\b""")


class TransactionCollector:
    """Finds transaction blocks and the names used inside each."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset(
        {cst.With, cst.FunctionDef, cst.Expr}
    )

    def __init__(self) -> None:
        # (line, function, names used, their uses in the order of first use, kind)
        self.blocks: list[tuple[int, str | None, set[str], tuple[str, ...], str]] = []
        self._cursor = 0
        self._committing: set[str] = set()  # functions already recorded for a commit

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record a transaction block, an atomic or committing function, or a view."""
        if isinstance(statement, cst.With):
            if any(_is_transaction(item.item) for item in statement.items):
                line = self._next_line(
                    ctx, r"^[ \t]*(?:async[ \t]+)?with\b.*\b(?:atomic|begin|transaction)"
                )
                self._add(ctx, line, scope.function, "block")
        elif isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            function = f"{scope.class_name}.{name}" if scope.class_name else name
            if any(_is_transaction(d.decorator) for d in statement.decorators):
                line = self._next_line(ctx, rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{name}\b")
                self._add(ctx, line, scope.function or function, "decorator")
                self._committing.add(scope.function or function)
            elif scope.function is None and _is_view(statement, scope):
                found = _def_line(ctx, function)
                if found is not None:
                    self._add(ctx, found, function, "request")
        elif (
            isinstance(statement, cst.Expr)
            and scope.function is not None
            and scope.function not in self._committing
            and _is_commit(statement.value)
        ):
            self._committing.add(scope.function)
            start = _def_line(ctx, scope.function)
            if start is not None:
                self._add(ctx, start, scope.function, "commit")

    def _add(self, ctx: ModuleContext, line: int, function: str | None, kind: str) -> None:
        chains = _CHAIN.findall(block_text(ctx, line))
        names = {chain.partition(".")[0] for chain in chains}
        self.blocks.append((line, function, names, uses_in_order(chains), kind))

    def _next_line(self, ctx: ModuleContext, pattern: str) -> int:
        found = ctx.find_line(re.compile(pattern, re.M), self._cursor)
        if found is None:
            return max(self._cursor, 1)
        self._cursor = found + 1
        return found


def uses_in_order(chains: list[str]) -> tuple[str, ...]:
    """Each chain cut to its name and first attribute (`inventory.reserve`), first use first.

    The order is the one the block touches things in, which is the order a saga would
    take its steps in; one attribute is enough to tell which function of a module it calls.
    """
    return tuple(dict.fromkeys(".".join(chain.split(".")[:2]) for chain in chains))


def _is_commit(expression: cst.BaseExpression) -> bool:
    """`db.session.commit()`, `session.commit()`, `get_session().commit()`."""
    if not isinstance(expression, cst.Call) or not isinstance(expression.func, cst.Attribute):
        return False
    if expression.func.attr.value != "commit":
        return False
    target = expression.func.value
    if isinstance(target, cst.Call):
        target = target.func
    return dotted(target).rpartition(".")[2].lower().endswith("session")


def _is_view(node: cst.FunctionDef, scope: Scope) -> bool:
    """A Django view: a function taking `request` first, or a view class's HTTP method."""
    params = node.params.params
    if scope.class_name is not None:
        return (
            node.name.value in _VIEW_METHODS
            and len(params) >= 2
            and (params[1].name.value == "request")
        )
    return bool(params) and params[0].name.value == "request"


def _def_line(ctx: ModuleContext, function: str) -> int | None:
    """The line of `function` or `Class.method`: the method is looked for below its class."""
    owner, _, name = function.rpartition(".")
    start = 0
    if owner:
        found = ctx.find_line(re.compile(rf"^[ \t]*class[ \t]+{re.escape(owner)}\b", re.M))
        start = found or 0
    pattern = re.compile(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{re.escape(name)}\b", re.M)
    return ctx.find_line(pattern, start)


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
