from __future__ import annotations

import pytest

from decompose.timing import Timings


class _Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nested_phases_are_left_out_of_the_outer_one() -> None:
    clock = _Clock()
    timings = Timings(clock)
    with timings.phase("outer"):
        clock.now += 2
        with timings.phase("inner"):
            clock.now += 5
            with timings.phase("innermost"):
                clock.now += 1
        clock.now += 1
    assert timings.seconds == {"outer": 3, "inner": 5, "innermost": 1}
    assert list(timings.seconds) == ["innermost", "inner", "outer"]  # the order they ended in
    assert timings.lines()[-1].split() == ["total", "9.000", "s"]


def test_a_phase_entered_again_adds_up_and_an_error_is_still_timed() -> None:
    clock = _Clock()
    timings = Timings(clock)
    for _ in range(2):
        with pytest.raises(ValueError), timings.phase("step"):
            clock.now += 1.5
            raise ValueError
    assert timings.seconds == {"step": 3.0}


def test_a_phase_beside_the_others_counts_whole_and_the_total_stays_the_wall_clock() -> None:
    clock = _Clock()
    timings = Timings(clock)
    with timings.phase("replace"):
        with timings.phase("report md"):
            clock.now += 2
        clock.now += 0.5  # waiting for the page, which took 3 s in another process
        timings.add_beside("report html", 3.0, waited=0.5)
    assert timings.seconds == {"report md": 2, "report html": 3, "replace": 0}
    assert timings.beside == {"report html": 2.5}
    lines = timings.lines()
    assert lines[1].split() == ["report", "html", "3.000", "s", "(2.500", "s", "beside)"]
    assert lines[-1].split() == ["total", "2.500", "s"]
