"""The page's graph layout, started as soon as the services are known (LayoutPrefetch)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from decompose import api
from decompose.config import Settings
from decompose.model.decomposition import Decomposition, Service
from decompose.report import REPORT_FORMATS, beside, graph_view, write_reports
from decompose.report.graph_view import LayoutPrefetch
from decompose.timing import Timings

EXAMPLE = Path(__file__).parents[3] / "examples" / "monolith_app"

forking = pytest.mark.skipif(not beside.can_fork(), reason="forks only on Linux, one thread")


def test_the_services_known_early_are_the_reports_services() -> None:
    known: list[Sequence[Service]] = []
    decomposition = api.analyze(EXAMPLE, Settings(cache=False), services_known=known.append)
    assert len(known) == 1
    assert tuple(known[0]) == decomposition.services


def _page(decomposition: Decomposition, out: Path, formats: Sequence[str]) -> bytes:
    write_reports(decomposition, out, formats)
    return (out / "report.html").read_bytes()


def _page_started_for(
    services: Sequence[Service], decomposition: Decomposition, out: Path, formats: Sequence[str]
) -> tuple[bytes, Timings]:
    """The page of `decomposition`, written with a layout started for `services`."""
    started = LayoutPrefetch()
    started.start(services)
    timings = Timings()
    try:
        write_reports(decomposition, out, formats, timings=timings, started=started)
    finally:
        started.stop()
    return (out / "report.html").read_bytes(), timings


@forking
@pytest.mark.parametrize("formats", [REPORT_FORMATS, ("html",)])  # the page in a copy, or here
def test_a_page_takes_the_layout_started_for_it(
    generated: Callable[[int, int], Decomposition],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    formats: Sequence[str],
) -> None:
    decomposition = generated(30, 2)
    expected = _page(decomposition, tmp_path / "here", formats)
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    page, timings = _page_started_for(
        decomposition.services, decomposition, tmp_path / "started", formats
    )
    assert page == expected
    assert timings.seconds["graph layout"] > 0  # it was taken, and its cost is shown
    assert timings.beside["graph layout"] == timings.seconds["graph layout"]
    with pytest.raises(ChildProcessError):  # every copy reaped
        os.waitpid(-1, os.WNOHANG)


@forking
def test_a_layout_started_for_other_services_is_not_used(
    generated: Callable[[int, int], Decomposition],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decomposition = generated(30, 2)
    expected = _page(decomposition, tmp_path / "here", REPORT_FORMATS)
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    other = [s.model_copy(update={"loc": s.loc + 100}) for s in decomposition.services]
    page, timings = _page_started_for(other, decomposition, tmp_path / "started", REPORT_FORMATS)
    assert page == expected
    assert "graph layout" not in timings.seconds


@forking
def test_a_started_layout_that_fails_is_drawn_by_the_page(
    generated: Callable[[int, int], Decomposition],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decomposition = generated(30, 2)
    expected = _page(decomposition, tmp_path / "here", ("html",))

    def broken(drawn: object) -> object:  # runs in the copy only
        raise MemoryError

    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    monkeypatch.setattr(graph_view, "_layout_data", broken)
    page, timings = _page_started_for(
        decomposition.services, decomposition, tmp_path / "started", ("html",)
    )
    assert page == expected
    assert "graph layout" not in timings.seconds


@forking
def test_a_layout_never_taken_is_stopped_and_reaped(
    generated: Callable[[int, int], Decomposition], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 0)
    started = LayoutPrefetch()
    started.start(generated(60, 0).services)
    started.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@forking
def test_only_graphs_from_the_threshold_on_are_laid_out_beside(
    generated: Callable[[int, int], Decomposition], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph_view, "LAYOUT_BESIDE_FROM", 31)
    small, large = LayoutPrefetch(), LayoutPrefetch()
    small.start(generated(30, 0).services)
    large.start(generated(31, 0).services)
    assert small.input is None  # nothing forked: the page lays it out itself
    assert large.input is not None
    small.stop()
    large.stop()
