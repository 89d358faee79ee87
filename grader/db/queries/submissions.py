"""Submissions: idempotent insertion, reading with current results, listing."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from grader.db.models import AssignmentVersion, GradingResult, Submission


def submission_by_idempotency_key(session: Session, user_id: int, key: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(Submission.user_id == user_id, Submission.idempotency_key == key)
    )


def insert_submission_once(session: Session, submission: Submission) -> Submission:
    """Insert ``submission``; if a concurrent request stored the same (user, idempotency key)
    first, return that one instead. The caller compares ids to know which happened."""
    try:
        with session.begin_nested():
            session.add(submission)
            session.flush()
        return submission
    except IntegrityError:
        if submission.idempotency_key is None:
            raise
        existing = submission_by_idempotency_key(session, submission.user_id, submission.idempotency_key)
        if existing is None:
            raise
        return existing


def current_results(session: Session, submission_ids: Iterable[int]) -> dict[int, list[GradingResult]]:
    """submission id -> its current results (in insertion order)."""
    ids = list(submission_ids)
    out: dict[int, list[GradingResult]] = defaultdict(list)
    if not ids:
        return out
    stmt = (
        select(GradingResult)
        .where(GradingResult.submission_id.in_(ids), GradingResult.is_current.is_(True))
        .order_by(GradingResult.id)
    )
    for row in session.scalars(stmt):
        out[row.submission_id].append(row)
    return out


def submissions_of_assignment(
    session: Session,
    assignment_id: int,
    *,
    user_id: int | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Submission], int]:
    """A page of an assignment's submissions, newest first, and how many match in total."""
    where = [AssignmentVersion.assignment_id == assignment_id]
    if user_id is not None:
        where.append(Submission.user_id == user_id)
    if status is not None:
        where.append(Submission.status == status)
    base = select(Submission).join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
    total = session.scalar(select(func.count()).select_from(base.where(*where).subquery())) or 0
    page = session.scalars(
        base.where(*where)
        .options(
            selectinload(Submission.user),
            selectinload(Submission.assignment_version).selectinload(AssignmentVersion.assignment),
        )
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(page), int(total)


def submission_ids_of_assignment(session: Session, assignment_id: int) -> list[int]:
    """Every submission id of an assignment (all versions), oldest first."""
    stmt = (
        select(Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == assignment_id)
        .order_by(Submission.id)
    )
    return list(session.scalars(stmt))


def latest_submissions_by_user(session: Session, assignment_id: int) -> dict[int, Submission]:
    """user id -> that user's latest submission to the assignment (any version)."""
    latest = (
        select(func.max(Submission.id).label("id"))
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == assignment_id)
        .group_by(Submission.user_id)
        .subquery()
    )
    rows = session.scalars(select(Submission).where(Submission.id.in_(select(latest.c.id))))
    return {s.user_id: s for s in rows}
