"""A course's registrations, listed for the instructors who manage them (grader.services.lms.manage),
their deployments and the line items deleted through AGS."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grader.db.models.lms import (
    InboundWebhookSecret, LtiContext, LtiDeployment, LtiLaunchLink, LtiPlatform, LtiResourceLink, ScorePost,
    WebhookEndpoint,
)
from grader.db.models.lms_lineitems import LtiDeletedLineItem


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


# --- deployments (grader.services.lms.deployments) ------------------------------------------------

def deployment_rows(session: Session, platform_id: int) -> list[LtiDeployment]:
    return list(session.scalars(select(LtiDeployment).where(LtiDeployment.platform_id == platform_id)
                                .order_by(LtiDeployment.id)))


def contexts_of_deployment(session: Session, issuer: str, deployment_id: str) -> list[LtiContext]:
    return list(session.scalars(select(LtiContext).where(LtiContext.issuer == issuer,
                                                         LtiContext.deployment_id == deployment_id)
                                .order_by(LtiContext.id)))


def resource_links_of_deployment(session: Session, platform_id: int, deployment_id: str) -> list[LtiResourceLink]:
    return list(session.scalars(select(LtiResourceLink).where(LtiResourceLink.platform_id == platform_id,
                                                              LtiResourceLink.deployment_id == deployment_id)
                                .order_by(LtiResourceLink.id)))


def lineitems_of_links(session: Session, link_pks: list[int]) -> set[str]:
    """The line items the links and their students' launches name."""
    if not link_pks:
        return set()
    found = set(session.scalars(select(LtiResourceLink.lineitem_url).where(LtiResourceLink.id.in_(link_pks))))
    found |= set(session.scalars(select(LtiLaunchLink.lineitem_url).where(LtiLaunchLink.resource_link_pk.in_(link_pks))))
    return {url for url in found if url}


def pending_score_posts(session: Session, platform_id: int, lineitem_urls: set[str]) -> list[ScorePost]:
    if not lineitem_urls:
        return []
    return list(session.scalars(select(ScorePost).where(
        ScorePost.platform_id == platform_id, ScorePost.status == "pending",
        ScorePost.lineitem_url.in_(sorted(lineitem_urls))).order_by(ScorePost.id)))


# --- deleted line items (grader.services.lms.lineitems) ------------------------------------------

def deleted_lineitem(session: Session, platform_id: int, lineitem_url: str) -> LtiDeletedLineItem | None:
    return session.scalar(select(LtiDeletedLineItem).where(LtiDeletedLineItem.platform_id == platform_id,
                                                           LtiDeletedLineItem.lineitem_url == lineitem_url))


def deleted_lineitems(session: Session, lineitem_urls: set[str]) -> dict[tuple[int, str], LtiDeletedLineItem]:
    """The deleted line items among ``lineitem_urls``, by (platform id, URL)."""
    if not lineitem_urls:
        return {}
    rows = session.scalars(select(LtiDeletedLineItem).where(LtiDeletedLineItem.lineitem_url.in_(sorted(lineitem_urls))))
    return {(r.platform_id, r.lineitem_url): r for r in rows}


def launch_links_to(session: Session, platform_id: int, lineitem_url: str) -> int:
    """How many students' launches name the line item (their scores would go there)."""
    return int(session.scalar(select(func.count(LtiLaunchLink.id)).where(
        LtiLaunchLink.platform_id == platform_id, LtiLaunchLink.lineitem_url == lineitem_url)) or 0)


def lineitems_of_other_deployments(session: Session, platform_id: int, deployment_id: str) -> set[str]:
    """The line items named by the platform's links (and launches) of every other deployment."""
    pks = list(session.scalars(select(LtiResourceLink.id).where(LtiResourceLink.platform_id == platform_id,
                                                                LtiResourceLink.deployment_id != deployment_id)))
    return lineitems_of_links(session, pks)
