"""A worker's grading of a new submission in few round trips (``grader.services.grading``).

- ``claim_in_turn``: one UPDATE claims the submission only if no earlier submission of the same
  student is unfinished (``student_queue.earlier_unfinished``) and returns its answers, student and
  version; one SELECT adds the version's assignment and course and the feedback attached from the
  dashboard;
- ``version_source``: the version's text and definition, read once per content hash by the caller
  (a stored version's content never changes: a new text is a new version);
- ``save_in_turn``: one UPDATE marks the submission graded if the claim still holds and returns
  whether the course has an LMS to notify and the student's next queued submission; then the
  results are inserted in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from grader.db.models import Assignment, AssignmentVersion, Submission
from grader.db.models.instructor_input import AnticipatedErrorEntry
from grader.db.queries.grading import GRADED, GRADING, QUEUED, ResultRow, add_result_rows, flip_current
from grader.db.queries.hand_grade_carry import earlier_hand_grades_of
from grader.db.queries.hand_grades import CarryRule
from grader.db.queries.lms import course_has_lms
from grader.db.queries.student_queue import UNFINISHED


@dataclass(frozen=True)
class Claimed:
    """A won claim (``fence``) and what grading needs: the submission's columns from the claiming
    statement, the version's and the attached feedback from one more."""

    submission_id: int
    fence: int
    user_id: int
    answers: dict[str, Any]
    version_id: int
    content_hash: str
    source_path: str
    assignment_id: int
    assignment_key: str
    course_id: int
    # feedback attached from the dashboard: (question id, ((answer, feedback), ...)), by question id
    anticipated: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class Saved:
    """A save that won: whether the course has an LMS to notify."""

    has_lms: bool


_EARLIER = aliased(Submission)
# Built once (bound values by name): building an ORM statement costs more CPU than running it.
_CLAIM = (
    update(Submission)
    .where(
        Submission.id == bindparam("sid"),
        or_(Submission.status == QUEUED,
            and_(Submission.status == GRADING, Submission.lease_expires_at < bindparam("now"))),
        ~select(_EARLIER.id).where(_EARLIER.user_id == Submission.user_id, _EARLIER.id < Submission.id,
                                   _EARLIER.status.in_(UNFINISHED)).exists(),
    )
    .values(status=GRADING, lease_expires_at=bindparam("lease_until"),
            grading_attempts=Submission.grading_attempts + 1)
    .returning(Submission.grading_attempts, Submission.user_id, Submission.answers, Submission.assignment_version_id)
)
_FACTS = (
    select(AssignmentVersion.content_hash, AssignmentVersion.source_path, Assignment.id, Assignment.key,
           Assignment.course_id, AnticipatedErrorEntry.question_id, AnticipatedErrorEntry.answer,
           AnticipatedErrorEntry.feedback)
    .select_from(AssignmentVersion)
    .join(Assignment, Assignment.id == AssignmentVersion.assignment_id)
    .outerjoin(AnticipatedErrorEntry, and_(AnticipatedErrorEntry.assignment_id == Assignment.id,
                                           AnticipatedErrorEntry.is_active.is_(True)))
    .where(AssignmentVersion.id == bindparam("vid"))
    .order_by(AnticipatedErrorEntry.id)
)
_LATER = aliased(Submission)
_SAVE = (
    update(Submission)
    .where(Submission.id == bindparam("sid"), Submission.status == GRADING,
           Submission.grading_attempts == bindparam("fence"))
    .values(status=GRADED, graded_at=bindparam("graded_at"), lease_expires_at=None)
    .returning(course_has_lms(bindparam("course_id")))
)
_NEXT = select(func.min(_LATER.id)).where(_LATER.user_id == bindparam("uid"), _LATER.id > bindparam("sid"),
                                          _LATER.status == QUEUED)


def claim_in_turn(session: Session, submission_id: int, *, now: datetime, lease_s: float) -> Claimed | None:
    """Queued (or grading with an expired lease) -> grading, unless an earlier submission of the same
    student is queued or being graded (that one sends this one on when done); None when not claimed."""
    db = session.connection()
    row = db.execute(_CLAIM, {"sid": submission_id, "now": now,
                              "lease_until": now + timedelta(seconds=lease_s)}).first()
    if row is None:
        return None
    fence, user_id, answers, version_id = row
    facts = db.execute(_FACTS, {"vid": version_id}).all()
    first = facts[0]
    return Claimed(submission_id=submission_id, fence=fence, user_id=user_id, answers=dict(answers or {}),
                   version_id=version_id, content_hash=first[0], source_path=first[1] or "",
                   assignment_id=first[2], assignment_key=first[3], course_id=first[4],
                   anticipated=_by_question((f[5], f[6], f[7]) for f in facts if f[5] is not None))


def _by_question(entries: Iterable[tuple[str, str, str]]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(question id, answer, feedback) in order, as the hashable value ``GradingInput`` holds."""
    found: dict[str, list[tuple[str, str]]] = {}
    for qid, answer, feedback in entries:
        found.setdefault(qid, []).append((answer, feedback))
    return tuple((qid, tuple(pairs)) for qid, pairs in sorted(found.items()) if pairs)


def version_source(session: Session, version_id: int) -> tuple[str, dict[str, Any]]:
    """(source text, definition) of a stored version."""
    row = session.execute(select(AssignmentVersion.source_text, AssignmentVersion.definition)
                          .where(AssignmentVersion.id == version_id)).one()
    return row[0], dict(row[1] or {})


def save_in_turn(session: Session, claimed: Claimed, rows: list[ResultRow], *, grader_version: str,
                 now: datetime, carry: CarryRule) -> Saved | None:
    """Mark graded and insert the results, only if the claim still holds (else None, nothing written).
    Hand grades are carried as ``grading.save_graded`` does."""
    found = session.connection().execute(_SAVE, {
        "sid": claimed.submission_id, "fence": claimed.fence, "graded_at": now, "course_id": claimed.course_id,
        "uid": claimed.user_id}).first()
    if found is None:
        return None
    submission_id = claimed.submission_id
    kept = {**earlier_hand_grades_of(session, submission_id, user_id=claimed.user_id,
                                     assignment_id=claimed.assignment_id, answers=claimed.answers),
            **flip_current(session, submission_id)}
    add_result_rows(session, submission_id, claimed.version_id, rows, kept, grader_version=grader_version, now=now,
                    carry=carry)
    return Saved(has_lms=bool(found[0]))


def next_in_line(session: Session, user_id: int, after_id: int) -> int | None:
    """The student's next queued submission after ``after_id``. Asked after the save has committed:
    inside the save's own statement it missed a submission that came in while the save ran (that
    one's claim was refused, the earlier one still unfinished, and it waited a whole lease)."""
    found: int | None = session.connection().execute(_NEXT, {"uid": user_id, "sid": after_id}).scalar()
    return found
