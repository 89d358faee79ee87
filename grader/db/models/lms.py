"""LMS tables: outbound webhook endpoints and deliveries, inbound secrets and message ids,
LTI 1.3 platforms, user and resource links, launch states (nonces), the tool's key and score posts.

Every row an attempt changes keeps its history in counters (attempts, last status, last error),
so instructors can see what happened and a sweeper can find what is still due.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grader.db.base import Base, utcnow
from grader.db.encrypted import EncryptedText
from grader.db.models import Assignment, Course, User

OUTBOX_STATUSES = ("pending", "delivered", "failed", "disabled")


class WebhookEndpoint(Base):
    """A URL an instructor registered to receive a course's events, signed with ``secret``."""

    __tablename__ = "lms_webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(EncryptedText)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()


class WebhookDelivery(Base):
    """One event for one endpoint. ``event_id`` is the stable ``webhook-id`` of every attempt;
    ``payload`` is the exact body sent each time; ``dedupe_key`` stops a second row for the same
    grading (a grading task run twice)."""

    __tablename__ = "lms_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "dedupe_key"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed', 'disabled')", name="status"),
        Index("ix_lms_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("lms_webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()


class InboundWebhookSecret(Base):
    """A course's shared secret for webhooks the LMS sends us (several active during rotation)."""

    __tablename__ = "lms_inbound_secret"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    secret: Mapped[str] = mapped_column(EncryptedText)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]  # set when a rotation gives the LMS time to switch


class InboundMessage(Base):
    """A ``webhook-id`` already accepted for a course (replay protection) and what it created."""

    __tablename__ = "lms_inbound_message"
    __table_args__ = (UniqueConstraint("course_id", "webhook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    webhook_id: Mapped[str] = mapped_column(String(200))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiPlatform(Base):
    """An LTI 1.3 platform registration for a course (what the LMS administrator gave us)."""

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    deployment_id: Mapped[str | None] = mapped_column(String(200))
    auth_login_url: Mapped[str] = mapped_column(String(2000))
    token_url: Mapped[str] = mapped_column(String(2000))
    jwks_url: Mapped[str | None] = mapped_column(String(2000))
    public_key_pem: Mapped[str | None] = mapped_column(Text)
    lineitem_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()


class LtiDeployment(Base):
    """A deployment a registration accepts launches from (one LMS client id serves many: Canvas
    uses one developer key for every course and account). A registration without any accepts
    every deployment its platform signs for."""

    __tablename__ = "lti_deployment"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiContext(Base):
    """The course an LMS context (a course there) is mapped to, per (issuer, deployment, context):
    created on the first instructor launch or linked by an instructor of an existing course."""

    __tablename__ = "lti_context"
    __table_args__ = (UniqueConstraint("issuer", "deployment_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    deployment_id: Mapped[str] = mapped_column(String(200))
    context_id: Mapped[str] = mapped_column(String(255))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    memberships_url: Mapped[str | None] = mapped_column(String(2000))  # NRPS, from the latest launch
    lineitems_url: Mapped[str | None] = mapped_column(String(2000))  # AGS line items container
    ags_scopes: Mapped[list[str] | None] = mapped_column(JSON)  # AGS scopes the newest launch granted
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("lti_platform.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()


class LtiMember(Base):
    """A person of an LMS course roster (Names and Role Provisioning), as last fetched."""

    __tablename__ = "lti_member"
    __table_args__ = (UniqueConstraint("context_pk", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("lti_context.id", ondelete="CASCADE"), index=True)
    sub: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200), default="")
    is_learner: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="Active")
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiUserLink(Base):
    """Our user for a platform's (issuer, sub); ``sub`` is the LTI ``userId`` in score posts."""

    __tablename__ = "lti_user_link"
    __table_args__ = (UniqueConstraint("issuer", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class LtiResourceLink(Base):
    """A platform's resource link in one deployment and context, mapped to an assignment, with the
    line item its launches' AGS claim named (None: the launch had no AGS claim, so no passback)."""

    __tablename__ = "lti_resource_link"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id", "context_id", "resource_link_id",
                                       name="uq_lti_resource_link_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(200), default="")
    context_id: Mapped[str] = mapped_column(String(255), default="")
    resource_link_id: Mapped[str] = mapped_column(String(255))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    lineitem_url: Mapped[str | None] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()
    assignment: Mapped[Assignment] = relationship()


class LtiLaunchLink(Base):
    """The resource link through which a student last launched an assignment from a platform and
    the line item that launch's AGS claim named: the student's scores go there (never to another
    link's line item); a launch without the claim leaves ``lineitem_url`` None and scores unposted."""

    __tablename__ = "lti_launch_link"
    __table_args__ = (UniqueConstraint("platform_id", "user_id", "assignment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    resource_link_pk: Mapped[int] = mapped_column(ForeignKey("lti_resource_link.id", ondelete="CASCADE"))
    lineitem_url: Mapped[str | None] = mapped_column(String(2000))  # that launch's AGS claim; None: no passback
    launched_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource_link: Mapped[LtiResourceLink] = relationship()


class LtiLaunchState(Base):
    """An OIDC login's ``state`` and ``nonce``: single use (``used_at``) and short-lived."""

    __tablename__ = "lti_launch_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(100), unique=True)
    nonce: Mapped[str] = mapped_column(String(100), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LtiToolKey(Base):
    """The tool's RS256 key pairs; the public halves are served as JWKS. The newest active key
    signs; after a rotation the older ones stay published until ``retire_at`` (the overlap)."""

    __tablename__ = "lti_tool_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(100), unique=True)
    private_key_pem: Mapped[str] = mapped_column(EncryptedText)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retire_at: Mapped[datetime | None]  # after a rotation: published until then, never signs again


class ScorePost(Base):
    """One AGS score for one student's line item. ``payload`` (with its timestamp fixed when the
    grade was produced) is sent unchanged on every retry."""

    __tablename__ = "lti_score_post"
    __table_args__ = (
        UniqueConstraint("lineitem_url", "dedupe_key"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed', 'disabled')", name="status"),
        Index("ix_lti_score_post_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    lineitem_url: Mapped[str] = mapped_column(String(2000))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()


__all__ = [
    "OUTBOX_STATUSES", "InboundMessage", "InboundWebhookSecret", "LtiContext", "LtiDeployment", "LtiLaunchLink",
    "LtiLaunchState", "LtiMember", "LtiPlatform", "LtiResourceLink", "LtiToolKey", "LtiUserLink", "ScorePost", "WebhookDelivery",
    "WebhookEndpoint",
]
