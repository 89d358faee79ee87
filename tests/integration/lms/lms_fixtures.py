"""Helpers of the LMS integration tests: graded submissions, a registered platform and webhook
endpoint on the data fixtures' ``world`` (course c1, hw1, alice...)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from lms_standin import LmsStandIn

from grader.db.models.lms import LtiContext, LtiPlatform, LtiUserLink, WebhookEndpoint
from tests.support.lti import launched
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
        if lineitem:  # the student launched hw1 through link rl-1, whose AGS claim named line item 1
            db.flush()
            launched(db, platform_id=platform.id, user_id=world.users[who].id,
                     assignment_id=world.version.assignment_id, lineitem_url=lms.lineitem(1),
                     resource_link_id="rl-1", deployment_id=lms.deployment_id)
    db.flush()
    return platform


def linked_to_ctx1(world: Any, lms: LmsStandIn) -> LtiPlatform:
    """The stand-in registered by c1 (nobody launched yet) and its LMS course ctx-1 ("Calculus")
    mapped to c1; committed."""
    platform = add_platform(world, lms, lineitem=False, link_users=())
    world.session.add(LtiContext(issuer=lms.issuer, deployment_id=lms.deployment_id, context_id="ctx-1",
                                 course_id=world.version.assignment.course_id, title="Calculus",
                                 platform_id=platform.id))
    world.session.commit()
    return platform


M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
# the roster of ctx-1 as the stand-in's NRPS service gives it
ROSTER = [
    {"user_id": "stu-1", "name": "Ada Submitted", "roles": [M + "Learner"], "status": "Active"},
    {"user_id": "stu-2", "name": "Bo Never", "roles": [M + "Learner"], "status": "Active"},
    {"user_id": "prof", "name": "Prof", "roles": [M + "Instructor"], "status": "Active"},
    {"user_id": "stu-3", "name": "Cy Dropped", "roles": [M + "Learner"], "status": "Inactive"},
]
TOOL = "https://tool.test"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def tool_client(app: Any) -> Any:
    """A test client that talks to the tool over HTTPS (the LMS iframe's case)."""
    from flask.testing import FlaskClient

    class HttpsClient(FlaskClient):
        def open(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("base_url", TOOL)
            return super().open(*args, **kwargs)

    app.test_client_class = HttpsClient
    return app.test_client()


def launch(client: Any, lms: LmsStandIn, **claims: Any) -> Any:
    """One whole launch (login initiation, the platform's auth endpoint, the id_token posted back)
    with ``claims`` on top of the stand-in's; returns the tool's answer to the posted form."""
    import requests
    from urllib.parse import parse_qs, urlsplit

    from lms_standin import form_fields

    lms.tool_redirect_uri = TOOL + "/lti/launch"
    saved = dict(lms.launch_claims)
    lms.launch_claims.update(claims)
    try:
        response = client.get("/lti/login", query_string=lms.login_params())
        assert response.status_code == 302, response.get_data(as_text=True)
        assert parse_qs(urlsplit(response.headers["Location"]).query)["redirect_uri"] == [lms.tool_redirect_uri]
        page = requests.get(response.headers["Location"], timeout=5)
        assert page.status_code == 200, page.text
        return client.post("/lti/launch", data=form_fields(page.text))
    finally:
        lms.launch_claims = saved


def checked(client: Any, response: Any) -> Any:
    """Follow a finished launch's redirect to the cookie check (``/lti/launch/check``) with
    ``client``; returns the check's answer (303 to the landing page when the cookie came back)."""
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].startswith("/lti/launch/check?t="), response.headers["Location"]
    return client.get(response.headers["Location"])
