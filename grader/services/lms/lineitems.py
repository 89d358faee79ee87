"""An LMS course's line items (AGS gradebook columns) for its instructors: read, create, change, delete.

A call is made only when the newest launch from that LMS course granted the tool the scope it
needs (reading: ``lineitem`` or ``lineitem.readonly``; creating, changing, deleting: ``lineitem``),
and changes only to a line item the platform lists in that course's line items container (the
AGS claim's ``lineitems`` URL) on the container's own origin: a caller can never make the tool
send a request to a URL of their choosing (and ``grader.security.egress`` still applies to
every connection). After a delete, no score is posted to that line item again: pending posts are
``disabled`` with the reason, and the passback page says why for students whose launch named it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from grader.db.base import utcnow
from grader.db.models import Course
from grader.db.models.lms import LtiContext, LtiPlatform
from grader.db.models.lms_lineitems import LtiDeletedLineItem
from grader.db.queries import lms as q
from grader.db.queries import lms_manage as qm
from grader.db.session import Session
from grader.lms_protocol import ags_lineitems as agl
from grader.lms_protocol import lti_services as svc
from grader.services.errors import InvalidRequest, NotFound
from grader.services.lms.deep_link import choices
from grader.services.lms.roster import _auth, _cache, _context
from grader.services.lms.tool_keys import current_key

NO_SCOPES = ("no launch from this LMS course has said which grade services the LMS grants the tool yet: "
             "open the tool once from the LMS course, then try again")
NO_SCOPE = ("the LMS did not grant this tool line item management in this course (the launch's AGS scopes "
            "lack {scope}; it granted: {granted}): ask the LMS administrator to allow it")
DELETED = "not sent: the line item was deleted through the grader on {when}"


def _managed(session: Session, course: Course, context_pk: int, scopes: tuple[str, ...] = (svc.LINEITEM_SCOPE,)
             ) -> tuple[LtiContext, LtiPlatform, str]:
    """The context, its platform and line items container, when the newest launch from that LMS
    course granted one of ``scopes`` (403 when not, 409 when no launch has said)."""
    row, platform = _context(session, course, context_pk)
    accepted = q.deployments_of(session, platform.id)
    if accepted and row.deployment_id not in accepted:
        raise InvalidRequest(f"deployment {row.deployment_id!r} of this LMS course is no longer registered",
                             status=409)
    if not row.lineitems_url:
        raise InvalidRequest("the LMS did not offer line item management for this course", status=409)
    if row.ags_scopes is None:
        raise InvalidRequest(NO_SCOPES, status=409)
    if not set(scopes) & set(row.ags_scopes):
        raise InvalidRequest(NO_SCOPE.format(scope=" or ".join(scopes), granted=", ".join(row.ags_scopes) or "none"),
                             status=403)
    return row, platform, row.lineitems_url


def list_lineitems(session: Session, http: Any, course: Course, context_pk: int) -> list[dict[str, Any]]:
    """The LMS course's line items, read through AGS (with the narrowest scope that was granted)."""
    row, platform, container = _managed(session, course, context_pk, (svc.LINEITEM_SCOPE, svc.LINEITEM_READ_SCOPE))
    scope = svc.LINEITEM_SCOPE if svc.LINEITEM_SCOPE in (row.ags_scopes or ()) else svc.LINEITEM_READ_SCOPE
    try:
        return svc.lineitems(http, _auth(platform), current_key(session), _cache, container, scope=scope)
    except svc.ServiceCallError as exc:
        raise InvalidRequest(f"the LMS refused: {exc}", status=502) from None


def create_lineitem(session: Session, http: Any, course: Course, context_pk: int, assignment_key: Any,
                    ) -> dict[str, Any]:
    """Create a gradebook column for one of the course's assignments in the LMS course (AGS POST)."""
    _, platform, container = _managed(session, course, context_pk)
    chosen = next((c for c in choices(session, course.id) if c.key == assignment_key), None)
    if chosen is None:
        raise InvalidRequest('"assignment" must name an assignment of the course')
    try:
        return svc.create_lineitem(http, _auth(platform), current_key(session), _cache, container,
                                   label=chosen.title, score_maximum=chosen.max_points, resource_id=chosen.key,
                                   resource_link_id=None)
    except svc.ServiceCallError as exc:
        raise InvalidRequest(f"the LMS refused: {exc}", status=502) from None


def _listed(session: Session, http: Any, platform: LtiPlatform, container: str, url: Any) -> dict[str, Any]:
    """The platform's copy of line item ``url``, which must be listed in ``container``."""
    if not isinstance(url, str) or not url or len(url) > 2000:
        raise InvalidRequest('"id" (a query parameter) must be the URL of one of this LMS course\'s line items')
    if urlsplit(url)[:2] != urlsplit(container)[:2]:
        raise NotFound("no such line item in this LMS course: its URL is not on the line items service's site")
    try:
        items = svc.lineitems(http, _auth(platform), current_key(session), _cache, container)
    except svc.ServiceCallError as exc:
        raise InvalidRequest(f"the LMS refused: {exc}", status=502) from None
    found = next((i for i in items if i.get("id") == url), None)
    if found is None:
        raise NotFound("no such line item in this LMS course (the LMS does not list it among the course's "
                       "line items)")
    return found


def update_lineitem(session: Session, http: Any, course: Course, context_pk: int, url: Any,
                    changes: dict[str, Any]) -> dict[str, Any]:
    """Change a line item's label, maximum, resource id, tag or dates (AGS PUT); the platform's copy."""
    _, platform, container = _managed(session, course, context_pk)
    current = _listed(session, http, platform, container, url)
    try:
        item = agl.changed_lineitem(current, changes)
    except agl.LineItemError as exc:
        raise InvalidRequest(str(exc)) from None
    try:
        return agl.put_lineitem(http, _auth(platform), current_key(session), _cache, item)
    except svc.ServiceCallError as exc:
        raise InvalidRequest(f"the LMS refused: {exc}", status=502) from None


def delete_lineitem(session: Session, http: Any, course: Course, context_pk: int, url: Any) -> dict[str, Any]:
    """Delete a line item in the LMS (AGS DELETE) and stop every score post to it; what was done."""
    _, platform, container = _managed(session, course, context_pk)
    current = _listed(session, http, platform, container, url)
    try:
        agl.delete_lineitem(http, _auth(platform), current_key(session), _cache, str(url))
    except svc.ServiceCallError as exc:
        raise InvalidRequest(f"the LMS refused: {exc}", status=502) from None
    return forget_lineitem(session, platform, str(url), label=str(current.get("label") or ""))


def forget_lineitem(session: Session, platform: LtiPlatform, url: str, *, label: str = "") -> dict[str, Any]:
    """Record that a platform's line item is gone: pending posts to it are disabled, none is made again."""
    row = qm.deleted_lineitem(session, platform.id, url)
    if row is None:
        row = LtiDeletedLineItem(platform_id=platform.id, lineitem_url=url, label=label[:300])
        if not q.insert_once(session, row):
            row = qm.deleted_lineitem(session, platform.id, url) or row
    reason = DELETED.format(when=row.deleted_at.isoformat() if row.deleted_at else utcnow().isoformat())
    posts = qm.pending_score_posts(session, platform.id, {url})
    for post in posts:
        post.status, post.next_attempt_at, post.last_error = "disabled", None, reason
    session.flush()
    return {"deleted": url, "label": row.label, "students_affected": qm.launch_links_to(session, platform.id, url),
            "score_posts_disabled": len(posts)}

