"""Step 2: the tables of a package that holds several domains' data, grouped into entities.

Many monoliths keep every domain's models side by side (`pretix/base/models/orders.py`,
`items.py` ...) or in one module (`CTFd/models.py`, 40 tables). Each models module is
then one entity group, the developers' own grouping; a single module of many tables is
cut into aggregates: a table that belongs to exactly one other (a flag of a challenge,
a token of a user) and that nothing else points to joins it, and tables of one
inheritance tree stay together. Where each table has a models module of its own, the
modules' names group them (`task_status.py` and `task_type.py` with `task.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from decompose.clustering.apps import data_home
from decompose.clustering.facts import ProjectFacts, Relation
from decompose.clustering.grouping import Context, Grouping, Origin, mention
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.tree import last
from decompose.clustering.vocabulary import is_domain_word, term, tokens
from decompose.model.placement import Placement, Reason

Table = tuple[str, str]  # (module, class)
# Relations that say one table belongs to another: a key held by the table that belongs.
_OWNING = frozenset({"foreign_key", "one_to_one"})


def entity_contexts(
    facts: ProjectFacts, package: str, heuristics: Heuristics
) -> tuple[list[Context], set[str]]:
    """The entity groups of an opened package, and its models modules that must be split.

    Returns:
        One context per models module (or per aggregate of a single big models
        module), and the models modules holding several contexts' tables.
    """
    tree = facts.tree
    modules = sorted(m for m in facts.tables if data_home(m, tree.is_package(m)) == package)
    contexts: list[Context] = []
    split: set[str] = set()
    for module in modules:
        named = is_domain_word(last(module)) and len(modules) > 1  # `asset.py`: one group
        if named or len(facts.tables[module]) < heuristics.split_classes:
            contexts.append(_module_context(module, facts.tables[module]))
            continue
        groups = aggregates(
            facts.tables[module], [r for r in facts.relations if _inside(r, module)]
        )
        contexts += [_aggregate_context(module, group) for group in groups]
        if len(groups) > 1:
            split.add(module)
    return contexts, split


def by_compound_names(grouping: Grouping, facts: ProjectFacts) -> Grouping:
    """Entity groups named as parts of another group of the same package join it.

    Where every table has a models module of its own (`models/task.py`,
    `models/task_status.py`, `models/task_type.py`), the modules' names say which
    belong together, as `OrderLine` says it is part of `Order`: a group whose name
    begins with the whole name of another group beside it joins that one (the longest
    such name, then its own joins up the chain). An aggregate cut from a big models
    module is named by its root table (`QueryResult` beside `Query`).
    """
    groups: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    for context in sorted(grouping.contexts.values(), key=lambda c: c.id):
        if context.origin is Origin.ENTITY:
            home = data_home(context.package, facts.tree.is_package(context.package))
            # a models module by its name; an aggregate of a split one by its root table
            name = last(context.package) if context.id == context.package else context.label
            groups[home].setdefault(tokens(name), context.id)
    for found in groups.values():
        for words, part in sorted(found.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            head = next(
                (words[:n] for n in range(len(words) - 1, 0, -1) if words[:n] in found), None
            )
            if head is None:
                continue
            target = found[head]
            placement = Placement(
                reason=Reason.MODELS,
                confidence=0.8,
                detail=f"its tables are part of {mention(target)} by name",
            )
            grouping = grouping.merge(part, target, placement)
    return grouping


def _inside(relation: Relation, module: str) -> bool:
    return relation.source[0] == module and relation.target[0] == module


def _module_context(module: str, tables: Iterable[str]) -> Context:
    own = last(module)
    names = {term(own)} if is_domain_word(own) else set()
    tables = tuple(sorted(tables))
    label = own if is_domain_word(own) else _main_table(tables)
    return Context(
        id=module,
        origin=Origin.ENTITY,
        package=module,
        label=label,
        names=frozenset(names),
        tables=tables,
    )


def _aggregate_context(module: str, group: tuple[str, ...]) -> Context:
    root = group[0]
    return Context(
        id=f"{module}:{root}",
        origin=Origin.ENTITY,
        package=module,
        label=root,
        names=frozenset({term(root)}),
        tables=tuple(sorted(group)),
    )


def _main_table(tables: tuple[str, ...]) -> str:
    return min(tables, key=lambda t: (len(t), t)) if tables else "data"


def aggregates(tables: Iterable[str], relations: Iterable[Relation]) -> list[tuple[str, ...]]:
    """Group the tables of one module into aggregates, each listed root first.

    Tables of one inheritance tree are one table here. A table whose relations point to
    exactly one other table, and that no other table points to, is part of that one's
    aggregate (a flag of a challenge); every other table is the root of its own.
    """
    tables = sorted(set(tables))
    family = {t: t for t in tables}  # inheritance: each table -> its tree's root

    def root_of(table: str) -> str:
        while family[table] != table:
            table = family[table]
        return table

    relations = [r for r in relations if r.source[1] in family and r.target[1] in family]
    for relation in relations:
        if relation.kind == "inherits":
            child, base = root_of(relation.source[1]), root_of(relation.target[1])
            if child != base:
                family[child] = base
    points_to: dict[str, set[str]] = defaultdict(set)
    pointed_by: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        if relation.kind not in _OWNING:
            continue  # `relationship("Hints")` navigates; the key on `Hints` says who owns whom
        a, b = root_of(relation.source[1]), root_of(relation.target[1])
        if a != b:
            points_to[a].add(b)
            pointed_by[b].add(a)
    owner = {}
    for table in sorted({root_of(t) for t in tables}):
        parents = points_to.get(table, set())
        if len(parents) == 1 and not pointed_by.get(table):
            owner[table] = next(iter(parents))
    groups: dict[str, list[str]] = defaultdict(list)
    for table in tables:
        top = root_of(table)
        seen = {top}
        while top in owner and owner[top] not in seen:  # a chain of single parents
            top = owner[top]
            seen.add(top)
        groups[top].append(table)
    return [
        (top, *sorted(t for t in members if t != top)) for top, members in sorted(groups.items())
    ]
