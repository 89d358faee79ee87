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

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from grader.db.queries.hand_grades import MANUAL, CarryRule, add_results, hand_grades_by_id
from grader.db.models import AssignmentVersion, GradingResult, RegradeJob, Submission
from grader.db.queries import regrade_jobs as rj
from grader.db.queries.hand_grade_carry import HandGrades, earlier_hand_grades
from grader.db.queries.pages import anticipated_errors_for
from grader.db.queries.variants import variant_inputs
from grader.verdicts import QuestionVerdict

QUEUED, GRADING, GRADED = "queued", "grading", "graded"
NEEDS_REVIEW = QuestionVerdict.NEEDS_REVIEW


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
    # the student's variant of a parameterised assignment: what it is drawn from, and an override
    variant_seed: tuple[str, ...] = ()
    variant_override: str = ""


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
        **_variant(session, submission, version),
    )


def _variant(session: Session, submission: Submission, version: AssignmentVersion) -> dict[str, Any]:
    seed, override = variant_inputs(session, version.assignment, submission.user_id, version.definition)
    return {"variant_seed": seed, "variant_override": override}


def _anticipated(session: Session, assignment_id: int) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The assignment's feedback attached from the dashboard, as a hashable value."""
    extra = anticipated_errors_for(session, assignment_id)
    return tuple((qid, tuple(pairs)) for qid, pairs in sorted(extra.items()) if pairs)


def _insert_results(session: Session, submission_id: int, version_id: int,
                    rows: Iterable[ResultRow], *, grader_version: str, now: datetime, carry: CarryRule,
                    regrade_job_id: int | None = None) -> None:
    """Flip the current rows to not current and add ``rows``; an instructor's hand grade of a
    question is carried over instead of its new row (``hand_grades``), and so is one made on an
    earlier submission of the student with the same answer (``queries.hand_grade_carry``)."""
    kept = {**earlier_hand_grades(session, submission_id), **flip_current(session, submission_id)}
    add_result_rows(session, submission_id, version_id, list(rows), kept, grader_version=grader_version, now=now,
                    carry=carry, regrade_job_id=regrade_job_id)


_FLIP = (
    update(GradingResult)
    .where(GradingResult.submission_id == bindparam("sid"), GradingResult.is_current.is_(True))
    .values(is_current=False)
    .returning(GradingResult.id, GradingResult.method, GradingResult.verdict)
)
_INSERT = insert(GradingResult.__table__)


def flip_current(session: Session, submission_id: int) -> HandGrades:
    """Flip the submission's current rows to not current; the hand-graded ones among them, to carry
    over (``hand_grades.current_hand_grades`` as it was before the flip). One statement when there
    is none (a first grading)."""
    flipped = session.connection().execute(_FLIP, {"sid": submission_id}).all()
    hand = [row_id for row_id, method, verdict in flipped if method == MANUAL and verdict != NEEDS_REVIEW]
    return hand_grades_by_id(session, hand) if hand else {}


def add_result_rows(session: Session, submission_id: int, version_id: int, rows: list[ResultRow],
                    kept: HandGrades, *, grader_version: str, now: datetime, carry: CarryRule,
                    regrade_job_id: int | None = None) -> None:
    """Insert ``rows`` as current results: in one statement, or through ``hand_grades.add_results``
    when a hand grade is carried over."""
    if not kept:
        if rows:
            session.connection().execute(_INSERT, [
                {"submission_id": submission_id, "assignment_version_id": version_id, "question_id": r.question_id,
                 "verdict": r.verdict, "points": r.points, "max_points": r.max_points, "feedback": r.feedback,
                 "method": r.method, "grader_version": grader_version, "duration_ms": r.duration_ms,
                 "created_at": now, "is_current": True, "regrade_job_id": regrade_job_id} for r in rows])
        return
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


def start_regrade(session: Session, job_id: int, *, now: datetime, lease_s: float = 600) -> list[int]:
    """Set the job running with its total and a lease; the graded submissions of its assignment
    not yet regraded by it, to fan out (all of them the first time)."""
    job = session.get(RegradeJob, job_id, populate_existing=True)
    if job is None or job.status in ("done", "failed"):
        return []
    if job.status == "queued":
        ids = rj.job_submission_ids(session, job)  # later ones were graded after the request
        job.total, job.done, job.status = len(ids), 0, "running"
        job.lease_expires_at = now + timedelta(seconds=lease_s)
        if not ids:
            job.status, job.finished_at, job.lease_expires_at = "done", now, None
        return ids
    return rj.remaining_submission_ids(session, job)


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
                  rows: list[ResultRow], *, grader_version: str, now: datetime, carry: CarryRule,
                  lease_s: float = 600) -> bool:
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
    _insert_results(session, submission_id, version_id, _keep_definite(session, submission_id, rows),
                    grader_version=grader_version, now=now, carry=carry, regrade_job_id=job_id)
    count_regrade_done(session, job_id, now=now, lease_s=lease_s)
    return True


def _keep_definite(session: Session, submission_id: int, rows: list[ResultRow]) -> list[ResultRow]:
    """A regrade's undecided row (``needs_review`` from a time limit or a crash, not free text
    waiting for a person) does not replace an earlier definite verdict: that verdict is kept."""
    undecided = {r.question_id for r in rows if r.verdict == NEEDS_REVIEW and r.method != "manual"}
    if not undecided:
        return rows
    earlier = {g.question_id: g for g in session.scalars(
        select(GradingResult).where(GradingResult.submission_id == submission_id,
                                    GradingResult.is_current.is_(True), GradingResult.question_id.in_(undecided)))}
    out = []
    for r in rows:
        old = earlier.get(r.question_id)
        if r.question_id in undecided and old is not None and old.verdict != NEEDS_REVIEW:
            points = r.max_points if old.verdict == "correct" else min(old.points, r.max_points)
            r = ResultRow(r.question_id, old.verdict, points, r.max_points, old.feedback, old.method,
                          old.duration_ms)
        out.append(r)
    return out


def count_regrade_done(session: Session, job_id: int, *, now: datetime, lease_s: float = 600) -> None:
    """One more submission of the job done: its lease goes on; the job ends when all are done."""
    session.execute(
        update(RegradeJob).where(RegradeJob.id == job_id).values(done=RegradeJob.done + 1)
        .execution_options(synchronize_session=False)
    )
    rj.renew(session, job_id, now=now, lease_s=lease_s)
    rj.finish_if_complete(session, job_id, now=now)
