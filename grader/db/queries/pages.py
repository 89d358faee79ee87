"""Queries behind the pages: dashboard rows, a student's submissions, manual grades, attached errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grader.db.base import utcnow
from grader.db.models import AssignmentVersion, GradingResult, Submission, User
from grader.db.models.instructor_input import AnticipatedErrorEntry, ManualGrade


def assignment_rows(session: Session, assignment_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(submissions, current results) of an assignment as plain dicts, oldest submission first."""
    stmt = (
        select(Submission, User.email)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .join(User, Submission.user_id == User.id)
        .where(AssignmentVersion.assignment_id == assignment_id)
        .order_by(Submission.id)
    )
    subs = {s.id: (s, email) for s, email in session.execute(stmt)}
    results: dict[int, list[GradingResult]] = {sid: [] for sid in subs}
    if subs:
        rows = session.scalars(
            select(GradingResult)
            .join(Submission, GradingResult.submission_id == Submission.id)
            .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
            .where(AssignmentVersion.assignment_id == assignment_id, GradingResult.is_current.is_(True))
            .order_by(GradingResult.id)
        )
        for r in rows:
            results[r.submission_id].append(r)
    sub_rows, result_rows = [], []
    for sid, (s, email) in subs.items():
        mine = results[sid]
        graded = s.status == "graded" and bool(mine)
        sub_rows.append(dict(
            submission_id=sid, user_id=s.user_id, user_label=email, status=s.status, created_at=s.created_at,
            total=sum(r.points for r in mine) if graded else None,
            max_total=sum(r.max_points for r in mine) if graded else None,
        ))
        for r in mine:
            result_rows.append(dict(
                submission_id=sid, user_id=s.user_id, user_label=email, question_id=r.question_id,
                answer=(s.answers or {}).get(r.question_id), verdict=r.verdict, points=r.points,
                max_points=r.max_points, feedback=r.feedback, method=r.method, result_id=r.id,
            ))
    return sub_rows, result_rows


def submissions_of_user(session: Session, user_id: int, assignment_id: int) -> list[Submission]:
    """A user's submissions to an assignment (any version), newest first."""
    stmt = (
        select(Submission)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(Submission.user_id == user_id, AssignmentVersion.assignment_id == assignment_id)
        .order_by(Submission.id.desc())
    )
    return list(session.scalars(stmt))


def manual_grades_of(session: Session, submission_ids: list[int]) -> dict[int, ManualGrade]:
    """grading result id -> its manual grade, for these submissions."""
    if not submission_ids:
        return {}
    rows = session.scalars(select(ManualGrade).where(ManualGrade.submission_id.in_(submission_ids)))
    return {m.grading_result_id: m for m in rows}


def record_manual_grade(session: Session, result: GradingResult, *, grader_id: int, points: float,
                        comment: str, verdict: str) -> GradingResult:
    """A new current result with ``method = "manual"`` replacing ``result``; who graded is kept.
    The caller decides the ``verdict`` (``grader.verdicts.hand_graded_verdict``)."""
    # The submission's row lock first, as a regrade's save takes it (``queries.grading.save_regraded``):
    # the two serialise, and the later one sees the other's rows (else both stay current).
    session.execute(
        update(Submission).where(Submission.id == result.submission_id)
        .values(grading_attempts=Submission.grading_attempts)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(GradingResult)
        .where(GradingResult.submission_id == result.submission_id,
               GradingResult.question_id == result.question_id, GradingResult.is_current.is_(True))
        .values(is_current=False)
        .execution_options(synchronize_session="fetch")
    )
    row = GradingResult(
        submission_id=result.submission_id, assignment_version_id=result.assignment_version_id,
        question_id=result.question_id, verdict=verdict, points=points, max_points=result.max_points,
        feedback=comment, method="manual", grader_version="manual", duration_ms=0,
        created_at=utcnow(), is_current=True,
    )
    session.add(row)
    session.flush()
    session.add(ManualGrade(grading_result_id=row.id, submission_id=result.submission_id,
                            question_id=result.question_id, grader_id=grader_id, points=points,
                            comment=comment))
    session.flush()
    return row


def add_anticipated_error(session: Session, *, assignment_id: int, question_id: str, answer: str,
                          feedback: str, created_by_id: int | None) -> AnticipatedErrorEntry:
    """Attach feedback to a wrong answer; an older entry for the same answer text is retired."""
    session.execute(
        update(AnticipatedErrorEntry)
        .where(AnticipatedErrorEntry.assignment_id == assignment_id,
               AnticipatedErrorEntry.question_id == question_id, AnticipatedErrorEntry.answer == answer)
        .values(is_active=False)
        .execution_options(synchronize_session="fetch")
    )
    entry = AnticipatedErrorEntry(assignment_id=assignment_id, question_id=question_id, answer=answer,
                                  feedback=feedback, created_by_id=created_by_id, is_active=True)
    session.add(entry)
    session.flush()
    return entry


def anticipated_errors_for(session: Session, assignment_id: int) -> dict[str, list[tuple[str, str]]]:
    """question id -> [(answer, feedback)] attached from the dashboard (the grading hook reads this)."""
    rows = session.scalars(
        select(AnticipatedErrorEntry)
        .where(AnticipatedErrorEntry.assignment_id == assignment_id, AnticipatedErrorEntry.is_active.is_(True))
        .order_by(AnticipatedErrorEntry.id)
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for e in rows:
        out.setdefault(e.question_id, []).append((e.answer, e.feedback))
    return out
