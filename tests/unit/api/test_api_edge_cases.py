"""User-caused errors reach the API as clear 4xx JSON messages, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from grader.app import create_app
from grader.config import Settings
from grader.db import SessionFactory
from tests.support.fakes import FakeQueue


@pytest.fixture
def client(factory: SessionFactory) -> Any:
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=FakeQueue(), blueprints=[("grader.api", True)])
    return app.test_client()


def auth(world: dict, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world[who + '_token']}"}


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"answer": ' + "[" * 50_000 + "]" * 50_000 + "}"])
def test_a_deeply_nested_json_body_is_a_400(client: Any, world: dict, body: str) -> None:
    headers = {**auth(world, "alice"), "Content-Type": "application/json"}
    for url in ("/api/v1/validate", "/api/v1/assignments/hw1/submissions"):
        resp = client.post(url, data=body, headers=headers)
        assert resp.status_code == 400, resp.get_data(as_text=True)
        assert "nested too deeply" in resp.json["error"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_in_answers_are_refused(client: Any, world: dict, session: Any, literal: str) -> None:
    """Python's decoder accepts NaN/Infinity; stored, they break PostgreSQL's JSON and our replies."""
    from grader.db.models import Submission

    headers = {**auth(world, "alice"), "Content-Type": "application/json"}
    for body in (f'{{"answers": {{"q1": {literal}}}}}', f'{{"answers": {{"q1": ["x", {{"a": {literal}}}]}}}}'):
        resp = client.post("/api/v1/assignments/hw1/submissions", data=body, headers=headers)
        assert resp.status_code == 422, resp.get_data(as_text=True)
        assert "finite" in resp.json["error"]
    assert session.query(Submission).count() == 0


@pytest.mark.parametrize("url", ["/api/v1/submissions/" + "9" * 30, "/api/v1/submissions/3000000000",
                                 "/api/v1/regrade-jobs/" + "9" * 30])
def test_an_id_too_large_for_the_database_is_a_404(client: Any, world: dict, url: str) -> None:
    resp = client.get(url, headers=auth(world, "teacher"))
    assert resp.status_code == 404 and "error" in resp.json


@pytest.mark.parametrize("query", ["offset=" + "9" * 30, "offset=3000000000", "limit=" + "9" * 20])
def test_an_out_of_range_page_parameter_is_a_400(client: Any, world: dict, query: str) -> None:
    resp = client.get(f"/api/v1/assignments/hw1/submissions?{query}", headers=auth(world, "teacher"))
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert "out of range" in resp.json["error"] or "limit must be" in resp.json["error"]


def test_the_size_limits_of_a_structured_answer_are_configurable(factory: SessionFactory, world: dict,
                                                                 session: Any) -> None:
    """MAX_ANSWER_PARTS and MAX_ANSWER_DEPTH, like MAX_ANSWER_CHARS, come from the environment."""
    from tests.support.db import add_assignment

    add_assignment(session, world["course"], "id: hwt\ntitle: T\nquestions:\n  - id: q1\n    type: ad_table\n")
    session.commit()
    settings = Settings.from_env({"MAX_ANSWER_PARTS": "3", "MAX_ANSWER_DEPTH": "1"}, database_url="sqlite://",
                                 secret_key="k", testing=True)
    assert (settings.max_answer_parts, settings.max_answer_depth) == (3, 1)
    client = create_app(settings, session_factory=factory, queue=FakeQueue(),
                        blueprints=[("grader.api", True)]).test_client()
    url, headers = "/api/v1/assignments/hwt/submissions", auth(world, "alice")
    resp = client.post(url, json={"answers": {"q1": ["a", "b", "c"]}}, headers=headers)
    assert resp.status_code == 422 and "more than 3 parts" in resp.json["error"]
    resp = client.post(url, json={"answers": {"q1": [["a"]]}}, headers=headers)
    assert resp.status_code == 422 and "nested too deeply" in resp.json["error"]
    resp = client.post(url, json={"answers": {"q1": ["a", "b"]}}, headers=headers)
    assert resp.status_code == 202, resp.json
    default = Settings.from_env({}, secret_key="k")
    assert (default.max_answer_parts, default.max_answer_depth) == (500, 4)
