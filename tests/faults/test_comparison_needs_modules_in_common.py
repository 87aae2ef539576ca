"""Promise: `compare` never scores decompositions that share too few modules to be compared.

With nothing in common every measure is trivially 1.000; that is an error (exit 2) that
says how many modules matched, not a perfect agreement.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXPERT = Path(__file__).parents[2] / "examples" / "monolith_app" / "expected_decomposition.json"


@pytest.mark.parametrize(
    ("b", "common"),
    [
        ({"other.app": "web", "other.models": "data"}, 0),  # another project (or root) entirely
        ({"shop.api.catalog": "catalog", "elsewhere.x": "y", "elsewhere.z": "y"}, 1),
    ],
    ids=["none", "one"],
)
def test_too_little_overlap_is_exit_2_saying_how_many_matched(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path, b: dict[str, str], common: int
) -> None:
    mapping = tmp_path / "b.json"
    mapping.write_text(json.dumps(b))

    result = decompose("compare", EXPERT, mapping)

    user_error(result, f"only {common} module(s) in common")
    assert result.stdout == ""  # no table of meaningless scores


def test_an_expert_mapping_of_some_modules_is_still_compared(  # type: ignore[no-untyped-def]
    decompose, tmp_path: Path
) -> None:
    expert = json.loads(EXPERT.read_text(encoding="utf-8"))
    part = dict(sorted(expert.items())[:10])
    mapping = tmp_path / "part.json"
    mapping.write_text(json.dumps(part))

    result = decompose("compare", EXPERT, mapping)

    assert result.returncode == 0, result.stderr
    assert "common modules" in result.stdout and " 10 " in result.stdout
