"""Django and SQLAlchemy models: their tables and the relations between them."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.context import ModuleContext, Scope
from decompose.extraction.imports import dotted
from decompose.model import OrmModel, OrmRelation

_DJANGO_RELATIONS = {
    "ForeignKey": "foreign_key",
    "OneToOneField": "one_to_one",
    "ManyToManyField": "many_to_many",
    "ParentalKey": "foreign_key",  # wagtail/modelcluster
    "TreeForeignKey": "foreign_key",  # django-mptt
}
_SQLALCHEMY_FIELDS = {"Column", "mapped_column", "relationship", "relation", "column_property"}
_SQLALCHEMY_BASES = {"Base", "DeclarativeBase", "Model", "db.Model", "SQLModel"}


class OrmCollector:
    """Recognises model classes from their bases and field declarations."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset({cst.ClassDef})

    def __init__(self) -> None:
        self.models: list[OrmModel] = []

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record a top-level class that declares a model."""
        if scope.depth == 0 and isinstance(statement, cst.ClassDef):
            model = _model(statement, ctx)
            if model is not None:
                self.models.append(model)


def _model(node: cst.ClassDef, ctx: ModuleContext) -> OrmModel | None:
    bases = [dotted(arg.value) for arg in node.bases if arg.keyword is None]
    body = [s for s in getattr(node.body, "body", ())]
    fields = list(_fields(body))
    django = any(b in ("models.Model", "Model") and "models" in ctx.source for b in bases) or any(
        _callee(value).startswith("models.") for _, value, _ in fields
    )
    table, abstract = _table(body, ctx)
    sqlalchemy = not django and (
        table is not None
        or any(_callee(value).rpartition(".")[2] in _SQLALCHEMY_FIELDS for _, value, _ in fields)
        or any(_is_mapped(annotation) for _, _, annotation in fields)
        or any(b in _SQLALCHEMY_BASES for b in bases)
    )
    if not (django or sqlalchemy):
        return None
    start = ctx.find_line(re.compile(rf"^[ \t]*class[ \t]+{node.name.value}\b", re.M)) or 1
    relations = []
    for name, value, annotation in fields:
        relation = _relation(name, value, annotation, ctx, django)
        if relation is not None:
            kind, target = relation
            line = ctx.find_line(re.compile(rf"^[ \t]+{re.escape(name)}[ \t]*[:=]", re.M), start)
            relations.append(OrmRelation(field=name, kind=kind, target=target, line=line or start))
    if not abstract and bases == ["DeclarativeBase"]:
        abstract = True  # the declarative base itself
    return OrmModel(
        name=node.name.value,
        framework="django" if django else "sqlalchemy",
        line=start,
        table=table,
        abstract=abstract,
        relations=tuple(relations),
    )


def _fields(body: list[cst.BaseStatement]):  # type: ignore[no-untyped-def]
    """(name, value, annotation) of each `name = value` / `name: T = value` in a class body."""
    for line in body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                yield small.targets[0].target.value, small.value, None
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                yield small.target.value, small.value, small.annotation.annotation


def _callee(value: cst.BaseExpression | None) -> str:
    return dotted(value.func) if isinstance(value, cst.Call) else ""


def _is_mapped(annotation: cst.BaseExpression | None) -> bool:
    return isinstance(annotation, cst.Subscript) and dotted(annotation.value).endswith("Mapped")


def _table(body: list[cst.BaseStatement], ctx: ModuleContext) -> tuple[str | None, bool]:
    table: str | None = None
    abstract = False
    for name, value, _ in _fields(body):
        if name == "__tablename__" and isinstance(value, cst.SimpleString):
            table = value.evaluated_value if isinstance(value.evaluated_value, str) else None
        elif name == "__abstract__":
            abstract = isinstance(value, cst.Name) and value.value == "True"
    for statement in body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
            for name, value, _ in _fields(list(getattr(statement.body, "body", ()))):
                if name == "db_table" and isinstance(value, cst.SimpleString):
                    evaluated = value.evaluated_value
                    table = evaluated if isinstance(evaluated, str) else None
                elif name == "abstract":
                    abstract = isinstance(value, cst.Name) and value.value == "True"
    return table, abstract


def _relation(
    name: str,
    value: cst.BaseExpression | None,
    annotation: cst.BaseExpression | None,
    ctx: ModuleContext,
    django: bool,
) -> tuple[str, str] | None:
    if not isinstance(value, cst.Call):
        return None
    callee = _callee(value).rpartition(".")[2]
    if django:
        kind = _DJANGO_RELATIONS.get(callee)
        if kind is None:
            return None
        target = _argument(value, "to")
        return (kind, _target_text(target, ctx)) if target is not None else None
    if callee in ("relationship", "relation"):
        target = _argument(value, "argument")
        if target is None and annotation is not None:
            target = _innermost(annotation)
        return ("relationship", _target_text(target, ctx)) if target is not None else None
    if callee in ("Column", "mapped_column"):
        for arg in value.args:
            if isinstance(arg.value, cst.Call) and _callee(arg.value).endswith("ForeignKey"):
                column = _argument(arg.value, "column")
                if column is not None:
                    return ("foreign_key", _target_text(column, ctx))
    return None


def _argument(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[0].value if positional else None


def _innermost(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """`Mapped[list["Order"]]` -> `"Order"`."""
    while isinstance(annotation, cst.Subscript):
        element = annotation.slice[-1].slice
        if not isinstance(element, cst.Index):
            return None
        annotation = element.value
    return annotation


def _target_text(target: cst.BaseExpression, ctx: ModuleContext) -> str:
    if isinstance(target, cst.SimpleString) and isinstance(target.evaluated_value, str):
        return target.evaluated_value
    if isinstance(target, cst.Lambda):
        return _target_text(target.body, ctx)
    return dotted(target) or ctx.code(target)
