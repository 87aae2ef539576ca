"""Classes that declare data: dataclasses, attrs, pydantic, TypedDict, marshmallow and DRF.

A class's shape is read from its decorators and bases (or a base of the module already known
to have one), its fields from its body. Serializers keep `Meta.model` and `Meta.fields`: the
scaffold completes the fields they take from the model with the model's columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

import libcst as cst

from decompose.extraction.columns import (
    choices_of,
    is_true,
    json_default,
    keyword,
    literal,
    positional,
    split_optional,
)
from decompose.extraction.context import ModuleContext
from decompose.extraction.imports import dotted
from decompose.model import DataField, DataShape

_DECORATORS = {
    "dataclass": DataShape.DATACLASS,
    "dataclasses.dataclass": DataShape.DATACLASS,
    "pydantic.dataclasses.dataclass": DataShape.DATACLASS,
    **dict.fromkeys(
        ("attr.s", "attr.attrs", "attrs.define", "attrs.frozen", "attrs.mutable", "define"),
        DataShape.ATTRS,
    ),
    **dict.fromkeys(("attr.define", "attr.frozen", "attr.mutable", "frozen"), DataShape.ATTRS),
}
# Last part of a base -> shape; `ma.ModelSchema`, `serializers.ModelSerializer` ...
_BASES = {
    "BaseModel": DataShape.PYDANTIC,
    "RootModel": DataShape.PYDANTIC,
    "TypedDict": DataShape.TYPED_DICT,
    "NamedTuple": DataShape.NAMED_TUPLE,
    "Serializer": DataShape.DRF,
    "ModelSerializer": DataShape.DRF,
    "HyperlinkedModelSerializer": DataShape.DRF,
    "Schema": DataShape.MARSHMALLOW,
    "ModelSchema": DataShape.MARSHMALLOW,
    "SQLAlchemySchema": DataShape.MARSHMALLOW,
    "SQLAlchemyAutoSchema": DataShape.MARSHMALLOW,
    "SQLAlchemyModelSchema": DataShape.MARSHMALLOW,
}
# Marshmallow and DRF field classes -> the Python type of their values.
_SCHEMA_FIELDS = {
    **dict.fromkeys(("Int", "Integer", "IntegerField", "PrimaryKeyRelatedField"), "int"),
    **dict.fromkeys(("Str", "String", "Email", "Url", "URL", "CharField", "EmailField"), "str"),
    **dict.fromkeys(("SlugField", "URLField", "RegexField", "IPAddressField"), "str"),
    **dict.fromkeys(("FileField", "ImageField", "FilePathField", "SlugRelatedField"), "str"),
    **dict.fromkeys(("ChoiceField", "HyperlinkedRelatedField", "StringRelatedField"), "str"),
    **dict.fromkeys(("Bool", "Boolean", "BooleanField", "NullBooleanField"), "bool"),
    **dict.fromkeys(("Float", "FloatField", "Number"), "float"),
    **dict.fromkeys(("Decimal", "DecimalField"), "Decimal"),
    **dict.fromkeys(("DateTime", "AwareDateTime", "NaiveDateTime", "DateTimeField"), "datetime"),
    **dict.fromkeys(("Date", "DateField"), "date"),
    **dict.fromkeys(("Time", "TimeField"), "time"),
    **dict.fromkeys(("UUID", "UUIDField"), "UUID"),
    **dict.fromkeys(("Dict", "DictField", "JSONField", "HStoreField", "Mapping"), "dict"),
    **dict.fromkeys(("List", "ListField", "MultipleChoiceField"), "list"),
    **dict.fromkeys(("Raw", "Field", "ReadOnlyField", "Method", "Function"), ""),
    **dict.fromkeys(("SerializerMethodField", "field_for", "auto_field"), ""),
    **dict.fromkeys(("Nested", "Pluck"), ""),
}
_COMPUTED = {"ReadOnlyField", "Method", "Function", "SerializerMethodField"}
_FIELD_CALLS = {"field", "Field", "attr.ib", "attrib", "attr.attrib", "attrs.field", "ib"}


def class_shape(
    node: cst.ClassDef, ctx: ModuleContext, known: Mapping[str, DataShape]
) -> tuple[DataShape, tuple[DataField, ...], str, tuple[str, ...]] | None:
    """(shape, fields, Meta.model, Meta.fields) of a class that declares data, or None.

    Args:
        node: the class.
        ctx: its module.
        known: shapes of the classes defined above it in the module (bases of this one).
    """
    shape = _shape(node, known)
    if shape is None:
        return None
    body = list(getattr(node.body, "body", ()))
    if shape in (DataShape.MARSHMALLOW, DataShape.DRF):
        model, meta_fields, read_only = _meta(body, ctx)
        fields = {f.name: f for f in _schema_fields(body, ctx)}
        for name in read_only:
            current = fields.get(name, DataField(name=name))
            fields[name] = replace(current, read_only=True, required=False)
        return shape, tuple(fields.values()), model, meta_fields
    return shape, tuple(_annotated_fields(body, ctx, shape)), "", ()


def _shape(node: cst.ClassDef, known: Mapping[str, DataShape]) -> DataShape | None:
    for decorator in node.decorators:
        target = decorator.decorator
        name = dotted(target.func if isinstance(target, cst.Call) else target)
        if name in _DECORATORS:
            return _DECORATORS[name]
    for arg in node.bases:
        if arg.keyword is not None:
            continue
        base = dotted(arg.value)
        if base in known:
            return known[base]
        last = base.rpartition(".")[2]
        if last in _BASES:
            return _BASES[last]
    return None


def _statements(body: list[cst.BaseStatement]) -> Iterator[cst.BaseSmallStatement]:
    for line in body:
        if isinstance(line, cst.SimpleStatementLine):
            yield from line.body


def _annotated_fields(
    body: list[cst.BaseStatement], ctx: ModuleContext, shape: DataShape
) -> Iterator[DataField]:
    for small in _statements(body):
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            name = small.target.value
            annotation = ctx.code(small.annotation.annotation).strip()
            if name.startswith("_") or annotation.startswith(("ClassVar", "typing.ClassVar")):
                continue
            yield _annotated(name, annotation, small.value, ctx)
        elif (
            shape is DataShape.ATTRS
            and isinstance(small, cst.Assign)
            and isinstance(small.targets[0].target, cst.Name)
            and isinstance(small.value, cst.Call)
            and dotted(small.value.func) in _FIELD_CALLS
        ):
            kind = keyword(small.value, "type")
            annotation = ctx.code(kind).strip() if kind is not None else ""
            yield _annotated(small.targets[0].target.value, annotation, small.value, ctx)


def _annotated(
    name: str, annotation: str, value: cst.BaseExpression | None, ctx: ModuleContext
) -> DataField:
    kind, nullable = split_optional(annotation) if annotation else ("", False)
    default: cst.BaseExpression | None = value
    max_length: object = None
    has_default = value is not None
    if isinstance(value, cst.Call) and dotted(value.func) in _FIELD_CALLS | {"pydantic.Field"}:
        default = keyword(value, "default") or next(iter(positional(value)), None)
        if isinstance(default, cst.Ellipsis):
            default = None
        has_default = default is not None or any(
            keyword(value, k) is not None for k in ("default_factory", "factory")
        )
        max_length = literal(keyword(value, "max_length"), ctx)
    return DataField(
        name=name,
        type=kind,
        nullable=nullable,
        required=not has_default,
        default=json_default(default, ctx) if has_default else None,
        max_length=max_length if isinstance(max_length, int) else None,
    )


def _schema_fields(body: list[cst.BaseStatement], ctx: ModuleContext) -> Iterator[DataField]:
    """`name = fields.Str(required=True)`, `name = serializers.CharField(max_length=20)`."""
    for small in _statements(body):
        if not (
            isinstance(small, cst.Assign)
            and isinstance(small.targets[0].target, cst.Name)
            and isinstance(small.value, cst.Call)
        ):
            continue
        call = small.value
        callee = dotted(call.func).rpartition(".")[2]
        nested = callee.endswith(("Serializer", "Schema"))
        if callee not in _SCHEMA_FIELDS and not nested:
            continue
        kind = _SCHEMA_FIELDS.get(callee, "")
        if nested or callee in ("Nested", "Pluck"):
            inner = call.func if nested else next(iter(positional(call)), None)
            kind = dotted(inner).rpartition(".")[2] if inner is not None else ""
        many = is_true(keyword(call, "many"))
        if kind and many:
            kind = f"list[{kind}]"
        read_only = callee in _COMPUTED or any(
            is_true(keyword(call, k)) for k in ("read_only", "dump_only")
        )
        required = keyword(call, "required")
        drf = callee.endswith("Field") or nested
        yield DataField(
            name=small.targets[0].target.value,
            type=kind,
            nullable=any(is_true(keyword(call, k)) for k in ("allow_none", "allow_null")),
            required=not read_only
            and (is_true(required) if required is not None or not drf else True)
            and keyword(call, "default") is None,
            default=json_default(keyword(call, "default"), ctx),
            max_length=_max_length(call, ctx),
            choices=choices_of(keyword(call, "choices") or _one_of(call), ctx),
            read_only=read_only,
        )


def _max_length(call: cst.Call, ctx: ModuleContext) -> int | None:
    found = literal(keyword(call, "max_length"), ctx)
    if isinstance(found, int):
        return found
    validators = keyword(call, "validate")
    calls: list[cst.BaseExpression] = []
    if isinstance(validators, (cst.List, cst.Tuple)):
        calls = [e.value for e in validators.elements]
    elif validators is not None:
        calls = [validators]
    for item in calls:
        if isinstance(item, cst.Call) and dotted(item.func).endswith("Length"):
            found = literal(keyword(item, "max"), ctx)
            if isinstance(found, int):
                return found
    return None


def _one_of(call: cst.Call) -> cst.BaseExpression | None:
    validator = keyword(call, "validate")
    if isinstance(validator, cst.Call) and dotted(validator.func).endswith("OneOf"):
        return keyword(validator, "choices") or next(iter(positional(validator)), None)
    return None


def _meta(
    body: list[cst.BaseStatement], ctx: ModuleContext
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(Meta.model, Meta.fields, read-only names) of a serializer."""
    model = ""
    fields: tuple[str, ...] = ()
    read_only: tuple[str, ...] = ()
    for statement in body:
        if not (isinstance(statement, cst.ClassDef) and statement.name.value == "Meta"):
            continue
        for small in _statements(list(getattr(statement.body, "body", ()))):
            if not isinstance(small, cst.Assign):
                continue
            if not isinstance(small.targets[0].target, cst.Name):
                continue
            name, value = small.targets[0].target.value, literal(small.value, ctx)
            names = (
                tuple(v for v in value if isinstance(v, str))
                if isinstance(value, (list, tuple))
                else ()
            )
            if name == "model":
                model = dotted(small.value)
            elif name == "fields":
                fields = names
            elif name in ("read_only_fields", "dump_only"):
                read_only = names
    return model, fields, read_only
