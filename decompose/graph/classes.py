"""The project's classes and the project classes they derive from, bases resolved by imports."""

from __future__ import annotations

from collections.abc import Callable

from decompose.graph.index import ModuleIndex
from decompose.graph.reexports import Reexports
from decompose.model import ModuleFacts

Parents = dict[tuple[str, str], tuple[tuple[str, str], ...]]


def class_parents(facts: list[ModuleFacts], index: ModuleIndex, exports: Reexports) -> Parents:
    """Each project class -> the project classes it derives from (bases resolved by imports)."""
    classes = {(f.module, d.name): d for f in facts for d in f.definitions if d.kind == "class"}
    parents: Parents = {}
    for (module, name), definition in classes.items():
        found = []
        for base in definition.bases:
            target = class_of(module, base, index, exports)
            if target is not None and target in classes and target != (module, name):
                found.append(target)
        if found:
            parents[(module, name)] = tuple(found)
    return parents


def class_of(
    module: str, text: str, index: ModuleIndex, exports: Reexports
) -> tuple[str, str] | None:
    """The (module, class) a base class written as `text` in `module` refers to."""
    if "." not in text:
        found = exports.origin(module, text)
        return (found[0], found[1]) if found[0] is not None else None
    head, _, name = text.rpartition(".")
    target = exports.submodule(module, head)
    if target is None:
        resolved = index.resolve(head)
        target = resolved if resolved is not None and resolved == index.canonical(head) else None
    if target is None:
        return None
    found = exports.origin(target, name)
    return (found[0], found[1]) if found[0] is not None else None


def derived_from(
    facts: list[ModuleFacts], parents: Parents, is_root: Callable[[str], bool]
) -> set[tuple[str, str]]:
    """The classes that derive, through project classes, from a base `is_root` accepts.

    `is_root` judges base names as written (`AppConfig`, `django.apps.AppConfig`): the
    roots are outside the project, so only their names are known.
    """
    found = {
        (f.module, d.name)
        for f in facts
        for d in f.definitions
        if d.kind == "class" and any(is_root(b) for b in d.bases)
    }
    while True:
        more = {c for c, bases in parents.items() if c not in found and found.intersection(bases)}
        if not more:
            return found
        found |= more
