"""A student's earlier LTI launch, as the launch stores it: the resource link and the line item
that launch's AGS claim named (where the student's scores go)."""

from __future__ import annotations

from typing import Any

from grader.db.models.lms import LtiLaunchLink, LtiResourceLink


def launched(session: Any, *, platform_id: int, user_id: int, assignment_id: int, lineitem_url: str | None,
             resource_link_id: str = "r", deployment_id: str = "", context_id: str = "") -> LtiLaunchLink:
    """Record that the user launched the assignment through ``resource_link_id`` (created if new)."""
    link = session.query(LtiResourceLink).filter_by(
        platform_id=platform_id, deployment_id=deployment_id, context_id=context_id,
        resource_link_id=resource_link_id).one_or_none()
    if link is None:
        link = LtiResourceLink(platform_id=platform_id, deployment_id=deployment_id, context_id=context_id,
                               resource_link_id=resource_link_id, assignment_id=assignment_id,
                               lineitem_url=lineitem_url)
        session.add(link)
        session.flush()
    row = LtiLaunchLink(platform_id=platform_id, user_id=user_id, assignment_id=assignment_id,
                        resource_link_pk=link.id, lineitem_url=lineitem_url)
    session.add(row)
    session.flush()
    return row
