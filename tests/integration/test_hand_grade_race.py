"""A hand grade and a regrade of the same submission at the same moment (PostgreSQL, READ COMMITTED):
exactly one current result per question, and it is the instructor's."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from grader.services.hand_grades import carried_grade
from grader.db.queries import grading as q
from grader.db.base import utcnow
from grader.db.models import Course, Enrollment, GradingResult, RegradeJob, Submission, User
from grader.db.queries.pages import record_manual_grade

pytestmark = pytest.mark.integration


def _wait_until_blocked_by(factory: Any, holder_pid: int, timeout: float = 30) -> None:
    """Wait until another backend waits on a lock that backend ``holder_pid`` holds."""
    deadline = time.monotonic() + timeout
    with factory() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                                      {"pid": holder_pid}).scalar_one()
            watcher.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError(f"nothing waited on backend {holder_pid}'s locks within {timeout} s")


def test_a_hand_grade_racing_a_regrade_leaves_one_current_row(committed_factory: Any, make_assignment: Any) -> None:
    with committed_factory() as s:
        course = Course(key="c1", title="C1", is_default=True)
        s.add(course)
        version = make_assignment(s, course)
        teacher, student = User(email="t@example.com"), User(email="s@example.com")
        s.add_all([teacher, student, Enrollment(user=teacher, course=course, role="instructor"),
                   Enrollment(user=student, course=course, role="student")])
        sub = Submission(user=student, assignment_version=version, answers={"q1": "x", "q2": "y"},
                         source="api", status="graded", graded_at=utcnow(), grading_attempts=1)
        s.add(sub)
        s.flush()
        for qid in ("q1", "q2"):
            s.add(GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id=qid,
                                verdict="incorrect", points=0, max_points=1, feedback="", method="numeric",
                                is_current=True))
        s.flush()
        job = RegradeJob(assignment_id=version.assignment_id, total=1, done=0, status="running")
        s.add(job)
        s.commit()
        sid, version_id, job_id, teacher_id = sub.id, version.id, job.id, teacher.id

    rows = [q.ResultRow(question_id=qid, verdict="incorrect", points=0.0, max_points=1.0, feedback="again",
                        method="numeric", duration_ms=1) for qid in ("q1", "q2")]
    errors: list[BaseException] = []

    def regrade() -> None:
        try:
            with committed_factory() as other:
                q.save_regraded(other, job_id, sid, version_id, rows, grader_version="t", now=utcnow(), carry=carried_grade)
                other.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with committed_factory() as hand:
        result = hand.query(GradingResult).filter_by(submission_id=sid, question_id="q1", is_current=True).one()
        record_manual_grade(hand, result, grader_id=teacher_id, points=1.0, comment="right after all",
                            verdict="correct")
        holder = hand.execute(text("SELECT pg_backend_pid()")).scalar_one()
        racer = threading.Thread(target=regrade)
        racer.start()
        _wait_until_blocked_by(committed_factory, holder)  # the regrade waits on this transaction's lock
        hand.commit()
    racer.join(30)
    assert not racer.is_alive() and not errors, errors
    with committed_factory() as s:
        current = s.query(GradingResult).filter_by(submission_id=sid, is_current=True).all()
        assert sorted(r.question_id for r in current) == ["q1", "q2"]
        q1 = next(r for r in current if r.question_id == "q1")
        assert (q1.method, q1.points) == ("manual", 1.0)
        assert s.get(RegradeJob, job_id).done == 1
