"""The course seed of per-student variants and instructors' overrides of one student's values."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.db.models import CourseVariantSeed, VariantOverride


def course_seed(session: Session, course_id: int) -> str:
    """The course's seed, made (32 random bytes, hex) at its first use: when a parameterised
    assignment is loaded into the course (``load_assignment_file``, whose transaction commits it).
    Made in a savepoint of the caller's transaction, never in a second connection (which would
    wait on the caller's own locks); of two sessions making it at once, both end with the one
    inserted first."""
    found = _seed(session, course_id)
    if found is not None:
        return found
    made = secrets.token_hex(32)
    try:
        with session.begin_nested():
            session.add(CourseVariantSeed(course_id=course_id, seed=made))
    except IntegrityError:
        pass  # another session inserted it first: read theirs
    return _seed(session, course_id) or made


def _seed(session: Session, course_id: int) -> str | None:
    return session.scalar(select(CourseVariantSeed.seed).where(CourseVariantSeed.course_id == course_id))


def override_of(session: Session, assignment_id: int, user_id: int) -> dict[str, Any] | None:
    """The values an instructor set for this student, or None."""
    return session.scalar(select(VariantOverride.values).where(
        VariantOverride.assignment_id == assignment_id, VariantOverride.user_id == user_id))


def set_override(session: Session, assignment_id: int, user_id: int, values: dict[str, Any],
                 *, set_by: int | None) -> None:
    """Store (or replace) the student's override."""
    clear_override(session, assignment_id, user_id)
    session.add(VariantOverride(assignment_id=assignment_id, user_id=user_id, values=values, set_by=set_by))
    session.flush()


def clear_override(session: Session, assignment_id: int, user_id: int) -> bool:
    """Remove the student's override (True when there was one)."""
    return session.execute(delete(VariantOverride).where(
        VariantOverride.assignment_id == assignment_id, VariantOverride.user_id == user_id)).rowcount > 0


def declares_parameters(definition: Any) -> bool:
    """Does a stored assignment definition have a ``parameters`` section anywhere?"""
    if not isinstance(definition, dict):
        return False
    questions = definition.get("questions")
    return "parameters" in definition or (isinstance(questions, list) and any(
        isinstance(q, dict) and "parameters" in q for q in questions))


def variant_inputs(session: Session, assignment: Any, user_id: int,
                   definition: Any) -> tuple[tuple[str, ...], str]:
    """What a student's variant is drawn from, for grading: ((course seed, assignment key,
    student id), the override as JSON text or ""); ((), "") for an assignment without parameters."""
    import json

    if not declares_parameters(definition):
        return (), ""
    seed = course_seed(session, assignment.course_id)
    override = override_of(session, assignment.id, user_id)
    return (seed, assignment.key, str(user_id)), "" if override is None else json.dumps(override, sort_keys=True)
