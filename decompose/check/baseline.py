"""The ratchet: violations accepted so far, so that a check fails only on new ones.

A baseline counts violations by key (rule, module, what it reaches; no line numbers), so
moving code does not make a violation new, and a second use of the same internal name
from the same module is not one either. It is stable, sorted JSON: one entry per line.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.errors import BaselineError
from decompose.model.boundaries import Violation

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Ratchet:
    """The violations of a check measured against a baseline."""

    new: tuple[Violation, ...]  # not in the baseline (beyond its count)
    known: tuple[Violation, ...]  # accepted by the baseline
    fixed: tuple[str, ...]  # baseline keys (one per fixed occurrence) no longer found


def parse_baseline(text: str, source: str) -> Counter[str]:
    """The accepted count of each violation key in a baseline file.

    Raises:
        BaselineError: not a baseline written by `decompose check --update-baseline`.
    """
    try:
        data = json.loads(text)
        entries = data["violations"]
        if data.get("version") != FORMAT_VERSION or not isinstance(entries, list):
            raise ValueError("unknown layout")
        return Counter({str(e["key"]): int(e["count"]) for e in entries})
    except (ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{source} is not a decompose baseline ({exc})") from None


def render_baseline(violations: Iterable[Violation]) -> str:
    """The baseline accepting exactly these violations, as sorted JSON (a line per entry)."""
    counts: Counter[str] = Counter()
    example: dict[str, Violation] = {}
    for violation in violations:
        counts[violation.key] += 1
        example.setdefault(violation.key, violation)
    entries = [
        json.dumps(
            {"key": key, "count": counts[key], "rule": example[key].rule.value},
            ensure_ascii=False,
            sort_keys=True,
        )
        for key in sorted(counts)
    ]
    body = ",\n".join(f"  {entry}" for entry in entries)
    return f'{{"version": {FORMAT_VERSION}, "violations": [\n{body}\n]}}\n'


def ratchet(violations: Iterable[Violation], accepted: Mapping[str, int]) -> Ratchet:
    """Split violations into new and known, and list what the baseline had that is gone."""
    seen: Counter[str] = Counter()
    new, known = [], []
    for violation in violations:
        seen[violation.key] += 1
        if seen[violation.key] <= accepted.get(violation.key, 0):
            known.append(violation)
        else:
            new.append(violation)
    fixed = [
        key for key, count in sorted(accepted.items()) for _ in range(count - seen.get(key, 0))
    ]
    return Ratchet(tuple(new), tuple(known), tuple(fixed))
