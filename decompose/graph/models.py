"""ORM models of the project and the relations between them, resolved across modules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.graph.classes import Parents
from decompose.graph.index import ModuleIndex
from decompose.model import ModuleFacts


@dataclass(frozen=True)
class ModelRef:
    """An ORM model and where it is defined."""

    module: str
    name: str
    table: str | None
    framework: str
    abstract: bool = False


@dataclass(frozen=True)
class ResolvedRelation:
    """A foreign key or relationship whose target model was found in the project."""

    source: ModelRef
    field: str
    kind: str
    target: ModelRef
    line: int


def resolve_relations(
    facts: Iterable[ModuleFacts], index: ModuleIndex, parents: Parents | None = None
) -> tuple[dict[tuple[str, str], ModelRef], list[ResolvedRelation]]:
    """Every model of the project and the relations whose targets could be found.

    With the classes' `parents`, a class deriving from a model in another module is one too
    (`class Order(AbstractOrder): pass`, the way reusable apps let projects swap their
    models): concrete, with the relations its abstract ancestors declare, and linked by
    an `inherits` relation to a concrete parent.
    """
    facts = list(facts)
    models = _declared(facts)
    parents = parents or {}
    inferred = _inferred(parents, models)
    models.update(inferred)
    by_name: dict[str, list[ModelRef]] = {}
    by_table: dict[str, ModelRef] = {}
    for ref in models.values():
        by_name.setdefault(ref.name, []).append(ref)
        if ref.table and not ref.abstract:
            by_table.setdefault(ref.table, ref)
    declared: dict[tuple[str, str], list[ResolvedRelation]] = {}
    for module in facts:
        if not module.models:
            continue
        imported = _imported_names(module, index)
        for model in module.models:
            source = models[(module.module, model.name)]
            for relation in model.relations:
                target = _relation_target(
                    relation.target, source, relation.kind, imported, by_name, by_table
                )
                if target is not None:
                    declared.setdefault((source.module, source.name), []).append(
                        ResolvedRelation(
                            source, relation.field, relation.kind, target, relation.line
                        )
                    )
    relations = [r for found in declared.values() for r in found]
    lines = {(f.module, d.name): d.line for f in facts for d in f.definitions if d.kind == "class"}
    for key, ref in sorted(inferred.items()):
        relations += _inherited_relations(ref, lines.get(key, 1), parents, models, declared)
    return dict(sorted(models.items())), relations


def _declared(facts: list[ModuleFacts]) -> dict[tuple[str, str], ModelRef]:
    models: dict[tuple[str, str], ModelRef] = {}
    for module in facts:
        for model in module.models:
            table = model.table or _default_table(module.module, model.name, model.framework)
            ref = ModelRef(module.module, model.name, table, model.framework, model.abstract)
            models[(module.module, model.name)] = ref
    return models


def _default_table(module: str, name: str, framework: str) -> str | None:
    """The table of a model that names none.

    Django's `label_model`; for SQLAlchemy, Flask-SQLAlchemy's snake_case of the class
    (plain SQLAlchemy requires a name, so the guess only ever fills a gap).
    """
    if framework == "django":
        return f"{app_label(module)}_{name.lower()}"
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _inferred(
    parents: Parents, models: Mapping[tuple[str, str], ModelRef]
) -> dict[tuple[str, str], ModelRef]:
    """Classes deriving from a model, in rounds: a subclass of a subclass is one too."""
    inferred: dict[tuple[str, str], ModelRef] = {}
    while True:
        known = {**models, **inferred}
        found = {}
        for key, bases in sorted(parents.items()):
            if key in known:
                continue
            model = next((known[b] for b in bases if b in known), None)
            if model is not None:
                table = _default_table(key[0], key[1], model.framework)
                found[key] = ModelRef(key[0], key[1], table, model.framework)
        if not found:
            return inferred
        inferred.update(found)


def _inherited_relations(
    ref: ModelRef,
    line: int,
    parents: Parents,
    models: Mapping[tuple[str, str], ModelRef],
    declared: Mapping[tuple[str, str], list[ResolvedRelation]],
) -> list[ResolvedRelation]:
    """An inferred model's relations: those of its abstract ancestors, and its concrete parents.

    They are located at the class statement (`line`), where the model takes them on.
    """
    found: list[ResolvedRelation] = []
    seen: set[tuple[str, str]] = set()
    stack = list(parents.get((ref.module, ref.name), ()))
    while stack:
        parent = stack.pop()
        model = models.get(parent)
        if parent in seen or model is None:
            continue
        seen.add(parent)
        if not model.abstract:
            found.append(ResolvedRelation(ref, "", "inherits", model, line))
            continue
        for relation in declared.get(parent, ()):
            target = ref if relation.target == model else relation.target
            found.append(ResolvedRelation(ref, relation.field, relation.kind, target, line))
        stack += parents.get(parent, ())
    return found


def app_label(module: str) -> str:
    """Django's default app label: the package that holds the models module."""
    parts = module.split(".")
    if parts[-1] == "models" and len(parts) > 1:
        return parts[-2]
    if len(parts) > 2 and parts[-2] == "models":
        return parts[-3]
    return parts[-1]


def _imported_names(module: ModuleFacts, index: ModuleIndex) -> dict[str, str]:
    """Local name -> project module it was imported from."""
    names = {}
    for fact in module.imports:
        target = index.resolve(fact.target)
        if target is None:
            continue
        for name in fact.names:
            names[name.alias or name.name] = target
    return names


def _relation_target(
    text: str,
    source: ModelRef,
    kind: str,
    imported: Mapping[str, str],
    by_name: Mapping[str, list[ModelRef]],
    by_table: Mapping[str, ModelRef],
) -> ModelRef | None:
    if text == "self":
        return source
    if kind == "foreign_key" and source.framework == "sqlalchemy":
        return by_table.get(text.partition(".")[0]) or by_table.get(text.rpartition(".")[0])
    label, _, name = text.rpartition(".")
    candidates = by_name.get(name, [])
    if not candidates:
        return None
    if label:  # "app_label.Model" or "package.module.Model"
        for ref in candidates:
            if app_label(ref.module) == label or ref.module == label or ref.module.endswith(label):
                return ref
        return None
    if name in imported:
        for ref in candidates:
            if ref.module == imported[name] or ref.module.startswith(imported[name] + "."):
                return ref
    same = [ref for ref in candidates if ref.module == source.module]
    if same:
        return same[0]
    return candidates[0] if len(candidates) == 1 else None
