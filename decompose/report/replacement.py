"""Replace several files of one directory together: all of them, or none of them.

Each file is written in full to a hidden temporary file beside its destination. Then a
journal naming them all is put in place, the temporary files are renamed over their
destinations, and the journal is removed. A run killed before the journal is in place
leaves the earlier files; one killed after it leaves the journal, and the next writer
finishes the renames before it does anything else.

Writers hold an exclusive lock on the directory itself (flock) from the start to the end,
so a journal or temporary file that a writer finds belongs to a run that died: its
renames are finished, its temporary files removed. Where the directory cannot be locked
(no flock, or a file system without it) nothing is recovered: a journal or temporary file
there may belong to a live run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".decompose-replacing.json"

# `.NAME.PID.tmp`: what `Staging.write` and earlier versions' writers leave when killed.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.tmp")


class Staging:
    """The files of one replacement, written so far to temporary files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.staged: list[tuple[Path, Path]] = []  # (temporary file, destination)

    def write(self, name: str, pieces: Iterable[bytes]) -> Path:
        """Write the bytes, in pieces, that will replace `directory/name`.

        Raises:
            OSError: The file cannot be written, or its destination is a directory.
        """
        destination = self.directory / name
        write_file(self.reserve(name), pieces)
        return destination

    def reserve(self, name: str) -> Path:
        """The temporary file that will replace `directory/name`, for `write_file`.

        It is removed if the replacement fails, whoever was writing it.

        Raises:
            OSError: The destination is a directory.
        """
        destination = self.directory / name
        if destination.is_dir() and not destination.is_symlink():  # checked before any rename
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(destination))
        temporary = self.directory / f".{name}.{os.getpid()}.tmp"
        self.staged.append((temporary, destination))  # removed on failure, even half-written
        return temporary


def write_file(temporary: Path, pieces: Iterable[bytes]) -> None:
    """Write the pieces to a reserved temporary file, on disk before the journal names it."""
    with open(temporary, "wb") as stream:
        stream.writelines(pieces)
        stream.flush()
        os.fsync(stream.fileno())


@contextlib.contextmanager
def replacing_together(
    directory: Path, names: Collection[str], may_replace: Callable[[Path], bool]
) -> Iterator[Staging]:
    """Stage files in the block; when it ends without an error, put them all in place.

    If the block raises, the staged files are removed and nothing is replaced.

    Args:
        directory: An existing directory.
        names: Every file name this kind of writer writes: journals and temporary files
            for other names are none of its business and are left alone.
        may_replace: Whether finishing a dead run's renames may replace this file (one
            that a person wrote since must stay).

    Raises:
        OSError: A file cannot be written or renamed.
    """
    with _locked(directory) as locked:
        if locked:
            _recover(directory, names, may_replace)
        staging = Staging(directory)
        try:
            yield staging
        except BaseException:
            _remove(temporary for temporary, _ in staging.staged)
            raise
        _commit(directory, staging.staged)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[bool]:
    """Hold an exclusive lock on `directory` in the block; False if it cannot be locked."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        descriptor = -1
    try:
        locked = False
        if fcntl is not None and descriptor >= 0:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                locked = True
            except OSError:
                pass
        yield locked
    finally:
        if descriptor >= 0:
            os.close(descriptor)  # releases the lock


def _commit(directory: Path, staged: list[tuple[Path, Path]]) -> None:
    journal = directory / JOURNAL
    entries = [[temporary.name, destination.name] for temporary, destination in staged]
    pending = directory / f"{JOURNAL}.{os.getpid()}.tmp"
    with _signals_held():
        try:
            with open(pending, "w", encoding="utf-8") as stream:
                json.dump({"replace": entries}, stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(pending, journal)
        except BaseException:
            _remove([pending, *(temporary for temporary, _ in staged)])
            raise
        _sync(directory)
        # From here on the journal is in place: if we die, the next writer finishes for us.
        for temporary, destination in staged:
            os.replace(temporary, destination)
        _sync(directory)
        journal.unlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the files are put in place, then let them in.

    The renames take microseconds: a run stopped on purpose leaves all of its files or none
    of them. Only kill -9 (or a crash) can stop them half-way; the next writer finishes.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _recover(directory: Path, names: Collection[str], may_replace: Callable[[Path], bool]) -> None:
    """Finish the renames of a run that died half-way; remove dead runs' temporary files."""
    journal = directory / JOURNAL
    for temporary, destination in _journal_entries(journal, names):
        if temporary.is_file() and may_replace(destination):
            with contextlib.suppress(OSError):
                os.replace(temporary, destination)
    _sync(directory)
    ours = {*names, JOURNAL.removeprefix(".")}
    try:
        found = os.listdir(directory)
    except OSError:
        found = []
    _remove(
        directory / name
        for name in found
        if (match := _TEMPORARY.fullmatch(name)) and match["name"] in ours
    )
    _remove([journal])


def _journal_entries(journal: Path, names: Collection[str]) -> list[tuple[Path, Path]]:
    """The journal's (temporary file, destination) pairs that name files of ours."""
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["replace"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # none, or unreadable: its run did not get to rename, so undo it
    pairs = []
    for entry in entries if isinstance(entries, list) else []:
        if not (isinstance(entry, list) and len(entry) == 2):
            continue
        temporary, destination = entry
        match = _TEMPORARY.fullmatch(str(temporary))
        if destination in names and match and match["name"] == destination:
            pairs.append((journal.parent / temporary, journal.parent / destination))
    return pairs


def _sync(directory: Path) -> None:
    """Make renames in `directory` durable, where the platform can."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # not every platform or file system syncs a directory
    finally:
        os.close(descriptor)


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
