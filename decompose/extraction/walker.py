"""One traversal of statement bodies shared by every collector (expressions are not visited).

Parsing dominates extraction; a full CST visit would dispatch every node in Python
and double the cost. Imports, definitions, models and transactions are statements,
so walking statement bodies finds them all at a small fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar, Protocol

import libcst as cst

from decompose.extraction.context import ModuleContext, Scope

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


class Collector(Protocol):
    """Gathers one kind of fact from the statements the walker hands it."""

    # The statement types it looks at; the walker hands it no others.
    handles: ClassVar[frozenset[type[cst.CSTNode]]]

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Look at one statement (simple or compound) in its scope."""


def walk(ctx: ModuleContext, collectors: Sequence[Collector]) -> None:
    """Hand every statement of the module, at any depth, to the collectors that handle it.

    Most statements (expressions, returns, assignments in functions) interest no
    collector: dispatching on the exact node type skips them without a call.
    """
    interested: dict[type[cst.CSTNode], list[Collector]] = {}
    for collector in collectors:
        for kind in collector.handles:
            interested.setdefault(kind, []).append(collector)
    for statement, scope in _statements(ctx.tree.body, Scope()):
        for collector in interested.get(type(statement), ()):
            collector.visit(statement, scope, ctx)


def _statements(body: Sequence[cst.CSTNode], scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    for statement in body:
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                yield small, scope
            continue
        yield statement, scope
        if type(statement) in _COMPOUND:
            yield from _children(statement, scope)


def _children(node: cst.CSTNode, scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    depth, function, class_name = scope.depth + 1, scope.function, scope.class_name
    checking, optional = scope.type_checking, scope.optional
    inner = Scope(depth, function, class_name, checking, optional)
    if type(node) is cst.FunctionDef:
        name = node.name.value
        qualified = f"{class_name}.{name}" if class_name and not function else name
        yield from _block(
            node.body, Scope(depth, function or qualified, class_name, checking, optional)
        )
    elif type(node) is cst.ClassDef:
        yield from _block(node.body, Scope(depth, function, node.name.value, checking, optional))
    elif type(node) is cst.If:
        # An `elif` is an `if` in the one before: a loop, as chains run thousands long.
        branch: cst.If | cst.Else | None = node
        while type(branch) is cst.If:
            if branch is not node:
                yield branch, scope
            guarded = checking or _is_type_checking(branch.test)
            yield from _block(branch.body, Scope(depth, function, class_name, guarded, optional))
            branch = branch.orelse
        if branch is not None:
            yield from _block(branch.body, inner)
    elif type(node) is cst.Try or type(node) is cst.TryStar:
        guarded = optional or any(_catches_import_error(h.type) for h in node.handlers)
        yield from _block(node.body, Scope(depth, function, class_name, checking, guarded))
        for handler in node.handlers:
            yield from _block(handler.body, inner)
        for extra in (node.orelse, node.finalbody):
            if extra is not None:
                yield from _block(extra.body, inner)
    elif type(node) is cst.With or type(node) is cst.For or type(node) is cst.While:
        yield from _block(node.body, inner)
        orelse = getattr(node, "orelse", None)
        if orelse is not None:
            yield from _block(orelse.body, inner)
    elif type(node) is cst.Match:
        for case in node.cases:
            yield from _block(case.body, inner)


# The statements with bodies `_children` descends into (node types are final in libcst).
_COMPOUND = frozenset(
    {
        cst.FunctionDef, cst.ClassDef, cst.If, cst.Try, cst.TryStar, cst.With, cst.For,
        cst.While, cst.Match,
    }
)  # fmt: skip


def _block(block: cst.BaseSuite, scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    if type(block) is cst.IndentedBlock:
        yield from _statements(block.body, scope)
    else:  # SimpleStatementSuite: `if x: import y`
        for small in block.body:
            yield small, scope


def _is_type_checking(test: cst.BaseExpression) -> bool:
    """`if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:`."""
    if type(test) is cst.Name:
        return test.value == "TYPE_CHECKING"
    return type(test) is cst.Attribute and test.attr.value == "TYPE_CHECKING"


def _catches_import_error(handler_type: cst.BaseExpression | None) -> bool:
    if handler_type is None:
        return True  # a bare except also guards an import
    names = handler_type.elements if isinstance(handler_type, cst.Tuple) else [handler_type]
    for element in names:
        value = element.value if isinstance(element, cst.Element) else element
        if isinstance(value, cst.Name) and value.value in _IMPORT_ERRORS | {"Exception"}:
            return True
        if isinstance(value, cst.Attribute) and value.attr.value in _IMPORT_ERRORS:
            return True
    return False
