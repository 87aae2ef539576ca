"""The clustering interface, its registry, and the partition type every stage shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from decompose.config import Settings
from decompose.errors import ConfigError

# module -> service name, or None for the shared kernel
Partition = dict[str, str | None]
Communities = list[set[str]]


@dataclass(frozen=True)
class Clustering:
    """An algorithm's answer: communities, and modules it found to be shared wiring."""

    communities: Communities
    shared: frozenset[str] = frozenset()


class Clusterer(Protocol):
    """A clustering algorithm: groups the modules of a weighted undirected graph."""

    name: str

    def cluster(self, view: nx.Graph, settings: Settings) -> Clustering:
        """Communities over the nodes of `view` (shared kernel already removed).

        Nodes carry `loc`; edges carry `weight`.
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
