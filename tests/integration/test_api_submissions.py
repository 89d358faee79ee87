"""Submitting through the API: 202 + Location, idempotency, validation, limits, authorisation."""

from __future__ import annotations

from typing import Any

import pytest

from grader.services.hand_grades import carried_grade
from grader.db.queries import grading as q
from grader.db.base import utcnow
from grader.db.models import Submission

pytestmark = pytest.mark.integration

URL = "/api/v1/assignments/hw1/submissions"
ANSWERS = {"answers": {"q1": "2*p_i - 2*y_i", "q2": "x_i"}}


def post(client: Any, world: Any, who: str = "alice", body: Any = ANSWERS, key: str | None = "key-1") -> Any:
    headers = world.auth(who)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(URL, json=body, headers=headers)


def count(world: Any) -> int:
    return world.session.query(Submission).count()


def test_a_submission_is_accepted_with_202_and_a_location(client: Any, world: Any, queue: Any) -> None:
    resp = post(client, world)
    assert resp.status_code == 202, resp.json
    body = resp.json
    assert body["status"] == "queued" and body["assignment_id"] == "hw1" and body["answers"] == ANSWERS["answers"]
    assert resp.headers["Location"] == f"/api/v1/submissions/{body['id']}"
    assert queue.grading == [body["id"]]
    stored = world.session.get(Submission, body["id"])
    assert stored.user_id == world.users["alice"].id and stored.source == "api"


def test_the_same_idempotency_key_returns_the_same_submission(client: Any, world: Any, queue: Any) -> None:
    first = post(client, world)
    again = post(client, world)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert queue.grading == [first.json["id"]] and count(world) == 1


def test_a_reused_key_with_other_answers_is_409(client: Any, world: Any) -> None:
    sid = post(client, world).json["id"]
    resp = post(client, world, body={"answers": {"q1": "0"}})
    assert resp.status_code == 409 and "Idempotency-Key" in resp.json["error"] and count(world) == 1
    world.session.expire_all()
    assert world.session.get(Submission, sid).answers == ANSWERS["answers"]


def test_without_a_key_every_post_is_a_new_submission(client: Any, world: Any) -> None:
    ids = {post(client, world, key=None).json["id"] for _ in range(2)}
    assert len(ids) == 2


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({}, 400, "answers"),
        ({"answers": "2*p"}, 422, "object"),
        ({"answers": {}}, 422, "empty"),
        ({"answers": {"q9": "1"}}, 422, "q9"),
        ({"answers": {"q1": True}}, 422, "q1"),
        ([1, 2], 400, "JSON object"),
        ({"answers": {"q1": "x" * 501}}, 413, "limit is 500"),
    ],
)
def test_bad_bodies_get_a_message_and_store_nothing(
    client: Any, world: Any, queue: Any, body: Any, status: int, fragment: str
) -> None:
    resp = post(client, world, body=body)
    assert resp.status_code == status and fragment in resp.json["error"]
    assert count(world) == 0 and queue.grading == []


def test_a_non_json_body_is_415_and_broken_json_is_400(client: Any, world: Any) -> None:
    resp = client.post(URL, data="answers=1", headers=world.auth("alice"))
    assert resp.status_code == 415 and "JSON" in resp.json["error"]
    resp = client.post(URL, data="{nope", content_type="application/json", headers=world.auth("alice"))
    assert resp.status_code == 400 and resp.json["error"]
    assert count(world) == 0


def test_a_request_over_the_size_limit_is_413_json(client: Any, world: Any) -> None:
    body = {"answers": {"q1": "x"}, "padding": "y" * (70 * 1024)}
    resp = post(client, world, body=body)
    assert resp.status_code == 413 and "too large" in resp.json["error"] and count(world) == 0


def test_unknown_assignment_and_other_courses_are_404(client: Any, world: Any) -> None:
    resp = client.post("/api/v1/assignments/nope/submissions", json=ANSWERS, headers=world.auth("alice"))
    assert resp.status_code == 404 and "nope" in resp.json["error"]
    resp = post(client, world, who="eve")
    assert resp.status_code == 404 and count(world) == 0


def test_a_bad_idempotency_key_is_400(client: Any, world: Any) -> None:
    resp = post(client, world, key="k" * 201)
    assert resp.status_code == 400 and "Idempotency-Key" in resp.json["error"]


def test_students_read_only_their_own_submissions(client: Any, world: Any) -> None:
    sid = post(client, world).json["id"]
    url = f"/api/v1/submissions/{sid}"
    assert client.get(url, headers=world.auth("alice")).status_code == 200
    assert client.get(url, headers=world.auth("teacher")).status_code == 200
    for outsider in ("bob", "eve"):
        resp = client.get(url, headers=world.auth(outsider))
        assert resp.status_code == 404 and resp.json == {"error": f"submission {sid} not found"}
    assert client.get("/api/v1/submissions/999999", headers=world.auth("alice")).status_code == 404
    assert client.get("/api/v1/submissions/abc", headers=world.auth("alice")).status_code == 404


def test_results_appear_once_graded(client: Any, world: Any) -> None:
    sid = post(client, world).json["id"]
    url = f"/api/v1/submissions/{sid}"
    assert client.get(url, headers=world.auth("alice")).json["status"] == "queued"
    fence = q.claim(world.session, sid, now=utcnow(), lease_s=60)
    assert fence == 1
    assert client.get(url, headers=world.auth("alice")).json["status"] == "grading"
    version_id = world.session.get(Submission, sid).assignment_version_id
    assert q.save_graded(world.session, sid, version_id, [
        q.ResultRow("q1", "correct", 2, 2, "", "symbolic", 3),
        q.ResultRow("q2", "incorrect", 0, 1, "differs at x_i = 1", "numeric:5 points", 4),
    ], fence=fence, grader_version="test", now=utcnow(), carry=carried_grade)
    world.session.commit()
    body = client.get(url, headers=world.auth("alice")).json
    assert body["status"] == "graded" and body["graded_at"]
    assert body["questions"]["q1"] == {"verdict": "correct", "points": 2, "max_points": 2, "feedback": "",
                                       "method": "symbolic"}
    assert body["questions"]["q2"]["feedback"] == "differs at x_i = 1"
    assert (body["total"], body["max_total"]) == (2, 3)
