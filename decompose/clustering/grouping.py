"""The value each clustering step takes and returns: contexts, and where each module is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property

from decompose.model.placement import Placement


def mention(context_id: str) -> str:
    """A context named in a placement's detail; the final service name replaces it."""
    return f"\u27e6{context_id}\u27e7"


MENTION = re.compile("\u27e6([^\u27e7]*)\u27e7")


class Origin(str, Enum):
    """What made a group of code a candidate bounded context."""

    APP = "app"  # a package that owns tables or declares an app: the developers' own cut
    ENTITY = "entity"  # tables of a package that holds several domains' data
    TERM = "term"  # a business name found across the layers, or a package without a role
    PACKAGE = "package"  # a package of code without data (projects without an ORM)
    COMMUNITY = "community"  # a graph community (flat code)


@dataclass(frozen=True)
class Context:
    """A candidate bounded context and the names that point to it.

    `names` are comparable terms (see `vocabulary.term`): the context's own name first
    (its package, models module or business term), then `tables`, the model classes it
    owns, which point to it less surely.
    """

    id: str
    origin: Origin
    package: str  # the package (or models module) it grew from; "" for none
    label: str  # the name a person would give it, before clashes are resolved
    names: frozenset[str] = frozenset()
    tables: tuple[str, ...] = ()  # model classes it owns
    entry: bool = False  # declares an app (AppConfig, blueprint)

    @property
    def owns_data(self) -> bool:
        """Whether it owns database tables."""
        return bool(self.tables)


@dataclass(frozen=True)
class Grouping:
    """Contexts, and the modules placed so far: in a context, or (None) in the shared kernel.

    Steps never change a Grouping: each returns a new one with more modules placed
    (`place`), or contexts merged (`merge`).
    """

    contexts: Mapping[str, Context]
    owner: Mapping[str, str | None] = field(default_factory=dict)
    placements: Mapping[str, Placement] = field(default_factory=dict)

    def place(self, decisions: Mapping[str, tuple[str | None, Placement]]) -> Grouping:
        """A grouping with these modules placed (context id or None, and why)."""
        owner = dict(self.owner)
        placements = dict(self.placements)
        for module, (context, placement) in decisions.items():
            owner[module] = context
            placements[module] = placement
        return replace(self, owner=owner, placements=placements)

    def with_contexts(self, contexts: Iterable[Context]) -> Grouping:
        """A grouping with these contexts added (or replaced, by id)."""
        merged = dict(self.contexts)
        merged.update((c.id, c) for c in contexts)
        return replace(self, contexts=merged)

    def merge(self, source: str, target: str | None, placement: Placement) -> Grouping:
        """Move every module of context `source` into `target` (None: the kernel)."""
        moved = {m: (target, placement) for m, c in self.owner.items() if c == source}
        merged = self.place(moved)
        contexts = {k: v for k, v in self.contexts.items() if k != source}
        if target is not None and source in self.contexts and target in contexts:
            kept = contexts[target]
            gone = self.contexts[source]
            contexts[target] = replace(
                kept,
                names=kept.names | gone.names,
                tables=tuple(sorted(set(kept.tables) | set(gone.tables))),
                entry=kept.entry or gone.entry,
            )
        return replace(merged, contexts=contexts)

    @cached_property
    def members(self) -> dict[str, set[str]]:
        """Context id -> its modules (contexts without modules are left out)."""
        found: dict[str, set[str]] = defaultdict(set)
        for module, context in self.owner.items():
            if context is not None:
                found[context].add(module)
        return dict(found)

    @property
    def kernel(self) -> set[str]:
        """The modules placed in the shared kernel."""
        return {m for m, c in self.owner.items() if c is None}
