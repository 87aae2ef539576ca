"""The default algorithm: bounded contexts read off the code the way an architect reads it.

The steps, each a function from one grouping to the next (see each module):

1. apps (`apps.py`): packages that own tables or declare an app are contexts, taken
   whole; the root, a package that is most of the project, and a role-named package
   whose code serves several domains (`base/`, `admin/`) have their tables opened.
2. entities (`entities.py`): opened tables grouped by models module, or into aggregates;
   a models module named as a part of another (`task_status` of `task`) joins it.
3. terms (`terms.py`): horizontal layers found; business names that no app or table
   carries (`blocks/`, `statistics` in `admin/` and `api/`) become contexts.
4. names (`placement.place_by_name`): each free module joins the context its path names.
5. coupling (`placement.place_by_use`): the rest join the context they lean on.
6. kernel (`kernel.py`): what serves many contexts, or none, is shared.
7. fragments (`fragments.py`): groups too small to stand alone join their closest.
8. platform (`kernel.platform_to_kernel`): a context without data that most of the
   others build on (framework glue, i18n) is platform code, and shared.

Code without apps or tables falls back on its packages (step 3 makes them contexts),
and code without packages on Louvain communities.
"""

from __future__ import annotations

from decompose.clustering.apps import scan_apps
from decompose.clustering.base import Clustering, register
from decompose.clustering.contexts import (
    app_and_entity_contexts,
    home_of,
    place_structural,
    resolve_doubtful,
    table_owner,
)
from decompose.clustering.count import regroup
from decompose.clustering.entities import by_compound_names
from decompose.clustering.facts import ProjectFacts
from decompose.clustering.flat import communities_of_flat_code
from decompose.clustering.fragments import merge_fragments
from decompose.clustering.grouping import MENTION, Grouping, Origin
from decompose.clustering.heuristics import DEFAULT, Heuristics
from decompose.clustering.kernel import platform_to_kernel, shared_kernel
from decompose.clustering.names import NameIndex
from decompose.clustering.naming import name_contexts
from decompose.clustering.placement import place_by_name, place_by_use
from decompose.clustering.terms import term_contexts
from decompose.config import Settings
from decompose.model.placement import Placement


@register
class DecomposeClusterer:
    """Apps, entities, layers sliced by name, coupling, a shared kernel; see the module."""

    name = "decompose"

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Contexts over `facts`' modules, the shared kernel, and why each module is where."""
        grouping = propose_contexts(facts, DEFAULT)
        members = grouping.members
        if len(members) < 2 and facts.tree.loc:
            return communities_of_flat_code(facts, settings)
        names = name_contexts(
            {c: grouping.contexts[c] for c in members}, {c: len(m) for c, m in members.items()}
        )
        ids = sorted(members, key=lambda c: (-len(members[c]), min(members[c])))
        communities = [set(members[c]) for c in ids]
        labels = [names[c] for c in ids]
        own = {c: context.label for c, context in grouping.contexts.items()}
        placements = {m: _renamed(p, names, own) for m, p in grouping.placements.items()}
        if settings.services is not None or settings.resolution is not None:
            communities, labels = regroup(facts.view, communities, labels, settings)
        return Clustering(communities, frozenset(grouping.kernel), labels, placements)


def propose_contexts(facts: ProjectFacts, heuristics: Heuristics = DEFAULT) -> Grouping:
    """Run the steps in order (see the module docstring); every module ends up placed."""
    scan = scan_apps(facts, heuristics)
    grouping, split = app_and_entity_contexts(facts, scan, heuristics)
    grouping, split = resolve_doubtful(grouping, facts, scan, split, heuristics)
    grouping = place_structural(grouping, facts, split)
    grouping = by_compound_names(grouping, facts)
    free = [m for m in facts.tree.modules if m not in grouping.owner]
    opened = {
        home_of(facts, c.package) for c in grouping.contexts.values() if c.origin is Origin.ENTITY
    }
    terms = term_contexts(facts.tree, free, grouping.contexts.values(), heuristics, opened)
    grouping = grouping.with_contexts(terms)
    index = NameIndex(grouping.contexts.values())
    tables = table_owner(grouping)
    grouping = place_by_name(grouping, facts, index, free, tables, heuristics)
    grouping = place_by_use(grouping, facts, free, tables, heuristics)
    grouping = shared_kernel(grouping, facts, free, tables, heuristics)
    grouping = merge_fragments(grouping, facts, tables, heuristics)
    return platform_to_kernel(grouping, facts, heuristics)


def _renamed(placement: Placement, names: dict[str, str], labels: dict[str, str]) -> Placement:
    """The placement with contexts called by their service names."""
    detail = MENTION.sub(
        lambda m: repr(names.get(m.group(1), labels.get(m.group(1), m.group(1)))),
        placement.detail,
    )
    alternatives = tuple(
        a.model_copy(update={"service": names.get(a.service or "")})
        for a in placement.alternatives
        if a.service is None or a.service in names
    )
    return placement.model_copy(update={"alternatives": alternatives, "detail": detail})
