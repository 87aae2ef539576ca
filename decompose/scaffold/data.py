"""Where each class that carries data lives, what fields it has, and which service owns it.

The scaffold declares a wire model from the best source the monolith has: a serializer of
the class (the monolith's own wire format), else the class's columns or declared fields.
A serializer that mirrors a model (`Meta.model`) takes the model's columns for the fields
it does not declare itself, limited to `Meta.fields` when it lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from decompose.model import DataField, DataShape, Decomposition, Definition, OrmModel

# A serializer is preferred to the model it mirrors: it is what the monolith sends.
_SERIALIZERS = (DataShape.DRF, DataShape.MARSHMALLOW)


@dataclass(frozen=True)
class DataClass:
    """One class of the monolith that carries data."""

    module: str
    name: str
    service: str | None  # None: the shared kernel
    fields: tuple[DataField, ...]
    model: str = ""  # for a serializer: the model it mirrors
    meta_fields: tuple[str, ...] = ()  # for a serializer: the model fields it lists
    is_model: bool = False  # an ORM model (it has a table)

    @property
    def key(self) -> DataField | None:
        """Its primary key, if it declares one."""
        return next((f for f in self.fields if f.primary_key), None)


@dataclass
class DataCatalog:
    """Every data class of a decomposition, by name, with the service that owns it."""

    by_name: dict[str, list[DataClass]] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)  # table name -> model class name

    def find(self, name: str, service: str | None = None) -> DataClass | None:
        """The class of that name, preferring one in `service`; None when ambiguous."""
        found = self.by_name.get(name.rpartition(".")[2], [])
        mine = [c for c in found if c.service == service]
        candidates = mine or found
        return candidates[0] if len(candidates) == 1 else None

    def wire_fields(self, name: str, service: str | None) -> tuple[DataField, ...] | None:
        """The fields a wire model of `name` declares, or None when nothing is known.

        A model without a serializer is sent as a row: a column the database fills in
        (a non-literal default) is always there, so it is required in the answer.
        """
        found = self.find(name, service)
        if found is None:
            return None
        if found.is_model:
            serializer = self._serializer_for(found, service)
            if serializer is not None:
                return self._merged(serializer, found)
            return tuple(
                replace(f, required=True)
                if not (f.required or f.nullable or f.default is not None)
                else f
                for f in found.fields
            )
        if found.model:
            model = self.find(found.model, found.service)
            if model is not None and model.is_model:
                return self._merged(found, model)
        return found.fields or None

    def owner(self, name: str) -> str | None:
        """The service owning the model or data class named (a table name works too)."""
        found = self.find(self.tables.get(name, name))
        return found.service if found is not None else None

    def _serializer_for(self, model: DataClass, service: str | None) -> DataClass | None:
        candidates = sorted(
            (
                c
                for group in self.by_name.values()
                for c in group
                if c.model.rpartition(".")[2] == model.name and c.service == service
            ),
            key=lambda c: (c.module, c.name),
        )
        return candidates[0] if candidates else None

    def _merged(self, serializer: DataClass, model: DataClass) -> tuple[DataField, ...]:
        columns = {f.name: f for f in model.fields}
        declared = {f.name: f for f in serializer.fields}
        listed = _listed(serializer, model)
        merged: dict[str, DataField] = {}
        for name in [*listed, *(n for n in declared if n not in listed)]:
            mine, column = declared.get(name), columns.get(name)
            if column is None and f"{name}_id" in columns:  # Django: `customer` is `customer_id`
                column = replace(columns[f"{name}_id"], name=name)
            if mine is None and column is not None:
                merged[name] = column
            elif mine is not None and column is not None and not mine.type:
                update: dict[str, Any] = {"type": column.type, "references": column.references}
                update["nullable"] = mine.nullable or column.nullable
                if mine.max_length is None:
                    update["max_length"] = column.max_length
                merged[name] = replace(mine, **update)
            elif mine is not None:
                merged[name] = mine
        return tuple(merged.values())


def _listed(serializer: DataClass, model: DataClass) -> list[str]:
    return list(serializer.meta_fields) or [f.name for f in model.fields]


def build_catalog(decomposition: Decomposition) -> DataCatalog:
    """The catalog of every model and data class in the report, deterministically ordered."""
    catalog = DataCatalog()
    for entry in sorted(decomposition.modules, key=lambda m: m.name):
        for model in entry.models:
            if not model.abstract:
                _add(catalog, _from_model(entry.name, entry.service, model))
                if model.table:
                    catalog.tables.setdefault(model.table, model.name)
        for definition in entry.definitions:
            if definition.shape is not None:
                _add(catalog, _from_definition(entry.name, entry.service, definition))
    return catalog


def _add(catalog: DataCatalog, found: DataClass) -> None:
    catalog.by_name.setdefault(found.name, []).append(found)


def _from_model(module: str, service: str | None, model: OrmModel) -> DataClass:
    return DataClass(module, model.name, service, model.fields, is_model=True)


def _from_definition(module: str, service: str | None, definition: Definition) -> DataClass:
    return DataClass(
        module,
        definition.name,
        service,
        definition.fields,
        model=definition.model if definition.shape in _SERIALIZERS else "",
        meta_fields=definition.meta_fields,
    )


def key_types(catalog: DataCatalog) -> Mapping[str, str]:
    """Model class name -> the type of its primary key, for ids that replace relations."""
    found: dict[str, str] = {}
    for name, group in sorted(catalog.by_name.items()):
        keys = {c.key.type for c in group if c.is_model and c.key is not None and c.key.type}
        if len(keys) == 1:
            found[name] = keys.pop()
    return found
