"""The service graph the HTML report draws: sized nodes, weighted edges, laid out."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from decompose.model.decomposition import Service
from decompose.report import beside
from decompose.report.finding_view import FindingView, severity_rank
from decompose.report.formatting import plural
from decompose.report.layout import Layout, Placement, layout

PALETTE_SIZE = 10  # the HTML stylesheet defines this many service colours
NAME_FONT = 13.0  # px, bold: `.node text` in report.css
SUMMARY_FONT = 11.0  # px: `.node text.size`
MAX_NAME_WIDTH = 150.0  # a longer name is cut short; the tooltip and side panel show it whole
ELLIPSIS = "\u2026"
MIN_EDGE_BUDGET = 20  # up to this many edges (or 1.5 per linked node) are all drawn
# From this many services on, the layout is computed in a forked copy of the process
# while the page's panels are rendered: 100 services take about 0.1 s to lay out and
# Home Assistant's 1,099 1.5 s; forking a copy costs 0.01-0.02 s.
LAYOUT_BESIDE_FROM = 100

# Character widths in em of a wide sans-serif (DejaVu Sans Bold, Chromium's default on
# Linux), rounded up: estimates that hold for narrower fonts too.
_NARROW = frozenset("fijlrtI!'\"()[]{},.:;|/\\ -`\u00b7")
_WIDE = frozenset("mwMW@%\u2026")


@dataclass(frozen=True)
class GraphNode:
    """A service: its circle, label and a summary for the tooltip."""

    id: str
    name: str
    label: str  # the name, cut short with an ellipsis when too wide
    summary: str  # "3 modules · 250 lines", the second label line
    show_summary: bool  # False: no room for it, drawn only on hover or selection
    loc: int
    modules: int
    api: int
    x: float
    y: float
    r: float
    color: int
    severity: str  # the worst severity among its findings, or ""


@dataclass(frozen=True)
class GraphEdge:
    """`source` depends on `target`."""

    source: str
    target: str
    weight: float
    width: float
    mutual: bool  # the target depends on the source too: drawn curved
    major: bool  # among the heaviest edges, drawn by default; the others on request


@dataclass(frozen=True, eq=False)
class GraphView:
    """Nodes and edges on a width x height canvas; equal when drawn the same.

    The edges are known at once; the nodes' places are asked for when first used, so a
    page can render its other parts while the layout is computed beside it.
    """

    edges: tuple[GraphEdge, ...]
    drawing: _Drawing = field(repr=False, compare=False)
    place_nodes: Callable[[Layout], tuple[GraphNode, ...]] = field(repr=False, compare=False)

    @cached_property
    def _drawn(self) -> Layout:
        return self.drawing.layout()

    @property
    def width(self) -> float:
        """The canvas's width (waits for the layout)."""
        return self._drawn.width

    @property
    def height(self) -> float:
        """The canvas's height (waits for the layout)."""
        return self._drawn.height

    @cached_property
    def nodes(self) -> tuple[GraphNode, ...]:
        """The services, placed (waits for the layout)."""
        return self.place_nodes(self._drawn)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GraphView):
            return NotImplemented
        return self.data() == other.data()

    __hash__ = None  # type: ignore[assignment]  # equal by value, and not frozen inside

    @property
    def minor_edges(self) -> int:
        """How many edges are hidden until the reader asks for all of them."""
        return sum(1 for edge in self.edges if not edge.major)

    def data(self) -> dict[str, Any]:
        """Plain JSON-ready data for the page's script."""
        return {
            "width": self.width,
            "height": self.height,
            "nodes": [asdict(node) for node in self.nodes],
            "edges": [asdict(edge) for edge in self.edges],
        }

    def close(self) -> None:
        """Stop a layout still being computed beside (the page was abandoned)."""
        self.drawing.close()


@dataclass(frozen=True)
class LayoutInput:
    """What the layout of a service graph is computed from (see `layout`)."""

    sizes: tuple[float, ...]
    edges: tuple[tuple[int, int], ...]
    names: tuple[float, ...]
    summaries: tuple[float, ...]

    def draw(self) -> Layout:
        """The layout itself."""
        return layout(self.sizes, self.edges, self.names, self.summaries)


class LayoutPrefetch:
    """A graph layout started in a forked copy as soon as the services are known.

    The page that draws them is written later, by this process or by a copy forked after
    this one; it takes the layout if it was started for the same input. The process that
    started it calls `stop` in the end, which also reaps the copy.
    """

    def __init__(self) -> None:
        self.input: LayoutInput | None = None  # what it was started for, until taken
        self.seconds: float | None = None  # what it took, once taken
        self._copy: beside.Beside | None = None

    def start(self, services: Sequence[Service]) -> None:
        """Lay out `services` (in name order, as the page has them) beside, where that pays."""
        self.start_for(layout_input(sorted(services, key=lambda s: s.name)))

    def start_for(self, wanted: LayoutInput) -> None:
        """Lay out `wanted` in a forked copy, from LAYOUT_BESIDE_FROM nodes on, where safe."""
        if self._copy is None and len(wanted.sizes) >= LAYOUT_BESIDE_FROM and beside.can_fork():
            self.input = wanted
            self._copy = beside.Beside(lambda: _layout_data(wanted.draw()))

    def take(self, wanted: LayoutInput) -> Layout | None:
        """The layout, if it was started for `wanted` and succeeded; once."""
        if self._copy is None or self.input != wanted:
            return None
        self.input = None
        if not self._copy.receive():
            return None
        self.seconds = self._copy.seconds
        return _layout_from_data(self._copy.result)

    def stop(self) -> None:
        """End the copy if it still runs, and reap it."""
        if self._copy is not None:
            self._copy.stop()
            self._copy = None


class _Drawing:
    """A layout: the one started earlier for the same input, else one started here.

    A copy whose parent is killed ends by itself: its answer meets a closed pipe.
    """

    def __init__(self, wanted: LayoutInput, started: LayoutPrefetch | None) -> None:
        self._wanted = wanted
        self._done: Layout | None = None
        self._own: LayoutPrefetch | None = None
        if started is None or started.input != wanted:
            started = self._own = LayoutPrefetch()
            started.start_for(wanted)
        self._started = started

    def layout(self) -> Layout:
        if self._done is None:
            taken = self._started.take(self._wanted)
            self.close()
            # Nothing was started, or the copy failed or was killed: lay out here (an error
            # in the layout itself then happens again, here, with its own traceback).
            self._done = taken if taken is not None else self._wanted.draw()
        return self._done

    def close(self) -> None:
        """Stop and reap the copy this drawing started, if any."""
        if self._own is not None:
            self._own.stop()
            self._own = None


def _layout_data(drawn: Layout) -> dict[str, Any]:
    """A layout as JSON data; floats survive JSON exactly (shortest round-trip repr)."""
    return {
        "width": drawn.width,
        "height": drawn.height,
        "places": [[p.x, p.y, p.r] for p in drawn.places],
        "summaries": list(drawn.summaries),
    }


def _layout_from_data(data: Any) -> Layout:
    return Layout(
        width=float(data["width"]),
        height=float(data["height"]),
        places=tuple(Placement(float(x), float(y), float(r)) for x, y, r in data["places"]),
        summaries=tuple(bool(shown) for shown in data["summaries"]),
    )


def layout_input(services: Sequence[Service]) -> LayoutInput:
    """What the layout of these services (sorted) is computed from."""
    labels, summaries = _texts(services)
    return _layout_input(services, _weights(services), labels, summaries)


def _weights(services: Sequence[Service]) -> dict[tuple[int, int], float]:
    """The summed weight of each dependency between two services, by their indices."""
    index = {s.name: i for i, s in enumerate(services)}
    weights: dict[tuple[int, int], float] = {}
    for service in services:
        for dep in service.depends_on:
            if dep.service in index and dep.service != service.name:
                key = (index[service.name], index[dep.service])
                weights[key] = weights.get(key, 0.0) + dep.weight
    return weights


def _texts(services: Sequence[Service]) -> tuple[list[str], list[str]]:
    """Each node's label (its name, shortened) and its summary line."""
    labels = [shorten(s.name, MAX_NAME_WIDTH, NAME_FONT) for s in services]
    summaries = [f"{plural(len(s.modules), 'module')} · {plural(s.loc, 'line')}" for s in services]
    return labels, summaries


def _layout_input(
    services: Sequence[Service],
    weights: Mapping[tuple[int, int], float],
    labels: Sequence[str],
    summaries: Sequence[str],
) -> LayoutInput:
    return LayoutInput(
        sizes=tuple(float(s.loc) for s in services),
        edges=tuple(sorted(weights)),
        names=tuple(text_width(label, NAME_FONT) for label in labels),
        summaries=tuple(text_width(summary, SUMMARY_FONT) for summary in summaries),
    )


def build_graph_view(
    services: Sequence[Service],
    dom_ids: Mapping[str, str],
    findings: Iterable[FindingView],
    started: LayoutPrefetch | None = None,
) -> GraphView:
    """Lay out the services (already sorted) and their dependencies.

    `started`: a layout started earlier, used if it was started for these services.
    """
    weights = _weights(services)
    labels, summaries = _texts(services)
    wanted = _layout_input(services, weights, labels, summaries)
    worst = _worst_severity(findings)

    def place_nodes(drawn: Layout) -> tuple[GraphNode, ...]:
        return tuple(
            GraphNode(
                id=dom_ids[s.name],
                name=s.name,
                label=labels[i],
                summary=summaries[i],
                show_summary=drawn.summaries[i],
                loc=s.loc,
                modules=len(s.modules),
                api=len(s.public_api),
                x=place.x,
                y=place.y,
                r=place.r,
                color=i % PALETTE_SIZE,
                severity=worst.get(s.name, ""),
            )
            for i, (s, place) in enumerate(zip(services, drawn.places, strict=True))
        )

    heaviest = max(weights.values(), default=0.0)
    major = _major_edges(weights, len(services))
    edges = tuple(
        GraphEdge(
            source=dom_ids[services[a].name],
            target=dom_ids[services[b].name],
            weight=weight,
            width=_width(weight, heaviest),
            mutual=(b, a) in weights,
            major=(a, b) in major,
        )
        for (a, b), weight in sorted(weights.items())
    )
    return GraphView(edges, _Drawing(wanted, started), place_nodes)


def text_width(text: str, font_size: float) -> float:
    """About how wide `text` is drawn at `font_size` px, from per-character estimates."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.5
        elif char in _WIDE or unicodedata.east_asian_width(char) in ("W", "F"):
            ems += 1.1
        elif char.isupper():
            ems += 0.86
        else:
            ems += 0.72
    return ems * font_size


def shorten(text: str, width: float, font_size: float) -> str:
    """`text`, or its longest start that with an ellipsis is drawn within `width`."""
    if text_width(text, font_size) <= width:
        return text
    end = len(text)
    while end > 1 and text_width(text[:end] + ELLIPSIS, font_size) > width:
        end -= 1
    return text[:end].rstrip() + ELLIPSIS


def _major_edges(weights: Mapping[tuple[int, int], float], count: int) -> set[tuple[int, int]]:
    """The edges drawn by default: all of them in a sparse graph, else the heaviest.

    A dense graph shows each node's heaviest edge, then the heaviest others, up to 1.5
    edges per linked node: enough to read the structure without a hairball.
    """
    linked = {node for pair in weights for node in pair}
    budget = max(MIN_EDGE_BUDGET, (3 * len(linked)) // 2)
    if len(weights) <= budget:
        return set(weights)
    ranked = sorted(weights, key=lambda pair: (-weights[pair], pair))
    chosen: set[tuple[int, int]] = set()
    for node in range(count):
        heaviest = next((pair for pair in ranked if node in pair), None)
        if heaviest is not None:
            chosen.add(heaviest)
    for pair in ranked:
        if len(chosen) >= budget:
            break
        chosen.add(pair)
    return chosen


def _width(weight: float, heaviest: float) -> float:
    if heaviest <= 0:
        return 1.5
    return round(1.5 + 4.5 * math.sqrt(max(weight, 0.0) / heaviest), 2)


def _worst_severity(findings: Iterable[FindingView]) -> dict[str, str]:
    """The most severe known severity of each service's findings."""
    worst: dict[str, str] = {}
    for finding in findings:
        if severity_rank(finding.severity)[1]:
            continue  # an unknown severity: no ring colour for it
        for service in finding.services:
            current = worst.get(service)
            if current is None or severity_rank(finding.severity) < severity_rank(current):
                worst[service] = finding.severity
    return worst
