"""The worker's queries: one claim wins, results are added (never overwritten), stuck ones found."""

from datetime import timedelta
from typing import Any

from grader.db import Session
from grader.db.base import utcnow
from grader.db.models import GradingResult, RegradeJob
from grader.db.queries.grading import advance_regrade_job, claim_for_grading, record_results, stuck_submission_ids
from grader.services.submissions import read_submission, submit_answers


def _submit(session: Session, world: dict[str, Any]) -> int:
    sub, _ = submit_answers(session, user=world["alice"], assignment_key="hw1", answers={"q1": "2*p - 2*y"},
                            idempotency_key=None, source="api")
    session.commit()
    return sub.id


def _rows(points: float) -> list[dict[str, Any]]:
    return [
        {"question_id": "q1", "verdict": "correct" if points else "incorrect", "points": points,
         "max_points": 2, "feedback": "", "method": "symbolic", "duration_ms": 3},
        {"question_id": "q2", "verdict": "unanswered", "points": 0, "max_points": 1},
    ]


def test_only_one_claim_wins_until_the_lease_expires(session: Session, world: dict) -> None:
    sid = _submit(session, world)
    now = utcnow()
    assert claim_for_grading(session, sid, lease_s=60, now=now) is not None
    session.commit()
    assert claim_for_grading(session, sid, lease_s=60, now=now) is None
    later = claim_for_grading(session, sid, lease_s=60, now=now + timedelta(seconds=61))
    assert later is not None and later.grading_attempts == 2


def test_a_regrade_adds_rows_and_moves_is_current(session: Session, world: dict) -> None:
    sid = _submit(session, world)
    sub = claim_for_grading(session, sid, lease_s=60)
    record_results(session, sub, sub.assignment_version_id, _rows(0), grader_version="t")
    session.commit()
    record_results(session, sub, sub.assignment_version_id, _rows(2), grader_version="t")
    session.commit()
    rows = session.query(GradingResult).order_by(GradingResult.id).all()
    assert [r.is_current for r in rows] == [False, False, True, True]
    view = read_submission(session, world["alice"], sid)
    assert view["status"] == "graded" and view["total"] == 2 and view["max_total"] == 3
    assert view["questions"]["q1"]["verdict"] == "correct"


def test_stuck_submissions_are_found(session: Session, world: dict) -> None:
    sid = _submit(session, world)
    now = utcnow()
    assert stuck_submission_ids(session, queued_before=now - timedelta(minutes=1)) == []
    assert stuck_submission_ids(session, queued_before=now + timedelta(seconds=1)) == [sid]
    claim_for_grading(session, sid, lease_s=10, now=now)
    session.commit()
    assert stuck_submission_ids(session, queued_before=now, now=now + timedelta(seconds=11)) == [sid]


def test_regrade_job_progress_ends_done(session: Session, world: dict) -> None:
    job = RegradeJob(assignment_id=world["version"].assignment_id, total=2)
    session.add(job)
    session.commit()
    assert advance_regrade_job(session, job.id).status == "running"
    done = advance_regrade_job(session, job.id)
    assert (done.done, done.status) == (2, "done") and done.finished_at is not None
