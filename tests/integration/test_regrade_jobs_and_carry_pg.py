"""On PostgreSQL: the regrade sweeper (row locks, JSON list of failures) and hand grades carried to
a later submission with the same answer, through the same queries the worker and pages use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from grader.db.base import utcnow
from grader.db.models import Course, Enrollment, GradingResult, RegradeJob, Submission, User
from grader.db.queries import grading as q
from grader.db.queries import regrade_jobs as rj
from grader.db.queries.hand_grade_carry import carry_to_later
from grader.db.queries.pages import record_manual_grade
from grader.services.hand_grades import carried_grade

pytestmark = pytest.mark.integration


def _world(factory: Any, make_assignment: Any, answers: list[dict[str, str]]) -> tuple[list[int], int, int]:
    """Graded submissions of one student (every answer incorrect); (ids, assignment id, teacher id)."""
    with factory() as s:
        course = Course(key="c1", title="C1", is_default=True)
        s.add(course)
        version = make_assignment(s, course)
        teacher, student = User(email="t@example.com"), User(email="s@example.com")
        s.add_all([teacher, student, Enrollment(user=teacher, course=course, role="instructor"),
                   Enrollment(user=student, course=course, role="student")])
        s.flush()
        ids = []
        for a in answers:
            sub = Submission(user=student, assignment_version=version, answers=a, source="api", status="grading",
                             grading_attempts=1)
            s.add(sub)
            s.flush()
            rows = [q.ResultRow(qid, "incorrect", 0.0, 1.0, "", "numeric", 1) for qid in ("q1", "q2")]
            assert q.save_graded(s, sub.id, version.id, rows, fence=1, grader_version="t",
                                 now=utcnow() - timedelta(minutes=5), carry=carried_grade)
            ids.append(sub.id)
        s.commit()
        return ids, version.assignment_id, teacher.id


def _current(factory: Any, sid: int, qid: str) -> GradingResult:
    with factory() as s:
        return s.query(GradingResult).filter_by(submission_id=sid, question_id=qid, is_current=True).one()


def test_a_stale_regrade_job_is_re_sent_then_failed_naming_what_was_left(
        committed_factory: Any, make_assignment: Any) -> None:
    ids, assignment_id, _ = _world(committed_factory, make_assignment, [{"q1": "a"}, {"q1": "b"}])
    now = utcnow()
    with committed_factory() as s:
        job = RegradeJob(assignment_id=assignment_id, status="queued", created_at=now)
        s.add(job)
        s.commit()
        job_id = job.id
    with committed_factory() as s:
        assert q.start_regrade(s, job_id, now=now, lease_s=60) == ids
        s.commit()
    with committed_factory() as s:
        assert rj.fail_submission(s, job_id, ids[0], reason="boom", now=now)
        s.commit()
    with committed_factory() as s:  # the other submission's task was lost
        (swept,) = rj.sweep_regrades(s, now=now + timedelta(seconds=61), lease_s=60, max_sweeps=1)
        assert swept.submission_ids == (ids[1],)
        assert rj.sweep_regrades(s, now=now + timedelta(seconds=62), lease_s=60, max_sweeps=1) == []
        s.commit()
    with committed_factory() as s:
        assert rj.sweep_regrades(s, now=now + timedelta(seconds=122), lease_s=60, max_sweeps=1) == []
        s.commit()
    with committed_factory() as s:
        job = s.get(RegradeJob, job_id)
        assert (job.status, sorted(job.failed_submission_ids)) == ("failed", ids)
        assert "no progress" in job.error and f"submission {ids[0]}: boom" in job.error


def test_a_hand_grade_reaches_a_later_submission_with_the_same_answer_only(
        committed_factory: Any, make_assignment: Any) -> None:
    ids, _, teacher_id = _world(committed_factory, make_assignment,
                                [{"q1": "2 p", "q2": "x"}, {"q1": " 2   p ", "q2": "x"}, {"q1": "2p", "q2": "x"}])
    with committed_factory() as s:
        hand = record_manual_grade(s, s.get(GradingResult, _current(committed_factory, ids[0], "q1").id),
                                   grader_id=teacher_id, points=0.5, comment="half", verdict="incorrect")
        assert carry_to_later(s, hand, carry=carried_grade) == [ids[1]]  # "2p" is another answer
        s.commit()
    same, other = _current(committed_factory, ids[1], "q1"), _current(committed_factory, ids[2], "q1")
    assert (same.method, same.points, same.feedback) == ("manual", 0.5, "half")
    assert (other.method, other.points) == ("numeric", 0.0)
