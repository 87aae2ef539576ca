"""Folders a project puts on `sys.path`: the packages in them are imported by their own names.

Many Django projects run with their project package's folder on the path (`manage.py`
or the settings insert it), so `label_studio/tasks/` is imported as `tasks`, not as
`label_studio.tasks`. Read by file path alone, those imports name no module of the
project, and a third of the dependencies go missing. The code itself says which folder
it runs from: several children of one package imported by their bare names, each
import naming a module that exists there. A child named like a library the project
also uses (`web/flask/` beside Flask) is not evidence: imports of `flask.json` or
`flask.views` name nothing under `web/flask/`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from decompose.graph.index import is_stdlib
from decompose.model import ModuleFacts

# A package is a source root when at least this many of its children are imported by
# their bare names: one or two could be libraries that share a name with a child.
MIN_CHILDREN = 3
# ... and when at least this share of those imports, for each child and in all, name a
# module that exists under the package: the imports of a library go elsewhere.
MIN_SHARE = 0.8


def source_root_aliases(facts: Iterable[ModuleFacts], modules: Collection[str]) -> dict[str, str]:
    """Aliases for the children of every package the imports show to be on the path.

    A bare name maps to the module it reaches there: `tasks` -> `label_studio.tasks`.
    """
    heads = {m.partition(".")[0] for m in modules}
    parents: dict[str, list[str]] = defaultdict(list)  # child's name -> packages holding it
    for name in sorted(modules):
        parent, _, child = name.rpartition(".")
        if parent and child not in heads and not is_stdlib(child):
            parents[child].append(parent)
    # package -> child -> imports reaching a module below the child, the child, nothing there
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for module in facts:
        for fact in module.imports:
            head, dot, _ = fact.target.partition(".")
            for package in parents.get(head, ()):
                reached = f"{package}.{fact.target}"
                if reached not in modules:
                    counts[package][head][2] += 1
                elif dot or any(f"{reached}.{n.name}" in modules for n in fact.names):
                    counts[package][head][0] += 1  # `tasks.models`, `from billing import api`
                else:
                    counts[package][head][1] += 1
    aliases: dict[str, str] = {}
    for package in sorted(counts):
        children = counts[package]
        named = [c for c, found in children.items() if _reaches_inside(found)]
        hits = sum(below + itself for below, itself, _ in children.values())
        total = sum(sum(found) for found in children.values())
        if len(named) >= MIN_CHILDREN and hits >= MIN_SHARE * total:
            for child in sorted(named):
                aliases.setdefault(child, f"{package}.{child}")
    return aliases


def _reaches_inside(found: list[int]) -> bool:
    """Whether the bare imports of a child name modules inside it, and mostly exist there.

    `from tasks.models import Task` reaches into `tasks/`; `from redis import Redis`
    beside a `utils/redis.py` could be the library as well as the module.
    """
    below, itself, nothing = found
    return below > 0 and below + itself >= MIN_SHARE * (below + itself + nothing)
