"""``POST /api/v1/lms/submissions``: good, bad, stale and replayed signatures."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from grader.db.models.lms import InboundMessage, InboundWebhookSecret
from grader.db.models import Submission
from grader.lms_protocol.signatures import generate_secret, sign_headers

pytestmark = pytest.mark.integration
URL = "/api/v1/lms/submissions"


@pytest.fixture
def lms_app(settings, db_factory, queue):  # type: ignore[no-untyped-def]
    from grader.app import create_app

    return create_app(settings, session_factory=db_factory, queue=queue,
                      blueprints=[("grader.api", True), ("grader.web.lms", True)])


@pytest.fixture
def secret(world) -> str:  # type: ignore[no-untyped-def]
    value = generate_secret()
    world.session.add(InboundWebhookSecret(course_id=world.version.assignment.course_id, secret=value))
    world.session.commit()
    return value


def _message(**changes: Any) -> bytes:
    body = {"course": "c1", "assignment": "hw1", "student": {"email": "alice@example.com"},
            "answers": {"q1": "2*p_i - 2*y_i", "q2": "x_i"}}
    body.update(changes)
    return json.dumps(body).encode()


def _post(client, body: bytes, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})


def _count(world) -> int:  # type: ignore[no-untyped-def]
    world.session.expire_all()
    return world.session.query(Submission).count()


def test_a_signed_submission_is_stored_and_sent_to_grading(lms_app, world, secret, queue) -> None:  # type: ignore[no-untyped-def]
    body = _message()
    response = _post(lms_app.test_client(), body, sign_headers(secret, "msg_in_1", body))
    assert response.status_code == 202, response.get_json()
    sid = response.get_json()["submission_id"]
    sub = world.session.get(Submission, sid)
    assert sub.source == "lms" and sub.user_id == world.users["alice"].id and sub.status == "queued"
    assert queue.grading == [sid]


def test_a_replayed_webhook_id_gets_the_first_submission_back(lms_app, world, secret, queue) -> None:  # type: ignore[no-untyped-def]
    client, body = lms_app.test_client(), _message()
    headers = sign_headers(secret, "msg_in_2", body)
    first = _post(client, body, headers)
    again = _post(client, body, headers)
    resigned = _post(client, body, sign_headers(secret, "msg_in_2", body))  # same id, a later retry
    assert first.status_code == 202 and again.status_code == 200 and resigned.status_code == 200
    assert again.get_json() == {"submission_id": first.get_json()["submission_id"], "replayed": True}
    assert _count(world) == 1 and len(queue.grading) == 1


@pytest.mark.parametrize("case", ["wrong secret", "changed body", "stale", "future", "no signature",
                                  "no id", "garbage signature"])
def test_a_bad_missing_or_stale_signature_is_refused_and_nothing_stored(lms_app, world, secret, queue, case) -> None:  # type: ignore[no-untyped-def]
    body = _message()
    headers = sign_headers(secret, "msg_bad", body)
    if case == "wrong secret":
        headers = sign_headers(generate_secret(), "msg_bad", body)
    elif case == "changed body":
        body = _message(answers={"q1": "0", "q2": "0"})
    elif case == "stale":
        headers = sign_headers(secret, "msg_bad", body, timestamp=int(time.time()) - 301)
    elif case == "future":
        headers = sign_headers(secret, "msg_bad", body, timestamp=int(time.time()) + 301)
    elif case == "no signature":
        del headers["webhook-signature"]
    elif case == "no id":
        del headers["webhook-id"]
    else:
        headers["webhook-signature"] = "v1,AAAA"
    response = _post(lms_app.test_client(), body, headers)
    assert response.status_code == 401 and "signature" in response.get_json()["error"]
    assert _count(world) == 0 and queue.grading == []
    assert world.session.query(InboundMessage).count() == 0


def test_an_unknown_course_looks_like_a_bad_signature(lms_app, world, secret) -> None:  # type: ignore[no-untyped-def]
    body = _message(course="nope")
    assert _post(lms_app.test_client(), body, sign_headers(secret, "m", body)).status_code == 401
    body = _message(course="c2")  # exists, has no inbound secret
    assert _post(lms_app.test_client(), body, sign_headers(secret, "m", body)).status_code == 401


def test_a_student_outside_the_course_is_not_found(lms_app, world, secret) -> None:  # type: ignore[no-untyped-def]
    body = _message(student={"email": "eve@example.com"})
    response = _post(lms_app.test_client(), body, sign_headers(secret, "msg_eve", body))
    assert response.status_code == 404 and _count(world) == 0


def test_a_student_is_found_by_their_lms_id(lms_app, world, secret, lms) -> None:  # type: ignore[no-untyped-def]
    from lms_fixtures import add_platform  # type: ignore[import-not-found]

    add_platform(world, lms, link_users=("bob",))
    world.session.commit()
    body = _message(student={"lms_id": "lms-bob"})
    response = _post(lms_app.test_client(), body, sign_headers(secret, "msg_bob", body))
    assert response.status_code == 202
    assert world.session.get(Submission, response.get_json()["submission_id"]).user_id == world.users["bob"].id


def test_invalid_answers_are_refused_after_the_signature(lms_app, world, secret) -> None:  # type: ignore[no-untyped-def]
    body = _message(answers={"q9": "1"})
    response = _post(lms_app.test_client(), body, sign_headers(secret, "msg_q9", body))
    assert response.status_code == 422 and _count(world) == 0
