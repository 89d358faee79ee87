"""Assignments and their versions."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grader.db.models import Assignment, AssignmentVersion


def assignment_by_key(session: Session, key: str) -> Assignment | None:
    return session.scalar(select(Assignment).where(Assignment.key == key))


def assignments_in_courses(session: Session, course_ids: Iterable[int]) -> list[Assignment]:
    """Assignments of the given courses, by key."""
    ids = list(course_ids)
    if not ids:
        return []
    return list(session.scalars(select(Assignment).where(Assignment.course_id.in_(ids)).order_by(Assignment.key)))


def current_version(session: Session, assignment_id: int) -> AssignmentVersion | None:
    """The version new submissions are graded against."""
    stmt = (
        select(AssignmentVersion)
        .where(AssignmentVersion.assignment_id == assignment_id, AssignmentVersion.is_current.is_(True))
        .order_by(AssignmentVersion.id.desc())
    )
    return session.scalars(stmt).first()


def version_by_hash(session: Session, assignment_id: int, content_hash: str) -> AssignmentVersion | None:
    return session.scalar(
        select(AssignmentVersion).where(
            AssignmentVersion.assignment_id == assignment_id, AssignmentVersion.content_hash == content_hash
        )
    )


def make_current(session: Session, version: AssignmentVersion) -> None:
    """Mark ``version`` current and every other version of its assignment not current."""
    session.execute(
        update(AssignmentVersion)
        .where(AssignmentVersion.assignment_id == version.assignment_id, AssignmentVersion.id != version.id)
        .values(is_current=False)
        .execution_options(synchronize_session="fetch")
    )
    version.is_current = True
