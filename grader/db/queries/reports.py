"""Aggregates for instructors: per-question statistics over current results."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from grader.db.models import AssignmentVersion, GradingResult, Submission
from grader.verdicts import QuestionVerdict


@dataclass(frozen=True)
class QuestionStats:
    """Counts over the current results of one question."""

    question_id: str
    count: int
    correct: int
    invalid: int
    unanswered: int
    mean_points: float
    max_points: float


def question_stats(session: Session, assignment_id: int) -> list[QuestionStats]:
    """One row per question id that has current results, over every submission of the assignment."""
    stmt = (
        select(
            GradingResult.question_id,
            func.count(GradingResult.id),
            func.sum(case((GradingResult.verdict == QuestionVerdict.CORRECT.value, 1), else_=0)),
            func.sum(case((GradingResult.verdict == QuestionVerdict.INVALID.value, 1), else_=0)),
            func.sum(case((GradingResult.verdict == QuestionVerdict.UNANSWERED.value, 1), else_=0)),
            func.avg(GradingResult.points),
            func.max(GradingResult.max_points),
        )
        .join(Submission, GradingResult.submission_id == Submission.id)
        .join(AssignmentVersion, Submission.assignment_version_id == AssignmentVersion.id)
        .where(AssignmentVersion.assignment_id == assignment_id, GradingResult.is_current.is_(True))
        .group_by(GradingResult.question_id)
        .order_by(GradingResult.question_id)
    )
    return [
        QuestionStats(
            question_id=qid,
            count=int(count),
            correct=int(correct or 0),
            invalid=int(invalid or 0),
            unanswered=int(unanswered or 0),
            mean_points=float(mean or 0.0),
            max_points=float(max_points or 0.0),
        )
        for qid, count, correct, invalid, unanswered, mean, max_points in session.execute(stmt)
    ]
