"""What the worker needs: claim a submission under a lease, record results, find stuck ones.

Every write here is a single conditional UPDATE or runs inside the caller's transaction, so two
workers grading the same submission (a redelivered task, the sweeper) cannot both win a claim,
and a result set is replaced atomically.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from grader.db.base import utcnow
from grader.db.models import GradingResult, RegradeJob, Submission


def claim_for_grading(
    session: Session, submission_id: int, *, lease_s: float, now: datetime | None = None, force: bool = False
) -> Submission | None:
    """Move a submission to ``grading`` with a lease if it is queued or its lease ran out
    (or, with ``force``, whatever its state: a regrade). Returns it when this caller won."""
    now = now or utcnow()
    claimable = or_(
        Submission.status == "queued",
        and_(Submission.status == "grading", Submission.lease_expires_at < now),
    )
    stmt = (
        update(Submission)
        .where(Submission.id == submission_id, *(() if force else (claimable,)))
        .values(
            status="grading",
            lease_expires_at=now + timedelta(seconds=lease_s),
            grading_attempts=Submission.grading_attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        return None
    submission = session.get(Submission, submission_id, populate_existing=True)
    return submission


def record_results(
    session: Session,
    submission: Submission,
    assignment_version_id: int,
    rows: Iterable[dict[str, Any]],
    *,
    grader_version: str,
    now: datetime | None = None,
) -> list[GradingResult]:
    """Insert one result per question (dicts with question_id, verdict, points, max_points,
    feedback, method, duration_ms), retire the previous current ones, mark the submission graded.
    Commit is the caller's: all of it lands in one transaction."""
    now = now or utcnow()
    session.execute(
        update(GradingResult)
        .where(GradingResult.submission_id == submission.id, GradingResult.is_current.is_(True))
        .values(is_current=False)
        .execution_options(synchronize_session="fetch")
    )
    results = [
        GradingResult(
            submission_id=submission.id,
            assignment_version_id=assignment_version_id,
            question_id=str(row["question_id"]),
            verdict=str(row["verdict"]),
            points=float(row["points"]),
            max_points=float(row["max_points"]),
            feedback=str(row.get("feedback", "")),
            method=str(row.get("method", "")),
            duration_ms=int(row.get("duration_ms", 0)),
            grader_version=grader_version,
            created_at=now,
            is_current=True,
        )
        for row in rows
    ]
    session.add_all(results)
    submission.status = "graded"
    submission.graded_at = now
    submission.lease_expires_at = None
    session.flush()
    return results


def stuck_submission_ids(
    session: Session, *, queued_before: datetime, now: datetime | None = None, limit: int = 500
) -> list[int]:
    """Submissions queued since before ``queued_before`` or grading with an expired lease."""
    now = now or utcnow()
    stmt = (
        select(Submission.id)
        .where(
            or_(
                and_(Submission.status == "queued", Submission.created_at < queued_before),
                and_(Submission.status == "grading", Submission.lease_expires_at < now),
            )
        )
        .order_by(Submission.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def advance_regrade_job(session: Session, job_id: int, *, by: int = 1) -> RegradeJob | None:
    """Count ``by`` more submissions done (atomically); the job is ``done`` when done >= total."""
    session.execute(
        update(RegradeJob)
        .where(RegradeJob.id == job_id)
        .values(done=RegradeJob.done + by, status="running")
        .execution_options(synchronize_session=False)
    )
    job = session.get(RegradeJob, job_id, populate_existing=True)
    if job is not None and job.done >= job.total:
        job.status = "done"
        job.finished_at = job.finished_at or utcnow()
    return job
