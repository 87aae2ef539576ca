"""Promise: no process that `decompose analyze` starts outlives it, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads process states from Linux's /proc"
)

Process = tuple[int, str]  # pid and start time: a pid alone may be reused


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state first), or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses


def _children(parent: int) -> list[Process]:
    children = []
    for entry in os.listdir("/proc"):
        fields = _stat(int(entry)) if entry.isdigit() else None
        if fields and int(fields[1]) == parent:
            children.append((int(entry), fields[19]))
    return children


def _alive(process: Process) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in ("Z", "X")


def _wait_for_workers(run: subprocess.Popen[bytes], count: int) -> list[Process]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        children = _children(run.pid)
        if len(children) >= count:
            return children
        if run.poll() is not None:
            pytest.fail(f"analyze ended (exit {run.returncode}) before starting {count} workers")
        time.sleep(0.02)
    pytest.fail(f"analyze did not start {count} workers within 120 s")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_die_with_their_parent(
    signum: signal.Signals, heavy_project: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "decompose", "analyze", str(heavy_project)]
    command += ["-o", str(tmp_path / "out"), "--no-cache", "--jobs", "2"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[Process] = []
    try:
        workers = _wait_for_workers(run, 2)
        run.send_signal(signum)
        run.wait(timeout=30)  # SIGTERM too ends analyze, and promptly
        deadline = time.monotonic() + 15
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = [pid for pid, start in workers if _alive((pid, start))]
        assert not survivors, f"workers {survivors} outlived analyze ({signum.name})"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for worker in workers:  # on failure, do not leave them running for ever
            if _alive(worker):
                os.kill(worker[0], signal.SIGKILL)
