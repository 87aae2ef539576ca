"""Django and SQLAlchemy models: their tables and the relations between them."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from decompose.extraction.columns import django_field, django_primary_key, sqlalchemy_field
from decompose.extraction.context import ModuleContext, Scope
from decompose.extraction.imports import dotted
from decompose.model import DataField, OrmModel, OrmRelation

_DJANGO_RELATIONS = {
    "ForeignKey": "foreign_key",
    "OneToOneField": "one_to_one",
    "ManyToManyField": "many_to_many",
    "ParentalKey": "foreign_key",  # wagtail/modelcluster
    "TreeForeignKey": "foreign_key",  # django-mptt
}
_SQLALCHEMY_FIELDS = {"Column", "mapped_column", "relationship", "relation", "column_property"}
_SQLALCHEMY_BASES = {"Base", "DeclarativeBase", "Model", "db.Model", "SQLModel"}
# A Django field is `models.<Name>Field(...)` (or a relation); `models.Order.objects.get()`
# in a view's class body is a query, and `tables.Column` (django-tables2) is no column.
_DJANGO_FIELD = re.compile(r"^(?:models|db\.models)\.(?:\w+Field|\w+Key|ManyToManyField)$")
# SQLAlchemy columns without a model base: `Column`, `sa.Column`, Flask-SQLAlchemy's
# `db.Column` ... in a module that uses SQLAlchemy at all.
_SQLALCHEMY_QUALIFIERS = {"", "sa", "sqla", "sqlalchemy", "db", "orm", "sqlalchemy.orm"}


class OrmCollector:
    """Recognises model classes from their bases and field declarations."""

    handles: ClassVar[frozenset[type[cst.CSTNode]]] = frozenset({cst.ClassDef})

    def __init__(self) -> None:
        self.models: list[OrmModel] = []

    def visit(self, statement: cst.CSTNode, scope: Scope, ctx: ModuleContext) -> None:
        """Record a top-level class that declares a model."""
        if scope.module_level and isinstance(statement, cst.ClassDef):
            known = {m.name: m for m in self.models}
            model = _model(statement, ctx, known)
            if model is not None:
                self.models.append(model)


def _model(node: cst.ClassDef, ctx: ModuleContext, known: dict[str, OrmModel]) -> OrmModel | None:
    """The model a class declares, if it is one.

    A class deriving from a model defined above it in the module is a model too (table
    inheritance: `class Solves(Submissions)`), linked to its base by an `inherits` relation.
    """
    bases = [dotted(arg.value) for arg in node.bases if arg.keyword is None]
    body = [s for s in getattr(node.body, "body", ())]
    fields = list(_fields(body))
    parents = [known[b] for b in bases if b in known]
    django = (
        any(b in ("models.Model", "Model") and "models" in ctx.source for b in bases)
        or any(_DJANGO_FIELD.match(_callee(value)) for _, value, _ in fields)
        or any(p.framework == "django" for p in parents)
    )
    table, abstract = _table(body, ctx)
    uses_sqlalchemy = "sqlalchemy" in ctx.source or "sqlmodel" in ctx.source
    sqlalchemy = not django and (
        table is not None
        or any(_is_sqlalchemy_field(value, ctx) for _, value, _ in fields)
        or any(_is_mapped(annotation) for _, _, annotation in fields)
        or any(b in _SQLALCHEMY_BASES and (uses_sqlalchemy or b == "db.Model") for b in bases)
        or bool(parents)
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
    for parent in parents:
        if not parent.abstract:
            relations.append(OrmRelation(field="", kind="inherits", target=parent.name, line=start))
    if not abstract and bases == ["DeclarativeBase"]:
        abstract = True  # the declarative base itself
    return OrmModel(
        fields=tuple(_columns(fields, ctx, django, [p for p in parents if p.abstract])),
        name=node.name.value,
        framework="django" if django else "sqlalchemy",
        line=start,
        table=table,
        abstract=abstract,
        relations=tuple(relations),
    )


def _columns(
    fields: list[tuple[str, cst.BaseExpression | None, cst.BaseExpression | None]],
    ctx: ModuleContext,
    django: bool,
    abstract_parents: list[OrmModel],
) -> list[DataField]:
    """The typed columns of a model, those of its abstract parents of the module first."""
    found: dict[str, DataField] = {f.name: f for p in abstract_parents for f in p.fields}
    for name, value, annotation in fields:
        if name.startswith("__"):
            continue
        column = (
            django_field(name, value, ctx)
            if django
            else sqlalchemy_field(name, value, annotation, ctx)
        )
        if column is not None:
            found[column.name] = column
    columns = list(found.values())
    return django_primary_key(columns) if django else columns


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


def _is_sqlalchemy_field(value: cst.BaseExpression | None, ctx: ModuleContext) -> bool:
    qualifier, _, name = _callee(value).rpartition(".")
    return (
        name in _SQLALCHEMY_FIELDS
        and qualifier in _SQLALCHEMY_QUALIFIERS
        and ("sqlalchemy" in ctx.source or "sqlmodel" in ctx.source or qualifier == "db")
    )


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
