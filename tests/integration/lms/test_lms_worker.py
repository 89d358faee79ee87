"""End to end with a real Celery worker process on Redis: grading notified -> the worker delivers
the webhook and posts the score to the stand-in, retrying through injected failures; the platform
checks our client assertion against the tool's JWKS URL served by a live app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from werkzeug.serving import make_server

from tests.support.lti import launched
from grader.db.models.lms import LtiPlatform, LtiUserLink, ScorePost, WebhookDelivery, WebhookEndpoint
from grader.db.models import Assignment, AssignmentVersion, Course, Enrollment, GradingResult, Submission, User
from grader.config import Settings
from grader.db.session import session_scope
from grader.services import dispatch
from grader.services.lms import notify
from grader.services.queue import CeleryQueue

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("GRADER_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{8 + os.getpid() % 8}")


@pytest.fixture
def broker() -> str:
    """The test broker (skips without a Redis server)."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as exc:  # pragma: no cover - no server
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return REDIS_URL


@pytest.fixture
def producer(broker: str) -> Iterator[CeleryQueue]:
    """Sends tasks to the test broker."""
    sender = CeleryQueue(Settings.from_env({}, broker_url=broker, secret_key="test"))
    yield sender
    sender.close()


@pytest.fixture
def worker(pg_url: str, broker: str, tmp_path: Path, settings: Any) -> Iterator[subprocess.Popen[bytes]]:
    """``celery worker`` with the LMS tasks, back-off shrunk 500 times; the web app's secret key
    (the secrets it stored are encrypted with a key derived from it)."""
    env = {**os.environ, "DATABASE_URL": pg_url, "CELERY_BROKER_URL": broker, "SECRET_KEY": settings.secret_key,
           "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
           "GRADER_LMS_RETRY_SCALE": "0.002"}
    log = (tmp_path / "worker.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "-I", "worker.lms_tasks",
         "--pool=solo", "-Q", "grader", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-l", "info"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture
def tool_url(settings: Any, committed_factory: Any) -> Iterator[str]:
    """The tool's app served on loopback (the platform fetches /lti/jwks.json from it)."""
    from grader.app import create_app

    app = create_app(settings, session_factory=committed_factory,
                     blueprints=[("grader.api", True), ("grader.web.lms", True)])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _world(session: Any, lms: Any) -> int:
    """Course, student, assignment, LMS registrations and a graded submission; its id."""
    course = Course(key="lms-c", title="LMS course")
    user = User(email="stu@example.com", display_name="Stu")
    assignment = Assignment(key="hw-lms", title="HW", course=course)
    version = AssignmentVersion(assignment=assignment, content_hash="h" * 64, source_text="", is_current=True,
                                definition={"id": "hw-lms", "questions": [{"id": "q1"}, {"id": "q2"}]})
    session.add_all([course, user, assignment, version, Enrollment(user=user, course=course, role="student")])
    session.flush()
    platform = LtiPlatform(course_id=course.id, issuer=lms.issuer, client_id=lms.client_id,
                           deployment_id=lms.deployment_id, auth_login_url=lms.auth_url,
                           token_url=lms.token_url, jwks_url=lms.jwks_url)
    session.add_all([platform, LtiUserLink(issuer=lms.issuer, sub="lms-stu-7", user_id=user.id),
                     WebhookEndpoint(course_id=course.id, url=lms.url + "/webhook", secret=lms.webhook_secret,
                                     events=[], active=True)])
    session.flush()
    launched(session, platform_id=platform.id, user_id=user.id, assignment_id=assignment.id,
             lineitem_url=lms.lineitem(9), resource_link_id="rl-9")
    when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=2)
    sub = Submission(user_id=user.id, assignment_version_id=version.id, answers={"q1": "x", "q2": "y"},
                     source="lms", status="graded", graded_at=when)
    session.add(sub)
    session.flush()
    for qid, points, maximum, verdict in (("q1", 2.0, 2.0, "correct"), ("q2", 0.0, 1.0, "incorrect")):
        session.add(GradingResult(submission_id=sub.id, assignment_version_id=version.id, question_id=qid,
                                  verdict=verdict, points=points, max_points=maximum, created_at=when))
    session.flush()
    return sub.id


def _wait_for(check: Any, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_the_worker_delivers_and_posts_through_failures(committed_factory, worker, producer, tool_url, lms) -> None:  # type: ignore[no-untyped-def]
    lms.tool_jwks_url = tool_url + "/lti/jwks.json"
    lms.fail("webhook", 2, 500)
    lms.fail("score", 1, 500)
    with committed_factory() as session:
        submission_id = _world(session, lms)
        deliveries, posts = notify.on_submission_graded(session, submission_id, regrade=False)
        dispatch.commit_and_send(session, producer)
    assert len(deliveries) == 1 and len(posts) == 1  # sent to the worker after that commit

    def done() -> bool:
        with session_scope(committed_factory) as s:
            return (s.get(WebhookDelivery, deliveries[0]).status == "delivered"
                    and s.get(ScorePost, posts[0]).status == "delivered")

    _wait_for(done)
    hooks, scores, tokens = lms.of("webhook"), lms.of("score"), lms.of("token")
    assert [h.status for h in hooks] == [500, 500, 204] and len({h.headers["webhook-id"] for h in hooks}) == 1
    assert all(h.verified for h in hooks)
    assert [s.status for s in scores] == [500, 200] and len({s.json()["timestamp"] for s in scores}) == 1
    assert [t.status for t in tokens] == [200] and tokens[0].verified
    with session_scope(committed_factory) as s:
        assert s.get(WebhookDelivery, deliveries[0]).attempts == 3
    delivered, posted = hooks[-1], scores[-1]
    print("\n--- webhook as received by the stand-in ---")
    print(f"POST {delivered.path}")
    for name in ("content-type", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature"):
        print(f"{name}: {delivered.headers[name]}")
    print(json.dumps(delivered.json(), indent=2))
    print("--- score post as received by the stand-in ---")
    print(f"POST {posted.path}")
    print(f"content-type: {posted.headers['content-type']}")
    print(f"authorization: Bearer {posted.headers['authorization'][7:15]}...")
    print(json.dumps(posted.json(), indent=2))
