"""The extraction cache: one SQLite file of facts keyed by content hash; safe to delete.

The cache is an optimisation, so no state of it stops a run or changes its answer: a
location that cannot be used costs one warning and the run goes on without a cache, and a
damaged file is replaced by an empty one (atomically, for concurrent runs), and said so.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from decompose.model import ModuleFacts

# Bump when extraction changes what it finds, so stale facts are never reused.
EXTRACTOR_VERSION = "16"

# Told one line about the cache the caller may want to know (it runs without, or rebuilt it).
Warn = Callable[[str], None]

# stamps: a file (path, module) -> its stamp when last read, and the key its bytes had.
_TABLES = {"facts": ("key", "json"), "rejected": ("key", "reason"), "stamps": ("key", "known")}

# SQLite's primary result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGED = {11, 26}

_HINT = "set DECOMPOSE_CACHE_DIR to a writable directory, or pass --no-cache"


def default_cache_dir() -> Path | None:
    """`$DECOMPOSE_CACHE_DIR`, else `$XDG_CACHE_HOME/decompose`, else ~/.cache/decompose.

    Empty variables count as unset: an empty path would put the cache in the current
    directory. None when there is no home directory to hold it.
    """
    configured = os.environ.get("DECOMPOSE_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is invalid, ignore it
        return Path(xdg) / "decompose"
    try:
        home = Path.home()
    except RuntimeError:  # no $HOME and no password entry
        return None
    return home / ".cache" / "decompose" if home.is_absolute() else None


def resolve_cache_dir(configured: Path | None, warn: Warn | None = None) -> Path | None:
    """The directory to cache in: `configured`, else the default; None (and a warning) if none."""
    directory = configured or default_cache_dir()
    if directory is None and warn is not None:
        warn(f"no home directory to keep the cache in; running without it ({_HINT})")
    return directory


def cache_key(data: bytes, module: str, path: str, is_package: bool) -> str:
    """Facts depend on the bytes, on the module's name (relative imports) and on its path."""
    digest = hashlib.blake2b(data, digest_size=20)
    digest.update(f"\0{EXTRACTOR_VERSION}\0{module}\0{path}\0{is_package}".encode())
    return digest.hexdigest()


def to_json(facts: ModuleFacts) -> str:
    """Facts as stored: fields left at their defaults are omitted (a third less to read)."""
    return facts.model_dump_json(exclude_defaults=True)


class _Damaged(Exception):
    """The file is a database, but not one of ours (tables of other columns)."""


def _is_damage(error: Exception) -> bool:
    if isinstance(error, _Damaged):
        return True
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return int(code) & 0xFF in _DAMAGED
    return type(error) is sqlite3.DatabaseError  # what CORRUPT and NOTADB raise before 3.11


def _connect(path: Path) -> sqlite3.Connection:
    """Open the cache at `path`, creating its tables, and check they are ours."""
    db = sqlite3.connect(path, timeout=30)
    try:
        for table, (key, value) in _TABLES.items():
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({key} TEXT PRIMARY KEY, {value} TEXT)")
            columns = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            if columns != (key, value):
                raise _Damaged(f"table {table} has columns {', '.join(columns)}")
    except BaseException:
        db.close()
        raise
    return db


class FactsCache:
    """Read and write facts in one SQLite file; unusable caches degrade to no cache."""

    def __init__(self, directory: Path, warn: Warn | None = None) -> None:
        self.path = directory / f"facts-v{EXTRACTOR_VERSION}.sqlite"
        self._warn = warn
        self._warned = False
        self._db: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # which file _db is, to spot a replacement
        self._db = self._open()

    def get_many(self, keys: list[str]) -> dict[str, ModuleFacts]:
        """The cached facts for those keys that have them; damaged entries count as missing."""
        found: dict[str, ModuleFacts] = {}
        damaged = 0
        for key, text in self._select("facts", keys).items():
            try:
                found[key] = ModuleFacts.model_validate_json(text)
            except ValueError:
                damaged += 1  # parsed again, and replaced by put_many
        if damaged:
            self._say(
                f"the cache {self.path} was damaged (unreadable entries: {damaged}); rebuilt them"
            )
        return found

    def get_rejected(self, keys: list[str]) -> dict[str, str]:
        """Why the files with those keys could not be analyzed, for those known."""
        return self._select("rejected", keys)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Store (key, facts as `to_json` wrote them)."""
        self._insert("facts", list(items))

    def get_keys(self, stamps: dict[str, str]) -> dict[str, str]:
        """The cache keys of those files (identity -> stamp) whose stamp is the one stored."""
        known = self._select("stamps", sorted(stamps))
        found = {}
        for identity, value in known.items():
            stamp, _, key = value.partition("\0")
            if stamp == stamps[identity] and key:
                found[identity] = key
        return found

    def put_keys(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Remember (file identity, stamp, cache key) of files just read."""
        self._insert("stamps", [(identity, f"{stamp}\0{key}") for identity, stamp, key in items])

    def put_rejected(self, items: Iterable[tuple[str, str]]) -> None:
        """Remember (key, reason) of files whose bytes cannot be analyzed (bad syntax...)."""
        self._insert("rejected", list(items))

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._opened = _identity(self.path)
            return _connect(self.path)
        except (OSError, sqlite3.Error, _Damaged) as error:
            if _is_damage(error):
                return self._rebuild(error)
            self._say(
                f"cannot use the cache {self.path} ({_reason(error)}); running without it", _HINT
            )
            return None

    def _reopen(self) -> sqlite3.Connection | None:
        """The file now at `path`, or None if it cannot be used either."""
        self.close()
        try:
            self._opened = _identity(self.path)
            return _connect(self.path)
        except (OSError, sqlite3.Error, _Damaged):
            return None

    def _rebuild(self, error: Exception) -> sqlite3.Connection | None:
        """Replace the damaged file by an empty cache, or use the one a concurrent run made."""
        self.close()
        if _identity(self.path) != self._opened:  # another run replaced it since we opened it
            db = self._reopen()
            if db is not None:
                return db
        fresh = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            fresh.unlink(missing_ok=True)
            _connect(fresh).close()
            # A journal the damaged file left behind would be played into the new one.
            Path(f"{self.path}-journal").unlink(missing_ok=True)
            os.replace(fresh, self.path)
            self._opened = _identity(self.path)
            db = _connect(self.path)
        except (OSError, sqlite3.Error, _Damaged) as failure:
            fresh.unlink(missing_ok=True)
            self._say(
                f"the cache {self.path} is damaged ({_reason(error)}) and cannot be rebuilt "
                f"({_reason(failure)}); running without it",
                _HINT,
            )
            return None
        self._say(f"the cache {self.path} was damaged ({_reason(error)}); rebuilt it")
        return db

    def _select(self, table: str, keys: list[str]) -> dict[str, str]:
        if self._db is None or not keys:
            return {}
        found: dict[str, str] = {}
        columns = ", ".join(_TABLES[table])
        try:
            for start in range(0, len(keys), 500):  # SQLite limits the number of parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT {columns} FROM {table} WHERE key IN ({marks})"
                found.update(self._db.execute(query, chunk))
        except sqlite3.Error as error:
            if _is_damage(error):
                self._db = self._rebuild(error)
            return {}
        return found

    def _insert(self, table: str, items: list[tuple[str, str]], *, retry: bool = True) -> None:
        """Failures cost one warning: the cache is an optimisation."""
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", items)
        except sqlite3.Error as error:
            if retry and _identity(self.path) != self._opened:
                self._db = self._reopen()  # a concurrent run rebuilt it: write to the new file
                self._insert(table, items, retry=False)
                return
            if retry and _is_damage(error):
                self._db = self._rebuild(error)
                self._insert(table, items, retry=False)
                return
            self._say(f"cannot write to the cache {self.path} ({_reason(error)})", _HINT)

    def _say(self, message: str, hint: str = "") -> None:
        """Warn once per run: one unusable cache is one thing to fix, however often it fails."""
        if self._warn is not None and not self._warned:
            self._warned = True
            self._warn(f"{message} ({hint})" if hint else message)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
