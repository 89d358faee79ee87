"""Courses from LMS contexts: a launch's (issuer, deployment, context id) names the course.

A context is mapped on the first instructor launch from it: an instructor who already teaches
grader courses chooses between a new course (titled after the LMS course, ``create_course``) and
one of those (``link_launch_context``); one who teaches none gets the new course at once. An
instructor of an existing course may also map it beforehand (``link_context``, for a platform that
course registered). A student launch from an unmapped context is refused with an explanation: it
never lands in another course. A launch without a context claim (the specification allows it)
belongs to the registration's own course.
"""

from __future__ import annotations

import hashlib
from typing import Any, Mapping

from grader.db.models import Course
from grader.db.models.lms import LtiContext, LtiPlatform
from grader.db.queries import lms as q
from grader.db.queries.users import roles_by_course
from grader.db.session import Session
from grader.services.catalog import STAFF_ROLES as STAFF
from grader.services.errors import Forbidden, InvalidRequest, NotFound

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NOT_SET_UP = ("This LMS course is not connected to the grader yet: your instructor must open the tool once "
              "from this course (or link it to a grader course) before students can use it.")


class UnmappedContext(Exception):
    """A student launched from an LMS course no instructor has connected yet."""


def context_of(claims: Mapping[str, Any]) -> dict[str, str]:
    """The launch's context claim as strings (``{}`` without one)."""
    context = claims.get(CLAIM + "context")
    if not isinstance(context, dict) or not context.get("id"):
        return {}
    return {k: str(context.get(k) or "")[:300] for k in ("id", "label", "title")}


def mapped_course(session: Session, platform: LtiPlatform, claims: Mapping[str, Any], *, staff: bool
                  ) -> int | None:
    """The id of the course the launch's context is mapped to; None for an instructor's launch
    from a context not mapped yet; UnmappedContext for a student's."""
    context = context_of(claims)
    if not context:
        return platform.course_id
    mapped = q.lti_context(session, platform.issuer, _deployment(claims), context["id"])
    if mapped is not None:
        _remember_services(mapped, platform, claims)
        return mapped.course_id
    if not staff:
        raise UnmappedContext(NOT_SET_UP)
    return None


def _deployment(claims: Mapping[str, Any]) -> str:
    return str(claims.get(CLAIM + "deployment_id") or "")


def create_course(session: Session, platform: LtiPlatform, claims: Mapping[str, Any]) -> int:
    """A new course for the launch's context, titled after the LMS course, and the mapping to it
    (a concurrent first launch's course when it was quicker)."""
    context, deployment = context_of(claims), _deployment(claims)
    digest = hashlib.sha256(f"{platform.issuer}\0{deployment}\0{context['id']}".encode()).hexdigest()[:16]
    title = context["title"] or context["label"] or "LMS course"
    course = q.course_by_key(session, f"lti-{digest}")
    if course is None:
        course = Course(key=f"lti-{digest}", title=title[:200])
        if not q.insert_once(session, course):  # a concurrent first launch made it
            course = q.course_by_key(session, f"lti-{digest}")
            assert course is not None
    return _map(session, platform, claims, course.id)


def linkable_courses(session: Session, user_id: int) -> list[Course]:
    """The courses ``user_id`` teaches (where an LMS course they launched from may be linked)."""
    ids = [cid for cid, role in roles_by_course(session, user_id).items() if role in STAFF]
    courses = [c for c in (session.get(Course, cid) for cid in ids) if c is not None]
    return sorted(courses, key=lambda c: (c.title.lower(), c.key))


def link_launch_context(session: Session, platform: LtiPlatform, claims: Mapping[str, Any], user_id: int,
                        course_id: int) -> int:
    """Map the launch's context to ``course_id``, which ``user_id`` must teach; the id of the course
    it is mapped to (another one when a concurrent choice was quicker)."""
    if not context_of(claims):
        raise InvalidRequest("this launch names no LMS course to link")
    enrolment = q.enrollment(session, user_id, course_id)
    if enrolment is None or enrolment.role not in STAFF:
        raise Forbidden("you can link the LMS course only to a course you teach")
    return _map(session, platform, claims, course_id)


def _map(session: Session, platform: LtiPlatform, claims: Mapping[str, Any], course_id: int) -> int:
    context, deployment = context_of(claims), _deployment(claims)
    row = LtiContext(issuer=platform.issuer, deployment_id=deployment, context_id=context["id"],
                     course_id=course_id, title=context["title"] or context["label"] or "LMS course")
    _remember_services(row, platform, claims)
    if not q.insert_once(session, row):
        existing = q.lti_context(session, platform.issuer, deployment, context["id"])
        assert existing is not None
        return existing.course_id
    return course_id


def _remember_services(row: LtiContext, platform: LtiPlatform, claims: Mapping[str, Any]) -> None:
    """Keep the context's NRPS and AGS container URLs from the newest launch that named them."""
    nrps = claims.get(NRPS_CLAIM)
    ags = claims.get(AGS_CLAIM)
    memberships = nrps.get("context_memberships_url") if isinstance(nrps, dict) else None
    lineitems = ags.get("lineitems") if isinstance(ags, dict) else None
    if isinstance(memberships, str) and memberships.startswith(("https://", "http://")):
        row.memberships_url = memberships[:2000]
    if isinstance(lineitems, str) and lineitems.startswith(("https://", "http://")):
        row.lineitems_url = lineitems[:2000]
    if isinstance(ags, dict):  # line item management needs the lineitem scope granted here
        scopes = ags.get("scope")
        row.ags_scopes = [s[:200] for s in scopes if isinstance(s, str)][:20] if isinstance(scopes, list) else []
    row.platform_id = platform.id


def context_view(row: LtiContext) -> dict[str, Any]:
    return {"id": row.id, "issuer": row.issuer, "deployment_id": row.deployment_id, "context_id": row.context_id,
            "title": row.title, "course": row.course.key}


def list_contexts(session: Session, course: Course) -> list[dict[str, Any]]:
    return [context_view(r) for r in q.contexts_of_course(session, course.id)]


def link_context(session: Session, course: Course, body: dict[str, Any]) -> dict[str, Any]:
    """Map an LMS context to ``course`` (the caller teaches it) for a platform the course registered."""
    platform_id, context_id = body.get("platform_id"), body.get("context_id")
    deployment_id = body.get("deployment_id")
    platform = session.get(LtiPlatform, platform_id) if isinstance(platform_id, int) else None
    if platform is None or platform.course_id != course.id:
        raise InvalidRequest('"platform_id" must name an LTI platform this course registered')
    if not isinstance(context_id, str) or not context_id or len(context_id) > 255:
        raise InvalidRequest('"context_id" is required (the LMS course\'s context id, up to 255 characters)')
    if not isinstance(deployment_id, str) or not deployment_id or len(deployment_id) > 200:
        raise InvalidRequest('"deployment_id" is required')
    accepted = q.deployments_of(session, platform.id)
    if accepted and deployment_id not in accepted:
        raise InvalidRequest(f'"deployment_id" is not a deployment of this platform ({", ".join(accepted)})')
    if q.courses_listing_deployment(session, platform.issuer, deployment_id) - {course.id}:
        # launches find a context by (issuer, deployment, context) whichever registration signed them:
        # a mapping made here would catch the launches of another course's LMS courses
        raise InvalidRequest(f'deployment "{deployment_id}" belongs to another course\'s LTI registration: '
                             "its instructors connect its LMS courses", status=409)
    if q.lti_context(session, platform.issuer, deployment_id, context_id) is not None:
        raise InvalidRequest("this LMS context is already connected to a course", status=409)
    row = LtiContext(issuer=platform.issuer, deployment_id=deployment_id, context_id=context_id,
                     course_id=course.id, title=str(body.get("title") or "")[:300])
    session.add(row)
    session.flush()
    return context_view(row)


def unlink_context(session: Session, course: Course, context_pk: int) -> None:
    """Forget a mapping of this course (the next instructor launch from it makes a new course)."""
    row = session.get(LtiContext, context_pk)
    if row is None or row.course_id != course.id:
        raise NotFound(f"LTI context {context_pk} not found")
    session.delete(row)
    session.flush()
