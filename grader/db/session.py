"""Engine and session factories, and a transactional scope.

>>> factory = make_session_factory("sqlite://")
>>> with session_scope(factory) as session:
...     session.connection().exec_driver_sql("select 1").scalar()
1
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError as DatabaseError
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["DatabaseError", "Session", "SessionFactory", "make_engine", "make_session_factory", "session_scope"]

SessionFactory = sessionmaker[Session]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL so the web app and a worker can share the file, wait when locked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _private_file(path: Path) -> None:
    """Create the SQLite file owner-only (0600, in a 0700 folder when we make the folder): it
    holds password hashes and the encrypted secrets. SQLite gives its -wal/-shm files the
    database file's mode. An existing file readable by others is narrowed to 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created and WAL mode switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_file(Path(database))
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if database and database != ":memory:":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine_or_url: Engine | str, **kwargs: Any) -> sessionmaker[Session]:
    """A ``sessionmaker`` bound to an engine (built from the URL when given one)."""
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    kwargs.setdefault("expire_on_commit", False)
    return sessionmaker(bind=engine, **kwargs)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back on an exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
