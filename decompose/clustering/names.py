"""Names as evidence: which context a path names, the way an architect reads a tree.

`graphql/order/mutations.py`, `api/v1/challenges.py` and `control/views/orders.py` say
whom they serve in their path. A path is read from the top down: role words (`api`,
`v1`, `views`) are skipped, and the first part that names a context decides. A
context's own name (its app, models module or business term) is a stronger claim than
the name of one of its tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from decompose.clustering.grouping import Context, Origin
from decompose.clustering.tree import Tree, within
from decompose.clustering.vocabulary import Role, is_format, role, term, tokens

# When one name is claimed by several contexts, apps win over entity groups over terms.
_ORIGIN_RANK = {Origin.APP: 0, Origin.PACKAGE: 0, Origin.ENTITY: 1, Origin.TERM: 2}


@dataclass(frozen=True)
class Match:
    """A context named by a module's path, and the part of the path that names it."""

    context: str
    word: str
    strength: int  # 0: the context's own name, 1: one of its tables, 2: inside a compound


class NameIndex:
    """Comparable names -> the contexts they point to."""

    def __init__(self, contexts: Iterable[Context]) -> None:
        self._claims: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
        self._origins: dict[str, Origin] = {}
        for context in contexts:
            self._origins[context.id] = context.origin
            rank = _ORIGIN_RANK.get(context.origin, 3)
            for name in context.names:
                self._claims[name].append((0, rank, context.package, context.id))
            for table in context.tables:
                self._claims[term(table)].append((1, rank, context.package, context.id))

    def lookup(
        self, word: str, near: str = "", *, tables_only: bool = False, excluding: str = ""
    ) -> tuple[str, int] | None:
        """The context a word names, and how strongly (0 own name, 1 a table's).

        Among equal claims, the context whose package is nearest `near` wins. With
        `tables_only`, only the names of tables count; contexts in the package
        `excluding` are left out.
        """
        claims = self._claims.get(term(word))
        if claims and (tables_only or excluding):
            claims = [
                c
                for c in claims
                if (c[0] == 1 or not tables_only) and not (excluding and within(c[2], excluding))
            ]
        if not claims:
            return None
        strength, _, _, context = min(
            claims, key=lambda c: (c[0], c[1], -_shared_depth(c[2], near), c[3])
        )
        return context, strength

    def origin(self, context: str) -> Origin:
        """What made a context of the index one."""
        return self._origins[context]

    def __contains__(self, word: str) -> bool:
        return term(word) in self._claims


def _shared_depth(a: str, b: str) -> int:
    depth = 0
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        depth += 1
    return depth


def named_context(
    module: str,
    tree: Tree,
    index: NameIndex,
    start: str = "",
    *,
    strict: bool = False,
    excluding: str = "",
) -> Match | None:
    """The context `module`'s path names, read from the top down (below `start`).

    Role words are skipped, except that the module's own name may name a table
    (`api/v1/modules.py` a `Modules` table, but `tasks.py` no `tasks` app); a compound
    part (`dynamic_challenges`) names what one of its words names. With `strict`, the
    first business word decides alone, and compounds do not count: what a package's
    children are named after, the way a layer's are (`graphql/order/`). Contexts in the
    package `excluding` are not named.
    """
    parts = tree.below(module)
    if start:
        parts = parts[len(tree.below(start)) :] if module != start else []
    for i, part in enumerate(parts):
        own = i == len(parts) - 1
        kind = role(part)
        if is_format(part) and names_context(index, part, module, excluding):
            kind = Role.DOMAIN  # a format the project has an app for (saleor's `csv/`)
        if kind is not Role.DOMAIN and not own:
            continue
        found = index.lookup(part, module, tables_only=kind is not Role.DOMAIN, excluding=excluding)
        if found is not None:
            return Match(found[0], part, found[1])
        if strict and kind is Role.DOMAIN:
            return None
        compound = tokens(part) if kind is Role.DOMAIN and not strict else ()
        for word in compound if len(compound) > 1 else ():
            found = index.lookup(word, module, excluding=excluding)
            if found is not None:
                return Match(found[0], part, 2)
    return None


def names_context(index: NameIndex, word: str, near: str = "", excluding: str = "") -> bool:
    """Whether `word` is the own name of a context (not only of one of its tables)."""
    found = index.lookup(word, near, excluding=excluding)
    return found is not None and found[1] == 0
