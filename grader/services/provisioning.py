"""Administration use cases behind ``grader admin`` (and ``grader serve``'s embedded default)."""

from __future__ import annotations

import secrets
from pathlib import Path

from grader.db import Session
from grader.db.models import ROLES, Course, Enrollment, User
from grader.db.models.courses import normalize_email
from grader.db.queries import users as qu
from grader.services.auth import issue_token, set_password
from grader.services.catalog import ensure_default_course, load_assignments
from grader.services.errors import Conflict, InvalidRequest, NotFound

__all__ = ["alembic_config", "course_roles", "create_course", "create_user", "describe_roles", "ensure_demo_users",
           "load_assignments", "migrate", "roles_of_address"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_USERS = (("instructor@example.com", "instructor"), ("student@example.com", "student"))


def alembic_config(database_url: str | None = None) -> "object":
    """Alembic's Config for this repository (``alembic.ini`` at the root), aimed at ``database_url``."""
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.attributes["configure_logger"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    """``alembic upgrade head`` on ``database_url``, programmatically."""
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)  # type: ignore[arg-type]


def create_course(session: Session, key: str, title: str | None = None, *, default: bool = False) -> Course:
    """Create a course (or retitle an existing one); ``default`` makes it the only default."""
    key = key.strip()
    if not key or len(key) > 64 or not key.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise InvalidRequest(f"course key must be 1-64 letters, digits, '-', '_' or '.': {key!r}")
    course = qu.course_by_key(session, key)
    if course is None:
        course = Course(key=key, title=title or key)
        session.add(course)
    elif title:
        course.title = title
    session.flush()
    if default:
        qu.make_default_course(session, course)
    return course


def _course(session: Session, course_key: str | None) -> Course:
    if course_key is None:
        return ensure_default_course(session)
    course = qu.course_by_key(session, course_key)
    if course is None:
        raise NotFound(f"no course {course_key!r}")
    return course


def course_roles(session: Session, user: User) -> dict[str, str]:
    """``{course key: role}`` of every enrolment of ``user``."""
    session.flush()
    return {e.course.key: e.role for e in sorted(user.enrollments, key=lambda e: e.course.key)}


def roles_of_address(session: Session, email: str) -> dict[str, str] | None:
    """The course roles of the account with this address, None when there is none."""
    user = qu.user_by_email(session, email)
    return None if user is None else course_roles(session, user)


def create_user(
    session: Session,
    email: str,
    role: str,
    course_key: str | None = None,
    password: str | None = None,
    *,
    display_name: str | None = None,
    existing: bool = False,
) -> tuple[User, str]:
    """Create a user, enrol them with ``role`` and issue a new API token.

    An address that already has an account is refused (Conflict) unless ``existing`` says the
    administrator means that account: then its role in the course is set and the password
    replaced when given. Addresses compare case-insensitively. Returns the user and the token's
    plaintext (shown once).
    """
    email = normalize_email(email)
    if role not in ROLES:
        raise InvalidRequest(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise InvalidRequest(f"not an email address: {email!r}")
    course = _course(session, course_key)
    user = qu.user_by_email(session, email)
    if user is not None and not existing:
        raise Conflict(
            f"{email} already has an account (#{user.id}, roles {describe_roles(course_roles(session, user))}); "
            "pass --existing to change that account"
        )
    if user is None:
        user = User(email=email, display_name=display_name or email.split("@", 1)[0])
        session.add(user)
    elif display_name:
        user.display_name = display_name
    if password:
        set_password(user, password)
    session.flush()
    enrollment = qu.enrollment(session, user.id, course.id)
    if enrollment is None:
        session.add(Enrollment(user=user, course=course, role=role))
    else:
        enrollment.role = role
    session.flush()
    session.refresh(user, ["enrollments"])
    token = issue_token(session, user, label="created by grader admin")
    return user, token


def describe_roles(roles: dict[str, str]) -> str:
    """``instructor in c1, student in c2`` (or ``none``) for messages."""
    return ", ".join(f"{role} in {key}" for key, role in roles.items()) or "none"


def ensure_demo_users(session: Session) -> dict[str, dict[str, str]]:
    """A demo instructor and student in the default course, created on the first start only.

    Returns ``{role: {"email", "password", "token"}}`` for the users created now (for printing
    once); users that already exist are left alone, their credentials never shown again.
    """
    out: dict[str, dict[str, str]] = {}
    for email, role in DEMO_USERS:
        if qu.user_by_email(session, email) is not None:
            continue
        password = secrets.token_urlsafe(12)
        _user, token = create_user(session, email, role, password=password, display_name=f"Demo {role}")
        out[role] = {"email": email, "password": password, "token": token}
    return out
