"""Worker processes: each job answered once; a crash or an overrun costs only its job."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import Any

import pytest

from decompose.extraction.limits import Budget
from decompose.extraction.workers import Failure, WorkerTraceback, supervise

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the fakes are not importable"
)


def _work(job: str) -> str:
    """A fake parser: the job's name says what it does."""
    if job.startswith("segfault"):
        os.kill(os.getpid(), signal.SIGSEGV)
    elif job.startswith("spin"):
        while True:
            pass
    elif job.startswith("hog"):
        hoard = [bytearray(1 << 20) for _ in range(400)]
        return str(len(hoard))
    elif job.startswith("sleep"):
        time.sleep(60)
    elif job.startswith("bug"):
        raise ValueError("a bug in the collector")
    return job.upper()


def _size(job: str) -> int:
    """Its size in bytes: after a colon in its name, else 1,000."""
    return int(job.partition(":")[2] or 1_000)


def _run(chunks: list[list[str]], workers: int = 2, **budget: Any) -> dict[str, object]:
    results: dict[str, object] = {}
    fork = multiprocessing.get_context("fork")
    limits = Budget(**budget)
    for job, result in supervise(
        chunks, _work, size=_size, workers=workers, budget=limits, context=fork
    ):
        assert job not in results, f"{job} answered twice"
        results[job] = result
    assert not multiprocessing.active_children()
    return results


def test_every_job_is_answered_once() -> None:
    chunks = [[f"job{c}-{i}" for i in range(7)] for c in range(9)]
    assert _run(chunks, workers=3) == {j: j.upper() for chunk in chunks for j in chunk}


@pytest.mark.parametrize(
    ("job", "budget", "reason"),
    [
        ("segfault", {}, "the parser crashed on it (SIGSEGV; nested too deeply?)"),
        # A generous wall factor: on a busy machine a spinning job gets a fraction of a CPU.
        (
            "spin",
            {"cpu_seconds": 1, "cpu_seconds_per_mb": 0, "wall_factor": 30.0},
            "over its limit of 1 s of CPU time",
        ),
        (
            "spin:100000",
            {"cpu_seconds": 0, "cpu_seconds_per_mb": 20, "wall_factor": 30.0},
            "over its limit of 2 s of CPU time",
        ),
        (
            "hog",
            {"memory_bytes": 100 << 20, "memory_per_byte": 0},
            "over its limit of 100 MiB of memory",
        ),
        ("sleep", {"cpu_seconds": 1, "wall_factor": 1.0}, "over its limit of 1 s of wall time"),
    ],
)
def test_a_job_that_fails_costs_only_itself(job: str, budget: dict[str, Any], reason: str) -> None:
    chunks = [["a1", "a2", job, "a3", "a4"], ["b1", "b2"], ["c1"]]
    results = _run(chunks, **budget)
    failure = results.pop(job)
    assert isinstance(failure, Failure) and reason in failure.reason
    assert failure.lasting is (job != "sleep")  # wall-clock time depends on the machine
    assert results == {j: j.upper() for j in ("a1", "a2", "a3", "a4", "b1", "b2", "c1")}


def test_a_larger_file_may_cost_more() -> None:
    # 400 MB are over the base allowance of 100 MiB, within 100 MiB + 1,000 per byte.
    budget = {"memory_bytes": 100 << 20, "memory_per_byte": 1_000}
    assert isinstance(_run([["hog:1000"]], **budget)["hog:1000"], Failure)
    assert _run([["hog:500000"]], **budget) == {"hog:500000": "400"}


def test_the_allowance_grows_with_the_size() -> None:
    allowance = Budget().allowance(2_000_000)
    assert allowance.cpu_seconds == 45 and allowance.wall_seconds == 135
    assert allowance.memory_bytes == (512 << 20) + 3_000_000_000


def test_a_failure_in_every_chunk_still_answers_all() -> None:
    chunks = [["segfault1", "x1"], ["segfault2", "x2"], ["x3", "segfault3"]]
    results = _run(chunks, workers=2)
    failed = {job for job, result in results.items() if isinstance(result, Failure)}
    assert failed == {"segfault1", "segfault2", "segfault3"}
    assert {j: r for j, r in results.items() if j not in failed} == {
        "x1": "X1",
        "x2": "X2",
        "x3": "X3",
    }


def test_a_bug_is_raised_with_the_workers_traceback() -> None:
    with pytest.raises(RuntimeError, match="a bug in the collector") as raised:
        _run([["a", "bug", "b"]])
    assert isinstance(raised.value.__cause__, WorkerTraceback)
    assert "_work" in str(raised.value.__cause__)
    assert not multiprocessing.active_children()
