"""Submissions (immutable answers), grading results (never overwritten) and regrade jobs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grader.db.base import Base, utcnow
from grader.db.models.assignments import Assignment, AssignmentVersion
from grader.db.models.courses import User


class SubmissionStatus(str, Enum):
    """Where a submission is in grading."""

    QUEUED = "queued"
    GRADING = "grading"
    GRADED = "graded"


SOURCES = ("api", "web", "lms")


class Submission(Base):
    """One set of answers to one assignment version, as sent. ``answers`` never change."""

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        CheckConstraint("status IN ('queued', 'grading', 'graded')", name="status"),
        CheckConstraint("source IN ('api', 'web', 'lms')", name="source"),
        Index("ix_submission_status_lease", "status", "lease_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    assignment_version_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_version.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(8), default="api")
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.QUEUED.value)
    lease_expires_at: Mapped[datetime | None]
    grading_attempts: Mapped[int] = mapped_column(default=0)
    graded_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    assignment_version: Mapped[AssignmentVersion] = relationship()
    results: Mapped[list["GradingResult"]] = relationship(
        back_populates="submission", order_by="GradingResult.id"
    )


@event.listens_for(Submission, "before_update")
def _answers_are_immutable(_mapper: Any, _connection: Any, target: Submission) -> None:
    """Refuse to flush a change to a stored submission's answers."""
    if inspect(target).attrs.answers.history.has_changes():
        raise ValueError(f"submission {target.id}: answers are immutable")


class GradingResult(Base):
    """The grade of one question of one submission against one assignment version.

    Rows are never updated except ``is_current``: a regrade inserts new rows and flips the old
    ones to ``is_current = False`` in the same transaction.
    """

    __tablename__ = "grading_result"
    __table_args__ = (Index("ix_grading_result_submission_current", "submission_id", "is_current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    assignment_version_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_version.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(32))
    points: Mapped[float]
    max_points: Mapped[float]
    feedback: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(100), default="")
    grader_version: Mapped[str] = mapped_column(String(40), default="")
    duration_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_current: Mapped[bool] = mapped_column(default=True)
    # The regrade job that wrote the row (None: first grading or a hand grade): a job regrades a
    # submission at most once, and knows it did from these rows.
    regrade_job_id: Mapped[int | None] = mapped_column(ForeignKey("regrade_job.id", ondelete="SET NULL"))

    submission: Mapped[Submission] = relationship(back_populates="results")
    assignment_version: Mapped[AssignmentVersion] = relationship()


class RegradeJob(Base):
    """Progress of regrading every submission of an assignment (fanned out as tasks)."""

    __tablename__ = "regrade_job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    # The job's lease: pushed forward by every submission done; the regrade sweeper re-sends what
    # is left when it runs out (``sweeps`` times at most), then ends the job as failed.
    lease_expires_at: Mapped[datetime | None]
    sweeps: Mapped[int] = mapped_column(default=0)
    failed_submission_ids: Mapped[list[int] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
    requested_by: Mapped[User | None] = relationship()
