"""A hand grade applies to the student's later submissions with the same answer (docs/grading.md).

Through the API (submit, read the grade), the pages (the dashboard's manual queue, the grade form)
and the worker's service functions, on a migrated SQLite database with a fake queue.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.fakes import FakeQueue

ROOT = Path(__file__).resolve().parents[3]
KEY = "assignment-4"
PASSWORD = "pw-for-tests"
WHY = "Because the gradient vanishes when p_i is near 0."


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, Any]]:
    from grader.app import create_app
    from grader.config import Settings
    from grader.db.session import make_session_factory, session_scope
    from grader.services import provisioning as admin

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    admin.migrate(url)
    factory = make_session_factory(url)
    tokens = {}
    with session_scope(factory) as s:
        admin.load_assignments(s, ROOT / "assignments")
        for email, role in [("stu@example.com", "student"), ("prof@example.com", "instructor")]:
            tokens[email] = admin.create_user(s, email, role, password=PASSWORD)[1]
    settings = Settings.from_env({}, database_url=url, secret_key="test", testing=True,
                                 answer_soft_time_s=60.0, answer_hard_time_s=120.0)
    queue = FakeQueue()
    app = create_app(settings, session_factory=factory, queue=queue)
    yield {"app": app, "factory": factory, "queue": queue, "settings": settings, "token": tokens["stu@example.com"]}
    factory.kw["bind"].dispose()


def _token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _instructor(env: dict[str, Any]) -> Any:
    client = env["app"].test_client()
    token = _token_of(client.get("/login").text)
    r = client.post("/login", data={"email": "prof@example.com", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302, r.text
    return client


def _submit(env: dict[str, Any], why: str, d1a: str = "2p_i - 2y_i") -> int:
    """Submit through the API and let the (fake) worker grade it; the submission id."""
    from grader.services.grading import grade_submission_by_id
    from grader.services.verdict_cache import MemoryCache

    r = env["app"].test_client().post(
        f"/api/v1/assignments/{KEY}/submissions", json={"answers": {"1a": d1a, "1f-why": why}},
        headers={"Authorization": f"Bearer {env['token']}", "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 202, r.text
    while env["queue"].grading:
        assert grade_submission_by_id(env["factory"], env["queue"].grading.pop(), settings=env["settings"],
                                      cache=MemoryCache())
    return int(r.json["id"])


def _question(env: dict[str, Any], sid: int, qid: str = "1f-why") -> dict[str, Any]:
    r = env["app"].test_client().get(f"/api/v1/submissions/{sid}",
                                     headers={"Authorization": f"Bearer {env['token']}"})
    assert r.status_code == 200 and r.json["status"] == "graded", r.text
    return r.json["questions"][qid]


def _waiting(html: str) -> int:
    found = re.search(r"Manual grading \((\d+)\)", html)
    assert found, "no manual grading link"
    return int(found.group(1))


def _grade_by_hand(prof: Any, sid: int, points: str, comment: str, html: str | None = None) -> None:
    """Fill in the manual queue's form of ``sid`` (on ``html``: a page loaded earlier)."""
    html = html or prof.get(f"/instructor/assignments/{KEY}").text
    item = re.search(rf'id="manual-{sid}-1f-why".*?/instructor/results/(\d+)/grade', html, re.S)
    assert item, html
    r = prof.post(f"/instructor/results/{item.group(1)}/grade",
                  data={"csrf_token": _token_of(html), "assignment": KEY, "points": points, "comment": comment})
    assert r.status_code == 302


def test_a_hand_grade_stays_when_the_same_text_is_resubmitted(env: dict[str, Any]) -> None:
    # The failure: graded 1/1 by hand, resubmitted unchanged -> back to needs_review, 0 points,
    # and the manual queue grew again.
    first = _submit(env, WHY)
    assert _question(env, first)["verdict"] == "needs_review"
    prof = _instructor(env)
    _grade_by_hand(prof, first, "1", "Right: the gradient vanishes.")
    assert _waiting(prof.get(f"/instructor/assignments/{KEY}").text) == 0

    again = _submit(env, "  " + WHY.replace(" ", "   \n") + " ", d1a="2p_i+2y_i")  # only spacing differs
    q = _question(env, again)
    assert (q["verdict"], q["points"]) == ("correct", 1.0)
    assert "the gradient vanishes" in q["feedback"]
    assert _waiting(prof.get(f"/instructor/assignments/{KEY}").text) == 0


def test_a_changed_answer_waits_again_with_the_earlier_grade_beside_it(env: dict[str, Any]) -> None:
    first = _submit(env, WHY)
    prof = _instructor(env)
    _grade_by_hand(prof, first, "0.5", "Half: say why it is bad.")
    changed = _submit(env, WHY + " That is bad for learning.")
    assert _question(env, changed)["verdict"] == "needs_review"
    html = prof.get(f"/instructor/assignments/{KEY}").text
    assert _waiting(html) == 1
    item = re.search(rf'id="manual-{changed}-1f-why".*?</form>', html, re.S)
    assert item and f"Earlier grade: 0.5 / 1 on submission {first}" in item.group(0)
    assert "Half: say why it is bad." in item.group(0)


def test_a_hand_grade_reaches_a_later_identical_submission_already_waiting(env: dict[str, Any]) -> None:
    # the instructor opened the queue, the student resubmitted the same text, then the grade was saved
    first = _submit(env, WHY)
    prof = _instructor(env)
    page = prof.get(f"/instructor/assignments/{KEY}").text
    second = _submit(env, WHY)
    assert _question(env, second)["verdict"] == "needs_review"
    _grade_by_hand(prof, first, "1", "Good.", html=page)
    assert (_question(env, second)["verdict"], _question(env, second)["points"]) == ("correct", 1.0)


def test_carried_hand_grades_survive_a_regrade(env: dict[str, Any]) -> None:
    from grader.services import regrading
    from grader.services.verdict_cache import MemoryCache

    first = _submit(env, WHY)
    prof = _instructor(env)
    _grade_by_hand(prof, first, "1", "Good.")
    second = _submit(env, WHY)
    html = prof.get(f"/instructor/assignments/{KEY}").text
    prof.post(f"/instructor/assignments/{KEY}/regrade", data={"csrf_token": _token_of(html)})
    job = env["queue"].regrades.pop()
    for sid in regrading.regrade_assignment(env["factory"], job):
        assert regrading.regrade_submission_by_id(env["factory"], job, sid, settings=env["settings"],
                                                  cache=MemoryCache())
    for sid in (first, second):
        q = _question(env, sid)
        assert (q["verdict"], q["points"], q["feedback"]) == ("correct", 1.0, "Good.")
    assert _waiting(prof.get(f"/instructor/assignments/{KEY}").text) == 0
