"""Concurrent copies of one signed LMS message: one submission, sent to grading exactly once.

The failure this guards against (issue 11): ten identical signed copies arriving at once made one
submission, but every reply said "replayed" and nothing was enqueued, so grading waited for the
sweeper (133 s).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from grader.config import Settings
from grader.db import SessionFactory
from grader.db.models import Course, Enrollment, Submission, User
from grader.db.models.lms import InboundMessage, InboundWebhookSecret
from grader.lms_protocol.signatures import generate_secret, sign_headers
from grader.services.grading import grade_submission_by_id
from tests.support.fakes import FakeQueue

pytestmark = pytest.mark.integration
COPIES = 10
BODY = (b'{"course": "c1", "assignment": "hw1", "student": {"email": "alice@example.com"},'
        b' "answers": {"q1": "2*p_i - 2*y_i", "q2": "x_i"}}')


@pytest.fixture
def lms_class(committed_factory: SessionFactory, make_assignment: Any, settings: Settings,
              queue: FakeQueue) -> tuple[Any, str]:
    """An app over committed sessions, course c1 with hw1, alice enrolled, an inbound secret."""
    from grader.app import create_app

    secret = generate_secret()
    with committed_factory() as db:
        course = Course(key="c1", title="c", is_default=True)
        user = User(email="alice@example.com")
        db.add_all([course, user, Enrollment(user=user, course=course, role="student")])
        make_assignment(db, course)
        db.flush()
        db.add(InboundWebhookSecret(course_id=course.id, secret=secret))
        db.commit()
    app = create_app(settings, session_factory=committed_factory, queue=queue,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    return app, secret


def test_concurrent_copies_of_one_message_enqueue_the_one_submission_once(
    lms_class: tuple[Any, str], committed_factory: SessionFactory, queue: FakeQueue, settings: Settings
) -> None:
    app, secret = lms_class
    headers = {**sign_headers(secret, "msg_race", BODY), "Content-Type": "application/json"}
    barrier = threading.Barrier(COPIES)
    replies: list[Any] = []

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        replies.append(client.post("/api/v1/lms/submissions", data=BODY, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(r.status_code for r in replies) == [200] * (COPIES - 1) + [202]
    bodies = [r.get_json() for r in replies]
    assert sum(1 for b in bodies if b["replayed"] is False) == 1
    assert len({b["submission_id"] for b in bodies}) == 1
    with committed_factory() as db:
        (submission,) = db.query(Submission).all()
        assert db.query(InboundMessage).one().submission_id == submission.id
    assert queue.grading == [submission.id]

    # What was enqueued is graded by the worker's own path: no sweeper involved.
    for submission_id in queue.grading:
        assert grade_submission_by_id(committed_factory, submission_id, settings=settings)
    with committed_factory() as db:
        assert db.get(Submission, submission.id).status == "graded"
