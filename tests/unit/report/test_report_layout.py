from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable

import pytest

from decompose.model.decomposition import (
    Decomposition,
    Service,
    ServiceDependency,
    ServiceMetrics,
)
from decompose.report import beside, graph_view
from decompose.report import layout as layout_module
from decompose.report.graph_view import (
    MAX_NAME_WIDTH,
    NAME_FONT,
    SUMMARY_FONT,
    GraphNode,
    GraphView,
    shorten,
    text_width,
)
from decompose.report.html import html_pieces
from decompose.report.layout import (
    ASPECT,
    MAX_RADIUS,
    MIN_HEIGHT,
    MIN_RADIUS,
    MIN_WIDTH,
    NAME_BOTTOM,
    NAME_TOP,
    RING,
    SUMMARY_BOTTOM,
    SUMMARY_TOP,
    layout,
    node_radius,
)
from decompose.report.stress import PIVOTS, stress_pairs
from decompose.report.views import build_view

SIZES = [152.0, 250.0, 325.0, 391.0, 40.0, 900.0]
EDGES = [(1, 0), (1, 3), (2, 0), (3, 0), (3, 1), (3, 2), (5, 3)]

Box = tuple[float, float, float, float]  # left, top, right, bottom


def test_layout_is_deterministic() -> None:
    assert layout(SIZES, EDGES) == layout(list(SIZES), list(reversed(EDGES)))


def test_nodes_stay_inside_the_canvas_and_apart() -> None:
    drawn = layout(SIZES, EDGES)
    assert (drawn.width, drawn.height) == (MIN_WIDTH, MIN_HEIGHT)
    assert len(drawn.places) == len(SIZES)
    for place in drawn.places:
        assert place.r <= place.x <= drawn.width - place.r
        assert place.r <= place.y <= drawn.height - place.r
    for i, a in enumerate(drawn.places):
        for b in drawn.places[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) > a.r + b.r


def test_nodes_fewer_hops_apart_sit_closer() -> None:
    places = layout([100.0] * 5, [(0, 1), (1, 2), (2, 3), (3, 4)]).places
    distances = [math.hypot(p.x - places[0].x, p.y - places[0].y) for p in places]
    assert distances == sorted(distances)


def test_small_graphs() -> None:
    assert layout([], []).places == ()
    (only,) = layout([10.0], [(0, 0)]).places
    assert only.x == MIN_WIDTH / 2 and only.r < only.y < MIN_HEIGHT / 2  # its label below
    assert len(layout([1.0, 1.0], []).places) == 2


def test_radius_grows_with_size() -> None:
    assert node_radius(0, 100) == MIN_RADIUS
    assert node_radius(100, 100) == MAX_RADIUS
    assert node_radius(5, 0) == MIN_RADIUS
    assert node_radius(25, 100) < node_radius(50, 100)


def test_lone_nodes_are_packed_beside_the_rest() -> None:
    """Nodes without edges do not push the connected ones into a corner."""
    drawn = layout([100.0] * 10, [(i, i + 1) for i in range(6)])
    chain = drawn.places[:7]
    assert max(p.x for p in chain) - min(p.x for p in chain) > drawn.width / 2


# Geometry of generated graphs --------------------------------------------------------


def _circle(node: GraphNode) -> tuple[float, float, float]:
    return (node.x, node.y, node.r + RING)


def _labels(node: GraphNode) -> list[Box]:
    """The label lines' boxes, their widths estimated from the text."""
    half = text_width(node.label, NAME_FONT) / 2
    boxes = [
        (node.x - half, node.y + node.r + NAME_TOP, node.x + half, node.y + node.r + NAME_BOTTOM)
    ]
    if node.show_summary:
        half = text_width(node.summary, SUMMARY_FONT) / 2
        top, bottom = node.y + node.r + SUMMARY_TOP, node.y + node.r + SUMMARY_BOTTOM
        boxes.append((node.x - half, top, node.x + half, bottom))
    return boxes


def _boxes_meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _circle_meets_box(circle: tuple[float, float, float], box: Box) -> bool:
    x, y, r = circle
    nearest_x = min(max(x, box[0]), box[2])
    nearest_y = min(max(y, box[1]), box[3])
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 < r * r


def _graph(make: Callable[[int, int], Decomposition], count: int, seed: int) -> GraphView:
    return build_view(make(count, seed)).graph


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("count", [5, 22, 60])
def test_no_circle_overlaps_another(
    generated: Callable[[int, int], Decomposition], count: int, seed: int
) -> None:
    nodes = _graph(generated, count, seed).nodes
    assert len(nodes) == count
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r + 2 * RING, (a.name, b.name)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("count", [5, 22, 60])
def test_labels_overlap_no_circle_and_no_other_label(
    generated: Callable[[int, int], Decomposition], count: int, seed: int
) -> None:
    graph = _graph(generated, count, seed)
    labels = [_labels(node) for node in graph.nodes]
    for i, node in enumerate(graph.nodes):
        for box in labels[i]:
            assert box[0] >= 0 and box[1] >= 0, node.name
            assert box[2] <= graph.width and box[3] <= graph.height, node.name
        for j, other in enumerate(graph.nodes):
            if i == j:
                continue
            for box in labels[i]:
                assert not _circle_meets_box(_circle(other), box), (node.name, other.name)
                for other_box in labels[j]:
                    assert not _boxes_meet(box, other_box), (node.name, other.name)


@pytest.mark.parametrize("count", [22, 60])
def test_the_drawing_fills_the_canvas(
    generated: Callable[[int, int], Decomposition], count: int
) -> None:
    graph = _graph(generated, count, 0)
    assert graph.width / graph.height == pytest.approx(ASPECT, abs=0.01)
    boxes = [box for node in graph.nodes for box in _labels(node)]
    boxes += [(n.x - n.r - RING, n.y - n.r - RING, n.x + n.r + RING, n.y) for n in graph.nodes]
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    height = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    assert width > 0.85 * graph.width and height > 0.85 * graph.height


def test_small_graphs_show_every_summary_and_big_ones_some(
    generated: Callable[[int, int], Decomposition],
) -> None:
    assert all(node.show_summary for node in _graph(generated, 5, 0).nodes)
    shown = [node.show_summary for node in _graph(generated, 60, 0).nodes]
    assert any(shown) and not all(shown)


def test_same_input_same_graph(generated: Callable[[int, int], Decomposition]) -> None:
    assert _graph(generated, 60, 1).data() == _graph(generated, 60, 1).data()


# Labels and edges ---------------------------------------------------------------------


def test_long_names_are_shortened_to_fit() -> None:
    long = "notification_preferences_and_delivery_channels"
    short = shorten(long, MAX_NAME_WIDTH, NAME_FONT)
    assert short.endswith("\u2026") and long.startswith(short[:-1])
    assert text_width(short, NAME_FONT) <= MAX_NAME_WIDTH
    assert shorten("orders", MAX_NAME_WIDTH, NAME_FONT) == "orders"


def test_text_width_grows_with_wide_letters() -> None:
    assert text_width("iiii", 10) < text_width("aaaa", 10) < text_width("AAAA", 10)
    assert text_width("aaaa", 10) < text_width("mmmm", 10)
    assert text_width("", 10) == 0


def test_dense_graphs_draw_their_heaviest_edges_by_default(
    generated: Callable[[int, int], Decomposition],
) -> None:
    graph = _graph(generated, 60, 0)
    major = [edge for edge in graph.edges if edge.major]
    assert graph.minor_edges == len(graph.edges) - len(major) > 0
    linked = {end for edge in graph.edges for end in (edge.source, edge.target)}
    assert {end for edge in major for end in (edge.source, edge.target)} == linked
    assert len(major) <= 1.5 * len(linked)
    heaviest = max(graph.edges, key=lambda edge: edge.weight)
    assert heaviest.major


def test_sparse_graphs_draw_every_edge(decomposition: Decomposition) -> None:
    graph = build_view(decomposition).graph
    assert graph.minor_edges == 0 and all(edge.major for edge in graph.edges)


def test_a_large_component_is_weighed_against_neighbours_and_pivots_only() -> None:
    count = 600
    ring = [[(i - 1) % count, (i + 1) % count] for i in range(count)]
    pairs = stress_pairs(ring)
    assert all(len(row) <= 2 + PIVOTS for row in pairs)
    assert all(dict(row)[(i + 1) % count] == 1.0 for i, row in enumerate(pairs))
    far = {j: h for j, h in pairs[0]}
    assert max(far.values()) == count // 2  # a pivot across the ring, at its true distance


def test_a_large_ring_is_drawn_with_neighbours_closer_than_strangers() -> None:
    count = 400
    edges = [(i, (i + 1) % count) for i in range(count)]
    drawn = layout([100.0] * count, edges)
    places = drawn.places

    def distance(a: int, b: int) -> float:
        return math.dist((places[a].x, places[a].y), (places[b].x, places[b].y))

    near = sum(distance(i, (i + 1) % count) for i in range(count)) / count
    across = sum(distance(i, (i + count // 2) % count) for i in range(count)) / count
    assert across > 5 * near


def _hub(decomposition: Decomposition, leaves: int) -> Decomposition:
    """One service that every other one depends on, as a framework's core is to its plugins."""
    metrics = ServiceMetrics(
        modules=1, loc=100, cohesion=0.5, coupling=0.5, afferent=0, efferent=1, instability=0.5
    )
    core = Service(name="core", modules=("core.m",), loc=5000, metrics=metrics)
    plugins = tuple(
        Service(
            name=f"plugin_{i:03d}",
            modules=(f"plugin_{i:03d}.m",),
            loc=50 + i,
            depends_on=(ServiceDependency(service="core", weight=1.0),),
            metrics=metrics,
        )
        for i in range(leaves)
    )
    return decomposition.model_copy(
        update={"modules": (), "dependencies": (), "services": (core, *plugins), "findings": ()}
    )


def test_a_crowded_hub_is_drawn_apart_on_a_canvas_of_sensible_size(
    decomposition: Decomposition,
) -> None:
    # 300 plugins all one hop from the core: too many for the ring they are placed on.
    graph = build_view(_hub(decomposition, 300)).graph
    nodes = graph.nodes
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r + 2 * RING, (a.name, b.name)
    area = sum((2 * (n.r + RING)) ** 2 for n in nodes)
    # Pushing pairs apart for all the rounds and then spreading the drawing out until the
    # last pair parted made this canvas 190,000 times the area of the nodes.
    assert graph.width * graph.height < 1_000 * area


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("count", [22, 60])
def test_passing_over_calm_nodes_moves_nothing_differently(
    generated: Callable[[int, int], Decomposition],
    count: int,
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Separating looks again only at nodes whose surroundings moved; looking at every node
    # in every round must give the very same drawing.
    decomposition = generated(count, seed)
    skipping = build_view(decomposition).graph
    monkeypatch.setattr(layout_module._Grid, "calm_since", lambda *_: False)
    assert build_view(decomposition).graph == skipping


def test_passing_over_calm_nodes_in_a_crowded_hub_changes_nothing(
    decomposition: Decomposition, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = _hub(decomposition, 120)
    skipping = build_view(hub).graph
    monkeypatch.setattr(layout_module._Grid, "calm_since", lambda *_: False)
    assert build_view(hub).graph == skipping


# A large graph is laid out by a forked copy of the process while the page's rest is built.
forking = pytest.mark.skipif(not beside.can_fork(), reason="forks only on Linux, one thread")


def _page(decomposition: Decomposition) -> str:
    return b"".join(html_pieces(decomposition)).decode("utf-8")


@forking
@pytest.mark.parametrize("count", [2, 60])
def test_a_layout_drawn_beside_is_the_layout_drawn_here(
    generated: Callable[[int, int], Decomposition], count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    decomposition = generated(count, 1)
    here = _page(decomposition)
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    started = []
    real = beside.Beside
    monkeypatch.setattr(beside, "Beside", lambda work: started.append(work) or real(work))
    assert _page(decomposition) == here  # every coordinate through JSON and back, exactly
    assert len(started) == 1


@forking
@pytest.mark.parametrize("failure", ["raises", "killed"])
def test_a_layout_copy_that_fails_is_drawn_here_instead(
    generated: Callable[[int, int], Decomposition], failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    decomposition = generated(22, 0)
    here = _page(decomposition)

    def broken(drawn: object) -> object:  # runs in the copy only
        if failure == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError

    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    monkeypatch.setattr(graph_view, "_layout_data", broken)
    assert _page(decomposition) == here


@forking
def test_an_abandoned_page_leaves_no_layout_copy_behind(
    generated: Callable[[int, int], Decomposition], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    pieces = html_pieces(generated(60, 0))
    next(pieces)  # the copy is laying out the graph
    pieces.close()
    with pytest.raises(ChildProcessError):  # stopped and reaped: no child left
        os.waitpid(-1, os.WNOHANG)
