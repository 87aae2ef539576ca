"""Promise: a `--fail-on` gate either matches what it names or refuses to run.

Kinds and severities are read in any case; a name that is neither is exit 2 listing the
valid ones, before the analysis, whether it comes from the command line or pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# Its findings: cross_service_fk (high) and shared_model (medium).
PROJECT = Path(__file__).parents[1] / "fixtures" / "graph_project"


@pytest.mark.parametrize("condition", ["HIGH", "High", "Cross_Service_FK", " high "])
def test_fail_on_reads_kinds_and_severities_in_any_case(  # type: ignore[no-untyped-def]
    decompose, tmp_path: Path, condition: str
) -> None:
    result = decompose("analyze", PROJECT, "-o", "out", "--fail-on", condition)

    assert result.returncode == 1, result.stderr
    assert "match --fail-on" in result.stderr


@pytest.mark.parametrize("where", ["command line", "pyproject.toml"])
def test_an_unknown_fail_on_is_exit_2_listing_the_valid_ones(  # type: ignore[no-untyped-def]
    decompose, user_error, tmp_path: Path, where: str
) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    args = ["analyze", project, "-o", "out"]
    if where == "command line":
        args += ["--fail-on", "high", "--fail-on", "bogus"]
    else:
        (project / "pyproject.toml").write_text('[tool.decompose]\nfail_on = ["bogus"]\n')

    line = user_error(decompose(*args), "'bogus'")

    for valid in ("high", "medium", "low", "cross_service_fk", "service_cycle"):
        assert valid in line
    assert not (tmp_path / "out").exists()  # refused before the analysis
