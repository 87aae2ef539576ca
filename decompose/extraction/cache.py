"""The extraction cache: one SQLite file of facts keyed by content hash; safe to delete."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from decompose.model import ModuleFacts

# Bump when extraction changes what it finds, so stale facts are never reused.
EXTRACTOR_VERSION = "5"


def default_cache_dir() -> Path:
    """`$DECOMPOSE_CACHE_DIR`, else the XDG cache directory, else ~/.cache."""
    if "DECOMPOSE_CACHE_DIR" in os.environ:
        return Path(os.environ["DECOMPOSE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "decompose"


def cache_key(data: bytes, module: str, path: str, is_package: bool) -> str:
    """Facts depend on the bytes, on the module's name (relative imports) and on its path."""
    digest = hashlib.blake2b(data, digest_size=20)
    digest.update(f"\0{EXTRACTOR_VERSION}\0{module}\0{path}\0{is_package}".encode())
    return digest.hexdigest()


def to_json(facts: ModuleFacts) -> str:
    """Facts as stored: fields left at their defaults are omitted (a third less to read)."""
    return facts.model_dump_json(exclude_defaults=True)


class FactsCache:
    """Read and write facts in one SQLite file; unusable caches degrade to no cache."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"facts-v{EXTRACTOR_VERSION}.sqlite"
        self._db: sqlite3.Connection | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            for table, column in (("facts", "json"), ("rejected", "reason")):
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, {column} TEXT)"
                )
        except sqlite3.Error:
            self._db = None  # a broken or read-only cache must not stop the analysis

    def get_many(self, keys: list[str]) -> dict[str, ModuleFacts]:
        """The cached facts for those keys that have them."""
        try:
            return {
                key: ModuleFacts.model_validate_json(text)
                for key, text in self._select("facts", keys).items()
            }
        except ValueError:
            return {}

    def get_rejected(self, keys: list[str]) -> dict[str, str]:
        """Why the files with those keys could not be analyzed, for those known."""
        return self._select("rejected", keys)

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Store (key, facts as `to_json` wrote them)."""
        self._insert("facts", items)

    def put_rejected(self, items: Iterable[tuple[str, str]]) -> None:
        """Remember (key, reason) of files whose bytes cannot be analyzed (bad syntax...)."""
        self._insert("rejected", items)

    def _select(self, table: str, keys: list[str]) -> dict[str, str]:
        if self._db is None or not keys:
            return {}
        found: dict[str, str] = {}
        try:
            for start in range(0, len(keys), 500):  # SQLite limits the number of parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    self._db.execute(f"SELECT * FROM {table} WHERE key IN ({marks})", chunk)
                )
        except sqlite3.Error:
            return {}
        return found

    def _insert(self, table: str, items: Iterable[tuple[str, str]]) -> None:
        """Failures are ignored: the cache is an optimisation."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", items)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
