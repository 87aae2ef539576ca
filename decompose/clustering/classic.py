"""The classic modularity algorithms, kept selectable for comparison with the default."""

from __future__ import annotations

import networkx as nx

from decompose.clustering.base import Clustering, register
from decompose.clustering.facts import ProjectFacts
from decompose.config import Settings
from decompose.errors import ConfigError


@register
class LouvainClusterer:
    """Louvain modularity maximisation (Blondel et al. 2008), networkx implementation."""

    name = "louvain"

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Communities maximising modularity at `settings.resolution` (default 1.0)."""
        view = facts.view
        found = nx.community.louvain_communities(
            view, weight="weight", resolution=settings.resolution or 1.0, seed=settings.seed
        )
        return Clustering([set(c) for c in found])


@register
class LabelPropagationClusterer:
    """Semi-synchronous label propagation (Cordasco & Gargano 2010), deterministic."""

    name = "label_propagation"

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Communities where each module takes its neighbours' most common label."""
        found = nx.community.label_propagation_communities(facts.view)
        return Clustering([set(c) for c in found])


@register
class AgglomerativeClusterer:
    """Greedy agglomerative modularity merging (Clauset-Newman-Moore); exact `--services N`."""

    name = "agglomerative"

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Merge communities pairwise by modularity gain until N remain (or no gain is left)."""
        view = facts.view
        if view.number_of_nodes() == 0:
            return Clustering([])
        n = settings.services
        if n is not None:
            n = min(n, view.number_of_nodes())
        found = nx.community.greedy_modularity_communities(
            view, weight="weight", resolution=settings.resolution or 1.0, cutoff=n or 1, best_n=n
        )
        return Clustering([set(c) for c in found])


@register
class LeidenClusterer:
    """Leiden (Traag et al. 2019) via the optional `leidenalg` extra."""

    name = "leiden"

    def cluster(self, facts: ProjectFacts, settings: Settings) -> Clustering:
        """Well-connected communities maximising modularity (RBConfiguration at resolution)."""
        view = facts.view
        try:
            import igraph
            import leidenalg
        except ImportError:
            raise ConfigError(
                "the leiden algorithm needs the optional leidenalg package",
                hint="pip install 'decompose[leiden]', or choose another --algorithm",
            ) from None
        nodes = sorted(view.nodes)
        index = {n: i for i, n in enumerate(nodes)}
        g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in view.edges])
        weights = [view.edges[a, b]["weight"] for a, b in view.edges]
        partition = leidenalg.find_partition(
            g,
            leidenalg.RBConfigurationVertexPartition,
            weights=weights,
            resolution_parameter=settings.resolution or 1.0,
            seed=settings.seed,
        )
        return Clustering([{nodes[i] for i in community} for community in partition])
