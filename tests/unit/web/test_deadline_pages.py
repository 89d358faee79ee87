"""Deadlines on the pages, by the app's clock: the assignment page shows ``due`` (and whether it
has passed); the submission page shows a question's key only once its deadline has passed (with
unlimited attempts there is no last attempt to wait for); ``late: refuse`` is said on the form."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.assignments.due import parse_due
from tests.support.fakes import FakeQueue
from tests.unit.web.test_pages import PASSWORD, token_of

DOC = """\
id: hw-due
title: With a deadline
due: 2026-12-01T23:59:00+01:00
questions:
  - id: q1
    type: expression
    points: 1
    prompt: "Compute $\\\\frac{d}{dx} x^2$."
    key: "2*x"
  - id: q2
    type: expression
    points: 1
    prompt: "Compute $\\\\frac{d}{dx} x^3$."
    key: "3*x^2"
    due: 2026-12-08T23:59:00Z
    late: refuse
"""
BEFORE, AFTER = "2026-12-01T22:00:00Z", "2026-12-02T00:00:00Z"


@pytest.fixture
def apps(tmp_path: Path) -> Any:
    from grader.app import create_app
    from grader.config import Settings
    from grader.db.session import make_session_factory, session_scope
    from grader.services import provisioning as admin

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "hw-due.yaml").write_text(DOC, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    admin.migrate(url)
    factory = make_session_factory(url)
    with session_scope(factory) as s:
        admin.load_assignments(s, tmp_path / "files")
        admin.create_user(s, "stu@example.com", "student", password=PASSWORD)
    settings = Settings.from_env({}, database_url=url, secret_key="test", testing=True,
                                 answer_soft_time_s=60.0, answer_hard_time_s=120.0)
    queue = FakeQueue()

    def at(when: str) -> Any:
        app = create_app(settings, session_factory=factory, queue=queue, clock=lambda: parse_due(when))
        client = app.test_client()
        r = client.post("/login", data={"email": "stu@example.com", "password": PASSWORD,
                                        "csrf_token": token_of(client.get("/login").text)})
        assert r.status_code == 302, r.text
        return client

    yield {"at": at, "factory": factory, "queue": queue, "settings": settings}
    factory.kw["bind"].dispose()


def test_the_assignment_page_shows_the_deadline_and_whether_it_has_passed(apps: dict[str, Any]) -> None:
    before = apps["at"](BEFORE).get("/assignments/hw-due").text
    assert re.search(r'Due <time datetime="2026-12-01T23:59:00\+01:00">2026-12-01 23:59 \(UTC\+01:00\)</time>', before)
    assert "the deadline has passed" not in before
    assert 'due <time datetime="2026-12-08T23:59:00+00:00">2026-12-08 23:59 (UTC)</time>' in before  # q2's own
    after = apps["at"](AFTER).get("/assignments/hw-due").text
    assert "the deadline has passed</strong>: late submissions are still graded" in after
    assert after.count("past the deadline") == 1   # q1 only; q2 is due a week later


def test_the_key_appears_on_the_submission_page_only_after_the_deadline(apps: dict[str, Any]) -> None:
    from grader.services.grading import grade_submission_by_id

    client: Callable[..., Any] = apps["at"](BEFORE)
    page = client.get("/assignments/hw-due").text
    idem = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/assignments/hw-due/submit", data={"csrf_token": token_of(page), "idempotency_key": idem,
                                                        "answer-q1": "3*x", "answer-q2": "x"})
    assert r.status_code == 302, r.text
    sub_url = r.location
    while apps["queue"].grading:
        grade_submission_by_id(apps["factory"], apps["queue"].grading.pop(), settings=apps["settings"])
    before = client.get(sub_url).text
    assert "Key (after your last attempt or the deadline)" not in before   # unlimited attempts, before due
    after = apps["at"](AFTER).get(sub_url).text
    assert after.count("Key (after your last attempt or the deadline)") == 1   # q1's deadline passed, q2's not
    assert "2*x" in after.split("Key (after your last attempt")[1][:400]


def test_a_late_form_submission_to_a_closed_question_is_refused_with_a_message(apps: dict[str, Any]) -> None:
    client = apps["at"]("2026-12-09T00:00:00Z")
    page = client.get("/assignments/hw-due").text
    assert "past the deadline (closed)" in page
    idem = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/assignments/hw-due/submit", data={"csrf_token": token_of(page), "idempotency_key": idem,
                                                        "answer-q2": "3*x^2"}, follow_redirects=True)
    assert "late answers are refused for question(s) q2" in r.text
    assert apps["queue"].grading == []
