"""A submission through the API after ``due`` with ``late: refuse`` is a 409 with a message that
names the question and its deadline; before it (by the app's clock) it is accepted."""

from __future__ import annotations

from typing import Any

from grader.app import create_app
from grader.assignments.due import parse_due
from grader.config import Settings
from grader.db import Session, SessionFactory
from grader.db.models import Course, Submission
from tests.support.fakes import FakeQueue
from tests.unit.conftest import add_assignment, add_user

DOC = """\
id: hw-due
title: With a deadline
due: 2026-12-01T23:59:00Z
late: refuse
questions:
  - id: q1
    type: expression
    points: 1
    prompt: "d/dx x^2"
    key: "2*x"
"""


def client_at(factory: SessionFactory, when: str) -> Any:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=FakeQueue(), blueprints=[("grader.api", True)],
                     clock=lambda: parse_due(when))
    return app.test_client()


def test_a_late_api_submission_is_refused_with_a_409_and_an_early_one_accepted(
        factory: SessionFactory, session: Session) -> None:
    course = Course(key="cd", title="Deadlines", is_default=True)
    session.add(course)
    add_assignment(session, course, DOC)
    _, token = add_user(session, "alice@example.com", course)
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    late = client_at(factory, "2026-12-02T00:00:00Z").post(
        "/api/v1/assignments/hw-due/submissions", json={"answers": {"q1": "2*x"}}, headers=headers)
    assert late.status_code == 409, late.get_data(as_text=True)
    assert "deadline has passed" in late.json["error"] and "q1 (due 2026-12-01T23:59:00+00:00)" in late.json["error"]
    assert session.query(Submission).count() == 0
    early = client_at(factory, "2026-12-01T23:00:00Z").post(
        "/api/v1/assignments/hw-due/submissions", json={"answers": {"q1": "2*x"}}, headers=headers)
    assert early.status_code == 202, early.get_data(as_text=True)
    shown = client_at(factory, "2026-12-01T23:00:00Z").get("/api/v1/assignments/hw-due", headers=headers).json
    assert (shown["due"], shown["late"]) == ("2026-12-01T23:59:00Z", "refuse")
