"""MoJo distance and MoJoFM, computed exactly with the optimal MoJo algorithm.

Wen & Tzerpos, "An optimal algorithm for MoJo distance", IWPC 2003, and "An effectiveness
measure for software clustering algorithms", IWPC 2004. Partitions here are dicts from
object to cluster label over the same objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def mno(a: Mapping[str, str], b: Mapping[str, str]) -> int:
    """The minimum number of Move and Join operations that turn partition `a` into `b`.

    Each cluster A_i is tagged with the B clusters it shares most objects with; a maximum
    bipartite matching between A clusters and those tags gives the number g of groups.
    Then mno = sum_i (|A_i| - max_j |A_i & B_j|) moves + (l - g) joins, l = |A|.

    Raises:
        ValueError: `a` and `b` do not cover the same objects.
    """
    if set(a) != set(b):
        raise ValueError("MoJo needs two partitions of the same objects")
    overlaps: dict[str, Counter[str]] = {}
    for obj, cluster in a.items():
        overlaps.setdefault(cluster, Counter())[b[obj]] += 1
    moves = 0
    tags: list[list[str]] = []
    for cluster in sorted(overlaps):
        counts = overlaps[cluster]
        best = max(counts.values())
        moves += sum(counts.values()) - best
        tags.append(sorted(label for label, n in counts.items() if n == best))
    groups = _max_matching(tags)
    return moves + len(tags) - groups


def max_mno(b: Mapping[str, str]) -> int:
    """The largest mno(A, b) over every partition A of b's objects (Wen & Tzerpos 2004).

    With B's cluster sizes sorted ascending, g counts the sizes that exceed the count so
    far; the maximum is n - g.
    """
    groups = 0
    for size in sorted(Counter(b.values()).values()):
        if groups < size:
            groups += 1
    return len(b) - groups


def mojofm(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """MoJoFM(a, b) = 1 - mno(a, b) / max mno(any A, b), in [0, 1]; b is the reference.

    Directional: it tells how close the candidate `a` is to the authoritative `b`.
    1.0 when `a` already equals `b` (including the trivial cases of 0 or 1 object).
    """
    distance = mno(a, b)
    if distance == 0:
        return 1.0
    return 1.0 - distance / max_mno(b)


def _max_matching(tags: list[list[str]]) -> int:
    """Size of a maximum matching from left vertices (indices) to their tagged labels.

    Kuhn's augmenting paths with an explicit stack, so deep paths cannot overflow.
    """
    owner: dict[str, int] = {}  # label -> left vertex matched to it
    matched: dict[int, str] = {}
    for root in range(len(tags)):
        reached_from: dict[str, int] = {}
        stack = [(root, iter(tags[root]))]
        free: str | None = None
        while stack and free is None:
            left, options = stack[-1]
            for option in options:
                if option in reached_from:
                    continue
                reached_from[option] = left
                if option not in owner:
                    free = option
                else:
                    stack.append((owner[option], iter(tags[owner[option]])))
                break
            else:
                stack.pop()
        label = free
        while label is not None:  # flip the augmenting path back to the root
            left = reached_from[label]
            previous = matched.get(left)
            matched[left], owner[label] = label, left
            label = previous if left != root else None
    return len(matched)
