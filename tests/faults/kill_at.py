"""Run the decompose command line and SIGKILL it at a chosen point of writing its reports.

    python kill_at.py POINT OUT ARGS...

POINT is `writing` (the first write into a file in OUT) or `replaced-N` (just after the
N-th report is renamed into place in OUT). Everything else is the real command line.
"""

from __future__ import annotations

import builtins
import io
import os
import runpy
import signal
import sys
from pathlib import Path
from typing import Any

REPORTS = {"decomposition.json", "report.md", "report.html"}


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _in(directory: Path, path: Any) -> bool:
    try:
        return Path(os.fsdecode(path)).resolve().parent == directory
    except (TypeError, ValueError):
        return False


class _DiesOnWrite:
    """A file that takes the first piece written to it, then kills the process."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __enter__(self) -> _DiesOnWrite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stream.__exit__(*exc_info)

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        self._stream.flush()
        _die()
        return int(written)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)


def _kill_while_writing(out: Path) -> None:
    real_open = builtins.open

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real_open(file, mode, *args, **kwargs)
        if set(mode) & set("wax") and _in(out, file):
            return _DiesOnWrite(stream)
        return stream

    builtins.open = io.open = open_  # type: ignore[assignment]


def _kill_after_replacing(out: Path, count: int) -> None:
    replaced = 0
    for name in ("replace", "rename"):
        real = getattr(os, name)

        def move(src: Any, dst: Any, *args: Any, _real: Any = real, **kwargs: Any) -> None:
            nonlocal replaced
            _real(src, dst, *args, **kwargs)
            if _in(out, dst) and Path(os.fsdecode(dst)).name in REPORTS:
                replaced += 1
                if replaced == count:
                    _die()

        setattr(os, name, move)


def main() -> None:
    point, out, args = sys.argv[1], Path(sys.argv[2]).resolve(), sys.argv[3:]
    if point == "writing":
        _kill_while_writing(out)
    elif point.startswith("replaced-"):
        _kill_after_replacing(out, int(point.removeprefix("replaced-")))
    else:
        raise SystemExit(f"unknown kill point {point!r}")
    sys.argv = ["decompose", *args]
    runpy.run_module("decompose", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
