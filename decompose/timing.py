"""Wall-clock seconds per phase of a run, for `--timings` and the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Timings:
    """Seconds spent in each named phase, in the order the phases first ended.

    A phase's seconds leave out the phases nested in it, so the phases add up to the
    time of the run. A phase entered again adds to its total. Functions of the pipeline
    take one as an optional argument and record into a throwaway one when given none.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = clock
        self._nested: list[float] = []  # per open phase: seconds of the phases inside it

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block under `name`, even if it raises."""
        self._nested.append(0.0)
        start = self._clock()
        try:
            yield
        finally:
            elapsed = self._clock() - start
            inside = self._nested.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed - inside
            if self._nested:
                self._nested[-1] += elapsed

    def lines(self) -> list[str]:
        """`phase  1.234 s` lines, then the total, aligned for a terminal."""
        width = max((len(name) for name in self.seconds), default=5)
        total = sum(self.seconds.values())
        rows = [*self.seconds.items(), ("total", total)]
        return [f"{name:<{width}}  {seconds:7.3f} s" for name, seconds in rows]
