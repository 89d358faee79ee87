"""The LMS course roster (Names and Role Provisioning), for instructors: who has not submitted yet.
(Line items, AGS, are ``grader.services.lms.lineitems``'s; it shares this module's helpers.)

Each call uses the context's service URLs from its newest launch and the platform's
client-credentials token; a platform that did not grant a service answers an error the
instructor sees (nothing is stored then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    no_service: tuple[str, ...] = ()  # LMS courses whose launches offered no roster (no NRPS claim)


@dataclass(frozen=True)
class ContextRoster:
    """One LMS course connected to a grader course, and its roster as last fetched."""

    id: int
    title: str
    context_id: str
    issuer: str
    deployment_id: str
    nrps: bool  # a launch named the roster service's URL
    members: int
    learners: int  # active learners
    synced_at: datetime | None  # None: never fetched (or the roster was empty)


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
    errors, no_service = [], []
    for row in q.contexts_of_course(session, course.id):
        platform = session.get(LtiPlatform, row.platform_id) if row.platform_id else None
        if not row.memberships_url or platform is None:
            no_service.append(row.title or row.context_id)
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
    return SyncResult(contexts, members, tuple(errors), tuple(no_service))


def sync_course_roster(session: Session, http: Any, course_id: int) -> SyncResult:
    """``sync_roster`` of a course by id (beat's scheduled sync); nothing for a course that is gone."""
    course = session.get(Course, course_id)
    return sync_roster(session, http, course) if course is not None else SyncResult(0, 0, ())


def courses_to_sync(session: Session) -> list[int]:
    """The courses whose LMS launches offered a roster (what the scheduled sync fetches)."""
    return q.courses_with_roster_service(session)


def roster_status(session: Session, course: Course) -> list[ContextRoster]:
    """The course's LMS courses: whether each offers a roster, how many members it had when last fetched."""
    counts: dict[int, list[Any]] = {}
    for context, member in q.members_of_course(session, course.id):
        entry = counts.setdefault(context.id, [0, 0, None])
        entry[0] += 1
        entry[1] += member.is_learner and member.status == "Active"
        entry[2] = member.synced_at if entry[2] is None else max(entry[2], member.synced_at)
    out = []
    for row in q.contexts_of_course(session, course.id):
        members, learners, synced_at = counts.get(row.id, [0, 0, None])
        out.append(ContextRoster(id=row.id, title=row.title or row.context_id, context_id=row.context_id,
                                 issuer=row.issuer, deployment_id=row.deployment_id,
                                 nrps=bool(row.memberships_url), members=members, learners=learners,
                                 synced_at=synced_at))
    return out


def not_submitted(session: Session, course_id: int, assignment_id: int) -> list[str]:
    """Names of the roster's active learners who have not submitted the assignment (by LMS account;
    once each, when several LMS courses of the grader course list them)."""
    done = q.submitters(session, assignment_id)
    out, seen = [], set()
    for context, member in q.members_of_course(session, course_id):
        if not member.is_learner or member.status != "Active" or (context.issuer, member.sub) in seen:
            continue
        seen.add((context.issuer, member.sub))
        link = q.user_link(session, context.issuer, member.sub)
        if link is None or link.user_id not in done:
            out.append(member.name or member.sub)
    return out
