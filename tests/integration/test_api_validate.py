"""POST /api/v1/validate: the preview shows what was read, or the error and its column."""

from __future__ import annotations

from typing import Any

import pytest

from grader.db.models import Submission

pytestmark = pytest.mark.integration

URL = "/api/v1/validate"


@pytest.fixture(autouse=True)
def _needs_parser() -> None:
    if not hasattr(pytest.importorskip("grader.engine.parsing"), "parse"):
        pytest.skip("the engine's parser has not landed yet")


def test_a_readable_answer_comes_back_as_latex_mathml_and_text(client: Any, world: Any) -> None:
    resp = client.post(URL, json={"answer": "2*p_i - 2*y_i"}, headers=world.auth("alice"))
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["ok"] is True and "p_{i}" in body["latex"] and body["text"]
    assert body["mathml"].startswith("<math") and "<mi>" in body["mathml"]
    assert world.session.query(Submission).count() == 0


def test_latex_syntax_is_read(client: Any, world: Any) -> None:
    resp = client.post(URL, json={"answer": r"\frac{e^{-a_i}}{(1+e^{-a_i})^2}", "syntax": "latex"},
                       headers=world.auth("alice"))
    assert resp.status_code == 200 and resp.json["ok"] is True and resp.json["syntax"] == "latex"


def test_a_syntax_error_gives_a_message_and_a_column(client: Any, world: Any) -> None:
    resp = client.post(URL, json={"answer": "2*(p_i - y_i"}, headers=world.auth("alice"))
    assert resp.status_code == 200
    body = resp.json
    assert body["ok"] is False and body["error"] and isinstance(body["column"], int)


def test_the_question_context_names_are_known(client: Any, world: Any) -> None:
    body = {"answer": "2*p_i - 2*y_i", "assignment_id": "hw1", "question_id": "q1"}
    resp = client.post(URL, json=body, headers=world.auth("alice"))
    assert resp.status_code == 200 and resp.json["ok"] is True
    resp = client.post(URL, json={**body, "question_id": "q9"}, headers=world.auth("alice"))
    assert resp.status_code == 404 and "q9" in resp.json["error"]
    assert client.post(URL, json=body, headers=world.auth("eve")).status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 422), ({"answer": 5}, 422), ({"answer": "x", "syntax": "basic"}, 422),
     ({"answer": "x", "assignment_id": "hw1"}, 422), ({"answer": "x" * 501}, 413)],
)
def test_bad_requests_get_a_message(client: Any, world: Any, body: dict, status: int) -> None:
    resp = client.post(URL, json=body, headers=world.auth("alice"))
    assert resp.status_code == status and resp.json["error"]


def test_validate_needs_authentication(client: Any, world: Any) -> None:
    assert client.post(URL, json={"answer": "x"}).status_code == 401


def test_the_preview_reads_as_typed_and_flags_unknown_symbols(client: Any, world: Any) -> None:
    body = {"answer": "-2(y_i - p_i)", "assignment_id": "hw1", "question_id": "q1"}
    resp = client.post(URL, json=body, headers=world.auth("alice"))
    out = resp.json
    assert resp.status_code == 200 and out["status"] == "ok" and out["flags"] == []
    assert out["typed_text"] == "-2*(y_i - p_i)" and out["symbols"] == ["p_i", "y_i"]  # y_i: from the key
    assert out["typed_mathml"].startswith("<math")
    out = client.post(URL, json={**body, "answer": "2p - 2y_i"}, headers=world.auth("alice")).json
    assert out["status"] == "error" and out["flags"][0]["kind"] == "unknown_symbol"
    assert out["flags"][0]["suggestion"] == "p_i"
