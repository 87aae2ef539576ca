"""Dotted names in strings resolved to the project's modules and definitions.

Frameworks name code in strings: settings list dotted paths, Django relations and
`apps.get_model("orders", "Order")` name a model by its app label, and some projects
load nearly every class by a path relative to an app (`get_class("catalogue.forms",
"ProductForm")`). A string names a module when it is one, when it ends one (the
shortest such name: the path is relative to an apps package), or, with a class name,
when it is the app label of a model of that name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from decompose.graph.index import ModuleIndex
from decompose.graph.models import ModelRef, app_label
from decompose.model import StringRef


class StringTargets:
    """Resolves string references against the project's modules, definitions and models."""

    def __init__(
        self,
        index: ModuleIndex,
        definitions: Mapping[str, set[str]],
        models: Iterable[ModelRef],
    ) -> None:
        self._index = index
        self._definitions = definitions
        self._by_last: dict[str, list[str]] = defaultdict(list)
        for module in sorted(index.modules, key=lambda m: (m.count("."), m)):
            self._by_last[module.rpartition(".")[2]].append(module)
        self._labels: dict[tuple[str, str], str] = {}
        for model in sorted(models, key=lambda m: (m.abstract, m.module)):
            self._labels.setdefault((app_label(model.module), model.name), model.module)

    def resolve(self, ref: StringRef) -> tuple[str, str] | None:
        """The (module, name) a reference points to; name is "" for a whole module."""
        if ref.name:
            if "." not in ref.value and (ref.value, ref.name) in self._labels:
                return self._labels[(ref.value, ref.name)], ref.name
            module = self.module(ref.value)
            if module is not None and ref.name in self._definitions.get(module, ()):
                return module, ref.name
            return (module, "") if module is not None else None
        module = self._index.canonical(ref.value)
        if module in self._index.modules:
            return module, ""
        parent, _, name = module.rpartition(".")
        if parent in self._index.modules and name in self._definitions.get(parent, ()):
            return parent, name
        if "." not in parent and (parent, name) in self._labels:  # "orders.Order"
            return self._labels[(parent, name)], name
        found = self._ending(module)
        if found is not None:
            return found, ""
        found = self._ending(parent) if "." in parent else None
        if found is not None and name in self._definitions.get(found, ()):
            return found, name
        return None

    def module(self, text: str) -> str | None:
        """The module `text` names: itself, or the shortest module name it ends."""
        canonical = self._index.canonical(text)
        if canonical in self._index.modules:
            return canonical
        return self._ending(text) if "." in text else None

    def _ending(self, text: str) -> str | None:
        """The shortest module whose name ends with the dotted `text` (a unique one)."""
        suffix = "." + text
        found = [m for m in self._by_last.get(text.rpartition(".")[2], ()) if m.endswith(suffix)]
        if not found:
            return None
        shortest = [m for m in found if m.count(".") == found[0].count(".")]
        return shortest[0] if len(shortest) == 1 else None
