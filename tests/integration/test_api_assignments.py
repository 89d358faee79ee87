"""Assignments and authentication: what each user sees, JSON errors everywhere."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_requests_without_valid_credentials_get_401_json(client: Any, world: Any) -> None:
    resp = client.get("/api/v1/assignments")
    assert resp.status_code == 401 and "Bearer" in resp.json["error"]
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        assert client.get("/api/v1/assignments", headers={"Authorization": header}).status_code == 401


def test_a_login_session_cookie_also_authenticates(client: Any, world: Any) -> None:
    with client.session_transaction() as cookie:
        cookie["user_id"] = world.users["alice"].id
        cookie["epoch"] = world.users["alice"].session_epoch  # the login's session epoch (logout raises it)
    resp = client.get("/api/v1/me")
    assert resp.status_code == 200 and resp.json["email"] == "alice@example.com"
    assert resp.json["courses"] == [{"id": "c1", "title": "Course 1", "role": "student"}]


def test_students_list_their_courses_assignments_only(client: Any, world: Any) -> None:
    body = client.get("/api/v1/assignments", headers=world.auth("alice")).json
    assert [a["id"] for a in body["items"]] == ["hw1"]
    item = body["items"][0]
    assert item["role"] == "student" and item["max_points"] == 3 and item["question_count"] == 2
    assert client.get("/api/v1/assignments", headers=world.auth("eve")).json == {"items": []}


def test_students_see_prompts_and_points_but_no_keys(client: Any, world: Any) -> None:
    body = client.get("/api/v1/assignments/hw1", headers=world.auth("alice")).json
    assert body["title"] == "Logistic derivatives" and body["role"] == "student"
    q1 = body["questions"][0]
    assert (q1["id"], q1["type"], q1["points"]) == ("q1", "expression", 2) and q1["prompt"].startswith("Compute")
    assert "p_i" in q1["names"]
    text = str(body)
    assert "2*p_i - 2*y_i" not in text and "definition" not in q1 and "key" not in q1


def test_instructors_see_the_keys(client: Any, world: Any) -> None:
    body = client.get("/api/v1/assignments/hw1", headers=world.auth("teacher")).json
    assert body["role"] == "instructor" and body["questions"][0]["definition"]["key"] == "2*p_i - 2*y_i"


def test_unknown_and_foreign_assignments_are_404(client: Any, world: Any) -> None:
    assert client.get("/api/v1/assignments/nope", headers=world.auth("alice")).status_code == 404
    resp = client.get("/api/v1/assignments/hw1", headers=world.auth("eve"))
    assert resp.status_code == 404 and resp.json == {"error": "assignment 'hw1' not found"}


def test_unknown_routes_and_methods_answer_json(client: Any, world: Any) -> None:
    resp = client.get("/api/v1/nothing-here", headers=world.auth("alice"))
    assert resp.status_code == 404 and "error" in resp.json
    resp = client.delete("/api/v1/assignments/hw1", headers=world.auth("alice"))
    assert resp.status_code == 405 and "error" in resp.json and "GET" in resp.headers["Allow"]


def test_an_unexpected_error_is_a_500_without_traceback(client: Any, world: Any, monkeypatch: Any) -> None:
    import grader.api.assignments as routes

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "visible_assignments", boom)
    resp = client.get("/api/v1/assignments", headers=world.auth("alice"))
    assert resp.status_code == 500 and resp.json == {"error": "internal server error"}
