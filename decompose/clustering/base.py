"""The clustering interface, its registry, and the partition type every stage shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from decompose.clustering.facts import ProjectFacts
from decompose.config import Settings
from decompose.errors import ConfigError
from decompose.model.placement import Placement

# module -> service name, or None for the shared kernel
Partition = dict[str, str | None]
Communities = list[set[str]]


@dataclass(frozen=True)
class Clustering:
    """An algorithm's answer: communities, the shared kernel, names and the evidence.

    `labels` name the communities (in order) when the algorithm knows their names;
    `placements` say why each module is where it is, for the modules the algorithm
    can explain.
    """

    communities: Communities
    shared: frozenset[str] = frozenset()
    labels: list[str] | None = None
    placements: dict[str, Placement] = field(default_factory=dict)


class Clusterer(Protocol):
    """A clustering algorithm: groups the modules of a project into services."""

    name: str

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Communities over the modules of `facts` (pins and user-named shared left out).

        `facts.view` is the weighted undirected coupling graph: nodes carry `loc`,
        edges `weight`.
        """


_REGISTRY: dict[str, Callable[[], Clusterer]] = {}


def register(factory: Callable[[], Clusterer]) -> Callable[[], Clusterer]:
    """Class decorator adding an algorithm to the registry under its `name`."""
    _REGISTRY[factory().name] = factory
    return factory


def algorithm_names() -> tuple[str, ...]:
    """The names `--algorithm` accepts."""
    return tuple(sorted(_REGISTRY))


def get_clusterer(name: str) -> Clusterer:
    """The algorithm registered under `name`.

    Raises:
        ConfigError: no algorithm has that name.
    """
    try:
        return _REGISTRY[name]()
    except KeyError:
        known = ", ".join(algorithm_names())
        raise ConfigError(f"unknown algorithm {name!r} (choose one of: {known})") from None


def sorted_communities(communities: Communities) -> Communities:
    """Largest first, then by first module name: a stable order for naming and output."""
    return sorted((set(c) for c in communities if c), key=lambda c: (-len(c), min(c)))
