"""Hand grades carried to a student's later submissions whose answer did not change.

The rule (docs/grading.md): a question a student answers with the same text (``normalised``:
NFC, stripped, whitespace runs collapsed) as an earlier submission of theirs that an instructor
graded by hand gets that hand grade (points, comment, who graded) instead of the engine's row.
The newest such hand grade wins. A changed answer is graded as usual (free text waits in the
manual queue again) and the dashboard shows the earlier hand grade next to it.

Two directions, so neither order of events loses the grade:

- forward at save time: ``earlier_hand_grades`` is read when a submission's rows are inserted
  (first grading and every regrade, ``grading_queries._insert_results``);
- backward at hand-grading time: ``carry_to_later`` gives the new hand grade to the student's
  later submissions with the same answer whose row for the question is not a hand grade.

Both lock the submission row they write (as ``save_graded`` and ``record_manual_grade`` do), so a
hand grade racing the grading of a later submission is seen by whichever commits second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from grader.db.base import utcnow
from grader.db.queries.hand_grades import MANUAL, NEEDS_REVIEW, CarryRule, add_results
from grader.db.models import AssignmentVersion, GradingResult, Submission
from grader.db.models.instructor_input import ManualGrade
from grader.same_answer import normalised

HandGrades = dict[str, tuple[GradingResult, ManualGrade | None]]


@dataclass(frozen=True)
class EarlierGrade:
    """A hand grade on an earlier submission of the same student, shown next to a changed answer."""

    submission_id: int
    answer: Any
    points: float
    max_points: float
    comment: str


_HAND_GRADED_ROWS = (
    select(GradingResult, Submission.answers)
    .join(Submission, GradingResult.submission_id == Submission.id)
    .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
    .where(Submission.user_id == bindparam("uid"), AssignmentVersion.assignment_id == bindparam("aid"),
           GradingResult.is_current.is_(True), GradingResult.method == MANUAL,
           GradingResult.verdict != NEEDS_REVIEW)
    .order_by(Submission.id.desc(), GradingResult.id.desc())
)  # built once: it runs for every submission saved


def _hand_graded_rows(session: Session, user_id: int, assignment_id: int) -> list[tuple[GradingResult, dict]]:
    """(current hand-graded row, its submission's answers) of a student's submissions, newest first."""
    return [(r, answers or {}) for r, answers in session.execute(_HAND_GRADED_ROWS, {"uid": user_id,
                                                                                    "aid": assignment_id})]


def _records(session: Session, rows: list[GradingResult]) -> dict[int, ManualGrade]:
    if not rows:
        return {}
    return {m.grading_result_id: m for m in session.scalars(
        select(ManualGrade).where(ManualGrade.grading_result_id.in_([r.id for r in rows])))}


def earlier_hand_grades(session: Session, submission_id: int) -> HandGrades:
    """question id -> the newest hand grade of an earlier submission of the same student to the
    same assignment whose answer to that question is the same (normalised) as this one's."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        return {}
    return earlier_hand_grades_of(session, submission_id, user_id=sub.user_id,
                                  assignment_id=sub.assignment_version.assignment_id, answers=sub.answers or {})


def earlier_hand_grades_of(session: Session, submission_id: int, *, user_id: int, assignment_id: int,
                           answers: dict[str, Any]) -> HandGrades:
    """``earlier_hand_grades`` when the submission's student, assignment and answers are known
    (one query, and none more unless a hand grade is carried)."""
    found: dict[str, GradingResult] = {}
    for row, theirs in _hand_graded_rows(session, user_id, assignment_id):
        qid = row.question_id
        if row.submission_id >= submission_id or qid in found or qid not in answers:
            continue
        if normalised(theirs.get(qid)) == normalised(answers.get(qid)):
            found[qid] = row
    records = _records(session, list(found.values()))
    return {qid: (row, records.get(row.id)) for qid, row in found.items()}


def carry_to_later(session: Session, hand: GradingResult, *, carry: CarryRule) -> list[int]:
    """Give the hand grade ``hand`` (just recorded) to the student's later graded submissions with the
    same answer whose current row for the question is not a hand grade; their ids (to notify).
    ``carry`` decides points and verdict (``grader.services.hand_grades.carried_grade``)."""
    sub = session.get(Submission, hand.submission_id)
    if sub is None:
        return []
    answer = normalised((sub.answers or {}).get(hand.question_id))
    later = list(session.scalars(
        select(Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(Submission.user_id == sub.user_id, Submission.id > sub.id,
               AssignmentVersion.assignment_id == sub.assignment_version.assignment_id)
        .order_by(Submission.id)
    ))
    record = session.scalar(select(ManualGrade).where(ManualGrade.grading_result_id == hand.id))
    changed = []
    for sid in later:
        _lock(session, sid)
        other = session.get(Submission, sid, populate_existing=True)
        if other is None or normalised((other.answers or {}).get(hand.question_id)) != answer:
            continue
        current = session.scalar(
            select(GradingResult).where(GradingResult.submission_id == sid, GradingResult.is_current.is_(True),
                                        GradingResult.question_id == hand.question_id))
        if current is None or (current.method == MANUAL and current.verdict != NEEDS_REVIEW):
            continue  # not graded yet (its save carries it), or graded by hand on its own
        session.execute(
            update(GradingResult).where(GradingResult.id == current.id).values(is_current=False)
            .execution_options(synchronize_session=False))
        row = GradingResult(
            submission_id=sid, assignment_version_id=current.assignment_version_id, question_id=hand.question_id,
            verdict=current.verdict, points=current.points, max_points=current.max_points,
            feedback=current.feedback, method=current.method, grader_version=current.grader_version,
            duration_ms=0, created_at=utcnow(), is_current=True, regrade_job_id=current.regrade_job_id)
        add_results(session, {hand.question_id: (hand, record)}, [row], now=utcnow(), carry=carry,
                    regrade_job_id=current.regrade_job_id)
        changed.append(sid)
    return changed


def earlier_grades_by_student(session: Session, assignment_id: int) -> dict[tuple[int, str], list[EarlierGrade]]:
    """(user id, question id) -> hand grades of that student's submissions, newest first (the
    dashboard picks the newest one older than a waiting answer)."""
    rows = session.execute(
        select(GradingResult, Submission.answers, Submission.user_id)
        .join(Submission, GradingResult.submission_id == Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == assignment_id, GradingResult.is_current.is_(True),
               GradingResult.method == MANUAL, GradingResult.verdict != NEEDS_REVIEW)
        .order_by(Submission.id.desc())
    )
    out: dict[tuple[int, str], list[EarlierGrade]] = {}
    for r, answers, user_id in rows:
        out.setdefault((user_id, r.question_id), []).append(EarlierGrade(
            r.submission_id, (answers or {}).get(r.question_id), r.points, r.max_points, r.feedback or ""))
    return out


def _lock(session: Session, submission_id: int) -> None:
    """The submission's row lock (the write lock on SQLite), as a save or a hand grade takes it."""
    session.execute(
        update(Submission).where(Submission.id == submission_id)
        .values(grading_attempts=Submission.grading_attempts)
        .execution_options(synchronize_session=False))
