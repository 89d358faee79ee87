"""A regrade job's lease, failures and end: every job ends ``done`` or ``failed`` with a reason.

The job's lease is pushed forward each time one of its submissions is done (or fails). When it
runs out, the regrade sweeper (``sweep_regrades``) re-sends what is left: the fan-out itself for a
job still ``queued`` (its task was lost), the submissions without a row of the job for a
``running`` one. After ``max_sweeps`` sweeps without the job ending it is ``failed``, naming the
submissions that were never regraded. A submission whose regrade keeps raising is recorded as
failed by the task (``fail_submission``) and the job goes on with the others; a job that ends with
failures is ``failed`` with the reason and the ids, one without is ``done``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from grader.db.models import AssignmentVersion, GradingResult, RegradeJob, Submission

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class SweptJob:
    """What the regrade sweeper found for one job: re-send the fan-out, or these submissions."""

    job_id: int
    restart: bool
    submission_ids: tuple[int, ...] = ()


def job_submission_ids(session: Session, job: RegradeJob) -> list[int]:
    """The submissions a job regrades: its assignment's, graded before the job was requested."""
    return list(session.scalars(
        select(Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == job.assignment_id, Submission.status == "graded",
               Submission.graded_at < job.created_at)
        .order_by(Submission.id)
    ))


def remaining_submission_ids(session: Session, job: RegradeJob) -> list[int]:
    """The job's submissions with neither a row written by the job nor a recorded failure."""
    done = set(session.scalars(
        select(GradingResult.submission_id).where(GradingResult.regrade_job_id == job.id).distinct()))
    failed = set(job.failed_submission_ids or ())
    return [sid for sid in job_submission_ids(session, job) if sid not in done and sid not in failed]


def renew(session: Session, job_id: int, *, now: datetime, lease_s: float) -> None:
    """Push the job's lease forward (progress was made)."""
    session.execute(
        update(RegradeJob).where(RegradeJob.id == job_id, RegradeJob.status.in_((QUEUED, RUNNING)))
        .values(lease_expires_at=now + timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False))


def finish_if_complete(session: Session, job_id: int, *, now: datetime) -> None:
    """End a running job whose submissions are all done or failed: ``done`` without failures,
    else ``failed`` with the reason and the failed ids (kept in ``failed_submission_ids``)."""
    job = session.get(RegradeJob, job_id, populate_existing=True)
    if job is None or job.status != RUNNING:
        return
    failed = list(job.failed_submission_ids or ())
    if job.done + len(failed) < job.total:
        return
    job.status, job.finished_at, job.lease_expires_at = (FAILED if failed else DONE), now, None
    if failed and not job.error:
        job.error = f"{len(failed)} submission(s) could not be regraded"
    session.flush()


def fail_submission(session: Session, job_id: int, submission_id: int, *, reason: str, now: datetime) -> bool:
    """Record that one submission of a running job could not be regraded (once); the job ends
    when nothing else is left. False when the job already ended or counted the submission."""
    session.execute(  # the job's row lock: concurrent failures append one at a time
        update(RegradeJob).where(RegradeJob.id == job_id).values(done=RegradeJob.done)
        .execution_options(synchronize_session=False))
    job = session.get(RegradeJob, job_id, populate_existing=True)
    already = session.scalar(select(func.count()).select_from(GradingResult).where(
        GradingResult.submission_id == submission_id, GradingResult.regrade_job_id == job_id))
    if job is None or job.status != RUNNING or already or submission_id in (job.failed_submission_ids or ()):
        return False
    job.failed_submission_ids = [*(job.failed_submission_ids or ()), submission_id]
    job.error = f"submission {submission_id}: {reason}"[:2000] if not job.error else job.error
    session.flush()
    finish_if_complete(session, job_id, now=now)
    return True


def sweep_regrades(session: Session, *, now: datetime, lease_s: float, max_sweeps: int) -> list[SweptJob]:
    """Jobs queued or running past their lease: re-send them (with a new lease), or fail them after
    ``max_sweeps`` sweeps. A queued job without a lease counts from its creation."""
    stale = and_(RegradeJob.status.in_((QUEUED, RUNNING)),
                 or_(RegradeJob.lease_expires_at < now,
                     and_(RegradeJob.lease_expires_at.is_(None),
                          RegradeJob.created_at < now - timedelta(seconds=lease_s))))
    out = []
    for job in session.scalars(select(RegradeJob).where(stale).order_by(RegradeJob.id).with_for_update()):
        left = remaining_submission_ids(session, job) if job.status == RUNNING else []
        if job.sweeps >= max_sweeps:
            job.status, job.finished_at, job.lease_expires_at = FAILED, now, None
            job.failed_submission_ids = [*(job.failed_submission_ids or ()), *left]
            stalled = (f"no progress for {lease_s:g} s after {job.sweeps} re-send(s)"
                       + (f"; {len(left)} submission(s) not regraded" if left else ""))
            job.error = f"{job.error}; {stalled}" if job.error else stalled
            continue
        job.sweeps += 1
        job.lease_expires_at = now + timedelta(seconds=lease_s)
        if job.status == QUEUED:
            out.append(SweptJob(job.id, restart=True))
        elif left:
            out.append(SweptJob(job.id, restart=False, submission_ids=tuple(left)))
        else:  # everything was written but the end was not recorded
            finish_if_complete(session, job.id, now=now)
    session.flush()
    return out
