"""Regrading a whole assignment: a job row the worker fans out and reports progress on."""

from __future__ import annotations

from typing import Any

from grader.db import Session
from grader.db.base import utcnow
from grader.db.models import RegradeJob, User
from grader.db.queries import submissions as qs
from grader.services.catalog import STAFF_ROLES, assignment_for, role_for
from grader.services.errors import NotFound


def request_regrade(session: Session, user: User, key: str) -> RegradeJob:
    """Create a queued job over every submission of the assignment. The caller records
    ``job.id`` in ``dispatch.pending(session).regrades`` and commits with ``commit_and_send``."""
    assignment, _version, _role = assignment_for(session, user, key, staff=True)
    total = len(qs.submission_ids_of_assignment(session, assignment.id))
    job = RegradeJob(assignment_id=assignment.id, requested_by_id=user.id, total=total, done=0,
                     status="queued" if total else "done", finished_at=None if total else utcnow())
    session.add(job)
    session.flush()
    return job


def regrade_job_view(session: Session, user: User, job_id: int) -> dict[str, Any]:
    """Progress of a job, for instructors of its course (404 for everyone else)."""
    job = session.get(RegradeJob, job_id)
    if job is None or role_for(session, user, job.assignment) not in STAFF_ROLES:
        raise NotFound(f"regrade job {job_id} not found")
    return {
        "id": job.id,
        "assignment_id": job.assignment.key,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "failed_submissions": list(job.failed_submission_ids or []),
        "error": job.error,
    }
