"""The data behind the authorization matrix test: who is asking, which object each path parameter
names, what each request sends. Kept apart from the table of expected statuses."""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.db.models.lms import InboundWebhookSecret, LtiDeployment, LtiPlatform, WebhookDelivery, WebhookEndpoint
from grader.db.models import ApiToken, GradingResult, RegradeJob, Submission, User
from grader.lms_protocol.signatures import sign_headers

ROLES = ("anonymous", "student_a", "student_b", "instructor", "other_instructor", "lms")
WHO = {"student_a": "alice", "student_b": "bob", "instructor": "teacher", "other_instructor": "eve"}
SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3OA=="
# a parameterised assignment of course c1: the variants routes name it
VARIANTS_KEY = "assignment-4-variants"
VARIANTS_FILE = Path(__file__).resolve().parents[3] / "assignments" / f"{VARIANTS_KEY}.yaml"
DOCUMENT = "# Homework 1\n\n## q1\n\n$2x$\n"


@dataclass
class Ids:
    """The rows path parameters name (all belong to course c1 or to student A)."""

    submission: int
    result: int
    job: int
    delivery: int
    endpoint: int
    secret: int
    platform: int
    token: int
    student: int
    deployment: int = 0  # the platform's first of two deployments (the second keeps it deletable)


def seed(factory: Any) -> Ids:
    """A graded submission of alice's, a regrade job, an endpoint with a delivery, an inbound
    secret and a platform for c1, and c1's parameterised assignment (ids returned)."""
    from grader.db.models import AssignmentVersion, Course, CourseVariantSeed
    from tests.support.db import add_assignment

    with factory() as s:
        course = s.query(Course).filter_by(key="c1").one()
        alice = s.query(User).filter_by(email="alice@example.com").one()
        version = s.query(AssignmentVersion).one()
        sub = Submission(user_id=alice.id, assignment_version_id=version.id, answers={"q1": "2*x", "why": "because"},
                         source="api", status="graded")
        s.add(sub)
        s.flush()
        result = GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id="why",
                               verdict="needs_review", points=0.0, max_points=1.0)
        s.add_all([result, GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id="q1",
                                         verdict="correct", points=1.0, max_points=1.0)])
        s.flush()
        teacher = s.query(User).filter_by(email="teacher@example.com").one()
        job = RegradeJob(assignment_id=sub.assignment_version.assignment_id, requested_by_id=teacher.id,
                         total=0, done=0, status="done")
        endpoint = WebhookEndpoint(course_id=course.id, url="https://hooks.example.org/x", secret=SECRET,
                                   events=[], active=True)
        s.add_all([job, endpoint, InboundWebhookSecret(course_id=course.id, secret=SECRET, active=True),
                   LtiPlatform(course_id=course.id, issuer="https://lms.example.org", client_id="c-1",
                               auth_login_url="https://lms.example.org/a", token_url="https://lms.example.org/t",
                               jwks_url="https://lms.example.org/jwks")])
        s.flush()
        platform_id = s.query(LtiPlatform).one().id
        s.add_all([LtiDeployment(platform_id=platform_id, deployment_id=d) for d in ("dep-a", "dep-b")])
        s.flush()
        delivery = WebhookDelivery(endpoint_id=endpoint.id, submission_id=sub.id, event_id="msg_matrix",
                                   event_type="submission.graded", dedupe_key="k", payload="{}", status="failed")
        s.add(delivery)
        s.add(CourseVariantSeed(course_id=course.id, seed="the matrix's seed"))
        add_assignment(s, course, VARIANTS_FILE.read_text(encoding="utf-8"), source_path=VARIANTS_FILE.name)
        s.flush()
        ids = Ids(submission=sub.id, result=result.id, job=job.id, delivery=delivery.id, endpoint=endpoint.id,
                  secret=s.query(InboundWebhookSecret).one().id, platform=s.query(LtiPlatform).one().id,
                  token=s.query(ApiToken).filter_by(user_id=alice.id).order_by(ApiToken.id).first().id,
                  student=alice.id,
                  deployment=s.query(LtiDeployment).filter_by(deployment_id="dep-a").one().id)
        s.commit()
    return ids


def fill(path: str, ids: Ids) -> str:
    """The concrete URL of an OpenAPI-style path (``{name}``)."""
    values = {"course": "c1", "key": VARIANTS_KEY if "/variants/" in path else "hw1",
              "submission_id": ids.submission, "job_id": ids.job,
              "delivery_id": ids.delivery, "endpoint_id": ids.endpoint, "secret_id": ids.secret,
              "platform_id": ids.platform, "token_id": ids.token, "user_id": ids.student,
              "student_id": ids.student, "result_id": ids.result, "filename": "grader.js", "question_id": "q1",
              "invite": "not-an-invitation", "context_pk": 999999,
              "deployment_pk": ids.deployment}
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)


JSON_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/validate"): {"answer": "2*x"},
    ("POST", "/api/v1/assignments/{key}/submissions"): {"answers": {"q1": "2*x"}},
    ("POST", "/api/v1/assignments/{key}/regrade"): {},
    ("POST", "/api/v1/tokens"): {"label": "matrix"},
    ("POST", "/api/v1/lms/courses/{course}/webhooks"): {"url": "https://hooks.example.org/y"},
    ("POST", "/api/v1/lms/courses/{course}/inbound-secrets/rotate"): {"overlap_hours": 1},
    ("POST", "/api/v1/lms/courses/{course}/lti-platforms"): {
        "issuer": "https://lms.example.org", "client_id": "c-2", "auth_login_url": "https://lms.example.org/a",
        "token_url": "https://lms.example.org/t", "jwks_url": "https://lms.example.org/jwks"},
    ("PATCH", "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}"): {"client_id": "c-3"},
    ("POST", "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments"): {"deployment_id": "dep-c"},
    ("PATCH", "/api/v1/lms/courses/{course}/lti-platforms/{platform_id}/deployments/{deployment_pk}"): {
        "deployment_id": "dep-a2"},
    ("PUT", "/api/v1/lms/courses/{course}/lti-contexts/{context_pk}/lineitem"): {"label": "x"},
    ("POST", "/api/v1/assignments/{key}/documents"): {"document": DOCUMENT, "filename": "hw1.md"},
    ("PUT", "/api/v1/assignments/{key}/variants/{student_id}"): {"parameters": {"x0": 0.3, "w0": 0.5, "b0": 0.1}},
}
FORMS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/assignments/{key}/submit"): {"answer-q1": "2*x", "idempotency_key": "matrix"},
    ("POST", "/instructor/assignments/{key}/feedback"): {"question_id": "q1", "answer": "x", "feedback": "look again"},
    ("POST", "/instructor/assignments/{key}/regrade"): {},
    ("POST", "/instructor/courses/{course}/lms/roster-sync"): {"assignment": "hw1"},
    ("POST", "/instructor/courses/{course}/lms/contexts/{context_pk}/unlink"): {},
    ("POST", "/lti/context-choice"): {"course": "new"},
    ("POST", "/lti/continue"): {"t": "not-a-token"},
    ("POST", "/instructor/results/{result_id}/grade"): {"points": "1", "comment": "ok", "assignment": "hw1"},
    ("POST", "/login"): {"email": "alice@example.com", "password": "wrong"},
    ("POST", "/logout"): {},
    ("POST", "/assignments/{key}/document"): {},
}
# form fields that are file uploads: (file name, content), sent as multipart/form-data
FILES: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("POST", "/assignments/{key}/document"): {"document": ("hw1.md", DOCUMENT)},
}


def uploads(key: tuple[str, str]) -> dict[str, Any]:
    """The multipart file fields of a form (fresh streams for each request)."""
    return {name: (io.BytesIO(text.encode("utf-8")), filename) for name, (filename, text) in FILES.get(key, {}).items()}


def inbound_body() -> bytes:
    return json.dumps({"course": "c1", "assignment": "hw1", "student": {"email": "alice@example.com"},
                       "answers": {"q1": "2*x"}}).encode()


def signed(body: bytes) -> dict[str, str]:
    """The LMS role: Standard Webhooks headers signed with c1's inbound secret, no user credentials."""
    return {**sign_headers(SECRET, f"msg_{time.time_ns()}", body), "content-type": "application/json"}
