"""Positions from graph distances: stress majorization of one connected component.

Pure arithmetic (`math.fsum`, no randomness), so the same graph gives the same bytes on
every platform.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MAJORIZE_ROUNDS = 300
PAIR_BUDGET = 400_000  # pair updates per stress majorization: bounds its time


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
    count = len(links)
    hops = [[-1.0] * count for _ in range(count)]
    for start in range(count):
        row = hops[start]
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
    return hops


def initial(count: int) -> list[list[float]]:
    """Start on a staggered grid: deterministic, and no two nodes coincide."""
    columns = max(1, math.isqrt(count - 1) + 1)
    return [
        [float(i % columns) + (0.5 if (i // columns) % 2 else 0.0), float(i // columns) * 0.87]
        for i in range(count)
    ]


def majorize(positions: list[list[float]], hops: list[list[float]]) -> list[list[float]]:
    """Localized stress majorization, updating one node at a time in index order."""
    count = len(positions)
    rounds = max(30, min(MAJORIZE_ROUNDS, PAIR_BUDGET // (count * count)))
    weights = [[1 / (h * h) if h else 0.0 for h in row] for row in hops]
    pulls = [
        [w * h for w, h in zip(w_row, h_row, strict=True)]
        for w_row, h_row in zip(weights, hops, strict=True)
    ]
    totals = [math.fsum(row) for row in weights]
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    for _ in range(rounds):
        largest_move = 0.0
        for i in range(count):
            xi, yi = xs[i], ys[i]
            total_x = total_y = 0.0
            for xj, yj, weight, pull in zip(xs, ys, weights[i], pulls[i], strict=True):
                if not weight:
                    continue  # the node itself
                dx = xi - xj
                dy = yi - yj
                norm = math.sqrt(dx * dx + dy * dy)
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
