"""A deterministic, overlap-free layout of the service graph for the HTML report."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from decompose.report.stress import (
    adjacency,
    components,
    initial,
    majorize,
    principal_axes,
    stress_pairs,
)

ASPECT = 1.6  # canvas width / height: about the graph area's shape beside the side panel
MIN_WIDTH = 960.0
MIN_HEIGHT = MIN_WIDTH / ASPECT
MARGIN = 16.0  # around the content, inside the canvas
MIN_RADIUS = 16.0
MAX_RADIUS = 42.0

# Where report.js draws a node's parts, relative to its centre (y grows downwards).
RING = 5.5  # the severity ring: radius r + 4, stroke 3
NAME_TOP = 9.0  # the name line spans r + NAME_TOP .. r + NAME_BOTTOM
NAME_BOTTOM = 26.0
SUMMARY_TOP = 24.0  # the summary line spans r + SUMMARY_TOP .. r + SUMMARY_BOTTOM
SUMMARY_BOTTOM = 40.0
HALO = 2.0  # the text's outline, beyond its glyphs

PADDING = 8.0  # at least this much between two nodes' boxes
ROOMY = 12  # up to this many nodes, every summary line gets reserved room
DENSITY = 1.8  # a component's area / the area of its nodes' boxes, before overlaps are removed
MAX_STRETCH = 1.8  # the most one axis is stretched over the other to fill the canvas's shape
MAX_GROW = 2.5  # the most a small graph is spread out to fill the minimum canvas
SEPARATE_ROUNDS = 200
SLACK = 0.5  # extra distance when pushing two boxes apart
# Separating is stuck when STALL_ROUNDS rounds leave more than STALL of the overlaps there
# were before them; then the drawing grows by GROW, which undoes overlaps everywhere at once.
STALL_ROUNDS = 3
STALL = 0.95
GROW = 1.05


@dataclass(frozen=True)
class Placement:
    """Where one node sits: its centre and radius, in SVG user units."""

    x: float
    y: float
    r: float


@dataclass(frozen=True)
class Layout:
    """Node placements on a width x height canvas (in SVG user units)."""

    width: float
    height: float
    places: tuple[Placement, ...]
    summaries: tuple[bool, ...]  # whether each node's second label line has room


@dataclass
class _Boxes:
    """Each node's box around its centre: half its width, its reach above and below."""

    half: list[float]
    above: list[float]
    below: list[float]


def node_radius(size: float, largest: float) -> float:
    """A radius whose area grows with `size` (lines of code), between MIN and MAX_RADIUS."""
    if largest <= 0:
        return MIN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(size, 0.0) / largest)


def layout(
    sizes: Sequence[float],
    edges: Iterable[tuple[int, int]],
    name_widths: Sequence[float] | None = None,
    summary_widths: Sequence[float] | None = None,
) -> Layout:
    """Place nodes so that no circle or label overlaps another, on a canvas of shape ASPECT.

    Each connected component is drawn by stress majorization: every pair of nodes is pulled
    towards a distance proportional to the hops between them (Gansner, Koren and North,
    "Graph drawing by stress majorization"). Overlapping boxes (circle plus the label lines
    under it) are then pushed apart, the components packed side by side, and the drawing
    stretched to the canvas's shape, which never makes boxes overlap again. Only +, -, *, /,
    sqrt and fsum are used, all correctly rounded in IEEE arithmetic (the builtin sum is
    not: Python 3.12 changed it), so the same input gives the same coordinates everywhere.

    Args:
        sizes: One size per node (lines of code); the node radius grows with it.
        edges: (source, target) node-index pairs; direction is ignored.
        name_widths: The drawn width of each node's name line (default: the circle's).
        summary_widths: The width of each node's second, smaller label line. Up to ROOMY
            nodes all get room for it; above that, only where it fits (see `summaries`).

    Returns:
        The canvas size and one placement per node, in input order, rounded to 0.1 unit.
    """
    count = len(sizes)
    if count == 0:
        return Layout(MIN_WIDTH, MIN_HEIGHT, (), ())
    largest = max(sizes)
    radii = [node_radius(size, largest) for size in sizes]
    names = list(name_widths) if name_widths is not None else [0.0] * count
    summaries = list(summary_widths) if summary_widths is not None else [0.0] * count
    boxes = _boxes(radii, names, summaries if count <= ROOMY else None)
    neighbours = adjacency(count, edges)
    parts = [
        (members, _draw_component(members, neighbours, boxes)) for members in components(neighbours)
    ]
    positions = _pack(parts, boxes)
    _stretch(positions, boxes)
    width, height = _frame(positions, boxes)
    places = tuple(
        Placement(round(x, 1), round(y, 1), round(r, 1))
        for (x, y), r in zip(positions, radii, strict=True)
    )
    shown = _fitting_summaries(places, names, summaries, (width, height))
    return Layout(width, height, places, shown)


def _boxes(radii: list[float], names: list[float], summaries: list[float] | None) -> _Boxes:
    """Circle, ring and label lines of each node, with half the PADDING all round."""
    lines = [0.0] * len(radii) if summaries is None else summaries
    pad = PADDING / 2
    return _Boxes(
        half=[
            max(r + RING, name / 2 + HALO, line / 2 + HALO if line else 0.0) + pad
            for r, name, line in zip(radii, names, lines, strict=True)
        ],
        above=[r + RING + pad for r in radii],
        below=[r + (NAME_BOTTOM if summaries is None else SUMMARY_BOTTOM) + pad for r in radii],
    )


def _draw_component(
    members: list[int], neighbours: list[list[int]], boxes: _Boxes
) -> list[list[float]]:
    """One component's positions (in `members` order), its boxes apart from each other."""
    if len(members) == 1:
        return [[0.0, 0.0]]
    local = {node: i for i, node in enumerate(members)}
    links = [[local[other] for other in neighbours[node]] for node in members]
    positions = principal_axes(majorize(initial(len(members)), stress_pairs(links)))
    half = [boxes.half[node] for node in members]
    above = [boxes.above[node] for node in members]
    below = [boxes.below[node] for node in members]
    area = math.fsum(2 * h * (a + b) for h, a, b in zip(half, above, below, strict=True))
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    # Adjacent nodes sit about one unit apart; one more unit each way holds the outer boxes.
    spread = (max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 1)
    scale = math.sqrt(DENSITY * area / spread)
    positions = [[x * scale, y * scale] for x, y in positions]
    _separate(positions, _Boxes(half, above, below))
    return positions


def _separate(positions: list[list[float]], boxes: _Boxes) -> None:
    """Move nodes (in place) until no two boxes overlap.

    Each overlap is undone along the axis where it is smaller, half by each node, with
    SLACK to spare so that rounding does not leave them touching. Where the drawing is
    too crowded for that (a hub's hundreds of neighbours sit on one ring), the rounds
    stall: pushing one pair apart pushes others together. Then the whole drawing grows a
    little and separating goes on. Home Assistant's 1,094 services need 78 rounds this way,
    on a canvas of 27 times their area; they took all 200 rounds, and the spreading that
    followed made it 71 times their area. Whatever is left after SEPARATE_ROUNDS is
    undone by spreading the whole drawing out, which separates every pair of boxes whose
    centres differ.

    Pairs are visited in index order, as a loop over every pair would, but only pairs in
    neighbouring cells of a grid are looked at: boxes further apart cannot overlap. With a
    thousand nodes that is the difference between minutes and seconds.
    """
    half, above, below = boxes.half, boxes.above, boxes.below
    grid = _Grid(positions, 2 * max(half), max(above) + max(below))
    history: list[int] = []  # overlaps undone in each round since the drawing last grew
    scanned = [-1] * len(positions)  # grid.clock when each node was last looked at
    for _ in range(SEPARATE_ROUNDS):
        overlaps = 0
        for i in range(len(positions)):
            if grid.calm_since(i, scanned[i]):
                continue  # nothing near i moved: its pairs are as apart as last time
            scanned[i] = grid.clock
            near = grid.after(i, i)
            index = 0
            while index < len(near):
                j = near[index]
                index += 1
                dx = positions[j][0] - positions[i][0]
                dy = positions[j][1] - positions[i][1]
                overlap_x = half[i] + half[j] - abs(dx)
                overlap_y = (below[i] + above[j] - dy) if dy >= 0 else (below[j] + above[i] + dy)
                if overlap_x <= 0 or overlap_y <= 0:
                    continue
                overlaps += 1
                if overlap_x < overlap_y:
                    step = (overlap_x + SLACK) / 2
                    step = step if dx >= 0 else -step
                    positions[i][0] -= step
                    positions[j][0] += step
                else:
                    step = (overlap_y + SLACK) / 2
                    step = step if dy >= 0 else -step
                    positions[i][1] -= step
                    positions[j][1] += step
                grid.update(j)
                if grid.update(i):  # i's neighbours changed: look again from j on
                    near, index = grid.after(i, j), 0
        if not overlaps:
            return
        history.append(overlaps)
        if len(history) > STALL_ROUNDS and overlaps > STALL * history[-1 - STALL_ROUNDS]:
            for point in positions:
                point[0] *= GROW
                point[1] *= GROW
            grid.refile()
            history.clear()
    factor = _spread_needed(positions, boxes)
    for point in positions:
        point[0] *= factor
        point[1] *= factor


class _Grid:
    """Nodes bucketed by cells at least as large as any two boxes reach; kept up to date.

    Two boxes overlap only if their centres are closer than `width` across and `height`
    down, so they sit in the same or adjacent cells. A clock counts the moves; each node
    and each cell remembers the last move of (or into) it, so a node whose surroundings
    have not moved since it was last looked at can be passed over.
    """

    def __init__(self, positions: list[list[float]], width: float, height: float) -> None:
        self.positions, self.width, self.height = positions, width, height
        self.clock = 0
        self.moved = [0] * len(positions)
        self.refile()

    def refile(self) -> None:
        """File every node again, after all positions changed (a cell keeps its last move)."""
        self.cell_of = [self._cell(p) for p in self.positions]
        self.cells: dict[tuple[int, int], set[int]] = {}
        self.stamps: dict[tuple[int, int], int] = {}
        for node, cell in enumerate(self.cell_of):
            self.cells.setdefault(cell, set()).add(node)
            self.stamps[cell] = max(self.stamps.get(cell, 0), self.moved[node])

    def _cell(self, point: list[float]) -> tuple[int, int]:
        return math.floor(point[0] / self.width), math.floor(point[1] / self.height)

    def after(self, node: int, first: int) -> list[int]:
        """Nodes above `first` in cells next to `node`'s (or in it), in index order."""
        cx, cy = self.cell_of[node]
        near = [
            other
            for x in (cx - 1, cx, cx + 1)
            for y in (cy - 1, cy, cy + 1)
            for other in self.cells.get((x, y), ())
            if other > first
        ]
        near.sort()
        return near

    def calm_since(self, node: int, time: int) -> bool:
        """Whether no node in or next to `node`'s cell (it included) has moved since `time`."""
        if time < 0:
            return False
        cx, cy = self.cell_of[node]
        stamps = self.stamps
        return all(
            stamps.get((x, y), 0) < time for x in (cx - 1, cx, cx + 1) for y in (cy - 1, cy, cy + 1)
        )

    def update(self, node: int) -> bool:
        """Record that a node moved and re-file it; whether its cell changed."""
        self.clock += 1
        self.moved[node] = self.clock
        cell = self._cell(self.positions[node])
        self.stamps[cell] = self.clock
        if cell == self.cell_of[node]:
            return False
        self.cells[self.cell_of[node]].discard(node)
        self.cells.setdefault(cell, set()).add(node)
        self.cell_of[node] = cell
        return True


def _spread_needed(positions: list[list[float]], boxes: _Boxes) -> float:
    """The least factor by which scaling all positions leaves no two boxes overlapping."""
    factor = 1.0
    for i, (xi, yi) in enumerate(positions):
        for j in range(i + 1, len(positions)):
            dx = abs(positions[j][0] - xi)
            dy = positions[j][1] - yi
            need_x = boxes.half[i] + boxes.half[j]
            need_y = boxes.below[i] + boxes.above[j] if dy >= 0 else boxes.below[j] + boxes.above[i]
            if dx >= need_x or abs(dy) >= need_y:
                continue
            by_x = need_x / dx if dx > 0 else math.inf
            by_y = need_y / abs(dy) if dy != 0 else math.inf
            if min(by_x, by_y) < math.inf:  # coincident centres: no spreading separates them
                factor = max(factor, min(by_x, by_y))
    return factor


def _extent(
    members: Sequence[int], positions: Sequence[Sequence[float]], boxes: _Boxes
) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of the boxes of `members` at `positions` (same order)."""
    return (
        min(p[0] - boxes.half[n] for n, p in zip(members, positions, strict=True)),
        min(p[1] - boxes.above[n] for n, p in zip(members, positions, strict=True)),
        max(p[0] + boxes.half[n] for n, p in zip(members, positions, strict=True)),
        max(p[1] + boxes.below[n] for n, p in zip(members, positions, strict=True)),
    )


_Block = tuple[list[int], list[list[float]], tuple[float, float, float, float]]


def _pack(parts: list[tuple[list[int], list[list[float]]]], boxes: _Boxes) -> list[list[float]]:
    """Place the components in rows, biggest first, with a grid of lone nodes beside it."""
    groups = sorted((p for p in parts if len(p[0]) > 1), key=lambda p: (-len(p[0]), p[0][0]))
    blocks: list[_Block] = [(m, p, _extent(m, p, boxes)) for m, p in groups]
    loners = [members[0] for members, _ in parts if len(members) == 1]
    if loners:
        tallest = blocks[0][2][3] - blocks[0][2][1] if blocks else 0.0
        grid = _grid(loners, boxes, tallest)
        blocks.insert(1, (loners, grid, _extent(loners, grid, boxes)))
    # Components keep a node's width apart, farther than linked nodes sit.
    gap = math.fsum(boxes.half) * 2 / len(boxes.half)
    widths = [e[2] - e[0] + gap for _, _, e in blocks]
    heights = [e[3] - e[1] + gap for _, _, e in blocks]
    total = math.fsum(w * h for w, h in zip(widths, heights, strict=True))
    # The grid of lone nodes shares the first row with the biggest component.
    first = widths[0] + widths[1] if loners and len(blocks) > 1 else 0.0
    row_width = max(first, *widths, math.sqrt(total * ASPECT))
    rows: list[list[int]] = []
    width = row_width
    for index, block_width in enumerate(widths):
        if rows and width + block_width <= row_width:
            rows[-1].append(index)
            width += block_width
        else:
            rows.append([index])
            width = block_width
    placed: list[list[float]] = [[0.0, 0.0] for _ in boxes.half]
    top = 0.0
    for row in rows:
        height = max(heights[index] for index in row)
        left = 0.0
        for index in row:
            members, positions, (x0, y0, _, _) = blocks[index]
            shift_x = left - x0
            shift_y = top + (height - heights[index]) / 2 - y0
            for node, (x, y) in zip(members, positions, strict=True):
                placed[node] = [x + shift_x, y + shift_y]
            left += widths[index]
        top += height
    return placed


def _grid(loners: list[int], boxes: _Boxes, height: float) -> list[list[float]]:
    """Nodes without edges in a grid about `height` tall, or of shape ASPECT if that is 0."""
    cell_w = max(2 * boxes.half[n] for n in loners)
    cell_h = max(boxes.above[n] + boxes.below[n] for n in loners)
    if height > 0:
        rows = max(1, min(len(loners), int(height // cell_h)))
    else:
        rows = max(1, math.isqrt(int(len(loners) * cell_w / (cell_h * ASPECT))))
    columns = -(-len(loners) // rows)  # rounded up
    return [
        [(i % columns) * cell_w, (i // columns) * cell_h + boxes.above[n]]
        for i, n in enumerate(loners)
    ]


def _stretch(positions: list[list[float]], boxes: _Boxes) -> None:
    """Stretch one axis towards the canvas's shape, then grow a small drawing to fill it.

    Scaling positions by factors of at least 1 never makes two boxes overlap.
    """
    everyone = range(len(positions))
    left, top, right, bottom = _extent(everyone, positions, boxes)
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    reach_x, reach_y = (right - left) - span_x, (bottom - top) - span_y
    stretch_x = stretch_y = 1.0
    if (right - left) < ASPECT * (bottom - top) and span_x > 0:
        stretch_x = min(MAX_STRETCH, max(1.0, (ASPECT * (bottom - top) - reach_x) / span_x))
    elif span_y > 0:
        stretch_y = min(MAX_STRETCH, max(1.0, ((right - left) / ASPECT - reach_y) / span_y))
    grow = MAX_GROW
    if span_x * stretch_x > 0:
        grow = min(grow, (MIN_WIDTH - 2 * MARGIN - reach_x) / (span_x * stretch_x))
    if span_y * stretch_y > 0:
        grow = min(grow, (MIN_HEIGHT - 2 * MARGIN - reach_y) / (span_y * stretch_y))
    grow = max(1.0, grow)
    for point in positions:
        point[0] *= stretch_x * grow
        point[1] *= stretch_y * grow


def _frame(positions: list[list[float]], boxes: _Boxes) -> tuple[float, float]:
    """Centre the drawing (in place) on the smallest canvas of shape ASPECT that holds it."""
    left, top, right, bottom = _extent(range(len(positions)), positions, boxes)
    width = max(MIN_WIDTH, right - left + 2 * MARGIN, (bottom - top + 2 * MARGIN) * ASPECT)
    width = float(math.ceil(round(width, 3)))  # 960.0000001 is 960
    height = float(math.ceil(width / ASPECT))
    shift_x = (width - (right - left)) / 2 - left
    shift_y = (height - (bottom - top)) / 2 - top
    for point in positions:
        point[0] += shift_x
        point[1] += shift_y
    return width, height


def _fitting_summaries(
    places: Sequence[Placement],
    names: Sequence[float],
    summaries: Sequence[float],
    canvas: tuple[float, float],
) -> tuple[bool, ...]:
    """Whether each node's summary line fits on the canvas, clear of every other node.

    Nodes are tried in order; a summary shown earlier blocks a later one it would touch.
    """
    solid = [
        _node_box(p.x, p.y, p.r, max(p.r + RING, n / 2 + HALO), NAME_BOTTOM)
        for p, n in zip(places, names, strict=True)
    ]
    lines = [
        (
            p.x - w / 2 - HALO,
            p.y + p.r + SUMMARY_TOP,
            p.x + w / 2 + HALO,
            p.y + p.r + SUMMARY_BOTTOM,
        )
        for p, w in zip(places, summaries, strict=True)
    ]
    size = max(1.0, *(max(b[2] - b[0], b[3] - b[1]) for b in solid))
    nodes, shown_lines = _BoxIndex(size), _BoxIndex(size)
    for box in solid:
        nodes.add(box)
    shown: list[bool] = []
    for i, line in enumerate(lines):
        fits = line[0] >= 0 and line[2] <= canvas[0] and line[3] <= canvas[1]
        fits = fits and not nodes.touches(line, but=i)
        fits = fits and not shown_lines.touches(line)
        if fits:
            shown_lines.add(line)
        shown.append(fits)
    return tuple(shown)


_Box = tuple[float, float, float, float]


class _BoxIndex:
    """Boxes filed under every grid cell they reach (with the gap `_overlap` allows).

    A box can only touch boxes filed under the cells it reaches itself: with a thousand
    services that is a few dozen to test for each summary line, not two thousand.
    """

    def __init__(self, size: float) -> None:
        self.size = size
        self.boxes: list[_Box] = []
        self.cells: dict[tuple[int, int], list[int]] = {}

    def _reach(self, box: _Box) -> Iterator[tuple[int, int]]:
        gap, size = PADDING / 4, self.size
        for x in range(math.floor((box[0] - gap) / size), math.floor((box[2] + gap) / size) + 1):
            for y in range(
                math.floor((box[1] - gap) / size), math.floor((box[3] + gap) / size) + 1
            ):
                yield x, y

    def add(self, box: _Box) -> None:
        for cell in self._reach(box):
            self.cells.setdefault(cell, []).append(len(self.boxes))
        self.boxes.append(box)

    def touches(self, box: _Box, but: int = -1) -> bool:
        """Whether `box` comes too close to a filed box (other than the one numbered `but`)."""
        return any(
            j != but and _overlap(box, self.boxes[j])
            for cell in self._reach(box)
            for j in self.cells.get(cell, ())
        )


def _node_box(
    x: float, y: float, r: float, half: float, bottom: float
) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of a node's circle, ring and label down to `bottom`."""
    return (x - half, y - r - RING, x + half, y + r + bottom)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes come closer than PADDING / 4 to each other."""
    gap = PADDING / 4
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap
