"""Courses, users, their enrolments (a role per course) and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from grader.db.base import Base, utcnow


class Role(str, Enum):
    """A user's role in one course."""

    STUDENT = "student"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)


def normalize_email(email: str) -> str:
    """The stored form of an address: stripped and lower-cased, so lookups and the unique
    constraint are case-insensitive (``Ann@X.org`` and ``ann@x.org`` are one account)."""
    return email.strip().lower()


class Course(Base):
    """A course; ``key`` is the short name used on the command line (``--course KEY``)."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrollments: Mapped[list["Enrollment"]] = relationship(back_populates="course")


class User(Base):
    """A person; the password is optional (API-only users authenticate with tokens)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(default=True)
    # login cookies carry the epoch they were made in: raising it ends every session server-side
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrollments: Mapped[list["Enrollment"]] = relationship(back_populates="user")

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        return normalize_email(email)


class Enrollment(Base):
    """A user's membership of a course with a role."""

    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint("role IN ('student', 'instructor', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="enrollments")
    course: Mapped[Course] = relationship(back_populates="enrollments")


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (the plaintext is shown once, at creation)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
