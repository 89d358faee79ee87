"""Deep Linking: the instructor picks one of the course's assignments in the tool, the tool
answers the LMS with a signed ``LtiResourceLink`` content item (custom ``assignment`` and a
``lineItem``), and the LMS creates the link and its gradebook column."""

from __future__ import annotations

import time
from dataclasses import dataclass

from grader.db.models import User
from grader.db.models.lms import LtiPlatform
from grader.db.queries import assignments as qa
from grader.db.queries import lms as q
from grader.db.session import Session
from grader.lms_protocol import deep_linking as dl
from grader.services.catalog import assignment_definition
from grader.services.errors import Forbidden, InvalidRequest
from grader.services.lms.tool_keys import current_key


@dataclass(frozen=True)
class Choice:
    """An assignment the instructor can link."""

    key: str
    title: str
    max_points: float


def choices(session: Session, course_id: int) -> list[Choice]:
    """The course's assignments that have a current version, by title."""
    out = []
    for assignment in qa.assignments_in_courses(session, [course_id]):
        version = qa.current_version(session, assignment.id)
        if version is not None:
            out.append(Choice(assignment.key, assignment.title, float(assignment_definition(version).max_points)))
    return sorted(out, key=lambda c: (c.title, c.key))


def answer(session: Session, user: User, *, platform_id: int, deployment_id: str, course_id: int,
           settings: dl.DeepLinkSettings, assignment_key: str, launch_url: str) -> str:
    """The signed LtiDeepLinkingResponse JWT linking ``assignment_key`` (an assignment of the course)."""
    enrolment = q.enrollment(session, user.id, course_id)
    if enrolment is None or enrolment.role not in ("instructor", "admin"):
        raise Forbidden("only the course's instructors can add assignments to the LMS")
    platform = session.get(LtiPlatform, platform_id)
    chosen = next((c for c in choices(session, course_id) if c.key == assignment_key), None)
    if platform is None or chosen is None:
        raise InvalidRequest("pick one of the course's assignments")
    item = dl.resource_link_item(url=launch_url, title=chosen.title, assignment_key=chosen.key,
                                 score_maximum=chosen.max_points)
    claims = dl.response_claims(client_id=platform.client_id, issuer=platform.issuer, deployment_id=deployment_id,
                                settings=settings, items=[item], now=time.time())
    return current_key(session).sign(claims)
