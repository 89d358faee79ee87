"""The LMS course roster (Names and Role Provisioning), for instructors: who has not submitted yet.
(Line items, AGS, are ``grader.services.lms.lineitems``'s; it shares this module's helpers.)

Each call uses the context's service URLs from its newest launch and the platform's
client-credentials token; a platform that did not grant a service answers an error the
instructor sees (nothing is stored then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.db.models import Course
from grader.db.models.lms import LtiContext, LtiMember, LtiPlatform
from grader.db.queries import lms as q
from grader.db.session import Session
from grader.lms_protocol import lti_services as svc
from grader.lms_protocol.ags import PlatformAuth, TokenCache
from grader.lms_protocol.roles import course_role
from grader.services.errors import InvalidRequest, NotFound
from grader.services.lms.tool_keys import current_key

_cache = TokenCache()  # tokens are per (token URL, client id, scope): safe to share in the process


@dataclass(frozen=True)
class SyncResult:
    contexts: int
    members: int
    errors: tuple[str, ...]


def _auth(platform: LtiPlatform) -> PlatformAuth:
    return PlatformAuth(client_id=platform.client_id, token_url=platform.token_url)


def _context(session: Session, course: Course, context_pk: int) -> tuple[LtiContext, LtiPlatform]:
    row = session.get(LtiContext, context_pk)
    if row is None or row.course_id != course.id:
        raise NotFound(f"LTI context {context_pk} not found")
    platform = session.get(LtiPlatform, row.platform_id) if row.platform_id else None
    if platform is None:
        raise InvalidRequest("nobody has launched from this LMS course yet: its services are unknown", status=409)
    return row, platform


def sync_roster(session: Session, http: Any, course: Course) -> SyncResult:
    """Fetch the roster of every LMS context of the course that offers NRPS; store it."""
    contexts = members = 0
    errors = []
    for row in q.contexts_of_course(session, course.id):
        platform = session.get(LtiPlatform, row.platform_id) if row.platform_id else None
        if not row.memberships_url or platform is None:
            continue
        try:
            found = svc.memberships(http, _auth(platform), current_key(session), _cache, row.memberships_url)
        except svc.ServiceCallError as exc:
            errors.append(f"{row.title or row.context_id}: {exc}")
            continue
        q.replace_members(session, row.id, [
            LtiMember(context_pk=row.id, sub=m.user_id[:255], name=m.name, status=m.status[:20],
                      is_learner=course_role(list(m.roles)) == "student") for m in found])
        contexts, members = contexts + 1, members + len(found)
    return SyncResult(contexts, members, tuple(errors))


def not_submitted(session: Session, course_id: int, assignment_id: int) -> list[str]:
    """Names of the roster's active learners who have not submitted the assignment (by LMS account)."""
    done = q.submitters(session, assignment_id)
    out = []
    for context, member in q.members_of_course(session, course_id):
        if not member.is_learner or member.status != "Active":
            continue
        link = q.user_link(session, context.issuer, member.sub)
        if link is None or link.user_id not in done:
            out.append(member.name or member.sub)
    return out
