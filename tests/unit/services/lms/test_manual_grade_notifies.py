"""A hand grade on the dashboard reaches the LMS: a new webhook delivery and AGS score post."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.support.lti import launched
from grader.db.models.lms import LtiPlatform, LtiUserLink, ScorePost, WebhookDelivery, WebhookEndpoint
from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, GradingResult, Submission, User
from grader.db.session import make_session_factory, session_scope
from grader.services.lms import notify
from grader.services import dispatch
from grader.services.dashboard_actions import grade_manually
from tests.support.fakes import FakeQueue

DEFINITION = {"questions": [{"id": "q1", "points": 2}, {"id": "q2", "type": "free_text", "points": 1},
                            {"id": "q3", "type": "free_text", "points": 1}]}


@pytest.fixture
def factory(tmp_path: Path) -> Any:
    from grader.services.provisioning import migrate

    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    migrate(url)
    return make_session_factory(url)


@pytest.fixture
def sent() -> FakeQueue:
    """What would be sent to the workers after a commit."""
    return FakeQueue()


def _world(factory: Any, review: tuple[str, ...] = ("q2",)) -> dict[str, int]:
    """A course with an LTI platform (line item, linked student) and a webhook endpoint; one graded
    submission whose ``review`` questions wait for an instructor; the first notification sent."""
    with session_scope(factory) as s:
        course = Course(key="c", title="C")
        student, teacher = User(email="s@example.com"), User(email="t@example.com")
        assignment = Assignment(key="hw", title="HW", course=course)
        version = AssignmentVersion(assignment=assignment, content_hash="h", source_text="", definition=DEFINITION)
        s.add_all([course, student, teacher, assignment, version,
                   Enrollment(user=student, course=course, role="student"),
                   Enrollment(user=teacher, course=course, role="instructor")])
        s.flush()
        platform = LtiPlatform(course_id=course.id, issuer="https://lms.test", client_id="c1",
                               auth_login_url="https://lms.test/auth", token_url="https://lms.test/token",
                               jwks_url="https://lms.test/jwks")
        s.add_all([platform, LtiUserLink(issuer="https://lms.test", sub="u-1", user_id=student.id),
                   WebhookEndpoint(course_id=course.id, url="https://hooks.test/h", secret="x" * 32, events=[])])
        s.flush()
        launched(s, platform_id=platform.id, user_id=student.id, assignment_id=assignment.id,
                 lineitem_url="https://lms.test/li/1")
        when = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc)
        sub = Submission(user_id=student.id, assignment_version_id=version.id, status="graded", graded_at=when,
                         answers={"q1": "2*p", "q2": "because", "q3": "so"})
        s.add(sub)
        s.flush()
        ids = {"submission": sub.id, "teacher": teacher.id}
        for qid, points in (("q1", 2.0), ("q2", 1.0), ("q3", 1.0)):
            waiting = qid in review
            row = GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id=qid,
                                verdict="needs_review" if waiting else "correct", points=0.0 if waiting else points,
                                max_points=points, method="manual" if waiting else "symbolic", created_at=when)
            s.add(row)
            s.flush()
            ids[qid] = row.id
        _, (first_post,) = notify.on_submission_graded(s, sub.id, regrade=False)
        assert s.get(ScorePost, first_post).payload["gradingProgress"] == "PendingManual"
    return ids


def _grade(factory: Any, ids: dict[str, int], qid: str, points: float, queue: FakeQueue | None = None) -> None:
    with factory() as s:
        grade_manually(s, s.get(User, ids["teacher"]), ids[qid], points=points, comment="well argued")
        dispatch.commit_and_send(s, queue)


def test_a_manual_grade_posts_the_new_score_fully_graded(factory: Any, sent: FakeQueue) -> None:
    ids = _world(factory)
    _grade(factory, ids, "q2", 1, sent)
    with session_scope(factory) as s:
        posts = s.query(ScorePost).order_by(ScorePost.id).all()
        deliveries = s.query(WebhookDelivery).order_by(WebhookDelivery.id).all()
        assert len(posts) == 2 and len(deliveries) == 2
        new_post, new_delivery = posts[-1], deliveries[-1]
        assert new_post.payload["gradingProgress"] == "FullyGraded"
        assert (new_post.payload["scoreGiven"], new_post.payload["scoreMaximum"]) == (4.0, 4.0)
        assert new_post.payload["userId"] == "u-1" and new_post.lineitem_url == "https://lms.test/li/1"
        assert new_delivery.event_type == "submission.regraded"
        assert json.loads(new_delivery.payload)["data"]["score"] == 4.0
        assert (sent.lms_deliveries, sent.score_posts) == ([new_delivery.id], [new_post.id])  # once committed


def test_while_another_answer_waits_the_score_is_pending_manual(factory: Any, sent: FakeQueue) -> None:
    ids = _world(factory, review=("q2", "q3"))
    _grade(factory, ids, "q2", 0.5)
    with session_scope(factory) as s:
        post = s.query(ScorePost).order_by(ScorePost.id.desc()).first()
        assert post.payload["gradingProgress"] == "PendingManual" and post.payload["scoreGiven"] == 2.5
    _grade(factory, ids, "q3", 1)
    with session_scope(factory) as s:
        post = s.query(ScorePost).order_by(ScorePost.id.desc()).first()
        assert post.payload["gradingProgress"] == "FullyGraded" and post.payload["scoreGiven"] == 3.5
        assert s.query(ScorePost).count() == 3


def test_a_failed_notification_is_logged_and_keeps_the_grade(factory: Any, sent: FakeQueue,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    ids = _world(factory)

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("LMS tables unavailable")

    monkeypatch.setattr(notify, "on_submission_graded", broken)
    with caplog.at_level(logging.ERROR):
        _grade(factory, ids, "q2", 1)
    assert "LMS notification failed" in caplog.text
    with session_scope(factory) as s:
        current = {r.question_id: r for r in s.query(GradingResult).filter_by(is_current=True)}
        assert (current["q2"].method, current["q2"].verdict, current["q2"].points) == ("manual", "correct", 1.0)
        assert s.query(ScorePost).count() == 1
