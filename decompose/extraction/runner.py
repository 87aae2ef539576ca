"""Extract every module of a source tree: cached by content hash, in parallel processes."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from decompose.discovery import SourceFile, SourceTree
from decompose.extraction.cache import FactsCache, Warn, cache_key, to_json
from decompose.model import ModuleFacts, SkippedFile

Progress = Callable[[int, int], None]

# A file that could not be read may be readable next time; one that did not parse may not.
_UNREADABLE = "unreadable:"

# Below this many files to parse, starting worker processes costs more than it saves.
_MIN_PARALLEL = 24

# prctl(2) option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1

# Where the kernel cannot signal a parent's death, how often a worker looks (seconds).
_PARENT_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class _Job:
    path: str
    relpath: str
    module: str
    is_package: bool


@dataclass
class ExtractionResult:
    """Facts of every module that parsed, the files that did not, and cache statistics."""

    facts: list[ModuleFacts]
    skipped: list[SkippedFile]
    cached: int = 0


def extract_tree(
    tree: SourceTree,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> ExtractionResult:
    """Extract all files of `tree`; `cache_dir=None` disables the cache.

    Args:
        tree: The discovered source tree.
        jobs: Worker processes (default: one per CPU).
        cache_dir: Directory of the facts cache, or None for no cache.
        progress: Called with (done, total) as files finish.
        warn: Called with one line when the cache cannot be used or was rebuilt.
    """
    total = len(tree.files)
    facts: list[ModuleFacts] = []
    skipped: list[SkippedFile] = list(tree.skipped)
    keys: dict[str, str] = {}
    todo: list[SourceFile] = []
    for source in tree.files:
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            reason = f"{_UNREADABLE} {exc.strerror}"
            skipped.append(SkippedFile(path=source.relpath, reason=reason))
            continue
        keys[source.module] = cache_key(data, source.module, source.relpath, source.is_package)
        todo.append(source)

    cache = FactsCache(cache_dir, warn) if cache_dir is not None else None
    hits = cache.get_many(sorted(set(keys.values()))) if cache else {}
    rejected = cache.get_rejected(sorted(set(keys.values()) - hits.keys())) if cache else {}
    misses = []
    for source in todo:
        key = keys[source.module]
        if key in hits:
            facts.append(hits[key])
        elif key in rejected:
            skipped.append(SkippedFile(path=source.relpath, reason=rejected[key]))
        else:
            misses.append(source)
    done = total - len(misses)
    if progress:
        progress(done, total)

    fresh: list[tuple[str, str]] = []
    fresh_rejects: list[tuple[str, str]] = []
    key_of_path = {s.relpath: keys[s.module] for s in misses}
    for result in _run([_job(s) for s in misses], jobs):
        done += 1
        if isinstance(result, SkippedFile):
            skipped.append(result)
            if not result.reason.startswith(_UNREADABLE):  # the bytes themselves are bad
                fresh_rejects.append((key_of_path[result.path], result.reason))
        else:
            module_facts = ModuleFacts.model_validate_json(result)
            facts.append(module_facts)
            fresh.append((keys[module_facts.module], result))
        if progress:
            progress(done, total)
    if cache is not None:
        cache.put_many(fresh)
        cache.put_rejected(fresh_rejects)
        cache.close()
    facts.sort(key=lambda f: f.module)
    skipped.sort(key=lambda s: s.path)
    return ExtractionResult(facts=facts, skipped=skipped, cached=len(hits))


def _job(source: SourceFile) -> _Job:
    return _Job(str(source.path), source.relpath, source.module, source.is_package)


def _run(jobs_list: list[_Job], jobs: int | None) -> Iterator[str | SkippedFile]:
    """Each job's facts as JSON, or why its file was skipped.

    Workers send JSON: it crosses the pipe as one string, the cache stores it as it
    is, and validating it is faster than unpickling a tree of models.
    """
    if not jobs_list:
        return
    # libcst is imported only when something needs parsing, before any worker forks.
    from decompose.extraction import module  # noqa: F401

    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(jobs_list) < _MIN_PARALLEL:
        for job in jobs_list:
            yield _extract_job(job)
        return
    with _worker_pool(workers) as pool:
        pending = [pool.submit(_extract_chunk, chunk) for chunk in _chunks(jobs_list, workers)]
        for future in as_completed(pending):
            yield from future.result()


def _chunks(jobs_list: list[_Job], workers: int) -> list[list[_Job]]:
    """Chunks of about equal bytes, biggest files first, so no worker is left at the end.

    Parse time follows file size, and sending a file per task costs more than parsing a
    small one; chunks carry ~1/(16 x workers) of the bytes or 64 files, whichever is less.
    """
    sized = sorted(((_size(j.path), j) for j in jobs_list), key=lambda s: (-s[0], s[1].path))
    target = max(1, sum(size for size, _ in sized) // (16 * workers))
    chunks: list[list[_Job]] = []
    current: list[_Job] = []
    load = 0
    for size, job in sized:
        current.append(job)
        load += size
        if load >= target or len(current) >= 64:
            chunks.append(current)
            current, load = [], 0
    if current:
        chunks.append(current)
    return chunks


@contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers never outlive this process.

    Each worker dies with its parent: kill -9 of analyze leaves nothing running (see
    `_die_with_parent`). Leaving the block early (an error, Ctrl-C, or SIGTERM that the
    caller turned into an exception) kills the workers rather than waiting for the chunks
    they are parsing, which can take minutes.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(_start_method()),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        for process in list(pool._processes.values()):  # no public way before Python 3.14
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _die_with_parent(parent: int) -> None:
    """Make this worker die with its parent process `parent`; runs first in each worker.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG; the
    pool forks its workers from the thread that submits, which lives as long as the
    process); elsewhere a thread watches for the worker being handed to another parent.
    Signals are the parent's business: it stops the workers on Ctrl-C and on SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _set_parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the kernel was asked to tell us
        os._exit(1)


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _start_method() -> str:
    """Fork when it is safe (one thread, POSIX): no re-import of the caller's __main__.

    Spawned workers re-run the caller's main module, which breaks scripts without an
    `if __name__ == "__main__"` guard; forking with other threads alive can deadlock.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _extract_chunk(chunk: list[_Job]) -> list[str | SkippedFile]:
    """Extract a chunk in a worker process, with the cyclic garbage collector paused.

    libcst allocates millions of nodes per chunk and the collector would keep scanning
    the results held so far; the trees have no reference cycles (no parent pointers),
    so reference counting frees them. One full collection per chunk catches anything
    else. Worker processes only: the caller's own process is never touched.
    """
    gc.disable()
    try:
        return [_extract_job(job) for job in chunk]
    finally:
        gc.enable()
        gc.collect()


def _extract_job(job: _Job) -> str | SkippedFile:
    from decompose.extraction.module import extract

    try:
        data = Path(job.path).read_bytes()
    except OSError as exc:
        return SkippedFile(path=job.relpath, reason=f"{_UNREADABLE} {exc.strerror}")
    result = extract(data, job.module, job.relpath, job.is_package)
    return result if isinstance(result, SkippedFile) else to_json(result)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
