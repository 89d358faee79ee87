"""One student's submissions in line: graded one at a time, in the order they were made
(``grader.services.grading``: a later one waits behind the student's own, never anyone else's)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from grader.db.models import Submission

UNFINISHED = ("queued", "grading")


def earlier_unfinished(session: Session, submission_id: int) -> bool:
    """True when the same student has an earlier submission still queued or being graded."""
    earlier = aliased(Submission)
    this = select(Submission.user_id).where(Submission.id == submission_id).scalar_subquery()
    return bool(session.scalar(select(exists().where(
        earlier.user_id == this, earlier.id < submission_id, earlier.status.in_(UNFINISHED)))))


def next_in_line(session: Session, submission_id: int) -> int | None:
    """The same student's oldest queued submission after ``submission_id`` (sent once it is done)."""
    this = select(Submission.user_id).where(Submission.id == submission_id).scalar_subquery()
    return session.scalar(select(Submission.id).where(
        Submission.user_id == this, Submission.id > submission_id, Submission.status == "queued")
        .order_by(Submission.id).limit(1))
