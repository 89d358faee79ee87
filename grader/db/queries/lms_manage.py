"""A course's registrations, listed for the instructors who manage them (grader.services.lms.manage)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.db.models.lms import InboundWebhookSecret, LtiPlatform, WebhookEndpoint


def endpoints_of_course(session: Session, course_id: int) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.course_id == course_id)
                                .order_by(WebhookEndpoint.id)))


def secrets_of_course(session: Session, course_id: int, *, active_only: bool = False) -> list[InboundWebhookSecret]:
    stmt = select(InboundWebhookSecret).where(InboundWebhookSecret.course_id == course_id)
    if active_only:
        stmt = stmt.where(InboundWebhookSecret.active.is_(True))
    return list(session.scalars(stmt.order_by(InboundWebhookSecret.id)))


def platforms_of_course(session: Session, course_id: int) -> list[LtiPlatform]:
    return list(session.scalars(select(LtiPlatform).where(LtiPlatform.course_id == course_id)
                                .order_by(LtiPlatform.id)))
