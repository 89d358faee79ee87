"""Queries behind ``grader.lms``: outbox rows (webhook deliveries, score posts), inbound replay
protection, LTI platforms, links and launch states, the tool's keys. ``grader.lms`` calls these
so it never imports SQLAlchemy itself."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence, TypeVar

from sqlalchemy import ColumnElement, Engine, delete, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.db.models.lms import (
    InboundMessage, InboundWebhookSecret, LtiContext, LtiDeployment, LtiLaunchLink, LtiLaunchState, LtiMember,
    LtiPlatform,
    LtiResourceLink, LtiToolKey, LtiUserLink, ScorePost, WebhookDelivery, WebhookEndpoint,
)
from grader.db.base import utcnow
from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, GradingResult, Submission, User

T = TypeVar("T", WebhookDelivery, ScorePost)


def insert_once(session: Session, row: object) -> bool:
    """Add ``row`` in a savepoint; False (and nothing added) when a unique key already holds it."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
        return True
    except IntegrityError:
        return False


# --- tool keys ---------------------------------------------------------------------------------

def active_tool_keys(session: Session, *, now: datetime | None = None) -> list[LtiToolKey]:
    """Keys still published (active, not past ``retire_at``), oldest first."""
    now = now or utcnow()
    return list(session.scalars(select(LtiToolKey).where(
        LtiToolKey.active.is_(True), or_(LtiToolKey.retire_at.is_(None), LtiToolKey.retire_at > now))
        .order_by(LtiToolKey.created_at, LtiToolKey.id)))


def add_tool_key(session: Session, *, kid: str, private_key_pem: str) -> None:
    """Store a new key in its own committed transaction: a platform may fetch our JWKS (from
    another process) before the caller's transaction ends, and must find the key there."""
    bind = session.get_bind()
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            conn.execute(insert(LtiToolKey).values(kid=kid, private_key_pem=private_key_pem, active=True,
                                                   created_at=utcnow()))
    else:  # a session bound to one connection (tests): nothing else can commit for it
        insert_once(session, LtiToolKey(kid=kid, private_key_pem=private_key_pem))


# --- grading facts ------------------------------------------------------------------------------

def submission(session: Session, submission_id: int) -> Submission | None:
    return session.get(Submission, submission_id, populate_existing=True)


def current_results(session: Session, submission_id: int) -> list[GradingResult]:
    return list(session.scalars(select(GradingResult).where(
        GradingResult.submission_id == submission_id, GradingResult.is_current.is_(True)
    ).order_by(GradingResult.id)))


def assignment_of(sub: Submission) -> Assignment:
    return sub.assignment_version.assignment


def has_newer_submission(session: Session, sub: Submission) -> bool:
    """Whether the same student submitted to the same assignment (any version) after ``sub``."""
    versions = select(AssignmentVersion.id).where(
        AssignmentVersion.assignment_id == sub.assignment_version.assignment_id)
    return session.scalar(select(Submission.id).where(
        Submission.user_id == sub.user_id, Submission.id > sub.id,
        Submission.assignment_version_id.in_(versions)).limit(1)) is not None


def course_has_lms(course_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """True when the course has something to notify after a grade: an LTI platform serving it (one it
    registered, or one of an LMS context mapped to it: ``platforms_serving_course``) or an active
    webhook endpoint (``endpoints_for``). An SQL expression, so the grading save reads it in the
    statement it already makes (no cache to invalidate)."""
    return or_(exists().where(LtiPlatform.course_id == course_id),
               exists().where(LtiContext.course_id == course_id, LtiContext.platform_id.is_not(None)),
               exists().where(WebhookEndpoint.course_id == course_id, WebhookEndpoint.active.is_(True)))


# --- outbound webhooks -------------------------------------------------------------------------

def endpoints_for(session: Session, course_id: int) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.course_id == course_id, WebhookEndpoint.active.is_(True)
    ).order_by(WebhookEndpoint.id)))


def locked(session: Session, model: type[T], row_id: int) -> T | None:
    """The row, locked for this transaction (skipped when another worker holds it)."""
    stmt = select(model).where(model.id == row_id).with_for_update(skip_locked=True)
    return session.scalar(stmt)


def due_ids(session: Session, model: type[T], *, now: datetime, limit: int = 500) -> list[int]:
    """Pending rows whose next attempt time has come (or was never set)."""
    stmt = (select(model.id).where(model.status == "pending",
                                   or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now))
            .order_by(model.id).limit(limit))
    return list(session.scalars(stmt))


def disable_endpoint(session: Session, endpoint_id: int, reason: str) -> None:
    session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
                    .values(active=False, disabled_reason=reason[:300])
                    .execution_options(synchronize_session="fetch"))


def deliveries_of_course(session: Session, course_id: int, *, limit: int = 100) -> list[WebhookDelivery]:
    stmt = (select(WebhookDelivery).join(WebhookEndpoint)
            .where(WebhookEndpoint.course_id == course_id)
            .order_by(WebhookDelivery.id.desc()).limit(limit))
    return list(session.scalars(stmt))


# --- inbound -----------------------------------------------------------------------------------

def course_by_ref(session: Session, ref: str | int) -> Course | None:
    """A course by id (an int or digits) or by key."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return session.get(Course, int(ref))
    return session.scalar(select(Course).where(Course.key == str(ref)))


def inbound_secrets(session: Session, course_id: int) -> list[str]:
    """The course's secrets that still verify: active and not past a rotation's overlap window."""
    return list(session.scalars(select(InboundWebhookSecret.secret).where(
        InboundWebhookSecret.course_id == course_id, InboundWebhookSecret.active.is_(True),
        or_(InboundWebhookSecret.expires_at.is_(None), InboundWebhookSecret.expires_at > utcnow()))))


def inbound_message(session: Session, course_id: int, webhook_id: str) -> InboundMessage | None:
    return session.scalar(select(InboundMessage).where(
        InboundMessage.course_id == course_id, InboundMessage.webhook_id == webhook_id))


def enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    return session.scalar(select(Enrollment).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course_id))


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this address, compared case-insensitively (emails are stored lower-case)."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def assignment_by_key(session: Session, key: str) -> Assignment | None:
    return session.scalar(select(Assignment).where(Assignment.key == key))


# --- LTI -----------------------------------------------------------------------------------------

def platforms_of_course(session: Session, course_id: int) -> list[LtiPlatform]:
    return list(session.scalars(select(LtiPlatform).where(LtiPlatform.course_id == course_id)
                                .order_by(LtiPlatform.id)))


def platforms_serving_course(session: Session, course_id: int) -> list[LtiPlatform]:
    """The platforms the course registered and those whose LMS contexts are mapped to it (a course
    made by an instructor's first launch from a context has no registration of its own)."""
    mapped = select(LtiContext.platform_id).where(LtiContext.course_id == course_id,
                                                  LtiContext.platform_id.is_not(None))
    return list(session.scalars(select(LtiPlatform).where(
        or_(LtiPlatform.course_id == course_id, LtiPlatform.id.in_(mapped))).order_by(LtiPlatform.id)))


def platforms_by_issuer(session: Session, issuer: str, client_id: str | None = None) -> list[LtiPlatform]:
    stmt = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        stmt = stmt.where(LtiPlatform.client_id == client_id)
    return list(session.scalars(stmt.order_by(LtiPlatform.id)))


def user_link(session: Session, issuer: str, sub: str) -> LtiUserLink | None:
    return session.scalar(select(LtiUserLink).where(LtiUserLink.issuer == issuer, LtiUserLink.sub == sub))


def user_links_of(session: Session, user_id: int, issuers: Sequence[str]) -> list[LtiUserLink]:
    if not issuers:
        return []
    return list(session.scalars(select(LtiUserLink).where(
        LtiUserLink.user_id == user_id, LtiUserLink.issuer.in_(list(issuers))).order_by(LtiUserLink.id)))


def resource_link(session: Session, platform_id: int, resource_link_id: str, *, deployment_id: str = "",
                  context_id: str = "") -> LtiResourceLink | None:
    return session.scalar(select(LtiResourceLink).where(
        LtiResourceLink.platform_id == platform_id, LtiResourceLink.deployment_id == deployment_id,
        LtiResourceLink.context_id == context_id, LtiResourceLink.resource_link_id == resource_link_id))


def launch_link(session: Session, platform_id: int, user_id: int, assignment_id: int) -> LtiLaunchLink | None:
    """Through which link (and with which line item) the student last launched the assignment."""
    return session.scalar(select(LtiLaunchLink).where(
        LtiLaunchLink.platform_id == platform_id, LtiLaunchLink.user_id == user_id,
        LtiLaunchLink.assignment_id == assignment_id))


def launch_links_of_assignment(session: Session, assignment_id: int) -> list[LtiLaunchLink]:
    return list(session.scalars(select(LtiLaunchLink).where(LtiLaunchLink.assignment_id == assignment_id)
                                .order_by(LtiLaunchLink.id)))


def take_launch_state(session: Session, state: str, *, now: datetime) -> LtiLaunchState | None:
    """Mark an unused, unexpired state used and return it; None when it cannot be used."""
    stmt = (update(LtiLaunchState)
            .where(LtiLaunchState.state == state, LtiLaunchState.used_at.is_(None),
                   LtiLaunchState.expires_at > now)
            .values(used_at=now).returning(LtiLaunchState.id)
            .execution_options(synchronize_session=False))
    row_id = session.execute(stmt).scalar_one_or_none()
    return session.get(LtiLaunchState, row_id) if row_id is not None else None


def launch_state(session: Session, state: str, *, now: datetime) -> LtiLaunchState | None:
    """An unused, unexpired state (left usable: the launch takes it)."""
    return session.scalars(select(LtiLaunchState).where(
        LtiLaunchState.state == state, LtiLaunchState.used_at.is_(None), LtiLaunchState.expires_at > now)).first()


def delete_launch_states(session: Session, *, expired_before: datetime) -> int:
    """Forget login states that expired before ``expired_before``; how many."""
    result = session.execute(delete(LtiLaunchState).where(LtiLaunchState.expires_at < expired_before)
                             .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


# --- passback status ----------------------------------------------------------------------------

def students_of_course(session: Session, course_id: int) -> list[User]:
    return list(session.scalars(select(User).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.course_id == course_id, Enrollment.role == "student").order_by(User.display_name, User.id)))


def latest_score_posts(session: Session, assignment_id: int) -> dict[int, ScorePost]:
    """Each student's newest score post for the assignment, by user id."""
    versions = select(AssignmentVersion.id).where(AssignmentVersion.assignment_id == assignment_id)
    rows = session.execute(select(Submission.user_id, ScorePost).join(Submission, ScorePost.submission_id == Submission.id)
                           .where(Submission.assignment_version_id.in_(versions)).order_by(ScorePost.id))
    return {user_id: post for user_id, post in rows}


# --- deployments and contexts ---------------------------------------------------------------------

def deployments_of(session: Session, platform_id: int) -> list[str]:
    """The deployment ids a registration accepts (none listed: every deployment)."""
    return list(session.scalars(select(LtiDeployment.deployment_id).where(LtiDeployment.platform_id == platform_id)
                                .order_by(LtiDeployment.id)))


def courses_listing_deployment(session: Session, issuer: str, deployment_id: str) -> set[int]:
    """The courses whose registrations of ``issuer`` list ``deployment_id``."""
    listed = select(LtiDeployment.platform_id).where(LtiDeployment.deployment_id == deployment_id)
    return set(session.scalars(select(LtiPlatform.course_id).where(
        LtiPlatform.issuer == issuer,
        or_(LtiPlatform.id.in_(listed), LtiPlatform.deployment_id == deployment_id))))


def lti_context(session: Session, issuer: str, deployment_id: str, context_id: str) -> LtiContext | None:
    return session.scalar(select(LtiContext).where(
        LtiContext.issuer == issuer, LtiContext.deployment_id == deployment_id, LtiContext.context_id == context_id))


def contexts_of_course(session: Session, course_id: int) -> list[LtiContext]:
    return list(session.scalars(select(LtiContext).where(LtiContext.course_id == course_id).order_by(LtiContext.id)))


def courses_with_roster_service(session: Session) -> list[int]:
    """Ids of the courses with an LMS context whose launches named an NRPS roster URL."""
    return list(session.scalars(select(LtiContext.course_id).where(LtiContext.memberships_url.is_not(None))
                                .distinct().order_by(LtiContext.course_id)))


def course_by_key(session: Session, key: str) -> Course | None:
    return session.scalar(select(Course).where(Course.key == key))


def members_of_course(session: Session, course_id: int) -> list[tuple[LtiContext, LtiMember]]:
    """The roster rows of the course's LMS contexts (as last fetched)."""
    rows = session.execute(select(LtiContext, LtiMember).join(LtiMember, LtiMember.context_pk == LtiContext.id)
                           .where(LtiContext.course_id == course_id).order_by(LtiMember.name, LtiMember.sub))
    return [(c, m) for c, m in rows]


def replace_members(session: Session, context_pk: int, members: list[LtiMember]) -> None:
    session.execute(delete(LtiMember).where(LtiMember.context_pk == context_pk)
                    .execution_options(synchronize_session=False))
    session.add_all(members)
    session.flush()


def submitters(session: Session, assignment_id: int) -> set[int]:
    """Ids of the users who submitted the assignment (any version)."""
    versions = select(AssignmentVersion.id).where(AssignmentVersion.assignment_id == assignment_id)
    return set(session.scalars(select(Submission.user_id).where(Submission.assignment_version_id.in_(versions))))
