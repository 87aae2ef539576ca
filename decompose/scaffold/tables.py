"""The tables a service owns, as SQLAlchemy 2 models and the Alembic migration that creates them.

Each owned model becomes a table with its columns typed from the monolith's fields. A key
into a table of the same service stays a foreign key; a key into another service's data
is kept as a plain value, with a comment naming its owner: the database no longer joins
across services. Tables are ordered so that a table comes after the ones it references.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from decompose.model import DataField
from decompose.scaffold import pyformat
from decompose.scaffold.data import DataCatalog
from decompose.scaffold.names import UniqueNames, identifier, one_line, pascal, py_literal
from decompose.scaffold.typemap import IMPORTS

# Python type of a column's values -> (SQLAlchemy type, annotation in the model).
_TYPES = {
    "int": ("Integer", "int"),
    "bool": ("Boolean", "bool"),
    "float": ("Float", "float"),
    "Decimal": ("Numeric", "Decimal"),
    "datetime": ("DateTime", "datetime"),
    "date": ("Date", "date"),
    "time": ("Time", "time"),
    "UUID": ("Uuid", "UUID"),
}
# Names a generated model cannot use for a column attribute: SQLAlchemy's declarative API.
_RESERVED = frozenset({"metadata", "registry", "query", "Base"})
# Names the models module binds by its imports: a model class may not take one (indico's
# `Session` model would shadow SQLAlchemy's `Session`).
_MODULE_NAMES = frozenset(
    {"Base", "Session", "Engine", "DeclarativeBase", "Mapped", "ForeignKey", "JSON", "String"}
    | {"Text", "Decimal", "UUID", "Any"}
    | {sa_type for sa_type, _ in _TYPES.values()}
)


@dataclass(frozen=True)
class ColumnView:
    """One column of a table.

    Attributes:
        name: the column's name in the database.
        attr: the attribute of the model that maps it.
        annotation: the model's `Mapped[...]` argument.
        sa_type: the SQLAlchemy type, as source (`String(20)`).
        nullable: whether NULL is allowed.
        primary_key: whether it is (part of) the key.
        foreign_key: `table.column` it references in the same service, or ''.
        owner: for a key into another service's data, what it refers to and who owns it.
        deferred: the name of the foreign key's constraint when it closes a cycle of
            references (forums -> posts -> topics -> forums): no order of CREATE TABLEs
            satisfies it, so it is declared `use_alter` and added once every table exists.
    """

    name: str
    attr: str
    annotation: str
    sa_type: str
    nullable: bool
    primary_key: bool
    foreign_key: str = ""
    owner: str = ""
    deferred: str = ""

    @property
    def type_call(self) -> str:
        """The SQLAlchemy type as an instance (`Integer()`, `String(20)`)."""
        return self.sa_type if "(" in self.sa_type else f"{self.sa_type}()"

    @property
    def mapped_call(self) -> pyformat.Expression:
        """`mapped_column(...)` in the model."""
        named = [] if self.attr == self.name else [py_literal(self.name)]
        return pyformat.call("mapped_column", self._column_args([*named, self.type_call], ""))

    @property
    def migration_call(self) -> pyformat.Expression:
        """`sa.Column(...)` in the migration."""
        args = self._column_args([py_literal(self.name), f"sa.{self.type_call}"], "sa.")
        return pyformat.call("sa.Column", args)

    def _column_args(self, head: list[str], namespace: str) -> list[pyformat.Code]:
        """`head`, then the foreign key (from `namespace`), then the key or nullability."""
        args = list(head)
        if self.deferred:
            key, name = py_literal(self.foreign_key), py_literal(self.deferred)
            args.append(f"{namespace}ForeignKey({key}, use_alter=True, name={name})")
        elif self.foreign_key:
            args.append(f"{namespace}ForeignKey({py_literal(self.foreign_key)})")
        args.append("primary_key=True" if self.primary_key else f"nullable={self.nullable}")
        return [pyformat.code(a) for a in args]


class TableRole(Enum):
    """What a table holds: the monolith's data, or the service's own bookkeeping."""

    DATA = "data"  # a model taken over from the monolith
    OUTBOX = "outbox"  # events waiting to be published
    SAGA_LOG = "saga_log"  # the state of the sagas the service runs


@dataclass(frozen=True)
class TableView:
    """One table a service owns, and the model class that maps it."""

    name: str
    class_name: str
    origin: str  # `module:Class` in the monolith
    columns: tuple[ColumnView, ...]
    role: TableRole = TableRole.DATA

    @property
    def doc(self) -> str:
        """The model class's docstring: what the table holds."""
        if self.role is TableRole.OUTBOX:
            return f"Table {self.name}: events to publish, written with the changes they announce."
        if self.role is TableRole.SAGA_LOG:
            return f"Table {self.name}: the state of each run of the service's sagas."
        return f"Table {self.name}, taken over from {self.origin}."


def build_tables(
    owned: Iterable[tuple[str, str, str]], catalog: DataCatalog, service: str
) -> tuple[TableView, ...]:
    """The tables of a service's owned models, ordered so references come first.

    Args:
        owned: `(module, class, table)` of each model the service owns, sorted.
        catalog: every data class of the monolith.
        service: the service's name in the report.
    """
    classes, names = UniqueNames(_MODULE_NAMES), UniqueNames()
    tables: dict[str, tuple[str, str, tuple[DataField, ...]]] = {}
    for module, name, table in owned:
        found = catalog.find(name, service)
        fields = found.fields if found is not None and found.is_model else ()
        table_name = names.claim(one_line(table) or identifier(name, fallback="table"))
        tables[table_name] = (
            classes.claim(pascal(name, fallback="Table")),
            f"{module}:{name}",
            fields,
        )
    views = [
        TableView(
            name=table,
            class_name=class_name,
            origin=one_line(origin),
            columns=_columns(fields, set(tables), catalog, service),
        )
        for table, (class_name, origin, fields) in tables.items()
    ]
    return _ordered(views)


def with_outbox(tables: tuple[TableView, ...]) -> tuple[TableView, ...]:
    """The tables and a transactional outbox: changes others read, published with the data.

    A row is written in the same transaction as the change it announces and relayed to the
    broker afterwards, so an event is never lost nor sent for a change rolled back.
    """
    columns = (
        ColumnView("id", "id", "int", "Integer", nullable=False, primary_key=True),
        ColumnView("event_type", "event_type", "str", "String(100)", False, False),
        ColumnView("aggregate", "aggregate", "str", "String(100)", False, False),
        ColumnView("aggregate_id", "aggregate_id", "str", "String(64)", False, False),
        ColumnView("payload", "payload", "Any", "JSON", False, False),
        ColumnView("created_at", "created_at", "datetime", "DateTime", False, False),
        ColumnView("published_at", "published_at", "datetime | None", "DateTime", True, False),
    )
    return _with_table(tables, "event_outbox", "EventOutbox", columns, TableRole.OUTBOX)


def with_saga_log(tables: tuple[TableView, ...]) -> tuple[TableView, ...]:
    """The tables and one more for the sagas the service runs: a row per run.

    Each change of a run's state is saved before its next call, so a run a crash left
    half-way can be found and finished, or undone, from the service's own database.
    """
    columns = (
        ColumnView("id", "id", "str", "String(36)", nullable=False, primary_key=True),
        ColumnView("saga", "saga", "str", "String(100)", False, False),
        ColumnView("status", "status", "str", "String(30)", False, False),
        ColumnView("data", "data", "Any", "JSON", False, False),
        ColumnView("done", "done", "Any", "JSON", False, False),
        ColumnView("sent", "sent", "Any", "JSON", False, False),
        ColumnView("error", "error", "str | None", "Text", True, False),
        ColumnView("updated_at", "updated_at", "datetime", "DateTime", False, False),
    )
    return _with_table(tables, "saga_runs", "SagaRunRecord", columns, TableRole.SAGA_LOG)


def _with_table(
    tables: tuple[TableView, ...],
    name: str,
    class_name: str,
    columns: tuple[ColumnView, ...],
    role: TableRole,
) -> tuple[TableView, ...]:
    """The tables and one of the service's own, its names kept clear of the monolith's."""
    names = UniqueNames(tuple(t.name for t in tables))
    classes = UniqueNames((*_MODULE_NAMES, *(t.class_name for t in tables)))
    own = TableView(
        name=names.claim(name),
        class_name=classes.claim(class_name),
        origin="",
        columns=columns,
        role=role,
    )
    return (*tables, own)


def _columns(
    fields: tuple[DataField, ...], own: set[str], catalog: DataCatalog, service: str
) -> tuple[ColumnView, ...]:
    attrs = UniqueNames(tuple(_RESERVED))
    columns = []
    if not any(f.primary_key for f in fields):
        fields = (DataField(name="id", type="int", primary_key=True), *fields)
    for field in fields:
        if field.many or not field.name:
            continue  # a many-to-many relation is a table of its own
        kind = field.type.split("|")[0].strip()
        sa_type, annotation = _TYPES.get(kind, ("JSON", "Any"))
        if kind == "str":
            sa_type = f"String({field.max_length})" if field.max_length else "Text"
            annotation = "str"
        foreign, owner = _reference(field.references, own, catalog, service)
        columns.append(
            ColumnView(
                name=one_line(field.name),
                attr=attrs.claim(identifier(field.name, fallback="column")),
                annotation=f"{annotation} | None" if field.nullable else annotation,
                sa_type=sa_type,
                nullable=field.nullable,
                primary_key=field.primary_key,
                foreign_key=foreign,
                owner=owner,
            )
        )
    return tuple(columns)


def _reference(
    references: str, own: set[str], catalog: DataCatalog, service: str
) -> tuple[str, str]:
    """(`table.column` of a foreign key kept, or '', the owner note of one dropped)."""
    if not references:
        return "", ""
    table, _, column = references.partition(".")
    if not column:  # a model name (Django): its table and key
        found = catalog.find(references, None)
        key = found.key if found is not None else None
        table = next((t for t, m in catalog.tables.items() if found and m == found.name), "")
        column = key.name if key is not None else "id"
    if table in own:
        return f"{table}.{column}", ""
    owner = catalog.owner(table or references)
    if owner == service:
        return "", ""
    who = f"the {owner} service" if owner else "the shared kernel"
    return "", one_line(f"the id of a {table or references} row, owned by {who}")


def _ordered(tables: list[TableView]) -> tuple[TableView, ...]:
    """Tables after the tables they reference; a cycle keeps the report's order.

    Where a cycle leaves no table ready, the first one waiting goes next, and its keys
    into tables not created yet are deferred (see `ColumnView.deferred`).
    """
    done: list[TableView] = []
    pending = list(tables)
    while pending:
        created = {d.name for d in done}
        ready = [t for t in pending if not _forward_keys(t, created)]
        table = ready[0] if ready else pending[0]
        pending.remove(table)
        forward = _forward_keys(table, created)
        if forward:
            table = replace(
                table,
                columns=tuple(
                    replace(c, deferred=f"fk_{table.name}_{c.name}") if c in forward else c
                    for c in table.columns
                ),
            )
        done.append(table)
    return tuple(done)


def _forward_keys(table: TableView, created: set[str]) -> list[ColumnView]:
    """Its foreign keys into tables other than itself that are not created yet."""
    return [
        c
        for c in table.columns
        if c.foreign_key and c.foreign_key.partition(".")[0] not in created | {table.name}
    ]


@dataclass(frozen=True)
class DeferredKey:
    """A foreign key that closes a cycle, added after the tables (see `ColumnView.deferred`)."""

    name: str
    table: str
    column: str
    target: str
    target_column: str


def deferred_keys(tables: Iterable[TableView]) -> tuple[DeferredKey, ...]:
    """The deferred foreign keys of the tables, in table order."""
    return tuple(
        DeferredKey(c.deferred, t.name, c.name, *c.foreign_key.partition(".")[::2])
        for t in tables
        for c in t.columns
        if c.deferred
    )


def model_imports(tables: Iterable[TableView]) -> tuple[str, ...]:
    """Standard-library imports the models module needs."""
    found = set()
    for table in tables:
        for column in table.columns:
            base = column.annotation.split(" | ")[0]
            if base in IMPORTS:
                found.add(IMPORTS[base])
    return tuple(sorted(found))


def sa_names(tables: Iterable[TableView]) -> set[str]:
    """The SQLAlchemy names the models module imports."""
    found = set()
    for table in tables:
        for column in table.columns:
            found.add(column.sa_type.partition("(")[0])
            if column.foreign_key:
                found.add("ForeignKey")
    return found
