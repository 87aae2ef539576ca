"""Step 3: layers, and the business names found where no app or table carries them.

A package whose modules name several contexts (`graphql/order`, `graphql/product`) is a
horizontal layer, whatever it is called (`control`, `presale`), and is sliced. What is
left unnamed is read as an architect reads it: a package without a role word that is
no layer (`blocks/`, `charts/`) is a capability of its own, and so is a name that turns
up in several layers (`admin/statistics.py` beside `api/v1/statistics/`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from decompose.clustering.grouping import Context, Origin
from decompose.clustering.heuristics import Heuristics
from decompose.clustering.names import NameIndex, named_context
from decompose.clustering.tree import Tree, last
from decompose.clustering.vocabulary import Role, is_domain_word, is_vendored, role, term

_ROOT_LAYER = "<root>"


def is_layer(
    package: str,
    modules: Collection[str],
    tree: Tree,
    index: NameIndex,
    heuristics: Heuristics,
    own: Collection[str] = (),
    *,
    excluding: str = "",
) -> bool:
    """Whether the modules of `package` name several other contexts (a horizontal layer).

    Each module counts by the first business word of its path. A package whose own name
    is a role word (`webapi/`) is a layer by its name already; for it a compound also
    counts (`resources/review_group.py` names reviews), as it does not for a business
    package, whose compounds often name its neighbours.

    Args:
        package: The package judged.
        modules: Its modules to read (those of nested apps left out).
        tree: The package tree.
        index: The contexts' names.
        heuristics: `layer_contexts` and `layer_share`.
        own: Contexts that are the package's own (its entities): naming them is no sign.
        excluding: A package whose contexts are not named (the package's own).
    """
    named: dict[str, int] = defaultdict(int)
    template = tree.template_words
    loose = role(last(package)) is Role.TECHNICAL
    for module in modules:
        match = named_context(module, tree, index, package, strict=True, excluding=excluding)
        if match is None and loose:
            match = named_context(module, tree, index, package, excluding=excluding)
        if match is None or match.context in own:
            continue
        if term(match.word) in template and index.origin(match.context) is Origin.TERM:
            continue  # `logic/auth.py` as in every plugin: the template, not a domain
        named[match.context] += 1
    return len(named) >= heuristics.layer_contexts and sum(
        named.values()
    ) >= heuristics.layer_share * max(len(modules), 1)


def term_contexts(
    tree: Tree,
    free: Collection[str],
    contexts: Iterable[Context],
    heuristics: Heuristics,
    opened: Collection[str] = (),
) -> list[Context]:
    """Contexts for the business names of free code (in no app) that no context carries.

    Two kinds: a package without a role word that is no layer and that no context names
    (`wagtail/blocks/`), and a name found in `recurring_layers` layers or more. A package
    whose tables were opened (the project's core) is none of them.
    """
    contexts = list(contexts)
    found = _packages(tree, free, contexts, heuristics, opened)
    index = NameIndex([*contexts, *found])
    claimed = {term(last(c.package)) for c in found}
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    packages = {term(last(m)) for m in free if tree.is_package(m)}
    for word, layers in sorted(_unnamed_words(tree, free, index, spellings).items()):
        if word in claimed or (word in tree.template_words and word not in packages):
            continue  # `wagtail_hooks.py` in every app is their template, not a capability
        if len(layers) >= heuristics.recurring_layers:
            label = min(spellings[word].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            found.append(Context(f"term:{word}", Origin.TERM, "", label, frozenset({word})))
    return found


def _packages(
    tree: Tree,
    free: Collection[str],
    contexts: list[Context],
    heuristics: Heuristics,
    opened: Collection[str],
) -> list[Context]:
    """Free packages without a role word that are not layers, outermost first.

    Every candidate's name counts while another is judged: `dashboard/catalogue/` names
    `catalogue/`, so `dashboard/` is a layer even where no app owns any table.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for module in sorted(free):
        for package in _ancestors(module, tree):
            members[package].append(module)
    candidates = [
        package
        for package, modules in sorted(members.items())
        if len(modules) >= 2
        and is_domain_word(last(package))
        and not tree.is_container(package)
        and package not in opened
        and not any(is_vendored(part) for part in package.split("."))
    ]
    provisional = {
        p: Context(p, Origin.TERM, p, last(p), frozenset({term(last(p))})) for p in candidates
    }
    base = NameIndex(contexts)
    index = NameIndex([*contexts, *provisional.values()])
    chosen: list[Context] = []
    taken: set[str] = set()
    names: set[str] = set()
    for package in candidates:
        if _inside_any(package, taken) or term(last(package)) in names:
            continue  # inside a capability, or another package of the same name: the same
        if last(package) in base or _named_above(package, tree, base):
            continue
        if is_layer(package, members[package], tree, index, heuristics, excluding=package):
            continue
        chosen.append(provisional[package])
        taken.add(package)
        names.add(term(last(package)))
    return chosen


def _inside_any(package: str, packages: set[str]) -> bool:
    """Whether `package` is one of `packages` or inside one."""
    parts = package.split(".")
    return any(".".join(parts[:i]) in packages for i in range(1, len(parts) + 1))


def _ancestors(module: str, tree: Tree) -> list[str]:
    """The packages of `module` below the prefix (and the module, if it is a package)."""
    parts = module.split(".")
    depth = tree.prefix.count(".") + 1 if tree.prefix else 0
    found = [".".join(parts[:i]) for i in range(depth + 1, len(parts))]
    return [*found, module] if tree.is_package(module) else found


def _named_above(package: str, tree: Tree, index: NameIndex) -> bool:
    """Whether a part of the path above `package` already names a context."""
    above = package.rpartition(".")[0]
    return bool(above) and named_context(above, tree, index) is not None


def _unnamed_words(
    tree: Tree, free: Iterable[str], index: NameIndex, spellings: dict[str, Counter[str]]
) -> dict[str, set[str]]:
    """Each business word of free modules' paths that names no context -> its layers.

    A path is read from the top down to the first part that names a context: in
    `api/v1/statistics/challenges.py`, `statistics` is such a word, `challenges` is not.
    """
    layers: dict[str, set[str]] = defaultdict(set)
    for module in free:
        parts = tree.below(module)
        if not parts or any(is_vendored(part) for part in parts):
            continue
        layer = parts[0] if len(parts) > 1 or tree.is_package(module) else _ROOT_LAYER
        match = named_context(module, tree, index)
        named = parts.index(match.word) if match is not None else len(parts)
        for part in parts[:named]:
            if role(part) is Role.DOMAIN and len(part) > 2:
                layers[term(part)].add(layer)
                spellings[term(part)][part] += 1
    return layers
