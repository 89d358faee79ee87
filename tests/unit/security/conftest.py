"""A migrated SQLite app with every blueprint: course c1 (hw1) taught by teacher, alice a student."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from grader.db import make_engine, make_session_factory
from grader.db.models import Course, Enrollment, User
from grader.services.auth import issue_token, set_password
from tests.support.db import add_assignment
from tests.support.fakes import FakeQueue
from tests.support.network import loopback_only

HW1 = """\
id: hw1
title: Homework 1
questions:
  - id: q1
    type: expression
    points: 1
    prompt: "d/dx of x^2"
    key: "2*x"
  - id: why
    type: free_text
    points: 1
    prompt: "Why?"
"""
PASSWORD = "pw-for-security-tests"


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from grader.services.provisioning import migrate

    path = tmp_path_factory.mktemp("sec-template") / "grader.sqlite"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def site(migrated: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """``app``, ``factory``, ``tokens`` (teacher, alice, bob, eve) and ``users`` ids."""
    from grader.app import create_app
    from grader.config import Settings

    path = tmp_path / "grader.sqlite"
    shutil.copy(migrated, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    tokens: dict[str, str] = {}
    with factory() as s:
        c1, c2 = Course(key="c1", title="Course 1", is_default=True), Course(key="c2", title="Course 2")
        s.add_all([c1, c2])
        add_assignment(s, c1, HW1)
        for name, course, role in [("teacher", c1, "instructor"), ("alice", c1, "student"),
                                   ("bob", c1, "student"), ("eve", c2, "instructor")]:
            user = User(email=f"{name}@example.com", display_name=name.title())
            set_password(user, PASSWORD)
            s.add_all([user, Enrollment(user=user, course=course, role=role)])
            s.flush()
            tokens[name] = issue_token(s, user)
        s.commit()
    settings = Settings.from_env({}, database_url=f"sqlite:///{path}", secret_key="test", testing=True)
    queue = FakeQueue()
    app = create_app(settings, session_factory=factory, queue=queue)
    yield {"app": app, "factory": factory, "tokens": tokens, "settings": settings, "queue": queue}
    engine.dispose()


@pytest.fixture
def login() -> Any:
    """``login(client, who)``: log in through the login form."""
    return log_in


def log_in(client: Any, who: str) -> Any:
    """Log ``who`` in through the login form (CSRF token included); returns the response."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": f"{who}@example.com", "password": PASSWORD, "csrf_token": token})


@pytest.fixture
def grade_all() -> Any:
    """``grade_all(site)``: grade every queued submission in this process."""
    return grade_queued


def grade_queued(site: dict[str, Any]) -> None:
    """Grade every queued submission in this process (no worker)."""
    from grader.services.grading import grade_submission_by_id

    while site["queue"].grading:
        grade_submission_by_id(site["factory"], site["queue"].grading.pop(), settings=site["settings"])


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests name internal and public addresses: nothing may ever be sent to them."""
    loopback_only(monkeypatch)
