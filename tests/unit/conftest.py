"""Service tests without services: a SQLite file migrated once with Alembic, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from grader.db import Session, SessionFactory, make_engine, make_session_factory
from grader.db.models import AssignmentVersion, Course, Enrollment, User
from grader.services.auth import issue_token
from tests.support.db import add_assignment as store_assignment

ASSIGNMENT_YAML = """\
id: hw1
title: Logistic derivatives
questions:
  - id: q1
    type: expression
    points: 2
    prompt: "Compute dl/dp for l = (y - p)^2."
    key: "2*p - 2*y"
  - id: q2
    type: expression
    points: 1
    prompt: "Compute da/dw for a = w x."
    key: "x"
"""


@pytest.fixture
def assignment_yaml() -> str:
    return ASSIGNMENT_YAML


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from grader.services.provisioning import migrate

    path = tmp_path_factory.mktemp("template") / "grader.sqlite"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def factory(migrated_template: Path, tmp_path: Path) -> Iterator[SessionFactory]:
    path = tmp_path / "grader.sqlite"
    shutil.copy(migrated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def session(factory: SessionFactory) -> Iterator[Session]:
    with factory() as s:
        yield s


def add_assignment(session: Session, course: Course, text: str = ASSIGNMENT_YAML) -> AssignmentVersion:
    """Store an assignment version straight from YAML text (no key compilation)."""
    return store_assignment(session, course, text)


def add_user(session: Session, email: str, course: Course | None, role: str = "student") -> tuple[User, str]:
    user = User(email=email, display_name=email.split("@")[0])
    session.add(user)
    if course is not None:
        session.add(Enrollment(user=user, course=course, role=role))
    session.flush()
    return user, issue_token(session, user)


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """A course with an assignment, an instructor, two students and an outsider."""
    course = Course(key="c1", title="Course 1", is_default=True)
    other = Course(key="c2", title="Course 2")
    session.add_all([course, other])
    version = add_assignment(session, course)
    out: dict[str, Any] = {"course": course, "other_course": other, "version": version}
    for name, crs, role in [("teacher", course, "instructor"), ("alice", course, "student"),
                            ("bob", course, "student"), ("eve", other, "instructor")]:
        out[name], out[f"{name}_token"] = add_user(session, f"{name}@example.com", crs, role)
    session.commit()
    return out
