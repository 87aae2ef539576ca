from __future__ import annotations

import math

from decompose.report.layout import (
    HEIGHT,
    LABEL_HEIGHT,
    MAX_RADIUS,
    MIN_RADIUS,
    WIDTH,
    layout,
    node_radius,
)

SIZES = [152.0, 250.0, 325.0, 391.0, 40.0, 900.0]
EDGES = [(1, 0), (1, 3), (2, 0), (3, 0), (3, 1), (3, 2), (5, 3)]


def test_layout_is_deterministic() -> None:
    assert layout(SIZES, EDGES) == layout(list(SIZES), list(reversed(EDGES)))


def test_nodes_stay_inside_the_box_and_apart() -> None:
    places = layout(SIZES, EDGES)
    assert len(places) == len(SIZES)
    for place in places:
        assert place.r <= place.x <= WIDTH - place.r
        assert place.r <= place.y <= HEIGHT - place.r
    for i, a in enumerate(places):
        for b in places[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) > a.r + b.r


def test_linked_nodes_sit_closer_than_unlinked_ones() -> None:
    places = layout([100.0] * 4, [(0, 1), (2, 3)])
    linked = math.hypot(places[0].x - places[1].x, places[0].y - places[1].y)
    unlinked = math.hypot(places[0].x - places[2].x, places[0].y - places[2].y)
    assert linked < unlinked


def test_small_graphs() -> None:
    assert layout([], []) == ()
    (only,) = layout([10.0], [(0, 0)])
    assert (only.x, only.y) == (WIDTH / 2, HEIGHT / 2)
    assert len(layout([1.0, 1.0], [])) == 2


def test_radius_grows_with_size() -> None:
    assert node_radius(0, 100) == MIN_RADIUS
    assert node_radius(100, 100) == MAX_RADIUS
    assert node_radius(5, 0) == MIN_RADIUS
    assert node_radius(25, 100) < node_radius(50, 100)


def test_circles_and_labels_do_not_overlap() -> None:
    widths = [150.0, 90.0, 120.0, 120.0, 60.0, 200.0]
    places = layout(SIZES, EDGES, widths)
    boxes = [
        (p.x - max(p.r, w / 2), p.x + max(p.r, w / 2), p.y - p.r, p.y + p.r + LABEL_HEIGHT)
        for p, w in zip(places, widths, strict=True)
    ]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] <= WIDTH and a[2] >= 0 and a[3] <= HEIGHT
        for b in boxes[i + 1 :]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)
