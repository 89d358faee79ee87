"""The grading service on the service fixtures' real assignment: a regrade adds rows, never
overwrites them, and the student's view shows the current ones.

(Claims, the sweeper and job progress are covered in ``tests/unit/test_grading_service.py``.)
"""

from typing import Any

from grader.config import Settings
from grader.db import Session, SessionFactory
from grader.db.models import GradingResult, RegradeJob
from grader.services import grading, regrading
from grader.services.submissions import read_submission, submit_answers
from grader.services.verdict_cache import MemoryCache


def _submit(session: Session, world: dict[str, Any]) -> int:
    sub, _ = submit_answers(session, user=world["alice"], assignment_key="hw1", answers={"q1": "2*p - 2*y"},
                            idempotency_key=None, source="api")
    session.commit()
    return sub.id


def test_a_regrade_adds_rows_and_moves_is_current(factory: SessionFactory, session: Session, world: dict,
                                                  tmp_path: Any) -> None:
    settings = Settings.from_env({}, database_url=f"sqlite:///{tmp_path}/grader.sqlite", secret_key="k")
    sid = _submit(session, world)
    assert grading.grade_submission_by_id(factory, sid, settings=settings, cache=MemoryCache())
    job = RegradeJob(assignment_id=world["version"].assignment_id, total=1)
    session.add(job)
    session.commit()
    assert regrading.regrade_assignment(factory, job.id) == [sid]
    assert regrading.regrade_submission_by_id(factory, job.id, sid, settings=settings, cache=MemoryCache())
    session.expire_all()
    rows = session.query(GradingResult).order_by(GradingResult.id).all()
    assert [r.is_current for r in rows] == [False, False, True, True]
    view = read_submission(session, world["alice"], sid)
    assert view["status"] == "graded" and view["total"] == 2 and view["max_total"] == 3
    assert view["questions"]["q1"]["verdict"] == "correct"
    job = session.get(RegradeJob, job.id)
    assert (job.status, job.done) == ("done", 1) and job.finished_at is not None
