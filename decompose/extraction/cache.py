"""The extraction cache: one SQLite file of facts keyed by content hash; safe to delete."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from decompose.model import ModuleFacts

# Bump when extraction changes what it finds, so stale facts are never reused.
EXTRACTOR_VERSION = "2"


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
            self._db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, json TEXT)")
        except sqlite3.Error:
            self._db = None  # a broken or read-only cache must not stop the analysis

    def get_many(self, keys: list[str]) -> dict[str, ModuleFacts]:
        """The cached facts for those keys that have them."""
        if self._db is None or not keys:
            return {}
        found: dict[str, ModuleFacts] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, json FROM facts WHERE key IN ({marks})", chunk
                )
                for key, text in rows:
                    found[key] = ModuleFacts.model_validate_json(text)
        except (sqlite3.Error, ValueError):
            return {}
        return found

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Store (key, facts as `to_json` wrote them); failures are ignored (an optimisation)."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO facts VALUES (?, ?)",
                    items,
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
