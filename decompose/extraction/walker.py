"""One traversal of statement bodies shared by every collector (expressions are not visited).

Parsing dominates extraction; a full CST visit would dispatch every node in Python
and double the cost. Imports, definitions, models and transactions are statements,
so walking statement bodies finds them all at a small fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Protocol

import libcst as cst
import libcst.matchers as m

from decompose.extraction.context import ModuleContext, Scope

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


class Collector(Protocol):
    """Gathers one kind of fact from the statements the walker hands it."""

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Look at one statement (simple or compound) in its scope."""


def walk(ctx: ModuleContext, collectors: Sequence[Collector]) -> None:
    """Hand every statement of the module, at any depth, to every collector, in order."""
    for statement, scope in _statements(ctx.tree.body, Scope()):
        for collector in collectors:
            collector.visit(statement, scope, ctx)


def _statements(body: Sequence[cst.CSTNode], scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                yield small, scope
            continue
        yield statement, scope
        yield from _children(statement, scope)


def _children(node: cst.CSTNode, scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    inner = replace(scope, depth=scope.depth + 1)
    if isinstance(node, cst.FunctionDef):
        name = node.name.value
        function = f"{scope.class_name}.{name}" if scope.class_name and not scope.function else name
        yield from _block(node.body, replace(inner, function=scope.function or function))
    elif isinstance(node, cst.ClassDef):
        yield from _block(node.body, replace(inner, class_name=node.name.value))
    elif isinstance(node, cst.If):
        checking = scope.type_checking or _is_type_checking(node.test)
        yield from _block(node.body, replace(inner, type_checking=checking))
        if node.orelse is not None:
            if isinstance(node.orelse, cst.If):
                yield node.orelse, scope
                yield from _children(node.orelse, scope)
            else:
                yield from _block(node.orelse.body, inner)
    elif isinstance(node, (cst.Try, cst.TryStar)):
        guarded = any(_catches_import_error(h.type) for h in node.handlers)
        yield from _block(node.body, replace(inner, optional=scope.optional or guarded))
        for handler in node.handlers:
            yield from _block(handler.body, inner)
        for extra in (node.orelse, node.finalbody):
            if extra is not None:
                yield from _block(extra.body, inner)
    elif isinstance(node, (cst.With, cst.For, cst.While)):
        yield from _block(node.body, inner)
        orelse = getattr(node, "orelse", None)
        if orelse is not None:
            yield from _block(orelse.body, inner)
    elif isinstance(node, cst.Match):
        for case in node.cases:
            yield from _block(case.body, inner)


def _block(block: cst.BaseSuite, scope: Scope) -> Iterator[tuple[cst.CSTNode, Scope]]:
    if isinstance(block, cst.IndentedBlock):
        yield from _statements(block.body, scope)
    else:  # SimpleStatementSuite: `if x: import y`
        for small in block.body:
            yield small, scope


def _is_type_checking(test: cst.BaseExpression) -> bool:
    return m.matches(test, m.Name("TYPE_CHECKING") | m.Attribute(attr=m.Name("TYPE_CHECKING")))


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
