"""The report fixture: a small shop monolith split into four services."""

from __future__ import annotations

from pathlib import Path

import pytest

from decompose.model.decomposition import Decomposition
from decompose.report.json_report import load_decomposition

FIXTURE = Path(__file__).parents[2] / "fixtures" / "report" / "decomposition.json"


@pytest.fixture
def decomposition() -> Decomposition:
    return load_decomposition(FIXTURE.read_text(encoding="utf-8"), source=str(FIXTURE))


@pytest.fixture
def empty_decomposition(decomposition: Decomposition) -> Decomposition:
    """No services, findings, metrics or skipped files: every report's empty states."""
    return decomposition.model_copy(
        update={
            "modules": (),
            "dependencies": (),
            "services": (),
            "shared": (),
            "metrics": {},
            "findings": (),
            "migration_order": (),
            "skipped_files": (),
        }
    )
