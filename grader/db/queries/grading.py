"""The queries behind grading (``grader.services.grading``): claim, load, save, sweep, regrade.

Every state change is a conditional UPDATE, so two workers (or a task delivered twice) never both
grade one submission: a claim bumps ``grading_attempts``, and that number is the fencing token the
final write must still match. Results are only inserted; older rows are flipped to not current in
the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from grader.db.queries.hand_grades import CarryRule, add_results, current_hand_grades
from grader.db.models import AssignmentVersion, GradingResult, RegradeJob, Submission
from grader.db.queries.pages import anticipated_errors_for

QUEUED, GRADING, GRADED = "queued", "grading", "graded"


@dataclass(frozen=True)
class GradingInput:
    """What a worker needs to grade one submission against one assignment version."""

    submission_id: int
    answers: dict[str, Any]
    version_id: int
    content_hash: str
    source_text: str
    source_path: str
    attempts: int
    questions: tuple[tuple[str, float], ...] = ()  # (id, points) as stored, for when loading fails
    # feedback attached from the dashboard: (question id, ((answer, feedback), ...)), by question id
    anticipated: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


@dataclass(frozen=True)
class ResultRow:
    """One question's grade, ready to insert."""

    question_id: str
    verdict: str
    points: float
    max_points: float
    feedback: str
    method: str
    duration_ms: int


def claim(session: Session, submission_id: int, *, now: datetime, lease_s: float) -> int | None:
    """Queued (or grading with an expired lease) -> grading; returns the new attempt number."""
    stmt = (
        update(Submission)
        .where(
            Submission.id == submission_id,
            or_(
                Submission.status == QUEUED,
                and_(Submission.status == GRADING, Submission.lease_expires_at < now),
            ),
        )
        .values(
            status=GRADING,
            lease_expires_at=now + timedelta(seconds=lease_s),
            grading_attempts=Submission.grading_attempts + 1,
        )
        .returning(Submission.grading_attempts)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).scalar_one_or_none()


def renew_lease(session: Session, submission_id: int, *, fence: int, now: datetime, lease_s: float) -> bool:
    """Push the lease forward while still holding the claim (a long submission's heartbeat)."""
    stmt = (
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == GRADING,
               Submission.grading_attempts == fence)
        .values(lease_expires_at=now + timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1


def lease_of(session: Session, submission_id: int) -> tuple[str, datetime | None] | None:
    """(status, lease_expires_at) of a submission, or None when it does not exist."""
    row = session.execute(
        select(Submission.status, Submission.lease_expires_at).where(Submission.id == submission_id)
    ).first()
    return None if row is None else (row[0], row[1])


def release(session: Session, submission_id: int, *, fence: int, now: datetime, retry_after_s: float) -> bool:
    """Give a claim back after a failure: queued again, to be retried (or swept) after a pause."""
    stmt = (
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == GRADING,
               Submission.grading_attempts == fence)
        .values(status=QUEUED, lease_expires_at=now + timedelta(seconds=retry_after_s))
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1


def _input(session: Session, submission: Submission, version: AssignmentVersion) -> GradingInput:
    stored = (version.definition or {}).get("questions") or []
    questions = tuple((str(q.get("id")), float(q.get("points") or 0)) for q in stored if isinstance(q, dict))
    return GradingInput(
        submission_id=submission.id, answers=dict(submission.answers or {}), version_id=version.id,
        content_hash=version.content_hash, source_text=version.source_text,
        source_path=version.source_path, attempts=submission.grading_attempts, questions=questions,
        anticipated=_anticipated(session, version.assignment_id),
    )


def _anticipated(session: Session, assignment_id: int) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The assignment's feedback attached from the dashboard, as a hashable value."""
    extra = anticipated_errors_for(session, assignment_id)
    return tuple((qid, tuple(pairs)) for qid, pairs in sorted(extra.items()) if pairs)


def load_input(session: Session, submission_id: int) -> GradingInput:
    """The submission's answers and the assignment version it was submitted against."""
    submission = session.get(Submission, submission_id, populate_existing=True)
    if submission is None:
        raise LookupError(f"submission {submission_id} does not exist")
    return _input(session, submission, submission.assignment_version)


def _insert_results(session: Session, submission_id: int, version_id: int,
                    rows: Iterable[ResultRow], *, grader_version: str, now: datetime, carry: CarryRule,
                    regrade_job_id: int | None = None) -> None:
    """Flip the current rows to not current and add ``rows``; an instructor's hand grade of a
    question is carried over instead of its new row (``hand_grades``)."""
    kept = current_hand_grades(session, submission_id)
    session.execute(
        update(GradingResult)
        .where(GradingResult.submission_id == submission_id, GradingResult.is_current.is_(True))
        .values(is_current=False)
        .execution_options(synchronize_session=False)
    )
    results = [
        GradingResult(
            submission_id=submission_id, assignment_version_id=version_id, question_id=r.question_id,
            verdict=r.verdict, points=r.points, max_points=r.max_points, feedback=r.feedback,
            method=r.method, grader_version=grader_version, duration_ms=r.duration_ms,
            created_at=now, is_current=True,
        )
        for r in rows
    ]
    add_results(session, kept, results, now=now, carry=carry, regrade_job_id=regrade_job_id)


def save_graded(session: Session, submission_id: int, version_id: int, rows: list[ResultRow], *,
                fence: int, grader_version: str, now: datetime, carry: CarryRule) -> bool:
    """Mark graded and insert the results, only if our claim (``fence``) still holds."""
    won = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == GRADING,
               Submission.grading_attempts == fence)
        .values(status=GRADED, graded_at=now, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if won:
        _insert_results(session, submission_id, version_id, rows, grader_version=grader_version, now=now,
                        carry=carry)
    return won


def find_stuck(session: Session, *, now: datetime, lease_s: float, limit: int = 500) -> list[int]:
    """Submissions queued or grading past their lease: requeue them and push the lease forward.

    A queued submission without a lease counts from its creation. Each one found gets a fresh
    lease, so it is sent again at most once per lease; a grading one goes back to queued (its old
    claimant's fence no longer matches, so a late finish by it is discarded).
    """
    cutoff = now - timedelta(seconds=lease_s)
    stuck = or_(
        and_(Submission.status == QUEUED,
             or_(Submission.lease_expires_at < now,
                 and_(Submission.lease_expires_at.is_(None), Submission.created_at < cutoff))),
        and_(Submission.status == GRADING, Submission.lease_expires_at < now),
    )
    ids = list(session.scalars(select(Submission.id).where(stuck).order_by(Submission.id).limit(limit)))
    if ids:
        session.execute(
            update(Submission)
            .where(Submission.id.in_(ids), stuck)
            .values(status=QUEUED, lease_expires_at=now + timedelta(seconds=lease_s))
            .execution_options(synchronize_session=False)
        )
    return ids


def start_regrade(session: Session, job_id: int, *, now: datetime) -> list[int]:
    """Set the job running with its total; the graded submissions of its assignment, to fan out."""
    job = session.get(RegradeJob, job_id, populate_existing=True)
    if job is None or job.status in ("done", "failed"):
        return []
    ids = list(session.scalars(
        select(Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == job.assignment_id, Submission.status == GRADED,
               Submission.graded_at < job.created_at)  # later ones were graded after the request
        .order_by(Submission.id)
    ))
    if job.status == "queued":
        job.total, job.done, job.status = len(ids), 0, "running"
        if not ids:
            job.status, job.finished_at = "done", now
    return ids


def load_regrade_input(session: Session, job_id: int, submission_id: int) -> GradingInput | None:
    """The submission and its assignment's current version; None when the job already did it."""
    job = session.get(RegradeJob, job_id)
    submission = session.get(Submission, submission_id)
    if job is None or submission is None or _regraded_by(session, submission_id, job_id):
        return None
    version = session.scalars(
        select(AssignmentVersion)
        .where(AssignmentVersion.assignment_id == job.assignment_id, AssignmentVersion.is_current.is_(True))
        .order_by(AssignmentVersion.id.desc())
        .limit(1)
    ).first()
    return None if version is None else _input(session, submission, version)


def _regraded_by(session: Session, submission_id: int, job_id: int) -> bool:
    """True when the job already wrote this submission's rows (not: any row newer than the job,
    which a hand grade made meanwhile also is, and the job would never count the submission)."""
    return session.scalar(
        select(func.count()).select_from(GradingResult)
        .where(GradingResult.submission_id == submission_id, GradingResult.regrade_job_id == job_id)
    ) > 0


def save_regraded(session: Session, job_id: int, submission_id: int, version_id: int,
                  rows: list[ResultRow], *, grader_version: str, now: datetime, carry: CarryRule) -> bool:
    """Insert a regrade's rows and count it in the job, once per job and submission."""
    # A no-op UPDATE takes the submission's row lock (the write lock on SQLite) first, so two
    # deliveries of one regrade task serialise here and the second sees the first's rows.
    session.execute(
        update(Submission).where(Submission.id == submission_id)
        .values(grading_attempts=Submission.grading_attempts)
        .execution_options(synchronize_session=False)
    )
    job = session.get(RegradeJob, job_id, populate_existing=True)
    if job is None or _regraded_by(session, submission_id, job_id):
        return False
    _insert_results(session, submission_id, version_id, rows, grader_version=grader_version, now=now,
                    carry=carry, regrade_job_id=job_id)
    count_regrade_done(session, job_id, now=now)
    return True


def count_regrade_done(session: Session, job_id: int, *, now: datetime) -> None:
    """One more submission of the job done; the job finishes when all are."""
    session.execute(
        update(RegradeJob).where(RegradeJob.id == job_id).values(done=RegradeJob.done + 1)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(RegradeJob)
        .where(RegradeJob.id == job_id, RegradeJob.done >= RegradeJob.total, RegradeJob.status == "running")
        .values(status="done", finished_at=now)
        .execution_options(synchronize_session=False)
    )
