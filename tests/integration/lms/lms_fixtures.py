"""Helpers of the LMS integration tests: graded submissions, a registered platform and webhook
endpoint on the data fixtures' ``world`` (course c1, hw1, alice...)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from lms_standin import LmsStandIn

from grader.db.models.lms import LtiPlatform, LtiResourceLink, LtiUserLink, WebhookEndpoint
from grader.db.models import GradingResult, Submission


def graded_submission(world: Any, who: str = "alice", *, verdicts: tuple[str, str] = ("correct", "incorrect"),
                      when: datetime | None = None) -> Submission:
    """A graded submission of hw1 with two current results (q1 2 points, q2 1 point)."""
    db = world.session
    when = when or datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=1)
    sub = Submission(user_id=world.users[who].id, assignment_version_id=world.version.id,
                     answers={"q1": "2*p_i - 2*y_i", "q2": "w"}, source="api", status="graded", graded_at=when)
    db.add(sub)
    db.flush()
    points = {"correct": 1.0, "incorrect": 0.0, "needs_review": 0.0}
    for (qid, maximum), verdict in zip((("q1", 2.0), ("q2", 1.0)), verdicts):
        db.add(GradingResult(submission_id=sub.id, assignment_version_id=world.version.id, question_id=qid,
                             verdict=verdict, points=points[verdict] * maximum, max_points=maximum,
                             created_at=when))
    db.flush()
    return sub


def add_endpoint(world: Any, lms: LmsStandIn, *, path: str = "/webhook", events: list[str] | None = None
                 ) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(course_id=world.version.assignment.course_id, url=lms.url + path,
                               secret=lms.webhook_secret, events=events or [], active=True)
    world.session.add(endpoint)
    world.session.flush()
    return endpoint


def add_platform(world: Any, lms: LmsStandIn, *, lineitem: bool = True, link_users: tuple[str, ...] = ("alice",)
                 ) -> LtiPlatform:
    """The stand-in registered as c1's platform; ``link_users`` have launched once before."""
    db = world.session
    platform = LtiPlatform(course_id=world.version.assignment.course_id, issuer=lms.issuer, client_id=lms.client_id,
                           deployment_id=lms.deployment_id, auth_login_url=lms.auth_url, token_url=lms.token_url,
                           jwks_url=lms.jwks_url)
    db.add(platform)
    db.flush()
    for who in link_users:
        db.add(LtiUserLink(issuer=lms.issuer, sub=f"lms-{who}", user_id=world.users[who].id))
    if lineitem:
        db.add(LtiResourceLink(platform_id=platform.id, resource_link_id="rl-1",
                               assignment_id=world.version.assignment_id, lineitem_url=lms.lineitem(1)))
    db.flush()
    return platform
