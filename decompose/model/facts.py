"""What extraction learns about one module: imports, definitions, ORM models, transactions."""

from __future__ import annotations

from dataclasses import field
from enum import Enum

from pydantic import BaseModel, ConfigDict
from pydantic.dataclasses import dataclass


class Frozen(BaseModel):
    """Base of the facts and reports that are models: immutable, strict about unknown fields.

    A NaN or infinite float is written as JSON's non-standard constant, not as null,
    so that a writer can tell a value that was never computed and refuse it.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_inf_nan="constants", defer_build=True
    )


class DependencyKind(str, Enum):
    """How one module depends on another; an edge keeps every kind seen."""

    IMPORT = "import"
    TYPE_ONLY = "type_only"  # under `if TYPE_CHECKING:`
    LAZY = "lazy"  # inside a function or method body
    OPTIONAL = "optional"  # inside `try: ... except ImportError`
    DYNAMIC = "dynamic"  # importlib.import_module("x") / __import__("x")
    ORM = "orm"  # a foreign key or relationship between models
    STRING_REF = "string_ref"  # a dotted path in a string ("app.views.index")


# The facts there are tens of thousands of (imports, definitions, their parameters and
# fields: 9 of every 10 objects a run reads from its cache) are slotted dataclasses: no
# dict and no record of the fields given, which a model keeps for each object. A third
# of the memory, twice as fast to read; the same JSON, and the same JSON Schema where
# they appear in decomposition.json. Models (`Frozen`) hold the rest.
FACT_CONFIG = ConfigDict(extra="forbid", ser_json_inf_nan="constants")
_IMPORT_CONFIG = ConfigDict(**FACT_CONFIG, use_enum_values=True)


@dataclass(frozen=True, slots=True, kw_only=True, config=_IMPORT_CONFIG)
class ImportedName:
    """One name of `from X import name`: a symbol of X or a submodule of X."""

    name: str
    alias: str | None = None
    uses: int = 0  # occurrences of the bound name outside the import itself
    attrs: dict[str, int] = field(default_factory=dict)  # bound_name.attr -> count


@dataclass(frozen=True, slots=True, kw_only=True, config=_IMPORT_CONFIG)
class ImportFact:
    """One import, made absolute.

    `target` is the dotted module as written (relative imports already resolved
    against the importing module). `names` is empty for `import target`. Kinds are
    kept as their string values: enum hashing runs in Python, and resolution looks
    at the kinds of every import.
    """

    target: str
    alias: str | None = None  # `import target as alias`
    names: tuple[ImportedName, ...] = ()
    star: bool = False
    line: int
    kinds: tuple[DependencyKind, ...] = (DependencyKind.IMPORT,)
    uses: int = 0  # for `import target [as x]`: occurrences of the bound name
    attrs: dict[str, int] = field(default_factory=dict)  # target.attr -> count


@dataclass(frozen=True, slots=True, kw_only=True, config=FACT_CONFIG)
class Parameter:
    """One parameter of a function signature, annotations kept as source text."""

    name: str
    annotation: str | None = None
    default: str | None = None
    kind: str = (
        "positional_or_keyword"  # positional_only, var_positional, keyword_only, var_keyword
    )


@dataclass(frozen=True, slots=True, kw_only=True, config=FACT_CONFIG)
class DataField:
    """One field of a class that declares data: an ORM column, a dataclass or schema field.

    `type` is Python annotation text of the value without `None` (`int`, `datetime`,
    `list[int]`, a class name); empty when it cannot be told statically. (schema 1.2)
    """

    name: str
    type: str = ""
    nullable: bool = False
    required: bool = True  # no default: a caller must send it
    default: str | None = None  # the default as source text, when it is a literal
    max_length: int | None = None
    choices: tuple[str, ...] = ()  # the allowed values, when written out literally
    primary_key: bool = False
    references: str = ""  # what it holds the id of: "Model", "app.Model" or "table.column"
    many: bool = False  # a list of ids (many-to-many)
    read_only: bool = False  # sent in answers only (dump_only, read_only, generated keys)


class DataShape(str, Enum):
    """How a class declares the data it carries, for classes that do."""

    DATACLASS = "dataclass"
    ATTRS = "attrs"
    PYDANTIC = "pydantic"
    MARSHMALLOW = "marshmallow"
    DRF = "drf"  # a Django REST framework serializer
    TYPED_DICT = "typed_dict"
    NAMED_TUPLE = "named_tuple"


@dataclass(frozen=True, slots=True, kw_only=True, config=FACT_CONFIG)
class Definition:
    """A top-level class, function or constant of a module."""

    name: str
    kind: str  # "class", "function", "variable"
    line: int
    public: bool
    signature: str = ""
    params: tuple[Parameter, ...] = ()
    returns: str | None = None
    is_async: bool = False
    bases: tuple[str, ...] = ()
    doc: str = ""  # first line of the docstring
    # schema 1.2: what a data class carries, and whether a function is a decorator
    shape: DataShape | None = None
    fields: tuple[DataField, ...] = ()
    model: str = ""  # the model a serializer or schema mirrors (`Meta.model`)
    meta_fields: tuple[str, ...] = ()  # `Meta.fields` of that serializer; () for all
    wraps: bool = False  # takes or returns a function, or takes a class: never an endpoint
    methods: tuple[str, ...] = ()  # a view class's HTTP and viewset action methods
    serializer: str = ""  # a DRF view's `serializer_class`


class OrmRelation(Frozen):
    """A foreign key or relationship declared on a model field."""

    field: str
    kind: str  # foreign_key, one_to_one, many_to_many, relationship, inherits (table inheritance)
    target: str  # as written: "Model", "app_label.Model", "self", "table.column"
    line: int


class OrmModel(Frozen):
    """A Django or SQLAlchemy model class."""

    name: str
    framework: str  # "django" or "sqlalchemy"
    line: int
    table: str | None = None  # explicit __tablename__ / Meta.db_table
    abstract: bool = False
    relations: tuple[OrmRelation, ...] = ()
    fields: tuple[DataField, ...] = ()  # its columns, relations as id columns (schema 1.2)


class Transaction(Frozen):
    """A database transaction block and the names it touches."""

    line: int
    function: str | None  # enclosing top-level function or Class.method
    names: tuple[str, ...]  # imported or module-level names used inside the block
    # block (`with ...begin()/atomic()`), decorator (`@atomic`), commit (a function that
    # commits its session), request (a Django view: a transaction under ATOMIC_REQUESTS)
    kind: str = "block"
    # the bound names as used, with their first attribute (`inventory_service.reserve`),
    # in the order the block first uses each: the order it touches the data in
    uses: tuple[str, ...] = ()


class Route(Frozen):
    """A route of the monolith's HTTP API, as its handler declares it (schema 1.2).

    `path` is relative to the router it is declared on until routes are resolved across
    modules; then it is the full path. Framework syntax is kept: `<int:id>`, `{id}`.
    """

    method: str  # GET, POST, PUT, PATCH, DELETE
    path: str
    router: str = ""  # the variable it is declared on: `bp`, `router`, `users_namespace`
    handler: str  # function, or Class.method for a resource class
    view: str = ""  # a Django view or DRF viewset as its URL conf names it: `views.OrderList`
    line: int
    params: tuple[Parameter, ...] = ()  # the handler's (self dropped)
    returns: str | None = None
    doc: str = ""
    uses: tuple[str, ...] = ()  # class names its body mentions: the schema it reads or sends


class Router(Frozen):
    """A variable routes are declared on: a blueprint, router, namespace, API or app."""

    name: str
    kind: str  # blueprint, router, namespace, api, app
    prefix: str = ""
    parent: str = ""  # what it is attached to when built on it: `Api(blueprint)`


class Mount(Frozen):
    """`parent.register_blueprint(child, url_prefix=...)` and its FastAPI/RESTX kin."""

    parent: str  # as written in the mounting module
    child: str  # as written: a name or a dotted path through an import
    prefix: str | None = None  # None: the child's own prefix stands


class StringRef(Frozen):
    """A string literal that looks like a dotted path to project code.

    `name` is set for a pair of strings in one call that name a module (or an app
    label) and something in it, the way frameworks load classes by name:
    `get_model("orders", "Order")`, `get_class("catalogue.forms", "ProductForm")`.
    """

    value: str
    line: int
    name: str = ""


class ModuleFacts(Frozen):
    """Everything extraction found in one module."""

    module: str
    path: str  # relative to the analyzed root, '/'-separated
    is_package: bool = False
    loc: int = 0  # lines that are neither blank nor only a comment
    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[Definition, ...] = ()
    models: tuple[OrmModel, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    string_refs: tuple[StringRef, ...] = ()
    declares_app: bool = False  # creates a web app part: a Flask/Quart/Sanic Blueprint
    routes: tuple[Route, ...] = ()  # schema 1.2
    atomic_requests: bool = False  # sets Django's ATOMIC_REQUESTS: every view is a transaction
    routers: tuple[Router, ...] = ()
    mounts: tuple[Mount, ...] = ()


class SkippedFile(Frozen):
    """A file that could not be analyzed, and why; listed in every report."""

    path: str
    reason: str
