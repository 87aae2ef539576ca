"""Service names from the code: each context's own name, made unique by its place."""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from decompose.clustering.grouping import Context
from decompose.clustering.tree import Tree
from decompose.clustering.vocabulary import is_domain_word


def identifier(text: str) -> str:
    """A lowercase Python identifier from any text (`Order-Items` -> `order_items`)."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "service"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"svc_{name}"
    return name


def name_contexts(contexts: Mapping[str, Context], sizes: Mapping[str, int]) -> dict[str, str]:
    """A unique service name for each context: its label, qualified by its package on a clash.

    The larger context keeps the plain name; the others take their parent package's
    name in front (`hooks_github`), and a number only if that clashes too.
    """
    order = sorted(contexts, key=lambda c: (-sizes.get(c, 0), c))
    taken: set[str] = set()
    names: dict[str, str] = {}
    for context_id in order:
        context = contexts[context_id]
        candidates = [identifier(context.label), *_qualified(context)]
        names[context_id] = _first_free(candidates, taken)
    return names


def _qualified(context: Context) -> list[str]:
    parts = [p for p in context.package.split(".")[:-1] if is_domain_word(p)]
    return [identifier(f"{p}_{context.label}") for p in reversed(parts)]


def _first_free(candidates: list[str], taken: set[str]) -> str:
    for name in candidates:
        if name not in taken:
            taken.add(name)
            return name
    base, number = candidates[0], 2
    while f"{base}_{number}" in taken:
        number += 1
    taken.add(f"{base}_{number}")
    return f"{base}_{number}"


def name_communities(communities: Iterable[set[str]], tree: Tree) -> list[str]:
    """A unique name for each community of modules: the business word covering most code."""
    taken: set[str] = set()
    names = []
    for community in communities:
        votes: dict[str, float] = defaultdict(float)
        for module in sorted(community):
            words = [p for p in tree.below(module) if is_domain_word(p)]
            for depth, word in enumerate(words[:2]):
                votes[identifier(word)] += max(tree.loc.get(module, 0), 1) / (1 + 3 * depth)
        ranked = [w for w, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))]
        names.append(_first_free(ranked or ["service"], taken))
    return names
