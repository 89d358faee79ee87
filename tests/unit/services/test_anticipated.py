"""Feedback attached on the dashboard reaches the students: grading merges it into the assignment
(end to end on a migrated SQLite file, with the real engine, in the forked grading child)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from grader.config import Settings
from grader.db.models import Assignment, GradingResult, RegradeJob, User
from grader.db.session import make_session_factory, session_scope
from grader.services import grading, regrading
from grader.services.dashboard_actions import attach_feedback
from grader.services.submissions import submit_answers
from grader.services.verdict_cache import MemoryCache

ROOT = Path(__file__).resolve().parents[3]
KEY = "assignment-4"
WRONG = "2(y_i + p_i)"
ATTACHED = "You added 2y_i where the chain rule subtracts it: check the sign of dl/dp."


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, Any]]:
    from grader.services import provisioning as admin

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    admin.migrate(url)
    factory = make_session_factory(url)
    with session_scope(factory) as s:
        admin.load_assignments(s, ROOT / "assignments")
        admin.create_user(s, "stu@example.com", "student")
        admin.create_user(s, "prof@example.com", "instructor")
    settings = Settings.from_env({}, database_url=url, secret_key="k",
                                 answer_soft_time_s=60.0, answer_hard_time_s=120.0)
    yield {"factory": factory, "settings": settings, "cache": MemoryCache()}
    factory.kw["bind"].dispose()


def _user(s: Any, email: str) -> User:
    return s.query(User).filter_by(email=email).one()


def _submit(env: dict[str, Any], answer: str) -> int:
    with session_scope(env["factory"]) as s:
        sub, _ = submit_answers(s, user=_user(s, "stu@example.com"), assignment_key=KEY, answers={"1a": answer},
                                idempotency_key=None, source="api")
        s.flush()
        sid = sub.id
    assert grading.grade_submission_by_id(env["factory"], sid, settings=env["settings"], cache=env["cache"])
    return sid


def _feedback(env: dict[str, Any], sid: int) -> GradingResult:
    with session_scope(env["factory"]) as s:
        return s.query(GradingResult).filter_by(submission_id=sid, question_id="1a", is_current=True).one()


def _regrade(env: dict[str, Any], sid: int) -> None:
    with session_scope(env["factory"]) as s:
        job = RegradeJob(assignment_id=s.query(Assignment).filter_by(key=KEY).one().id, total=1)
        s.add(job)
        s.flush()
        job_id = job.id
    assert sid in regrading.regrade_assignment(env["factory"], job_id)
    assert regrading.regrade_submission_by_id(env["factory"], job_id, sid, settings=env["settings"],
                                              cache=env["cache"])


def test_a_regrade_after_attaching_feedback_gives_it(env: dict[str, Any]) -> None:
    sid = _submit(env, WRONG)
    before = _feedback(env, sid)
    assert before.verdict == "incorrect" and ATTACHED not in before.feedback
    with session_scope(env["factory"]) as s:  # an equivalent spelling, as grouped on the dashboard
        attach_feedback(s, _user(s, "prof@example.com"), KEY, question_id="1a", answer="2p_i + 2y_i",
                        feedback=ATTACHED)
    _regrade(env, sid)  # the same verdict cache: the attached feedback makes a new key
    after = _feedback(env, sid)
    assert after.verdict == "incorrect" and ATTACHED in after.feedback
    later = _feedback(env, _submit(env, WRONG))  # and a new submission gets it too
    assert ATTACHED in later.feedback


def test_other_answers_and_questions_are_unchanged(env: dict[str, Any]) -> None:
    with session_scope(env["factory"]) as s:
        attach_feedback(s, _user(s, "prof@example.com"), KEY, question_id="1a", answer="2p_i + 2y_i",
                        feedback=ATTACHED)
    right = _feedback(env, _submit(env, "2(p_i - y_i)"))
    assert right.verdict == "correct" and ATTACHED not in right.feedback
