"""User-caused errors on PostgreSQL: clear 4xx JSON, never a 500 from the database driver."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("url", [
    "/api/v1/assignments/a%00b", "/api/v1/assignments/a%00b/submissions",
    "/api/v1/assignments/hw1/submissions?student=a%00b@example.com", "/api/v1/assignments/hw1/stats?x=%00",
])
def test_a_nul_character_in_the_url_is_a_400(client: Any, world: Any, url: str) -> None:
    resp = client.get(url, headers=world.auth("teacher"))
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert "NUL" in resp.json["error"]


def test_a_nul_character_in_the_validated_assignment_id_is_a_422(client: Any, world: Any) -> None:
    body = {"answer": "x", "assignment_id": "hw\u00001", "question_id": "q1"}
    resp = client.post("/api/v1/validate", json=body, headers=world.auth("alice"))
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert "NUL" in resp.json["error"]


def test_ids_and_offsets_beyond_postgresql_integer_are_4xx(client: Any, world: Any) -> None:
    assert client.get("/api/v1/submissions/3000000000", headers=world.auth("alice")).status_code == 404
    resp = client.get("/api/v1/assignments/hw1/submissions?offset=3000000000", headers=world.auth("teacher"))
    assert resp.status_code == 400


def test_non_finite_numbers_are_refused_before_postgresql_sees_them(client: Any, world: Any) -> None:
    headers = {**world.auth("alice"), "Content-Type": "application/json"}
    resp = client.post("/api/v1/assignments/hw1/submissions", data='{"answers": {"q1": NaN}}', headers=headers)
    assert resp.status_code == 422, resp.get_data(as_text=True)


def test_a_nul_character_in_a_login_form_is_a_400(settings: Any, db_factory: Any, queue: Any, world: Any) -> None:
    from grader.app import create_app

    from grader.web.csrf import FIELD, SESSION_KEY

    client = create_app(settings, session_factory=db_factory, queue=queue).test_client()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = "t"
    resp = client.post("/login", data={"email": "alice\u0000@example.com", "password": "x", FIELD: "t"})
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]


def test_a_deeply_nested_body_is_a_400_on_every_json_route(settings: Any, db_factory: Any, queue: Any,
                                                           world: Any) -> None:
    """The LMS routes read JSON on their own (``get_json(silent=True)``): the app's JSON provider
    makes a too deep body invalid JSON for them as well."""
    from grader.app import create_app

    client = create_app(settings, session_factory=db_factory, queue=queue).test_client()
    headers = {**world.auth("teacher"), "Content-Type": "application/json"}
    body = "[" * 30_000 + "]" * 30_000
    for url in ("/api/v1/lms/courses/c1/webhooks", "/api/v1/validate"):
        resp = client.post(url, data=body, headers=headers)
        assert 400 <= resp.status_code < 500, (url, resp.get_data(as_text=True)[:200])
