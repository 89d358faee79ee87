"""The LMS outbox on the embedded default (a migrated SQLite file): notify, deliver, post, sweep."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.support.lti import launched
from grader.db.models.lms import LtiPlatform, LtiUserLink, ScorePost, WebhookDelivery, WebhookEndpoint
from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, GradingResult, Submission, User
from grader.db.session import make_session_factory, session_scope
from grader.services.lms import notify, outbox
from grader.lms_protocol.ags import TokenCache
from grader.lms_protocol.signatures import generate_secret, verify
from grader.lms_protocol.webhooks import Outcome


class FakeResponse:
    def __init__(self, status_code: int, body: Any = None) -> None:
        self.status_code, self._body = status_code, body

    def json(self) -> Any:
        return self._body


class FakeLms:
    """Answers every call; records webhook and score requests."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def post(self, url: str, **kwargs: Any) -> FakeResponse:
        self.calls.append((url, kwargs))
        if url.endswith("/token"):
            return FakeResponse(200, {"access_token": "tok", "expires_in": 3600})
        return FakeResponse(200)


@pytest.fixture
def factory(tmp_path: Path) -> Any:
    from grader.services.provisioning import migrate

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    migrate(url)
    return make_session_factory(url)


def test_the_outbox_works_on_sqlite(factory: Any) -> None:
    secret = generate_secret()
    with session_scope(factory) as s:
        course = Course(key="c", title="C")
        user = User(email="s@example.com")
        assignment = Assignment(key="hw", title="HW", course=course)
        version = AssignmentVersion(assignment=assignment, content_hash="h", source_text="", definition={})
        s.add_all([course, user, assignment, version, Enrollment(user=user, course=course, role="student")])
        s.flush()
        platform = LtiPlatform(course_id=course.id, issuer="https://lms.test", client_id="c1",
                               auth_login_url="https://lms.test/auth", token_url="https://lms.test/token",
                               jwks_url="https://lms.test/jwks")
        s.add_all([platform, LtiUserLink(issuer="https://lms.test", sub="u-1", user_id=user.id),
                   WebhookEndpoint(course_id=course.id, url="https://hooks.test/h", secret=secret, events=[])])
        s.flush()
        launched(s, platform_id=platform.id, user_id=user.id, assignment_id=assignment.id,
                 lineitem_url="https://lms.test/li/1")
        when = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc)
        sub = Submission(user_id=user.id, assignment_version_id=version.id, answers={"q": "1"}, status="graded",
                         graded_at=when)
        s.add(sub)
        s.flush()
        s.add(GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id="q",
                            verdict="correct", points=1.0, max_points=1.0, created_at=when))
        s.flush()
        deliveries, posts = notify.on_submission_graded(s, sub.id, regrade=False)
    with session_scope(factory) as s:
        assert notify.sweep_due(s) == (deliveries, posts)
    lms = FakeLms()
    with session_scope(factory) as s:  # one transaction per task, as in the worker
        assert outbox.deliver_webhook(s, deliveries[0], http=lms)[0] is Outcome.DELIVERED
    with session_scope(factory) as s:
        assert outbox.post_score(s, posts[0], http=lms, cache=TokenCache())[0] is Outcome.DELIVERED
    with session_scope(factory) as s:
        assert s.get(WebhookDelivery, deliveries[0]).status == "delivered"
        assert s.get(ScorePost, posts[0]).status == "delivered"
        assert notify.sweep_due(s) == ([], [])
    (hook_url, hook), (_, token), (score_url, score) = lms.calls
    assert hook_url == "https://hooks.test/h" and verify(secret, hook["headers"], hook["data"])
    assert json.loads(hook["data"])["data"]["student_lms_id"] == "u-1"
    assert score_url == "https://lms.test/li/1/scores" and score["json"]["timestamp"] == "2026-11-26T17:00:00.000+00:00"


def test_an_older_attempt_graded_later_posts_no_score(factory: Any) -> None:
    """A regrade grades every attempt again: only the latest one's score goes to the gradebook."""
    with session_scope(factory) as s:
        course = Course(key="c", title="C")
        user = User(email="s@example.com")
        assignment = Assignment(key="hw", title="HW", course=course)
        version = AssignmentVersion(assignment=assignment, content_hash="h", source_text="", definition={})
        s.add_all([course, user, assignment, version, Enrollment(user=user, course=course, role="student")])
        s.flush()
        platform = LtiPlatform(course_id=course.id, issuer="https://lms.test", client_id="c1",
                               auth_login_url="https://lms.test/auth", token_url="https://lms.test/token",
                               jwks_url="https://lms.test/jwks")
        s.add_all([platform, LtiUserLink(issuer="https://lms.test", sub="u-1", user_id=user.id)])
        s.flush()
        launched(s, platform_id=platform.id, user_id=user.id, assignment_id=assignment.id,
                 lineitem_url="https://lms.test/li/1")
        subs = []
        for points in (0.0, 1.0):
            sub = Submission(user_id=user.id, assignment_version_id=version.id, answers={"q": "1"},
                             status="graded", graded_at=datetime.now(timezone.utc))
            s.add(sub)
            s.flush()
            s.add(GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id="q",
                                verdict="correct" if points else "incorrect", points=points, max_points=1.0))
            s.flush()
            subs.append(sub.id)
        _, latest_posts = notify.on_submission_graded(s, subs[1], regrade=True)
        _, older_posts = notify.on_submission_graded(s, subs[0], regrade=True)
        assert len(latest_posts) == 1 and older_posts == []
        assert s.get(ScorePost, latest_posts[0]).payload["scoreGiven"] == 1.0
