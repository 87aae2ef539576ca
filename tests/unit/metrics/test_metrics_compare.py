"""Agreement between partitions: MoJo against its definition, ARI and NMI against hand values."""

from __future__ import annotations

import itertools
import math
import pickle
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.errors import InsufficientOverlap
from decompose.metrics import (
    adjusted_rand_index,
    check_overlap,
    compare_partitions,
    max_mno,
    mno,
    mojofm,
    normalized_mutual_information,
)

# B = {1,2,3,4} {5,6,7,8}; A = {1,2} {3,4,5} {6,7,8}
A = {"1": "a1", "2": "a1", "3": "a2", "4": "a2", "5": "a2", "6": "a3", "7": "a3", "8": "a3"}
B = {"1": "b1", "2": "b1", "3": "b1", "4": "b1", "5": "b2", "6": "b2", "7": "b2", "8": "b2"}


def test_mno_worked_example() -> None:
    assert mno(A, B) == 2  # move 5 into {6,7,8}, join {1,2} with {3,4}
    assert mno(B, A) == 3  # move 3, 4 and 5 out into a new cluster


def test_max_mno_worked_example() -> None:
    assert max_mno(B) == 8 - 2
    assert max_mno(A) == 8 - 3
    assert max_mno({"x": "c", "y": "c", "z": "c"}) == 2  # from singletons: two joins
    assert max_mno({"x": "1", "y": "2", "z": "3"}) == 2  # from one cluster: two moves


def test_mojofm_is_directional() -> None:
    assert mojofm(A, B) == pytest.approx(1 - 2 / 6)
    assert mojofm(B, A) == pytest.approx(1 - 3 / 5)
    agreement = compare_partitions(A, B)
    assert agreement.mojofm == pytest.approx(1 - 2 / 6, abs=1e-6)
    assert agreement.mojofm_reverse == pytest.approx(1 - 3 / 5, abs=1e-6)


def test_mno_needs_the_same_objects() -> None:
    with pytest.raises(ValueError):
        mno({"x": "1"}, {"y": "1"})


def test_ari_and_nmi_hand_values() -> None:
    a = dict(enumerate("000111"))
    b = dict(enumerate("001122"))
    a_, b_ = {str(k): v for k, v in a.items()}, {str(k): v for k, v in b.items()}
    # ARI: (2 - 6*3/15) / ((6+3)/2 - 6*3/15); NMI: (2/3 ln 2) / ((ln 2 + ln 3) / 2)
    assert adjusted_rand_index(a_, b_) == pytest.approx(0.8 / 3.3)
    nmi = (2 / 3 * math.log(2)) / ((math.log(2) + math.log(3)) / 2)
    assert normalized_mutual_information(a_, b_) == pytest.approx(nmi)


def test_nmi_matches_scipy_entropies() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    a = {str(i): "xyz"[i % 3] for i in range(12)}
    b = {str(i): "pq"[i // 7] for i in range(12)}
    pairs = [(a[k], b[k]) for k in a]
    joint = [pairs.count(p) for p in set(pairs)]
    h_a = scipy_stats.entropy([list(a.values()).count(v) for v in set(a.values())])
    h_b = scipy_stats.entropy([list(b.values()).count(v) for v in set(b.values())])
    mutual = h_a + h_b - scipy_stats.entropy(joint)
    assert normalized_mutual_information(a, b) == pytest.approx(mutual / ((h_a + h_b) / 2))


def test_compare_counts_common_modules_and_names_the_rest() -> None:
    a = {"m1": "s", "m2": "s", "m3": None, "only_a": "s"}
    b = {"m1": "t", "m2": "t", "m3": None, "only_b": None}
    agreement = compare_partitions(a, b)
    assert agreement.common_modules == 3
    assert (agreement.only_in_a, agreement.only_in_b) == (("only_a",), ("only_b",))
    assert agreement.mojofm == agreement.ari == agreement.nmi == 1.0  # shared kernel = cluster


def test_shared_kernel_is_one_cluster() -> None:
    a = {"m1": None, "m2": None}
    b = {"m1": None, "m2": "s"}
    assert compare_partitions(a, b).mojofm < 1.0


def _move_join_distance(a: dict[str, str], b: dict[str, str]) -> int:
    """MoJo distance from its definition: breadth-first search over Move and Join steps."""

    def shape(p: dict[str, str]) -> frozenset[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for obj, label in p.items():
            groups.setdefault(label, set()).add(obj)
        return frozenset(frozenset(g) for g in groups.values())

    start, goal = shape(a), shape(b)
    seen, queue = {start}, deque([(start, 0)])
    while queue:
        state, steps = queue.popleft()
        if state == goal:
            return steps
        clusters = list(state)
        nexts = []
        for x, y in itertools.combinations(clusters, 2):
            nexts.append(state - {x, y} | {x | y})
        for source in clusters:
            for obj in source:
                rest = state - {source} | ({source - {obj}} if len(source) > 1 else set())
                nexts.append(rest | {frozenset({obj})})
                for target in clusters:
                    if target is not source:
                        nexts.append(rest - {target} | {target | {obj}})
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, steps + 1))
    raise AssertionError("unreachable")


def partitions(max_size: int = 8, labels: str = "abcd") -> st.SearchStrategy[dict[str, str]]:
    return st.lists(st.sampled_from(labels), min_size=1, max_size=max_size).map(
        lambda chosen: {f"m{i}": label for i, label in enumerate(chosen)}
    )


@st.composite
def pairs(draw: st.DrawFn, max_size: int = 8) -> tuple[dict[str, str], dict[str, str]]:
    a = draw(partitions(max_size))
    b = {obj: draw(st.sampled_from("wxyz")) for obj in a}
    return a, b


@settings(max_examples=60, deadline=None)
@given(pairs(max_size=5))
def test_mno_equals_the_shortest_sequence_of_moves_and_joins(pair) -> None:
    a, b = pair
    assert mno(a, b) == _move_join_distance(a, b)


@given(pairs())
def test_max_mno_bounds_every_distance(pair) -> None:
    a, b = pair
    assert 0 <= mno(a, b) <= max_mno(b)


@given(partitions())
def test_identical_partitions_agree_fully(p) -> None:
    agreement = compare_partitions(p, p)
    assert (agreement.mojofm, agreement.mojofm_reverse, agreement.ari, agreement.nmi) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )


@given(pairs(), st.permutations("wxyz"))
def test_relabelling_changes_nothing(pair, renamed) -> None:
    a, b = pair
    rename = dict(zip("wxyz", renamed, strict=True))
    relabelled = {obj: rename[label] for obj, label in b.items()}
    assert compare_partitions(a, b) == compare_partitions(a, relabelled)


@given(pairs())
def test_bounds_and_symmetry(pair) -> None:
    a, b = pair
    agreement = compare_partitions(a, b)
    assert 0.0 <= agreement.mojofm <= 1.0
    assert 0.0 <= agreement.mojofm_reverse <= 1.0
    assert -1.0 <= agreement.ari <= 1.0
    assert 0.0 <= agreement.nmi <= 1.0
    reverse = compare_partitions(b, a)
    assert (reverse.mojofm, reverse.mojofm_reverse) == (agreement.mojofm_reverse, agreement.mojofm)
    assert reverse.ari == pytest.approx(agreement.ari)
    assert reverse.nmi == pytest.approx(agreement.nmi)


@given(partitions(max_size=30, labels="abcdefghijklmnop"))
def test_singletons_need_only_joins(p) -> None:
    singletons = {obj: obj for obj in p}
    assert mno(singletons, p) == len(p) - len(set(p.values()))


@pytest.mark.parametrize(
    ("a", "b", "common", "needed"),
    [
        ({"m1": "s", "m2": "s"}, {"x1": "s", "x2": "t"}, 0, 2),
        ({"m1": "s"}, {"m1": "t"}, 1, 2),
        ({f"m{i}": "s" for i in range(10)}, {f"m{i}": "s" for i in range(4, 14)}, 6, 5),
        ({f"m{i}": "s" for i in range(10)}, {f"m{i}": "s" for i in range(6, 16)}, 4, 5),
        ({f"m{i}": "s" for i in range(40)}, {"m1": "s", "m2": None}, 2, 2),  # part of it
    ],
)
def test_overlap_needs_two_modules_and_half_of_the_smaller_side(
    a: dict[str, str | None], b: dict[str, str | None], common: int, needed: int
) -> None:
    if common >= needed:
        check_overlap(a, b)
        return
    with pytest.raises(InsufficientOverlap) as raised:
        check_overlap(a, b)
    assert raised.value.message == (
        f"only {common} module(s) in common between A ({len(a)} modules) and "
        f"B ({len(b)} modules); comparing needs at least {needed}"
    )
    assert raised.value.exit_code == 2
    assert pickle.loads(pickle.dumps(raised.value)).message == raised.value.message
