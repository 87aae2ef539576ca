from __future__ import annotations

from pathlib import Path

import pytest

from decompose.model import Decomposition
from decompose.report.json_report import load_decomposition

FIXTURE = Path(__file__).parents[2] / "fixtures" / "report" / "decomposition.json"


@pytest.fixture
def decomposition() -> Decomposition:
    return load_decomposition(FIXTURE.read_text(encoding="utf-8"), source=str(FIXTURE))
