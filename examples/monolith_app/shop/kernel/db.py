"""Database plumbing: declarative base, engine and the thread-local session.

Services call :func:`get_session` and either ``commit()`` themselves or, when
they are building blocks of a bigger operation, leave that to the caller.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


SessionFactory = sessionmaker(expire_on_commit=False)
ScopedSession = scoped_session(SessionFactory)

_engine: Engine | None = None


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def init_engine(url: str, echo: bool = False) -> Engine:
    global _engine
    dispose_engine()
    kwargs: dict[str, Any] = {}
    if url in ("sqlite://", "sqlite:///:memory:"):
        # one shared connection, otherwise every checkout gets an empty database
        kwargs = {"connect_args": {"check_same_thread": False}, "poolclass": StaticPool}
    engine = create_engine(url, echo=echo, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    SessionFactory.configure(bind=engine)
    _engine = engine
    return engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("database engine not initialised; call init_engine() first")
    return _engine


def create_all() -> None:
    Base.metadata.create_all(get_engine())


def get_session() -> Session:
    return ScopedSession()


def remove_session(_exc: BaseException | None = None) -> None:
    ScopedSession.remove()


def dispose_engine() -> None:
    global _engine
    ScopedSession.remove()
    if _engine is not None:
        _engine.dispose()
        _engine = None
