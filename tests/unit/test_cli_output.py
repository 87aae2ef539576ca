"""The summary the command line prints after an analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from decompose.cli import output
from decompose.model import Decomposition, ServiceDependency
from decompose.report.json_report import load_decomposition

GOLDEN = Path(__file__).parent.parent / "golden" / "report" / "decomposition.json"


def _many(count: int) -> Decomposition:
    base = load_decomposition(GOLDEN.read_text(encoding="utf-8"))
    template = base.services[0]
    services = tuple(
        template.model_copy(
            update={
                "name": f"svc_{i:03d}",
                "loc": 1000 + i,
                "depends_on": tuple(
                    ServiceDependency(service=f"svc_{j:03d}", weight=1.0) for j in range(i % 10)
                ),
            }
        )
        for i in range(count)
    )
    return base.model_copy(update={"services": services})


def _printed(decomposition: Decomposition, monkeypatch: pytest.MonkeyPatch) -> str:
    console = Console(record=True, width=200, markup=False, highlight=False)
    monkeypatch.setattr(output, "err", console)
    output.print_summary(decomposition)
    return console.export_text()


def _rows(text: str) -> list[str]:
    """The service named in the first cell of each row of the printed table."""
    cells = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
    return [cell for cell in cells if cell.startswith("svc_")]


def test_a_thousand_services_print_as_the_largest_and_a_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _printed(_many(1000), monkeypatch)
    assert _rows(text) == [f"svc_{i:03d}" for i in range(960, 1000)]  # the 40 largest, by name
    assert "… 960 smaller services (all in report.md)" in text
    assert "+3 more" in text  # 9 dependencies: six named


def test_a_few_services_print_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _printed(_many(5), monkeypatch)
    assert _rows(text) == [f"svc_{i:03d}" for i in range(5)]
    assert "smaller services" not in text
