"""Worker processes that each cost one file at most: a crash or an overrun skips that file.

A process pool cannot say which file killed a worker (every pending task fails with
BrokenProcessPool) nor stop one task that runs too long. These workers report each
file as they finish it, so the parent always knows which file a worker is on. Each file
runs under a budget (`limits.Budget`): the kernel stops a worker that uses more CPU time
or address space than its file may (RLIMIT_CPU, RLIMIT_AS), and the parent stops one
that overstays in wall-clock time. A worker that dies that way, or from a crash of the
native parser, costs its current file: it becomes a `Failure` with the reason, and a new
worker takes over the rest of the chunk.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import math
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from decompose.extraction.limits import Allowance, Budget

try:
    import resource
except ImportError:  # Windows: no limits, a crash still costs only its file
    resource = None  # type: ignore[assignment]

Job = TypeVar("Job")

# How often the parent looks at the clock while every worker is busy (seconds).
_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Failure:
    """Why a job got no result: its file crashed the parser or went over its budget.

    `lasting` is False when the circumstances may have decided (wall-clock time).
    """

    reason: str
    lasting: bool = True


class _Bug:
    """A job raised: a bug in decompose, re-raised in the parent with its traceback."""

    def __init__(self, error: BaseException) -> None:
        self.summary = f"{type(error).__name__}: {error}"
        self.traceback = "".join(traceback.format_exception(error))


class WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker process (its text, as the cause)."""


@dataclass(frozen=True)
class _Task(Generic[Job]):
    """What a worker gets: the work to do, how to size a job, the budget, what runs first."""

    work: Callable[[Job], Any]
    size: Callable[[Job], int]
    budget: Budget
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()

    def allowance(self, job: Job) -> Allowance:
        return self.budget.allowance(self.size(job))


@dataclass
class _Worker(Generic[Job]):
    process: BaseProcess
    conn: Connection
    pending: deque[Job] = field(default_factory=deque)  # sent, not answered, in order
    since: float = 0.0  # when its current job started (time.monotonic)

    def give(self, chunk: Sequence[Job]) -> bool:
        """Send it a chunk; False if it can take no more (it died meanwhile)."""
        try:
            self.conn.send(list(chunk))
        except OSError:
            self.process.kill()
            return False
        self.pending.extend(chunk)
        self.since = time.monotonic()
        return True


def supervise(
    chunks: Sequence[Sequence[Job]],
    work: Callable[[Job], Any],
    *,
    size: Callable[[Job], int],
    workers: int,
    budget: Budget,
    context: BaseContext,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[tuple[Job, Any]]:
    """Run `work` on every job in worker processes; yield (job, its result or a Failure).

    Results come in the order they finish. Each job may cost what `budget` allows for
    its `size` in bytes. Each worker first calls `initializer(*initargs)`. `work`,
    `size`, the initializer and the jobs must be picklable when `context` spawns its
    processes. Workers still busy when the caller stops early (an exception, a closed
    generator) are killed.

    Raises:
        RuntimeError: `work` raised (a bug); the worker's traceback is the cause.
    """
    task = _Task(work, size, budget, initializer, initargs)
    queue: deque[Sequence[Job]] = deque(chunks)
    pool: list[_Worker[Job]] = []
    try:
        while queue or any(w.pending for w in pool):
            pool[:] = [w for w in pool if w.pending or w.process.is_alive()]
            for worker in [w for w in pool if not w.pending]:
                if queue and not worker.give(queue[0]):
                    pool.remove(worker)
                elif queue:
                    queue.popleft()
            while queue and len(pool) < workers:
                pool.append(_start(task, context))
                if pool[-1].give(queue[0]):
                    queue.popleft()
            busy = [w for w in pool if w.pending]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], _POLL_SECONDS)
            for worker in busy:
                # Dead before its answers are read: then they are all read, and the job
                # it was on is the one it died on.
                dead = not worker.process.is_alive()
                yield from _answers(worker)
                failure = _fate(worker, task, dead)
                if failure is not None:
                    yield worker.pending.popleft(), failure
                    if worker.pending:
                        queue.appendleft(list(worker.pending))
                    pool.remove(worker)
    finally:
        _stop(pool)


def _start(task: _Task[Any], context: BaseContext) -> _Worker[Any]:
    parent_end, child_end = context.Pipe()
    process = context.Process(  # type: ignore[attr-defined]
        target=_serve, args=(child_end, task), daemon=True
    )
    process.start()
    child_end.close()
    return _Worker(process, parent_end)


def _answers(worker: _Worker[Job]) -> Iterator[tuple[Job, Any]]:
    """The results a worker has sent, including those sent just before it died."""
    while worker.pending and worker.conn.poll():
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):  # it hung up: it is dying, let it finish
            worker.process.join(timeout=5)
            return
        job = worker.pending.popleft()
        worker.since = time.monotonic()
        if isinstance(result, _Bug):
            raise RuntimeError(f"extracting {job}: {result.summary}") from WorkerTraceback(
                result.traceback
            )
        yield job, result


def _fate(worker: _Worker[Any], task: _Task[Any], dead: bool) -> Failure | None:
    """Why the busy worker's current job failed, if it did; a worker that overstays is killed."""
    if not worker.pending:
        return None
    allowance = task.allowance(worker.pending[0])
    if not dead:
        wall = allowance.wall_seconds
        if wall is None or time.monotonic() - worker.since <= wall:
            return None
        worker.process.kill()
        worker.process.join()
        return Failure(f"too costly: over its limit of {wall:.0f} s of wall time", lasting=False)
    worker.process.join()
    worker.conn.close()
    return Failure(_death_reason(worker.process.exitcode, allowance))


def _death_reason(exitcode: int | None, allowance: Allowance) -> str:
    if exitcode is not None and exitcode < 0:
        signum = -exitcode
        if signum == getattr(signal, "SIGXCPU", None):
            return f"too costly: over its limit of {allowance.cpu_seconds:.0f} s of CPU time"
        if signum == signal.SIGABRT and allowance.memory_bytes is not None:
            return _memory_reason(allowance)  # the native parser aborts when allocation fails
        name = signal.Signals(signum).name if signum in signal.valid_signals() else signum
        hint = "; nested too deeply?" if name in ("SIGSEGV", "SIGBUS") else ""
        return f"the parser crashed on it ({name}{hint})"
    return f"the parser crashed on it (exit status {exitcode})"


def _memory_reason(allowance: Allowance) -> str:
    mib = (allowance.memory_bytes or 0) >> 20
    return f"too costly: over its limit of {mib:,} MiB of memory"


def _stop(pool: list[_Worker[Any]]) -> None:
    """Ask idle workers to finish; kill those still busy (the run is over or failing)."""
    for worker in pool:
        try:
            if worker.pending or not worker.process.is_alive():
                worker.process.kill()
            else:
                worker.conn.send(None)
        except (OSError, ValueError):
            worker.process.kill()
    for worker in pool:
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _serve(conn: Connection, task: _Task[Any]) -> None:
    """A worker's life: take chunks until told to stop, answer each job as it finishes.

    The cyclic garbage collector is paused during a chunk: libcst allocates millions of
    nodes and the collector would keep scanning the results held so far; the trees have
    no reference cycles (no parent pointers), so reference counting frees them. One full
    collection per chunk catches anything else; it leaves alone what the worker inherited
    (frozen), which would cost tens of milliseconds to scan, and copies of every page.
    """
    if task.initializer is not None:
        task.initializer(*task.initargs)
    limits = _Limits()
    gc.freeze()  # what the parent held before the fork: the collections below skip it
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        gc.disable()
        try:
            for job in chunk:
                allowance = task.allowance(job)
                limits.arm(allowance)
                try:
                    result = task.work(job)
                except MemoryError:
                    result = Failure(_memory_reason(allowance))
                except Exception as error:
                    result = _Bug(error)
                conn.send(result)
        finally:
            gc.enable()
            gc.collect()


class _Limits:
    """The kernel's limits on a worker, set afresh before each file from what it holds.

    Also, in the worker: no core files or fault handler's dump from a crash, and its
    stderr quiet (the native parser prints when an allocation fails; each reason reaches
    the parent).
    """

    def __init__(self) -> None:
        faulthandler.disable()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        self._statm: int | None = None
        self._page = 1
        if resource is None:
            return
        _set_soft_limit(resource.RLIMIT_CORE, 0)
        try:
            self._statm = os.open("/proc/self/statm", os.O_RDONLY)
            self._page = os.sysconf("SC_PAGE_SIZE")
        except OSError:  # not Linux: no reading of the address space, no memory limit
            self._statm = None

    def arm(self, allowance: Allowance) -> None:
        """Limit the next file to its allowance of CPU time and of address space."""
        if resource is None:
            return
        if allowance.cpu_seconds is not None:
            cpu = math.ceil(time.process_time() + allowance.cpu_seconds)
            _set_soft_limit(resource.RLIMIT_CPU, cpu)
        if self._statm is not None and allowance.memory_bytes is not None:
            held = int(os.pread(self._statm, 64, 0).split()[0]) * self._page
            _set_soft_limit(resource.RLIMIT_AS, held + allowance.memory_bytes)


def _set_soft_limit(which: int, soft: int) -> None:
    """Set a soft limit, never above the hard one (which only root could raise)."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):  # a limit we may not set: run without it
        resource.setrlimit(which, (soft, hard))
