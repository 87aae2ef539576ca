"""Extract every module of a source tree: cached by content hash, in parallel processes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from decompose.discovery import SourceFile, SourceTree
from decompose.extraction.cache import FactsCache, Warn, cache_key, to_json
from decompose.extraction.limits import Budget
from decompose.extraction.workers import Failure, supervise
from decompose.model import ModuleFacts, SkippedFile

Progress = Callable[[int, int], None]

# A file that could not be read may be readable next time; one that did not parse may not.
_UNREADABLE = "unreadable:"

# A stamp is remembered only once its file has not changed for this long: a write in the
# same tick of a coarse file-system clock would leave the stamp as it was (git's "racy
# clean" files). Such a file is read again until then.
RACY_NS = 2_000_000_000

# Below this many files to parse, a second worker process costs more than it saves.
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
    size: int  # bytes, when the caller read it


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
    budget: Budget | None = None,
) -> ExtractionResult:
    """Extract all files of `tree`; `cache_dir=None` disables the cache.

    Files are parsed in worker processes, never in the caller's: a file that crashes
    the parser or goes over its budget is skipped with the reason, and costs no more.

    Args:
        tree: The discovered source tree.
        jobs: Worker processes (default: one per CPU).
        cache_dir: Directory of the facts cache, or None for no cache.
        progress: Called with (done, total) as files finish.
        warn: Called with one line when the cache cannot be used or was rebuilt.
        budget: What parsing one file may cost (default: `Budget()`).
    """
    total = len(tree.files)
    facts: list[ModuleFacts] = []
    skipped: list[SkippedFile] = list(tree.skipped)
    keys: dict[str, str] = {}
    sizes: dict[str, int] = {}
    todo: list[SourceFile] = []
    cache = FactsCache(cache_dir, warn) if cache_dir is not None else None
    # A file whose stamp is the one it had when last read has the same bytes: its key
    # is known without reading it (a warm run reads no source file).
    identities = [_identity(s) for s in tree.files]
    stamped = {i: s.stamp for i, s in zip(identities, tree.files, strict=True) if s.stamp}
    known = cache.get_keys(stamped) if cache else {}
    settled_before = time.time_ns() - RACY_NS
    read: list[tuple[str, str, str]] = []
    for identity, source in zip(identities, tree.files, strict=True):
        if identity in known:
            keys[source.module] = known[identity]
            sizes[source.module] = source.size
            todo.append(source)
            continue
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            reason = f"{_UNREADABLE} {exc.strerror}"
            skipped.append(SkippedFile(path=source.relpath, reason=reason))
            continue
        keys[source.module] = cache_key(data, source.module, source.relpath, source.is_package)
        sizes[source.module] = len(data)
        todo.append(source)
        if source.stamp and source.changed_ns < settled_before:
            read.append((identity, source.stamp, keys[source.module]))
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
    todo_jobs = [_job(s, sizes[s.module]) for s in misses]
    for result, lasting in _run(todo_jobs, jobs, budget or Budget()):
        done += 1
        if isinstance(result, SkippedFile):
            skipped.append(result)
            if lasting:  # the bytes themselves are bad
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
        cache.put_keys(read)
        cache.close()
    facts.sort(key=lambda f: f.module)
    skipped.sort(key=lambda s: s.path)
    return ExtractionResult(facts=facts, skipped=skipped, cached=len(hits))


def _identity(source: SourceFile) -> str:
    """A file as the stamps table knows it: where it is and what it is analyzed as."""
    return f"{source.path}\0{source.relpath}\0{source.module}\0{source.is_package}"


def _job(source: SourceFile, size: int) -> _Job:
    return _Job(str(source.path), source.relpath, source.module, source.is_package, size)


def _run(
    jobs_list: list[_Job], jobs: int | None, budget: Budget
) -> Iterator[tuple[str | SkippedFile, bool]]:
    """Each job's facts as JSON, or why its file was skipped; and whether to cache that.

    Whether a file can be read, or is parsed within its wall-clock time, may change
    with the circumstances: those verdicts are not cached.

    Workers send JSON: it crosses the pipe as one string, the cache stores it as it
    is, and validating it is faster than unpickling a tree of models.
    """
    if not jobs_list:
        return
    # libcst is imported only when something needs parsing, before any worker forks.
    from decompose.extraction import module  # noqa: F401

    workers = 1 if len(jobs_list) < _MIN_PARALLEL else jobs or os.cpu_count() or 1
    context = multiprocessing.get_context(_start_method())
    chunks = _chunks(jobs_list, workers)
    results = supervise(
        chunks,
        _extract_job,
        size=_size_of,
        workers=workers,
        budget=budget,
        context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    for job, result in results:
        if isinstance(result, Failure):
            yield SkippedFile(path=job.relpath, reason=result.reason), result.lasting
        else:
            yield result, not (isinstance(result, SkippedFile) and _unreadable(result))


def _chunks(jobs_list: list[_Job], workers: int) -> list[list[_Job]]:
    """Chunks of about equal bytes, biggest files first, so no worker is left at the end.

    Parse time follows file size, and sending a file per task costs more than parsing a
    small one; chunks carry ~1/(16 x workers) of the bytes or 64 files, whichever is less.
    """
    ordered = sorted(jobs_list, key=lambda j: (-j.size, j.path))
    target = max(1, sum(j.size for j in ordered) // (16 * workers))
    chunks: list[list[_Job]] = []
    current: list[_Job] = []
    load = 0
    for job in ordered:
        current.append(job)
        load += job.size
        if load >= target or len(current) >= 64:
            chunks.append(current)
            current, load = [], 0
    if current:
        chunks.append(current)
    return chunks


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


def _extract_job(job: _Job) -> str | SkippedFile:
    from decompose.extraction.module import extract

    try:
        data = Path(job.path).read_bytes()
    except OSError as exc:
        return SkippedFile(path=job.relpath, reason=f"{_UNREADABLE} {exc.strerror}")
    result = extract(data, job.module, job.relpath, job.is_package)
    return result if isinstance(result, SkippedFile) else to_json(result)


def _unreadable(skipped: SkippedFile) -> bool:
    return skipped.reason.startswith(_UNREADABLE)


def _size_of(job: _Job) -> int:
    return job.size
