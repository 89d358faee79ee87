"""Hand grades survive a regrade: an instructor's result is carried over as the new current row.

A hand grade is a current ``grading_result`` with ``method = "manual"`` and a verdict other than
``needs_review`` (free text still waiting is ``manual`` + ``needs_review`` and is regraded as
usual). When new rows are inserted for a submission (``queries.grading``), a question with a hand
grade gets a copy of it instead of the engine's row: points and verdict as the services' rule
decides (``grader.services.hand_grades.carried_grade``, passed in as ``carry``), the same feedback
and method, and a copy of its ``manual_grade`` record (who graded, the comment), so totals, the
CSV, the LMS and the pages keep the instructor's grade.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable
from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.db.models import GradingResult
from grader.verdicts import QuestionVerdict
from grader.db.models.instructor_input import ManualGrade

MANUAL, NEEDS_REVIEW = "manual", QuestionVerdict.NEEDS_REVIEW
# (hand points, hand maximum, hand verdict, new maximum) -> (points, verdict): decided by services
CarryRule = Callable[[float, float, str, float], tuple[float, str]]


def current_hand_grades(session: Session, submission_id: int) -> dict[str, tuple[GradingResult, ManualGrade | None]]:
    """question id -> (its current hand-graded result, the record of who graded it)."""
    rows = list(session.scalars(
        select(GradingResult)
        .where(GradingResult.submission_id == submission_id, GradingResult.is_current.is_(True),
               GradingResult.method == MANUAL, GradingResult.verdict != NEEDS_REVIEW)
        .order_by(GradingResult.id)
    ))
    if not rows:
        return {}
    records = {m.grading_result_id: m for m in session.scalars(
        select(ManualGrade).where(ManualGrade.grading_result_id.in_([r.id for r in rows])))}
    return {r.question_id: (r, records.get(r.id)) for r in rows}


def hand_grades_by_id(session: Session, result_ids: list[int]) -> dict[str, tuple[GradingResult, ManualGrade | None]]:
    """question id -> (hand-graded result, the record of who graded it), for these result ids."""
    rows = list(session.scalars(select(GradingResult).where(GradingResult.id.in_(result_ids))
                                .order_by(GradingResult.id)))
    records = {m.grading_result_id: m for m in session.scalars(
        select(ManualGrade).where(ManualGrade.grading_result_id.in_([r.id for r in rows])))}
    return {r.question_id: (r, records.get(r.id)) for r in rows}


def carried_over(hand: GradingResult, *, submission_id: int, version_id: int, max_points: float,
                 now: datetime, carry: CarryRule) -> GradingResult:
    """A new current row of ``submission_id`` with the instructor's grade, for the version graded
    against (``hand`` may belong to an earlier submission with the same answer); points and verdict
    as ``carry`` decides (``grader.services.hand_grades.carried_grade``)."""
    points, verdict = carry(hand.points, hand.max_points, hand.verdict, max_points)
    return GradingResult(
        submission_id=submission_id, assignment_version_id=version_id, question_id=hand.question_id,
        verdict=verdict, points=points, max_points=max_points, feedback=hand.feedback, method=MANUAL,
        grader_version=hand.grader_version, duration_ms=0, created_at=now, is_current=True,
    )


def add_results(session: Session, kept: dict[str, tuple[GradingResult, ManualGrade | None]],
                rows: list[GradingResult], *, now: datetime, carry: CarryRule,
                regrade_job_id: int | None = None) -> None:
    """Add ``rows`` in order, each question in ``kept`` replaced by its carried-over hand grade
    (with a copy of its ``manual_grade`` record); every row is marked with the regrade job, if any."""
    out: list[GradingResult] = []
    records: list[tuple[ManualGrade, GradingResult]] = []
    for row in rows:
        found = kept.get(row.question_id)
        if found is not None:
            row = carried_over(found[0], submission_id=row.submission_id, version_id=row.assignment_version_id,
                               max_points=row.max_points, now=now, carry=carry)
            if found[1] is not None:
                records.append((found[1], row))
        row.regrade_job_id = regrade_job_id
        out.append(row)
    session.add_all(out)
    if records:
        session.flush()  # the carried rows' ids
        session.add_all(
            ManualGrade(grading_result_id=row.id, submission_id=row.submission_id, question_id=rec.question_id,
                        grader_id=rec.grader_id, points=row.points, comment=rec.comment, created_at=rec.created_at)
            for rec, row in records
        )
    for hand, _record in kept.values():
        session.expire(hand)  # flipped to not current by the caller's UPDATE
