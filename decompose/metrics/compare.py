"""Agreement between two decompositions: MoJoFM both ways, adjusted Rand index and NMI."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from decompose.errors import InsufficientOverlap
from decompose.metrics.mojo import mojofm

SHARED_CLUSTER = "(shared)"  # the shared kernel counts as one cluster of its own
# With fewer modules in common every measure is trivially perfect: a single module is in
# one cluster on both sides.
MIN_COMMON_MODULES = 2
# Share of the smaller side's modules that must be in common. Below it the two most likely
# describe different projects, or one project named from different roots (`src.shop`
# against `shop`); an expert mapping of part of a project shares all of its modules.
MIN_COMMON_SHARE = 0.5


class Agreement(BaseModel):
    """How much two partitions agree over the modules they share.

    `mojofm` takes b as the reference (how close a is to b); `mojofm_reverse` takes a.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mojofm: float
    mojofm_reverse: float
    ari: float
    nmi: float
    common_modules: int
    only_in_a: tuple[str, ...] = ()
    only_in_b: tuple[str, ...] = ()


def compare_partitions(a: Mapping[str, str | None], b: Mapping[str, str | None]) -> Agreement:
    """Compare two partitions (module -> service, None for the shared kernel).

    Only modules in both count; the shared kernel is one cluster named "(shared)".
    """
    common = sorted(set(a) & set(b))
    left = {m: _label(a[m]) for m in common}
    right = {m: _label(b[m]) for m in common}
    return Agreement(
        mojofm=round(mojofm(left, right), 6),
        mojofm_reverse=round(mojofm(right, left), 6),
        ari=round(adjusted_rand_index(left, right), 6),
        nmi=round(normalized_mutual_information(left, right), 6),
        common_modules=len(common),
        only_in_a=tuple(sorted(set(a) - set(b))),
        only_in_b=tuple(sorted(set(b) - set(a))),
    )


def check_overlap(a: Mapping[str, str | None], b: Mapping[str, str | None]) -> None:
    """Refuse to compare partitions that share too few modules for the scores to mean much.

    Raises:
        InsufficientOverlap: fewer than MIN_COMMON_MODULES modules in common, or fewer
            than MIN_COMMON_SHARE of the smaller partition's.
    """
    common = len(a.keys() & b.keys())
    needed = max(MIN_COMMON_MODULES, math.ceil(MIN_COMMON_SHARE * min(len(a), len(b))))
    if common < needed:
        raise InsufficientOverlap(common, len(a), len(b), needed)


def adjusted_rand_index(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Hubert & Arabie's adjusted Rand index (J. Classification 2, 1985); symmetric, <= 1.

    1.0 for identical partitions up to relabelling, about 0 for random ones. When the
    expected and maximum index coincide (both partitions all singletons or one cluster,
    or fewer than 2 objects) the partitions are identical and the result is 1.0.
    """
    table, rows, columns = _contingency(a, b)
    pairs = sum(math.comb(n, 2) for n in table.values())
    row_pairs = sum(math.comb(n, 2) for n in rows.values())
    column_pairs = sum(math.comb(n, 2) for n in columns.values())
    total = math.comb(len(a), 2)
    expected = row_pairs * column_pairs / total if total else 0.0
    maximum = (row_pairs + column_pairs) / 2
    if maximum == expected:
        return 1.0
    return (pairs - expected) / (maximum - expected)


def normalized_mutual_information(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Mutual information over the arithmetic mean of the entropies, in [0, 1]; symmetric.

    Strehl & Ghosh, "Cluster ensembles", JMLR 3 (2002), with the arithmetic mean (as
    scikit-learn's default). 1.0 when both partitions are a single cluster (or empty).
    """
    table, rows, columns = _contingency(a, b)
    n = len(a)
    h_rows, h_columns = _entropy(rows.values(), n), _entropy(columns.values(), n)
    if h_rows == 0 and h_columns == 0:
        return 1.0
    mutual = sum(
        count / n * math.log(n * count / (rows[r] * columns[c])) for (r, c), count in table.items()
    )
    return min(1.0, max(0.0, mutual / ((h_rows + h_columns) / 2)))


def _label(service: str | None) -> str:
    return SHARED_CLUSTER if service is None else service


def _contingency(
    a: Mapping[str, str], b: Mapping[str, str]
) -> tuple[Counter[tuple[str, str]], Counter[str], Counter[str]]:
    if set(a) != set(b):
        raise ValueError("partitions must cover the same objects")
    table = Counter((a[obj], b[obj]) for obj in a)
    return table, Counter(a.values()), Counter(b.values())


def _entropy(counts: Iterable[int], n: int) -> float:
    return -sum(c / n * math.log(c / n) for c in counts if c)
