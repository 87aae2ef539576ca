"""ORM columns as typed fields: SQLAlchemy `Mapped`/`mapped_column`/`Column`, Django fields.

Each column becomes a `DataField` with the Python type of its value, nullability, a maximum
length and literal choices, so that the scaffold can declare the same data on the wire.
Relations become the id they store: `customer = ForeignKey(Customer)` is `customer_id: int`.
"""

from __future__ import annotations

import ast

import libcst as cst

from decompose.extraction.context import ModuleContext
from decompose.extraction.imports import dotted
from decompose.model import DataField

# Column types (last part of the callee or name) -> the Python type of their values.
SQL_TYPES = {
    **dict.fromkeys(("Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT"), "int"),
    **dict.fromkeys(("SMALLINT", "INT", "Identity"), "int"),
    **dict.fromkeys(("String", "Text", "Unicode", "UnicodeText", "VARCHAR", "CHAR"), "str"),
    **dict.fromkeys(("TEXT", "NVARCHAR", "CLOB", "Enum", "citext", "CIText"), "str"),
    **dict.fromkeys(("Boolean", "BOOLEAN"), "bool"),
    **dict.fromkeys(("Float", "REAL", "Double", "DOUBLE", "FLOAT"), "float"),
    **dict.fromkeys(("Numeric", "DECIMAL", "NUMERIC"), "Decimal"),
    **dict.fromkeys(("DateTime", "TIMESTAMP", "DATETIME"), "datetime"),
    **dict.fromkeys(("Date", "DATE"), "date"),
    **dict.fromkeys(("Time", "TIME"), "time"),
    **dict.fromkeys(("Uuid", "UUID", "UUIDType"), "UUID"),
    **dict.fromkeys(("JSON", "JSONB", "JSONType", "PickleType", "LargeBinary"), ""),
}
DJANGO_TYPES = {
    **dict.fromkeys(("AutoField", "BigAutoField", "SmallAutoField", "IntegerField"), "int"),
    **dict.fromkeys(("BigIntegerField", "SmallIntegerField", "PositiveIntegerField"), "int"),
    **dict.fromkeys(("PositiveSmallIntegerField", "PositiveBigIntegerField"), "int"),
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField"), "str"),
    **dict.fromkeys(("FileField", "ImageField", "FilePathField", "IPAddressField"), "str"),
    **dict.fromkeys(("GenericIPAddressField", "CICharField", "CIEmailField", "CITextField"), "str"),
    **dict.fromkeys(("BooleanField", "NullBooleanField"), "bool"),
    "FloatField": "float",
    "DecimalField": "Decimal",
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "UUIDField": "UUID",
    **dict.fromkeys(("JSONField", "HStoreField", "BinaryField", "DurationField"), ""),
}
_DJANGO_RELATIONS = {"ForeignKey", "OneToOneField", "ParentalKey", "TreeForeignKey"}
_DJANGO_MANY = {"ManyToManyField", "ParentalManyToManyField", "TreeManyToManyField"}


def keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The value of a keyword argument, or None."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def positional(call: cst.Call) -> list[cst.BaseExpression]:
    """The positional arguments of a call."""
    return [a.value for a in call.args if a.keyword is None and not a.star]


def literal(node: cst.BaseExpression | None, ctx: ModuleContext) -> object:
    """The value of a literal expression, or `NotImplemented` when it is not one."""
    if node is None:
        return NotImplemented
    try:
        return ast.literal_eval(ctx.code(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NotImplemented


def is_true(node: cst.BaseExpression | None) -> bool:
    """Whether an argument is the literal `True`."""
    return isinstance(node, cst.Name) and node.value == "True"


def json_default(node: cst.BaseExpression | None, ctx: ModuleContext) -> str | None:
    """The default as source text when it is a JSON-friendly literal."""
    value = literal(node, ctx)
    if value is NotImplemented or isinstance(value, (bytes, complex, tuple, set)):
        return None
    return repr(value)


def choices_of(node: cst.BaseExpression | None, ctx: ModuleContext) -> tuple[str, ...]:
    """Literal choices: `[("a", "A"), ...]`, `["a", "b"]`; () when not written out."""
    value = literal(node, ctx)
    if not isinstance(value, (list, tuple)) or not value:
        return ()
    found = [v[0] if isinstance(v, (list, tuple)) and v else v for v in value]
    return tuple(str(v) for v in found) if all(isinstance(v, str) for v in found) else ()


def split_optional(annotation: str) -> tuple[str, bool]:
    """`int | None` -> (`int`, True); `Optional[str]` -> (`str`, True)."""
    try:
        node = ast.parse(annotation.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return annotation.strip(), False
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("Optional"):
        return ast.unparse(node.slice), True
    members: list[ast.expr] = []
    _union_members(node, members)
    real = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    if len(real) < len(members):
        return " | ".join(ast.unparse(m) for m in real), True
    return ast.unparse(node), False


def _union_members(node: ast.expr, into: list[ast.expr]) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        _union_members(node.left, into)
        _union_members(node.right, into)
    else:
        into.append(node)


def sqlalchemy_field(
    name: str,
    value: cst.BaseExpression | None,
    annotation: cst.BaseExpression | None,
    ctx: ModuleContext,
) -> DataField | None:
    """A column of a SQLAlchemy model; None for relationships and non-columns."""
    mapped = _mapped_type(annotation, ctx)
    call = value if isinstance(value, cst.Call) else None
    callee = dotted(call.func).rpartition(".")[2] if call else ""
    if call is None or callee not in ("Column", "mapped_column", "column_property"):
        if mapped is None or value is not None:
            return None  # a relationship, a hybrid, a plain class attribute
        kind, nullable = split_optional(mapped)
        return DataField(name=name, type=kind, nullable=nullable, required=not nullable)
    if callee == "column_property":
        return None  # computed from other columns
    kind, references, max_length = "", "", None
    choices: tuple[str, ...] = ()
    args = positional(call)
    for arg in args:
        target = arg.func if isinstance(arg, cst.Call) else arg
        last = dotted(target).rpartition(".")[2]
        if last == "ForeignKey" and isinstance(arg, cst.Call):
            column = keyword(arg, "column") or next(iter(positional(arg)), None)
            found = literal(column, ctx)
            references = found if isinstance(found, str) else dotted(column)
        elif last in SQL_TYPES:
            kind = SQL_TYPES[last]
            if isinstance(arg, cst.Call):
                size = literal(keyword(arg, "length") or next(iter(positional(arg)), None), ctx)
                max_length = size if isinstance(size, int) and kind == "str" else None
                if last == "Enum":
                    values = [literal(a, ctx) for a in positional(arg)]
                    choices = tuple(v for v in values if isinstance(v, str))
    primary = is_true(keyword(call, "primary_key"))
    nullable_arg = keyword(call, "nullable")
    if mapped is not None:
        declared, nullable = split_optional(mapped)
        kind = declared or kind
    else:
        nullable = not primary  # a classic Column is nullable unless told otherwise
    if nullable_arg is not None:
        nullable = is_true(nullable_arg)
    if not kind and references:
        kind = "int"  # a key into another table; ids are integers unless typed
    default = json_default(keyword(call, "default"), ctx)
    has_default = any(keyword(call, k) is not None for k in ("default", "server_default"))
    return DataField(
        name=name,
        type=kind,
        nullable=nullable and not primary,
        required=primary or not (nullable or has_default),
        default=default,
        max_length=max_length,
        choices=tuple(choices),
        primary_key=primary,
        references=references,
        read_only=primary,
    )


def _mapped_type(annotation: cst.BaseExpression | None, ctx: ModuleContext) -> str | None:
    """`Mapped[int | None]` -> `int | None`; None when not a `Mapped` annotation."""
    if not isinstance(annotation, cst.Subscript):
        return None
    if not dotted(annotation.value).endswith("Mapped") or len(annotation.slice) != 1:
        return None
    element = annotation.slice[0].slice
    if not isinstance(element, cst.Index):
        return None
    inner = element.value
    if isinstance(inner, cst.SimpleString) and isinstance(inner.evaluated_value, str):
        return inner.evaluated_value
    return ctx.code(inner).strip()


def django_field(
    name: str, value: cst.BaseExpression | None, ctx: ModuleContext
) -> DataField | None:
    """A field of a Django model; relations become the id they store."""
    if not isinstance(value, cst.Call):
        return None
    callee = dotted(value.func).rpartition(".")[2]
    relation = callee in _DJANGO_RELATIONS
    many = callee in _DJANGO_MANY
    if not (relation or many or callee in DJANGO_TYPES or callee == "ArrayField"):
        return None
    target = keyword(value, "to") or next(iter(positional(value)), None)
    references = ""
    if relation or many:
        found = literal(target, ctx)
        references = found if isinstance(found, str) else dotted(target)
    kind = "int" if relation else "list[int]" if many else DJANGO_TYPES.get(callee, "")
    if callee == "ArrayField":
        inner = target.func if isinstance(target, cst.Call) else None
        element = DJANGO_TYPES.get(dotted(inner).rpartition(".")[2], "") if inner else ""
        kind = f"list[{element}]" if element else ""
    nullable = is_true(keyword(value, "null")) or callee == "NullBooleanField"
    primary = is_true(keyword(value, "primary_key")) or callee.endswith("AutoField")
    has_default = keyword(value, "default") is not None or is_true(keyword(value, "blank"))
    generated = any(is_true(keyword(value, k)) for k in ("auto_now", "auto_now_add"))
    generated |= isinstance(keyword(value, "editable"), cst.Name) and not is_true(
        keyword(value, "editable")
    )
    size = literal(keyword(value, "max_length"), ctx)
    return DataField(
        name=f"{name}_id" if relation else name,
        type=kind,
        nullable=nullable,
        required=primary or not (nullable or has_default or generated or many),
        default=json_default(keyword(value, "default"), ctx),
        max_length=size if isinstance(size, int) and kind == "str" else None,
        choices=choices_of(keyword(value, "choices"), ctx),
        primary_key=primary,
        references=references,
        many=many,
        read_only=primary or generated,
    )


def django_primary_key(fields: list[DataField]) -> list[DataField]:
    """The implicit `id` Django adds to a model that declares no primary key."""
    if any(f.primary_key for f in fields):
        return fields
    return [DataField(name="id", type="int", primary_key=True, read_only=True), *fields]
