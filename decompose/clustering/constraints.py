"""User constraints on a partition: pins (module or package = service) and keep-together groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from decompose.clustering.base import Partition


def _covered(module: str, name: str) -> bool:
    return module == name or module.startswith(name + ".")


def pinned_services(modules: Iterable[str], pins: Mapping[str, str]) -> dict[str, str]:
    """Module -> pinned service; the most specific pin wins (`a.b=x` over `a=y`)."""
    out = {}
    for module in modules:
        matches = [name for name in pins if _covered(module, name)]
        if matches:
            out[module] = pins[max(matches, key=len)]
    return out


def keep_together(partition: Partition, groups: Iterable[Iterable[str]]) -> Partition:
    """Move each keep-together group into the service most of its modules are in."""
    result = dict(partition)
    for group in groups:
        members = [m for m in result if any(_covered(m, name) for name in group)]
        services = Counter(result[m] for m in members if result[m] is not None)
        if services:
            target = min(services, key=lambda s: (-services[s], s))
            for module in members:
                result[module] = target
    return result
