"""The parts every endpoint is made of: the builder state, wire fields and messages."""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from decompose.model import DataField, Parameter
from decompose.scaffold.api_views import EndpointView, FieldView, SchemaView
from decompose.scaffold.data import DataCatalog
from decompose.scaffold.names import UniqueNames, identifier, one_line, pascal
from decompose.scaffold.typemap import TypeMapper, literal, optional

# Names that generated models.py and the client already bind at module level.
MODEL_NAMESPACE = (
    "Annotated",
    "Any",
    "BaseModel",
    "ConfigDict",
    "DECIMAL_PATTERN",
    "Decimal",
    "Field",
    "Literal",
    "Problem",
    "UUID",
    "WireDecimal",
    "WithJsonSchema",
    "annotations",
    "date",
    "datetime",
    "models",
    "time",
)
# Names the generated routes module binds at module level, which no handler may take.
ROUTES_NAMESPACE = (
    "APIRouter",
    "Annotated",
    "NotPorted",
    "Path",
    "annotations",
    "answers",
    "models",
    "router",
)
# Field names pydantic would reject or warn about (BaseModel's own attributes), names the
# generated modules bind, and the client's local variables.
_SHADOWED = (
    frozenset(dir(BaseModel))
    | frozenset(MODEL_NAMESPACE)
    | {
        "self",
        "cls",
        "body",
        "response",
        "httpx",
        "quote",
        "os",
    }
)


@dataclass
class ApiBuilder:
    """What one service's API is built into, endpoint by endpoint."""

    owned: frozenset[tuple[str, str]]
    classes: dict[str, str]  # class name in the monolith -> schema name
    mapper: TypeMapper
    schema_names: UniqueNames
    catalog: DataCatalog
    service: str | None
    ops: UniqueNames = field(default_factory=lambda: UniqueNames(ROUTES_NAMESPACE))
    paths: UniqueNames = field(default_factory=lambda: UniqueNames(separator="-"))
    endpoints: list[EndpointView] = field(default_factory=list)
    schemas: list[SchemaView] = field(default_factory=list)
    messages: list[SchemaView] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def message(
    builder: ApiBuilder, name: str, doc: str, fields: list[FieldView], open_keys: bool = False
) -> SchemaView:
    """A request or response model of one endpoint, under a unique name.

    `open_keys`: other keys are accepted too, as a function's `**kwargs` accepts them.
    """
    schema = SchemaView(
        name=builder.schema_names.claim(name),
        doc=one_line(doc),
        fields=tuple(fields),
        permissive=open_keys,
    )
    builder.messages.append(schema)
    return schema


def response(builder: ApiBuilder, op: str, returns: str | None) -> tuple[str | None, str | None]:
    """The response model for a return annotation, and a note when its type was lost."""
    if returns is not None and returns.strip() == "None":
        return None, None
    ref, note = builder.mapper.map(returns)
    if ref.kind == "model":
        return ref.name, None
    name = message(
        builder,
        f"{pascal(op)}Response",
        f"What {op} returns.",
        [FieldView("result", "result", ref, note=note)],
    ).name
    return name, (f"return value: {note}" if note else None)


def param_fields(builder: ApiBuilder, params: Iterable[Parameter]) -> list[FieldView]:
    """Wire fields from a signature's parameters, with safe names and JSON defaults."""
    names = UniqueNames(("self",))
    fields = []
    for param in params:
        wire = one_line(param.name) or "value"
        ref, note = builder.mapper.map(param.annotation)
        default, has_default = literal_value(param.default)
        if param.kind in ("var_positional", "var_keyword"):
            continue  # no name on the wire: `**kwargs` opens the model, `*args` is a TODO
        if param.default is not None and not has_default:
            note = f"default `{one_line(param.default)}` is not a JSON literal; None stands for it"
            ref, default, has_default = optional(ref), None, True
        elif has_default and default is None:
            ref = optional(ref)
        safe = wire.isidentifier() and wire.isascii() and not wire.startswith("_")
        name = (
            wire
            if safe and wire not in _SHADOWED and not wire.startswith("model_")
            else (identifier(wire, fallback="field") + "_")
        )
        fields.append(FieldView(names.claim(name), wire, ref, not has_default, default, note))
    return fields


def data_fields(builder: ApiBuilder, data: Iterable[DataField]) -> list[FieldView]:
    """Wire fields from a class's columns or declared fields: type, nullability, limits."""
    names = UniqueNames(("self",))
    fields = []
    for item in data:
        ref, note = builder.mapper.map(item.type or None)
        if not item.type:
            note = "its type is unknown statically"
        if item.choices and ref.kind in ("scalar", "any") and ref.name in ("", "str"):
            ref, note = literal(item.choices), None
        default, has_default = literal_value(item.default)
        if item.nullable:
            ref = optional(ref)  # null is a value; required or not is a separate question
        if not item.required and not has_default:
            ref, default, has_default = optional(ref), None, True
        elif has_default and default is None:
            ref = optional(ref)
        wire = one_line(item.name) or "value"
        fields.append(
            FieldView(
                names.claim(python_name(wire)),
                wire,
                ref,
                not has_default,
                default,
                note,
                max_length=item.max_length if ref.source().startswith("str") else None,
            )
        )
    return fields


def python_name(wire: str) -> str:
    """A field's name in generated code: the wire name, or a safe one and an alias."""
    safe = wire.isidentifier() and wire.isascii() and not wire.startswith("_")
    if safe and wire not in _SHADOWED and not wire.startswith("model_"):
        return wire
    return identifier(wire, fallback="field") + "_"


def literal_value(source: str | None) -> tuple[object, bool]:
    """A default's value when it is a JSON literal; (None, False) otherwise."""
    if source is None:
        return None, False
    try:
        value = ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None, False
    return (value, True) if _is_json(value) else (None, False)


def _is_json(value: object) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False
