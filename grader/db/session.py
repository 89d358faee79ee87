"""Engine and session factories, and a transactional scope.

>>> factory = make_session_factory("sqlite://")
>>> with session_scope(factory) as session:
...     session.connection().exec_driver_sql("select 1").scalar()
1
"""

from __future__ import annotations

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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created and WAL mode switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
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
