"""The console script as a process: it leaves without teardown, and loses no output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from decompose import __version__
from decompose.report.json_report import json_schema


def _decompose(*args: str) -> subprocess.CompletedProcess[str]:
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "decompose", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=buffered,
    )


def test_everything_written_to_a_pipe_arrives() -> None:
    done = _decompose("schema")  # 60 kB through a block-buffered pipe
    assert done.returncode == 0
    assert done.stdout == json_schema()
    short = _decompose("--version")  # less than the buffer: it goes out at the flush
    assert short.stdout == f"decompose, version {__version__}\n"


def test_the_exit_code_and_the_error_line_survive(tmp_path: Path) -> None:
    done = _decompose("analyze", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "no such file or directory" in done.stderr
