"""Annotations (source text) mapped to the types a pydantic model can safely declare.

Annotations are parsed with `ast`, never evaluated. What maps safely becomes a `TypeRef`;
anything else becomes `Any` (permissive JSON) and a note saying what was lost.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import json
import typing
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import WithJsonSchema

_SCALARS: dict[str, tuple[str, object]] = {
    # name in source -> (name in generated code, Python type)
    "int": ("int", int),
    "str": ("str", str),
    "float": ("float", float),
    "bool": ("bool", bool),
    "Decimal": ("Decimal", decimal.Decimal),
    "datetime": ("datetime", datetime.datetime),
    "date": ("date", datetime.date),
    "time": ("time", datetime.time),
    "UUID": ("UUID", uuid.UUID),
}
# The import a generated module needs for each type name it may write.
IMPORTS = {
    "Decimal": "from decimal import Decimal",
    "datetime": "from datetime import datetime",
    "date": "from datetime import date",
    "time": "from datetime import time",
    "UUID": "from uuid import UUID",
    "Any": "from typing import Any",
}
#: Generated code writes a decimal as this alias of `Decimal`, which the client's models.py
#: defines with `DECIMAL_JSON_SCHEMA`'s schema, so that the contract names the strings the
#: service reads (pydantic's own schema of a Decimal admits any string, by version).
WIRE_DECIMAL = "WireDecimal"
#: The strings `Decimal` reads, less whitespace, `_` separators, infinities and NaN: the
#: pattern pydantic builds for validation (`GenerateJsonSchema.build_decimal_pattern`).
DECIMAL_PATTERN = r"^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$"
DECIMAL_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_PATTERN}]
}
_QUALIFIED = {
    "decimal.Decimal": "Decimal",
    "datetime.datetime": "datetime",
    "datetime.date": "date",
    "datetime.time": "time",
    "uuid.UUID": "UUID",
    "typing.Any": "Any",
    "builtins.int": "int",
    "builtins.str": "str",
    "builtins.float": "float",
    "builtins.bool": "bool",
}
_LISTS = {
    "list",
    "List",
    "Sequence",
    "MutableSequence",
    "Iterable",
    "Collection",
    "Set",
    "set",
    "frozenset",
    "FrozenSet",
    "AbstractSet",
    "tuple",
    "Tuple",
}
_DICTS = {"dict", "Dict", "Mapping", "MutableMapping"}
_TYPING_PREFIXES = ("typing.", "typing_extensions.", "collections.abc.", "t.")
QUERY_SCALARS = frozenset(
    {"int", "str", "float", "bool", "Decimal", "datetime", "date", "time", "UUID"}
)


@dataclass(frozen=True)
class TypeRef:
    """A type a generated model declares.

    Attributes:
        kind: `scalar`, `list`, `dict`, `union`, `model`, `literal`, `any` or `none`.
        name: the scalar's or model's name in generated code.
        args: element types (`list`: one; `dict`: key and value; `union`: two or more).
        values: the allowed strings of a `literal`.
    """

    kind: str
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    values: tuple[str, ...] = ()

    def source(self, qualifier: str = "") -> str:
        """The annotation as generated code writes it (`list[int] | None`).

        Args:
            qualifier: prefix for model names, such as `models.` outside models.py.
        """
        if self.kind == "scalar":
            return qualifier + WIRE_DECIMAL if self.name == "Decimal" else self.name
        if self.kind == "model":
            return qualifier + self.name
        if self.kind == "any":
            return "Any"
        if self.kind == "none":
            return "None"
        if self.kind == "literal":
            return f"Literal[{', '.join(json.dumps(v) for v in self.values)}]"
        if self.kind == "list":
            return f"list[{self.args[0].source(qualifier)}]"
        if self.kind == "dict":
            return f"dict[{self.args[0].source(qualifier)}, {self.args[1].source(qualifier)}]"
        return " | ".join(a.source(qualifier) for a in self.args)

    def qualified(self) -> str:
        """The annotation outside models.py, where models are reached as `models.X`."""
        return self.source("models.")

    def imports(self) -> set[str]:
        """The import lines generated code needs for this type."""
        found = {IMPORTS[self.source()]} if self.source() in IMPORTS else set()
        if self.kind == "literal":
            found.add("from typing import Literal")
        for arg in self.args:
            found |= arg.imports()
        return found

    def uses_decimal(self) -> bool:
        """Whether it is, or holds, a decimal (written as `WireDecimal`)."""
        return self == scalar("Decimal") or any(a.uses_decimal() for a in self.args)

    def models(self) -> set[str]:
        """Names of the schema models this type refers to."""
        found = {self.name} if self.kind == "model" else set()
        for arg in self.args:
            found |= arg.models()
        return found

    def python(self, models: Mapping[str, object]) -> Any:
        """The runtime type, for building the same model with pydantic at scaffold time."""
        if self.kind == "scalar" and self.name == "Decimal":
            return Annotated[decimal.Decimal, WithJsonSchema(DECIMAL_JSON_SCHEMA)]
        if self.kind == "scalar":
            return _SCALARS[self.name][1]
        if self.kind == "model":
            return models[self.name]
        if self.kind == "any":
            return Any
        if self.kind == "none":
            return type(None)
        if self.kind == "literal":
            return typing.Literal[self.values]
        args = tuple(a.python(models) for a in self.args)
        if self.kind == "list":
            return list[args[0]]  # type: ignore[valid-type]
        if self.kind == "dict":
            return dict[args[0], args[1]]  # type: ignore[valid-type]
        return typing.Union[args]  # noqa: UP007 - built from a tuple at run time

    @property
    def optional(self) -> bool:
        """Whether None is a valid value."""
        return self.kind in ("any", "none") or any(a.kind == "none" for a in self.args)

    @property
    def query_safe(self) -> bool:
        """Whether the type can travel as one query-string parameter."""
        if self.kind in ("scalar", "literal"):
            return True
        if self.kind == "union":
            real = [a for a in self.args if a.kind != "none"]
            return len(real) == 1 and real[0].kind in ("scalar", "literal")
        return False


ANY = TypeRef("any")
NONE = TypeRef("none")


def scalar(name: str) -> TypeRef:
    """A scalar TypeRef by its generated name (`int`, `Decimal`, ...)."""
    return TypeRef("scalar", _SCALARS[name][0])


def literal(values: tuple[str, ...]) -> TypeRef:
    """`Literal["a", "b"]`: one of the given strings."""
    return TypeRef("literal", values=tuple(dict.fromkeys(values)))


def optional(ref: TypeRef) -> TypeRef:
    """`ref | None`."""
    if ref.optional:
        return ref
    return TypeRef("union", args=(*(ref.args if ref.kind == "union" else (ref,)), NONE))


@dataclass
class TypeMapper:
    """Maps annotation text to TypeRefs, resolving names of known schema models.

    Attributes:
        models: class name in the analyzed code -> schema model name in generated code.
        aliases: class name in the analyzed code -> the type that stands for it (enums).
        ids: model class name -> the type of its primary key: a model declared by no wire
            model of this service travels as its id, not as a nested object.
    """

    models: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, TypeRef] = field(default_factory=dict)
    ids: Mapping[str, TypeRef] = field(default_factory=dict)

    def map(self, annotation: str | None) -> tuple[TypeRef, str | None]:
        """Return the TypeRef for an annotation and a note when something was lost."""
        if annotation is None or not annotation.strip():
            return ANY, "no annotation"
        try:
            node = ast.parse(annotation.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return ANY, f"cannot parse `{annotation}`"
        ref = self._map(node, depth=0)
        if ref is None:
            return ANY, f"`{annotation}` has no safe JSON mapping"
        return ref, None

    def _map(self, node: ast.expr, depth: int) -> TypeRef | None:
        if depth > 8:
            return None
        if isinstance(node, ast.Constant):
            if node.value is None:
                return NONE
            if isinstance(node.value, str):  # a forward reference: "Product"
                try:
                    inner = ast.parse(node.value.strip(), mode="eval").body
                except (SyntaxError, ValueError):
                    return None
                return self._map(inner, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self._union([node.left, node.right], depth)
        if isinstance(node, ast.Subscript):
            return self._generic(node, depth)
        name = _dotted(node)
        return None if name is None else self._named(name)

    def _named(self, name: str) -> TypeRef | None:
        name = _QUALIFIED.get(name, name)
        if name in _SCALARS:
            return scalar(name)
        if name in ("Any", "object"):
            return ANY
        if name in ("list", "List", "tuple", "Tuple", "set", "frozenset", "Sequence"):
            return TypeRef("list", args=(ANY,))
        if name in ("dict", "Dict", "Mapping"):
            return TypeRef("dict", args=(scalar("str"), ANY))
        short = _strip_typing(name).rsplit(".", 1)[-1]
        if short in self.aliases:
            return self.aliases[short]
        if short in self.models:
            return TypeRef("model", self.models[short])
        if short in self.ids:
            return self.ids[short]
        return None

    def _generic(self, node: ast.Subscript, depth: int) -> TypeRef | None:
        origin = _dotted(node.value)
        if origin is None:
            return None
        origin = _strip_typing(origin)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin == "Optional" and len(args) == 1:
            inner = self._map(args[0], depth + 1)
            return None if inner is None else optional(inner)
        if origin == "Union":
            return self._union(args, depth)
        if origin == "Annotated" and args:
            return self._map(args[0], depth + 1)
        if origin in _LISTS:
            if origin in ("tuple", "Tuple") and not (
                len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis
            ):
                return None  # fixed-length tuples have no faithful JSON list type
            item = self._map(args[0], depth + 1)
            return None if item is None else TypeRef("list", args=(item,))
        if origin in _DICTS and len(args) == 2:
            key, value = self._map(args[0], depth + 1), self._map(args[1], depth + 1)
            if key is None or value is None or key.source() not in ("str", "int"):
                return None
            return TypeRef("dict", args=(key, value))
        return None

    def _union(self, nodes: list[ast.expr], depth: int) -> TypeRef | None:
        members: list[TypeRef] = []
        for node in nodes:
            ref = self._map(node, depth + 1)
            if ref is None:
                return None
            for member in ref.args if ref.kind == "union" else (ref,):
                if member.kind == "any":
                    return ANY
                if member not in members:
                    members.append(member)
        # None goes last, as people write it (`X | None`).
        members.sort(key=lambda m: m.kind == "none")
        return members[0] if len(members) == 1 else TypeRef("union", args=tuple(members))


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _strip_typing(name: str) -> str:
    for prefix in _TYPING_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
