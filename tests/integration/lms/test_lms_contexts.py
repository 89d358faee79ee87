"""Issue 14, problem 2: one LMS client id mapped to exactly one course and deployment. Registering
the same issuer and client id for another deployment answered 409, and the launch's context was
ignored (a launch from context ctx-2 enrolled the user into the registration's course)."""

from __future__ import annotations

import pytest
import requests

from lms_fixtures import AGS, SCORE_SCOPE, checked, graded_submission, launch, tool_client  # type: ignore[import-not-found]
from lms_standin import LTI  # type: ignore[import-not-found]
from grader.db.models import Course, Enrollment
from grader.db.models.lms import LtiUserLink, ScorePost
from grader.lms_protocol.ags import TokenCache
from grader.lms_protocol.webhooks import Outcome
from grader.services.lms import notify, outbox
from grader.services.lms.tool_keys import public_jwks

pytestmark = pytest.mark.integration
BASE = "/api/v1/lms/courses/c1"
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


@pytest.fixture
def app(settings, db_factory, queue, world, lms):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue,
                      blueprints=[("grader.api", True), ("grader.web.lms", True)])


def _register(app, world, lms, deployment: str):  # type: ignore[no-untyped-def]
    body = {"issuer": lms.issuer, "client_id": lms.client_id, "deployment_id": deployment,
            "auth_login_url": lms.auth_url, "token_url": lms.token_url, "jwks_url": lms.jwks_url}
    return app.test_client().post(f"{BASE}/lti-platforms", json=body, headers=world.auth("teacher"))


def _link(app, world, platform_id: int, deployment: str, context: str):  # type: ignore[no-untyped-def]
    body = {"platform_id": platform_id, "deployment_id": deployment, "context_id": context}
    return app.test_client().post(f"{BASE}/lti-contexts", json=body, headers=world.auth("teacher"))


def _courses_of(world, sub: str) -> set[str]:  # type: ignore[no-untyped-def]
    link = world.session.query(LtiUserLink).filter_by(sub=sub).one_or_none()
    if link is None:
        return set()
    return {e.course.key for e in world.session.query(Enrollment).filter_by(user_id=link.user_id)}


def _context(cid: str, title: str = "") -> dict:  # type: ignore[type-arg]
    return {LTI + "context": {"id": cid, "label": cid.upper(), "title": title or f"LMS course {cid}"}}


def test_a_student_from_an_unmapped_context_never_lands_in_the_registrations_course(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    assert _register(app, world, lms, lms.deployment_id).status_code == 201
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    response = launch(tool_client(app), lms, sub="stu-1", **_context("ctx-2"))
    assert response.status_code == 409
    assert "instructor must open the tool once" in response.get_data(as_text=True)
    assert _courses_of(world, "stu-1") == set()


def test_the_first_instructor_launch_creates_the_course_of_the_context(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    assert _register(app, world, lms, lms.deployment_id).status_code == 201
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    teacher = tool_client(app)
    response = checked(teacher, launch(teacher, lms, sub="prof-2", **{LTI + "roles": INSTRUCTOR},
                                       **_context("ctx-2", "Intro to ML")))
    assert response.status_code == 303 and response.headers["Location"].startswith("/lti/course/lti-")
    (course_key,) = _courses_of(world, "prof-2")
    assert course_key != "c1" and world.session.query(Course).filter_by(key=course_key).one().title == "Intro to ML"
    page = teacher.get(response.headers["Location"])
    assert page.status_code == 200 and course_key in page.get_data(as_text=True)
    # a student of that LMS course belongs to the new course, never to c1: hw1 is c1's, so refused
    refused = launch(tool_client(app), lms, sub="stu-2", **_context("ctx-2"))
    assert refused.status_code == 400 and "not mapped to an assignment" in refused.get_data(as_text=True)
    assert _courses_of(world, "stu-2") == set()


def test_an_instructor_links_a_context_to_an_existing_course(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    platform_id = _register(app, world, lms, lms.deployment_id).get_json()["id"]
    linked = _link(app, world, platform_id, lms.deployment_id, "ctx-1")
    assert linked.status_code == 201 and linked.get_json()["course"] == "c1"
    assert _link(app, world, platform_id, lms.deployment_id, "ctx-1").status_code == 409
    other = app.test_client().post("/api/v1/lms/courses/c2/lti-contexts", headers=world.auth("eve"),
                                   json={"platform_id": platform_id, "deployment_id": "dep-1", "context_id": "x"})
    assert other.status_code == 422  # c2 did not register that platform
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    assert launch(tool_client(app), lms, sub="stu-1", **_context("ctx-1")).status_code == 303
    assert _courses_of(world, "stu-1") == {"c1"}


def test_one_client_id_serves_two_deployments_and_scores_go_to_each_links_line_item(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    first = _register(app, world, lms, "dep-1")
    second = _register(app, world, lms, "dep-2")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json()["deployment_ids"] == ["dep-1", "dep-2"] and second.get_json()["id"] == first.get_json()["id"]
    assert _register(app, world, lms, "dep-2").status_code == 409  # nothing new
    platform_id = first.get_json()["id"]
    assert _link(app, world, platform_id, "dep-1", "ctx-A").status_code == 201
    assert _link(app, world, platform_id, "dep-2", "ctx-B").status_code == 201
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    for sub, deployment, context, link, item in (("stu-a", "dep-1", "ctx-A", "link-1", 1),
                                                  ("stu-b", "dep-2", "ctx-B", "link-1", 2)):
        claims = {LTI + "deployment_id": deployment, LTI + "resource_link": {"id": link},
                  AGS: {"lineitem": lms.lineitem(item), "scope": [SCORE_SCOPE]}, **_context(context)}
        assert launch(tool_client(app), lms, sub=sub, **claims).status_code == 303
        assert _courses_of(world, sub) == {"c1"}
    assert launch(tool_client(app), lms, sub="stu-x", **{LTI + "deployment_id": "dep-9"}).status_code == 401
    lms.tool_jwks = public_jwks(world.session)
    cache = TokenCache()
    for sub in ("stu-a", "stu-b"):
        world.users[sub] = world.session.query(LtiUserLink).filter_by(sub=sub).one().user
        _, (post_id,) = notify.on_submission_graded(world.session, graded_submission(world, sub).id, regrade=False)
        world.session.commit()
        assert outbox.post_score(world.session, post_id, http=requests.Session(), cache=cache,
                                 schedule=(0,) * 7)[0] is Outcome.DELIVERED
        world.session.commit()
    posted = sorted((s.json()["userId"], s.path) for s in lms.of("score"))
    assert posted == [("stu-a", "/lineitems/1/lineitem/scores"), ("stu-b", "/lineitems/2/lineitem/scores")]
    print(f"\nONE CLIENT ID {lms.client_id!r}, deployments {second.get_json()['deployment_ids']}:")
    for row in world.session.query(ScorePost).order_by(ScorePost.id):
        print(f"  score {row.payload['scoreGiven']}/{row.payload['scoreMaximum']} of {row.payload['userId']} "
              f"-> {row.lineitem_url} [{row.status}]")


def _course_made_from_ctx2(app, world, lms):  # type: ignore[no-untyped-def]
    """The platform registered by c1; an instructor's first launch from ctx-2 makes a new course with
    an assignment ml1; student stu-ml launches its link. Returns (course, version, student)."""
    from tests.support.db import add_assignment

    assert _register(app, world, lms, lms.deployment_id).status_code == 201
    lms.launch_claims = {}
    assert launch(tool_client(app), lms, sub="prof-2", **{LTI + "roles": INSTRUCTOR},
                  **_context("ctx-2", "Intro to ML")).status_code == 303
    (course_key,) = _courses_of(world, "prof-2")
    course = world.session.query(Course).filter_by(key=course_key).one()
    version = add_assignment(world.session, course, "id: ml1\ntitle: ML 1\nquestions:\n  - id: q1\n"
                             "    type: expression\n    points: 2\n    prompt: p\n    key: x\n")
    world.session.commit()
    claims = {LTI + "custom": {"assignment": "ml1"}, LTI + "resource_link": {"id": "ml-link"},
              AGS: {"lineitem": lms.lineitem(4), "scope": [SCORE_SCOPE]}, **_context("ctx-2")}
    assert launch(tool_client(app), lms, sub="stu-ml", **claims).status_code == 303
    student = world.session.query(LtiUserLink).filter_by(sub="stu-ml").one().user
    return course, version, student


def test_a_course_made_from_a_context_gets_its_students_scores(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The first instructor launch from ctx-2 makes a new course; the platform was registered by c1.
    Scores of that course's students were never posted: the graded hook looked only for platforms
    registered by the assignment's own course (found by tests/tools/lti_roundtrip_demo.py)."""
    from datetime import datetime, timezone

    from grader.db.models import GradingResult, Submission

    course, version, student = _course_made_from_ctx2(app, world, lms)
    sub = Submission(user_id=student.id, assignment_version_id=version.id, answers={"q1": "x"}, source="api",
                     status="graded", graded_at=datetime.now(timezone.utc))
    world.session.add(sub)
    world.session.flush()
    world.session.add(GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id="q1",
                                    verdict="correct", points=2.0, max_points=2.0))
    world.session.commit()
    _, posts = notify.on_submission_graded(world.session, sub.id, regrade=False)
    world.session.commit()
    assert len(posts) == 1, "no score post for a student of the course made from the context"
    post = world.session.get(ScorePost, posts[0])
    assert (post.lineitem_url, post.payload["userId"], post.payload["scoreGiven"]) == (lms.lineitem(4), "stu-ml", 2.0)


def test_the_inbound_webhook_finds_a_student_of_a_course_made_from_a_context_by_lms_id(app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """The inbound webhook looked up ``lms_id`` only through platforms the course registered itself, so
    a course made by a first launch from a context answered 404 for its own LTI students."""
    import json

    from grader.db.models import Submission
    from grader.db.models.lms import InboundWebhookSecret
    from grader.lms_protocol.signatures import generate_secret, sign_headers

    course, _, student = _course_made_from_ctx2(app, world, lms)
    secret = generate_secret()
    world.session.add(InboundWebhookSecret(course_id=course.id, secret=secret))
    world.session.commit()
    body = json.dumps({"course": course.key, "assignment": "ml1", "student": {"lms_id": "stu-ml"},
                       "answers": {"q1": "x"}}).encode()
    response = app.test_client().post("/api/v1/lms/submissions", data=body,
                                      headers={**sign_headers(secret, "msg_ctx2", body),
                                               "Content-Type": "application/json"})
    assert response.status_code == 202, response.get_json()
    assert world.session.get(Submission, response.get_json()["submission_id"]).user_id == student.id


def test_another_course_cannot_link_a_context_under_a_deployment_that_anothers_registration_lists(
        app, world, lms) -> None:  # type: ignore[no-untyped-def]
    """A second course could register the same issuer (another client id; its keys are public) with
    no deployment listed, link an LMS context under a deployment that c1's registration lists, and
    so catch the launches of that LMS course: its students landed in the second course."""
    assert _register(app, world, lms, lms.deployment_id).status_code == 201
    body = {"issuer": lms.issuer, "client_id": "another-client", "auth_login_url": lms.auth_url,
            "token_url": lms.token_url, "jwks_url": lms.jwks_url}
    theirs = app.test_client().post("/api/v1/lms/courses/c2/lti-platforms", json=body, headers=world.auth("eve"))
    assert theirs.status_code == 201, theirs.get_json()
    linked = app.test_client().post("/api/v1/lms/courses/c2/lti-contexts", headers=world.auth("eve"), json={
        "platform_id": theirs.get_json()["id"], "deployment_id": lms.deployment_id, "context_id": "ctx-9"})
    assert linked.status_code == 409, linked.get_json()
    assert "another course" in linked.get_json()["error"]
    lms.launch_claims = {LTI + "custom": {"assignment": "hw1"}}
    launch(tool_client(app), lms, sub="stu-9", **_context("ctx-9"))
    assert "c2" not in _courses_of(world, "stu-9")
