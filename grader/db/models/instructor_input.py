"""Tables the instructor pages add: manual grades and anticipated errors attached from the dashboard.

A manual grade is recorded twice, on purpose: as a new *current* ``GradingResult`` row with
``method = "manual"`` (so totals, the API and the CSV gradebook include it with no special case)
and as a ``ManualGrade`` row saying who graded it, when, and with what comment.

An ``AnticipatedErrorEntry`` is a wrong answer an instructor attached feedback to from the
dashboard. Grading merges these with the anticipated errors of the assignment file (keyed by the
assignment, not its version, so they survive a changed file); a regrade applies them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from grader.db.base import Base, utcnow


class ManualGrade(Base):
    """Who gave a free-text (or any) answer its points by hand, and the comment."""

    __tablename__ = "manual_grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    grading_result_id: Mapped[int] = mapped_column(
        ForeignKey("grading_result.id", ondelete="CASCADE"), unique=True
    )
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    points: Mapped[float]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnticipatedErrorEntry(Base):
    """A known wrong answer of one question with the feedback to give (and optional credit)."""

    __tablename__ = "anticipated_error"
    __table_args__ = (Index("ix_anticipated_error_assignment_question", "assignment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=True)
