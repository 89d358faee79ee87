"""Assignments and their versions (one per distinct file content)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grader.db.base import Base, utcnow
from grader.db.models.courses import Course


class Assignment(Base):
    """An assignment; ``key`` is the id written in its file, unique across the service."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    versions: Mapped[list["AssignmentVersion"]] = relationship(
        back_populates="assignment", order_by="AssignmentVersion.id"
    )


class AssignmentVersion(Base):
    """One content of an assignment file. A changed file is a new version; old ones stay.

    ``definition`` is the parsed file (enough to rebuild the assignment for grading);
    ``source_text`` is the raw YAML as read. Exactly one version per assignment is current.
    """

    __tablename__ = "assignment_version"
    __table_args__ = (UniqueConstraint("assignment_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_text: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_current: Mapped[bool] = mapped_column(default=True)

    assignment: Mapped[Assignment] = relationship(back_populates="versions")
