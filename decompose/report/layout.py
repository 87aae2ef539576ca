"""A deterministic layout of the service graph for the HTML report (stress majorization)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WIDTH = 960.0
HEIGHT = 600.0
MIN_RADIUS = 16.0
MAX_RADIUS = 42.0
ITERATIONS = 300
PAIR_BUDGET = 320_000


@dataclass(frozen=True)
class Placement:
    """Where one node sits: its centre and radius, in SVG user units."""

    x: float
    y: float
    r: float


def node_radius(size: float, largest: float) -> float:
    """A radius whose area grows with `size` (lines of code), between MIN and MAX_RADIUS."""
    if largest <= 0:
        return MIN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(size, 0.0) / largest)


def layout(
    sizes: Sequence[float],
    edges: Iterable[tuple[int, int]],
    label_widths: Sequence[float] | None = None,
) -> tuple[Placement, ...]:
    """Place nodes by stress majorization, fitted into a WIDTH x HEIGHT box.

    Each pair of nodes is pulled towards a distance proportional to the number of hops
    between them (Gansner, Koren and North, "Graph drawing by stress majorization"), which
    spreads small graphs evenly, unlike spring models that push leaves to the edge. Only
    +, -, *, / and sqrt are used, all correctly rounded in IEEE arithmetic, so the same
    input gives the same coordinates on every platform.

    Args:
        sizes: One size per node (lines of code); the node radius grows with it.
        edges: (source, target) node-index pairs; direction is ignored.
        label_widths: The width of each node's label; nodes are kept apart so that no
            label overlaps another node or label. Defaults to the circles' widths.

    Returns:
        One placement per node, in input order, rounded to 0.1 unit.
    """
    count = len(sizes)
    if count == 0:
        return ()
    largest = max(sizes)
    radii = [node_radius(size, largest) for size in sizes]
    if count == 1:
        return (Placement(WIDTH / 2, HEIGHT / 2, round(radii[0], 1)),)
    positions = _majorize(_initial(count), _hops(count, edges))
    positions = _fit(positions)
    _separate(positions, radii, label_widths or [2 * r for r in radii])
    return tuple(
        Placement(round(x, 1), round(y, 1), round(r, 1))
        for (x, y), r in zip(positions, radii, strict=True)
    )


def _hops(count: int, edges: Iterable[tuple[int, int]]) -> list[list[float]]:
    """Hop counts between all pairs (BFS); unconnected pairs get one hop more than the most."""
    neighbours: list[set[int]] = [set() for _ in range(count)]
    for source, target in edges:
        if source != target and 0 <= source < count and 0 <= target < count:
            neighbours[source].add(target)
            neighbours[target].add(source)
    hops = [[-1.0] * count for _ in range(count)]
    for start in range(count):
        hops[start][start] = 0.0
        frontier = [start]
        while frontier:
            following = []
            for node in frontier:
                for other in sorted(neighbours[node]):
                    if hops[start][other] < 0:
                        hops[start][other] = hops[start][node] + 1
                        following.append(other)
            frontier = following
    apart = max(max(row) for row in hops) + 1
    return [[h if h >= 0 else apart for h in row] for row in hops]


def _initial(count: int) -> list[list[float]]:
    """Start on a staggered grid: deterministic, and no two nodes coincide."""
    columns = max(1, math.isqrt(count - 1) + 1)
    return [
        [float(i % columns) + (0.5 if (i // columns) % 2 else 0.0), float(i // columns) * 0.87]
        for i in range(count)
    ]


def _majorize(positions: list[list[float]], hops: list[list[float]]) -> list[list[float]]:
    """Localized stress majorization, updating one node at a time in index order."""
    count = len(positions)
    # Each round costs count² updates: big graphs get fewer rounds to stay fast.
    rounds = max(30, min(ITERATIONS, PAIR_BUDGET // (count * count)))
    for _ in range(rounds):
        for i in range(count):
            total_x = total_y = total_w = 0.0
            for j in range(count):
                if i == j:
                    continue
                dx = positions[i][0] - positions[j][0]
                dy = positions[i][1] - positions[j][1]
                norm = math.sqrt(dx * dx + dy * dy)
                if norm == 0:
                    dx, dy, norm = 1e-6, 0.0, 1e-6
                target = hops[i][j]
                weight = 1 / (target * target)
                total_x += weight * (positions[j][0] + target * dx / norm)
                total_y += weight * (positions[j][1] + target * dy / norm)
                total_w += weight
            positions[i][0] = total_x / total_w
            positions[i][1] = total_y / total_w
    return positions


MARGIN_X = MAX_RADIUS + 64.0  # labels are wider than circles
MARGIN_TOP = MAX_RADIUS + 12.0
MARGIN_BOTTOM = MAX_RADIUS + 44.0  # two label lines sit under each circle
LABEL_HEIGHT = 36.0  # the two label lines under a circle
PADDING = 12.0  # between two nodes' boxes


def _fit(positions: list[list[float]]) -> list[list[float]]:
    """Scale uniformly into the box, leaving room for each circle and its label."""
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    if max(ys) - min(ys) > max(xs) - min(xs):
        xs, ys = ys, xs  # lay the long side along the wide box
        positions = [[y, x] for x, y in positions]
    span_x = max(xs) - min(xs) or 1.0
    span_y = max(ys) - min(ys) or 1.0
    inner_w = WIDTH - 2 * MARGIN_X
    inner_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    scale = min(inner_w / span_x, inner_h / span_y)
    offset_x = MARGIN_X + (inner_w - span_x * scale) / 2
    offset_y = MARGIN_TOP + (inner_h - span_y * scale) / 2
    return [
        [offset_x + (x - min(xs)) * scale, offset_y + (y - min(ys)) * scale] for x, y in positions
    ]


def _separate(
    positions: list[list[float]],
    radii: list[float],
    label_widths: Sequence[float],
) -> None:
    """Move nodes (in place) until no two boxes of circle plus label overlap, inside the box.

    Each overlap is undone along the axis where it is smaller, half by each node.
    """
    count = len(positions)
    rounds = max(20, min(ITERATIONS, PAIR_BUDGET // (count * count)))
    half = [max(r, w / 2) + PADDING / 2 for r, w in zip(radii, label_widths, strict=True)]
    above = [r + PADDING / 2 for r in radii]
    below = [r + LABEL_HEIGHT + PADDING / 2 for r in radii]
    for _ in range(rounds):
        moved = False
        for i in range(count):
            for j in range(i + 1, count):
                dx = positions[j][0] - positions[i][0]
                dy = positions[j][1] - positions[i][1]
                overlap_x = half[i] + half[j] - abs(dx)
                overlap_y = (below[i] + above[j]) - dy if dy >= 0 else (below[j] + above[i]) + dy
                if overlap_x <= 0 or overlap_y <= 0:
                    continue
                moved = True
                if overlap_x < overlap_y:
                    step = overlap_x / 2 if dx >= 0 else -overlap_x / 2
                    positions[i][0] -= step
                    positions[j][0] += step
                else:
                    step = overlap_y / 2 if dy >= 0 else -overlap_y / 2
                    positions[i][1] -= step
                    positions[j][1] += step
        for i, point in enumerate(positions):
            point[0] = min(max(point[0], half[i]), WIDTH - half[i])
            point[1] = min(max(point[1], above[i]), HEIGHT - below[i])
        if not moved:
            return
