"""Per-student variants: the course's secret seed, and an instructor's override of one student's
values (drawn values themselves are never stored: they are recomputed from the seed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grader.db.base import Base, utcnow


class CourseVariantSeed(Base):
    """The seed every variant of a course is drawn from (made once, at the first draw)."""

    __tablename__ = "course_variant_seed"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    seed: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VariantOverride(Base):
    """Values an instructor set for one student on one assignment (``Variant.to_json`` form)."""

    __tablename__ = "variant_override"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
