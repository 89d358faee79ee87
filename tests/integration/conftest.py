"""Integration fixtures on the machine's real PostgreSQL.

The session creates its own database (``grader_test_<pid>_<random>``), migrates it with Alembic
(``alembic upgrade head``, programmatically) and drops it at the end. Two isolation styles:

- ``db_factory``: every test runs inside one outer transaction that is rolled back (SQLAlchemy's
  "join a session into an external transaction" recipe); the app's commits are savepoints.
  Fast; for API tests.
- ``committed_factory``: real commits (for tests where another process, e.g. a Celery worker,
  must see the rows); every table is truncated after the test.

``GRADER_TEST_PG_URL`` names the server (default: postgres on 127.0.0.1:5432, trust auth).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from grader.config import Settings
from grader.db import Session, SessionFactory, make_engine
from grader.db.base import Base
from grader.db.models import AssignmentVersion, Course, Enrollment, User
from grader.services.auth import issue_token
from tests.support.db import add_assignment as store_assignment
from tests.support.fakes import FakeQueue

SERVER_URL = os.environ.get("GRADER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

ASSIGNMENT_YAML = """\
id: hw1
title: Logistic derivatives
questions:
  - id: q1
    type: expression
    points: 2
    prompt: "Compute dl/dp for l = (y_i - p_i)^2."
    key: "2*p_i - 2*y_i"
    definitions:
      p_i: "1/(1 + exp(-a_i))"
  - id: q2
    type: expression
    points: 1
    prompt: "Compute da/dw for a = w x."
    key: "x_i"
"""


def _server_engine() -> Engine:
    return make_engine(SERVER_URL, isolation_level="AUTOCOMMIT")


def create_database(prefix: str = "grader_test") -> str:
    """A new empty database on the test server; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    engine = _server_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by ``create_database`` (closing its other connections)."""
    name = make_url(url).database
    engine = _server_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of this session's migrated database."""
    from grader.services.provisioning import migrate

    try:
        url = create_database()
    except Exception as exc:  # pragma: no cover - no server
        pytest.skip(f"PostgreSQL not reachable at {SERVER_URL}: {exc}")
    try:
        migrate(url)
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def empty_pg() -> Iterator[str]:
    """URL of a new, empty (unmigrated) database, dropped after the test."""
    try:
        url = create_database("grader_empty")
    except Exception as exc:  # pragma: no cover - no server
        pytest.skip(f"PostgreSQL not reachable at {SERVER_URL}: {exc}")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_factory(pg_engine: Engine) -> Iterator[SessionFactory]:
    """Sessions joined to an outer transaction rolled back after the test."""
    connection = pg_engine.connect()
    outer = connection.begin()
    yield sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    outer.rollback()
    connection.close()


@pytest.fixture
def committed_factory(pg_engine: Engine) -> Iterator[SessionFactory]:
    """Sessions that really commit; every table is emptied after the test."""
    yield sessionmaker(bind=pg_engine, expire_on_commit=False)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def settings(pg_url: str) -> Settings:
    return Settings.from_env({}, database_url=pg_url, secret_key="test-secret", testing=True,
                             max_request_bytes=64 * 1024, max_answer_chars=500)


@pytest.fixture
def app(settings: Settings, db_factory: SessionFactory, queue: FakeQueue) -> Any:
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue, blueprints=[("grader.api", True)])


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def db(db_factory: SessionFactory) -> Iterator[Session]:
    """A session on the test's transaction (see the app's commits, make our own)."""
    with db_factory() as session:
        yield session


def add_assignment(session: Session, course: Course, source: str = ASSIGNMENT_YAML) -> AssignmentVersion:
    """Store an assignment version straight from YAML text."""
    return store_assignment(session, course, source, source_path="hw1.yaml")


@pytest.fixture
def make_assignment() -> Any:
    """``add_assignment`` as a fixture (test modules cannot import a conftest by name)."""
    return add_assignment


@dataclass
class CommittedStudent:
    """An API-only app over really committed sessions, and the bearer token of its one student."""

    app: Any
    token: str


@pytest.fixture
def committed_student(committed_factory: SessionFactory, settings: Settings, queue: FakeQueue) -> CommittedStudent:
    """Student alice in the default course c1 with hw1, committed (for tests across connections)."""
    from grader.app import create_app

    with committed_factory() as db:
        course = Course(key="c1", title="c", is_default=True)
        user = User(email="alice@example.com")
        db.add_all([course, user, Enrollment(user=user, course=course, role="student")])
        add_assignment(db, course)
        token = issue_token(db, user)
        db.commit()
    app = create_app(settings, session_factory=committed_factory, queue=queue, blueprints=[("grader.api", True)])
    return CommittedStudent(app, token)


@dataclass
class World:
    """Two courses; course 1 has hw1, an instructor, students alice and bob; eve teaches course 2."""

    session: Session
    version: AssignmentVersion
    users: dict[str, User]
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def world(db: Session) -> World:
    course = Course(key="c1", title="Course 1", is_default=True)
    other = Course(key="c2", title="Course 2")
    db.add_all([course, other])
    version = add_assignment(db, course)
    users: dict[str, User] = {}
    tokens: dict[str, str] = {}
    for name, crs, role in [("teacher", course, "instructor"), ("alice", course, "student"),
                            ("bob", course, "student"), ("carol", course, "student"),
                            ("eve", other, "instructor")]:
        user = User(email=f"{name}@example.com", display_name=name.title())
        db.add_all([user, Enrollment(user=user, course=crs, role=role)])
        db.flush()
        users[name], tokens[name] = user, issue_token(db, user)
    db.commit()
    return World(db, version, users, tokens)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fault table (tests/support/fault_report.py), when fault tests ran."""
    from tests.support.fault_report import table

    lines = table()
    if lines:
        terminalreporter.section("faults: submissions accepted, graded, lost, graded twice")
        for line in lines:
            terminalreporter.write_line(line)
