"""Promise: scaffold writes every service of its input, or refuses the input.

Two services of one name cannot both be scaffolded; keeping one would lose the other's
modules and API without a word, so such a decomposition.json is refused (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path

REPORT = Path(__file__).parents[1] / "fixtures" / "scaffold" / "decomposition.json"


def test_two_services_of_one_name_are_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path
) -> None:
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    orders = next(s for s in data["services"] if s["name"] == "orders")
    customers = next(s for s in data["services"] if s["name"] == "customers")
    customers["name"] = "orders"  # a hand-edited report: two services called orders
    assert [s["name"] for s in data["services"]].count("orders") == 2 and orders
    report = tmp_path / "decomposition.json"
    report.write_text(json.dumps(data), encoding="utf-8")

    user_error(decompose("scaffold", report, "-o", "services"), "'orders'", "more than once")

    assert not (tmp_path / "services").exists()
