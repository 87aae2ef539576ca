"""Positions from graph distances: stress majorization of one connected component.

Pure arithmetic (`math.fsum`, no randomness), so the same graph gives the same bytes on
every platform.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MAJORIZE_ROUNDS = 300
MIN_ROUNDS = 30
PAIR_BUDGET = 150_000  # pair updates per stress majorization: bounds its time (0.1 s)
# Up to this many nodes every pair is weighed; a larger component weighs each node
# against its neighbours and PIVOTS nodes spread over it (sparse stress): 1,000 services
# cost 30 rounds of 30 thousand pairs instead of a million.
DENSE_LIMIT = 200
PIVOTS = 24


def adjacency(count: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Sorted neighbour lists; self-loops and out-of-range indices are dropped."""
    found: list[set[int]] = [set() for _ in range(count)]
    for source, target in edges:
        if source != target and 0 <= source < count and 0 <= target < count:
            found[source].add(target)
            found[target].add(source)
    return [sorted(nodes) for nodes in found]


def components(neighbours: list[list[int]]) -> list[list[int]]:
    """Connected components, each sorted, ordered by their first node."""
    seen = [False] * len(neighbours)
    components = []
    for start in range(len(neighbours)):
        if seen[start]:
            continue
        seen[start] = True
        members, frontier = [start], [start]
        while frontier:
            following = []
            for node in frontier:
                for other in neighbours[node]:
                    if not seen[other]:
                        seen[other] = True
                        following.append(other)
            members.extend(following)
            frontier = following
        components.append(sorted(members))
    return components


def hops(links: list[list[int]]) -> list[list[float]]:
    """Hop counts between all pairs of a connected graph (breadth-first search)."""
    return [_hops_from(links, start) for start in range(len(links))]


def initial(count: int) -> list[list[float]]:
    """Start on a staggered grid: deterministic, and no two nodes coincide."""
    columns = max(1, math.isqrt(count - 1) + 1)
    return [
        [float(i % columns) + (0.5 if (i // columns) % 2 else 0.0), float(i // columns) * 0.87]
        for i in range(count)
    ]


def stress_pairs(links: list[list[int]]) -> list[list[tuple[int, float]]]:
    """For each node, the nodes it is weighed against and their distance in hops.

    Every other node, up to DENSE_LIMIT nodes. Beyond, its neighbours and PIVOTS nodes
    chosen farthest first (each the node farthest from those chosen before it), so that a
    round costs what the edges cost, not the square of the nodes.
    """
    count = len(links)
    if count <= DENSE_LIMIT:
        table = hops(links)
        return [[(j, table[i][j]) for j in range(count) if j != i] for i in range(count)]
    rows = _pivot_rows(links, PIVOTS)
    pairs = []
    for i in range(count):
        chosen = dict.fromkeys(links[i], 1.0)
        for pivot, row in rows:
            if pivot != i and pivot not in chosen:
                chosen[pivot] = row[i]
        pairs.append(sorted(chosen.items()))
    return pairs


def _pivot_rows(links: list[list[int]], count: int) -> list[tuple[int, list[float]]]:
    """Pivots chosen farthest first from node 0, each with its hops to every node."""
    rows: list[tuple[int, list[float]]] = []
    nearest = [math.inf] * len(links)
    pivot = 0
    for _ in range(min(count, len(links))):
        row = _hops_from(links, pivot)
        rows.append((pivot, row))
        nearest = [min(a, b) for a, b in zip(nearest, row, strict=True)]
        pivot = max(range(len(links)), key=lambda node: (nearest[node], -node))
        if nearest[pivot] == 0:
            break
    return rows


def _hops_from(links: list[list[int]], start: int) -> list[float]:
    """Hop counts from `start` to every node of a connected graph."""
    row = [-1.0] * len(links)
    row[start] = 0.0
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for other in links[node]:
                if row[other] < 0:
                    row[other] = row[node] + 1
                    following.append(other)
        frontier = following
    return row


def majorize(
    positions: list[list[float]], pairs: list[list[tuple[int, float]]]
) -> list[list[float]]:
    """Localized stress majorization, updating one node at a time in index order.

    `pairs` (see `stress_pairs`) gives for each node the nodes it is pulled towards or
    pushed from, and the distance in hops it should keep from each.
    """
    count = len(positions)
    weighed = sum(len(row) for row in pairs) or 1
    rounds = max(MIN_ROUNDS, min(MAJORIZE_ROUNDS, PAIR_BUDGET // weighed))
    # Each pair: the other node, its weight w = 1/h^2, and its pull w*h.
    terms = [[(j, w, w * h) for j, h in row if h for w in (1 / (h * h),)] for row in pairs]
    totals = [math.fsum(w for _, w, _ in row) for row in terms]
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    sqrt = math.sqrt
    for _ in range(rounds):
        largest_move = 0.0
        for i in range(count):
            if not totals[i]:
                continue
            xi, yi = xs[i], ys[i]
            total_x = total_y = 0.0
            for j, weight, pull in terms[i]:
                xj, yj = xs[j], ys[j]
                dx = xi - xj
                dy = yi - yj
                norm = sqrt(dx * dx + dy * dy)
                if norm == 0:
                    dx, norm = 1e-6, 1e-6
                total_x += weight * xj + pull * dx / norm
                total_y += weight * yj + pull * dy / norm
            x, y = total_x / totals[i], total_y / totals[i]
            largest_move = max(largest_move, abs(x - xi), abs(y - yi))
            xs[i], ys[i] = x, y
        if largest_move < 1e-4:
            break
    return [[x, y] for x, y in zip(xs, ys, strict=True)]


def principal_axes(positions: list[list[float]]) -> list[list[float]]:
    """Centre the drawing and turn its longest extent (first principal axis) horizontal."""
    count = len(positions)
    mean_x = math.fsum(p[0] for p in positions) / count
    mean_y = math.fsum(p[1] for p in positions) / count
    centred = [[x - mean_x, y - mean_y] for x, y in positions]
    xx = math.fsum(x * x for x, _ in centred)
    yy = math.fsum(y * y for _, y in centred)
    xy = math.fsum(x * y for x, y in centred)
    if xy == 0:
        return centred if xx >= yy else [[y, -x] for x, y in centred]
    # The eigenvector of [[xx, xy], [xy, yy]] with the larger eigenvalue.
    larger = (xx + yy) / 2 + math.sqrt((xx - yy) * (xx - yy) / 4 + xy * xy)
    ux, uy = xy, larger - xx
    norm = math.sqrt(ux * ux + uy * uy)
    ux, uy = ux / norm, uy / norm
    return [[ux * x + uy * y, ux * y - uy * x] for x, y in centred]
