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
        self.beside: dict[str, float] = {}  # of a phase's seconds, those others ran beside

    def add_beside(self, name: str, seconds: float, waited: float) -> None:
        """A phase that ran in another process beside this one, which then waited for it.

        Its `seconds` are its whole cost; the total counts only what the run `waited`.
        """
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.beside[name] = self.beside.get(name, 0.0) + max(0.0, seconds - waited)
        if self._nested:
            self._nested[-1] += waited

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
        """`phase  1.234 s` lines, then the wall-clock total, aligned for a terminal.

        A phase that ran beside others says how much of it did: `(1.000 s beside)`.
        """
        width = max((len(name) for name in self.seconds), default=5)
        total = sum(self.seconds.values()) - sum(self.beside.values())
        lines = []
        for name, seconds in [*self.seconds.items(), ("total", total)]:
            line = f"{name:<{width}}  {seconds:7.3f} s"
            if self.beside.get(name):
                line += f"  ({self.beside[name]:.3f} s beside)"
            lines.append(line)
        return lines
