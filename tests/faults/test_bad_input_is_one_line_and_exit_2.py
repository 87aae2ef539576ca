"""Promise: input the user must fix is exit 2 with one line, never a traceback or exit 3.

Infinite numbers, settings of the wrong type and JSON nested deeper than any report are
refused up front, saying where the problem is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).parents[1] / "fixtures" / "graph_project"
REPORT = Path(__file__).parents[1] / "fixtures" / "scaffold" / "decomposition.json"
DEPTH = 100_000


@pytest.mark.parametrize(
    ("pyproject", "args", "fragment"),
    [
        ("", ["--resolution", "inf"], "resolution"),
        ("", ["--resolution", "nan"], "resolution"),
        ("[tool.decompose.weights]\norm = inf\n", [], "weights.orm"),
        ("[tool.decompose]\nresolution = inf\n", [], "resolution"),
        ("[tool.decompose.thresholds]\noversized_share = inf\n", [], "oversized_share"),
        ("tool = 3\n", [], "[tool]"),
        ("[tool.decompose]\nexclude = 3\n", ["--exclude", "legacy/**"], "exclude"),
        ("[tool.decompose]\nexclude = 'legacy'\n", ["--exclude", "x/**"], "exclude"),
        ("[tool.decompose]\nshared = 'shop.kernel'\n", ["--shared", "shop.api"], "shared"),
        ("[tool.decompose]\npins = 3\n", ["--pin", "shop.api=web"], "pins"),
    ],
    ids=[
        "resolution-inf",
        "resolution-nan",
        "weight-inf",
        "pyproject-resolution-inf",
        "threshold-inf",
        "tool-not-a-table",
        "exclude-not-a-list",
        "exclude-a-string",
        "shared-a-string",
        "pins-not-a-table",
    ],
)
def test_bad_settings_are_exit_2_with_one_line(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path, pyproject: str, args: list[str], fragment: str
) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    if pyproject:
        (project / "pyproject.toml").write_text(pyproject)

    user_error(decompose("analyze", project, "-o", "out", *args), fragment)

    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("shape", ["array", "object"])
@pytest.mark.parametrize("command", ["compare", "scaffold"])
def test_json_nested_too_deep_is_exit_2_with_one_line(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path, shape: str, command: str
) -> None:
    deep = tmp_path / "deep.json"
    if shape == "array":
        deep.write_text("[" * DEPTH + "]" * DEPTH)
    else:
        deep.write_text('{"a": ' * DEPTH + "1" + "}" * DEPTH)
    args = [deep, REPORT] if command == "compare" else [deep, "-o", "services"]

    user_error(decompose(command, *args), "deep.json", "nested too deeply")

    assert not (tmp_path / "services").exists()
