"""What a command loads: every run of `decompose` is a new process that pays for its imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

import decompose


def _loaded_after(statement: str) -> set[str]:
    script = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(found.stdout.split())


def test_the_cli_does_not_load_the_scaffold_until_it_is_asked_for() -> None:
    loaded = _loaded_after("import decompose.cli")
    assert "decompose.cli" in loaded
    assert not {name for name in loaded if name.startswith("decompose.scaffold")}


def test_a_submodule_does_not_load_the_whole_pipeline() -> None:
    loaded = _loaded_after("import decompose.extraction.module")
    assert "decompose.api" not in loaded
    assert "networkx" not in loaded


def test_the_public_api_is_there_on_first_use() -> None:
    assert decompose.analyze is decompose.api.analyze
    assert decompose.Analysis.__name__ == "Analysis"
    with pytest.raises(AttributeError, match="no attribute 'scaffold_everything'"):
        decompose.scaffold_everything  # noqa: B018
