"""Users, courses, enrolments and tokens."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from grader.db.base import utcnow
from grader.db.models import ApiToken, Course, Enrollment, User


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this email (compared case-insensitively on the stored lower-case form)."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_token_sha256(session: Session, digest: str) -> User | None:
    """The active owner of an unrevoked, unexpired token with this SHA-256."""
    stmt = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_sha256 == digest, ApiToken.revoked_at.is_(None), User.is_active.is_(True),
               or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()))
    )
    return session.scalar(stmt)


def course_by_key(session: Session, key: str) -> Course | None:
    return session.scalar(select(Course).where(Course.key == key))


def default_course(session: Session) -> Course | None:
    """The course marked default, else the only course when there is exactly one."""
    course = session.scalar(select(Course).where(Course.is_default.is_(True)).order_by(Course.id))
    if course is not None:
        return course
    courses = session.scalars(select(Course).limit(2)).all()
    return courses[0] if len(courses) == 1 else None


def has_flagged_default(session: Session) -> bool:
    """Whether some course is explicitly marked default."""
    return session.scalar(select(Course.id).where(Course.is_default.is_(True)).limit(1)) is not None


def make_default_course(session: Session, course: Course) -> None:
    """Mark ``course`` the one default course."""
    session.execute(
        update(Course).where(Course.id != course.id, Course.is_default.is_(True)).values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )
    course.is_default = True
    session.flush()


def enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    return session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
    )


def role_in_course(session: Session, user_id: int, course_id: int) -> str | None:
    """``student``, ``instructor``, ``admin`` or None when not enrolled."""
    return session.scalar(
        select(Enrollment.role).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
    )


def roles_by_course(session: Session, user_id: int) -> dict[int, str]:
    """course id -> role for every course the user is enrolled in."""
    rows = session.execute(select(Enrollment.course_id, Enrollment.role).where(Enrollment.user_id == user_id))
    return {course_id: role for course_id, role in rows}


def students_of_course(session: Session, course_id: int) -> list[User]:
    """Every student enrolled in the course, by email."""
    stmt = (
        select(User)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == course_id, Enrollment.role == "student")
        .order_by(User.email)
    )
    return list(session.scalars(stmt))

