"""``POST /api/v1/assignments/<key>/documents`` and submitting what it found (with the document)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grader.app import create_app
from grader.config import Settings
from grader.db import Session, SessionFactory
from grader.db.models import HandedInDocument, Submission
from tests.support.fakes import FakeQueue
from tests.unit.conftest import add_assignment

ROOT = Path(__file__).resolve().parents[3]
SEED_DOC = (ROOT / "tests" / "fixtures" / "documents" / "seed-assignment-4-written.md").read_bytes()
SEED_ANSWERS = json.loads((ROOT / "tests" / "fixtures" / "seed-submission.json").read_text())["answers"]


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def client(factory: SessionFactory, queue: FakeQueue, world: dict, session: Session) -> Any:
    add_assignment(session, world["course"], (ROOT / "assignments" / "assignment-4.yaml").read_text())
    session.commit()
    settings = Settings.from_env({}, database_url="sqlite://", secret_key="k", testing=True)
    app = create_app(settings, session_factory=factory, queue=queue, blueprints=[("grader.api", True)])
    return app.test_client()


def auth(world: dict, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world[who + '_token']}"}


URL = "/api/v1/assignments/assignment-4/documents"


@pytest.mark.parametrize("shape", ["multipart", "json", "markdown"])
def test_the_seed_document_comes_back_as_answers_with_previews(client: Any, world: dict, shape: str) -> None:
    headers = auth(world, "alice")
    if shape == "multipart":
        import io

        resp = client.post(URL, headers=headers, data={"file": (io.BytesIO(SEED_DOC), "hw4.md")},
                           content_type="multipart/form-data")
    elif shape == "json":
        resp = client.post(URL, headers=headers, json={"document": SEED_DOC.decode(), "filename": "hw4.md"})
    else:
        resp = client.post(URL, headers={**headers, "Content-Type": "text/markdown"}, data=SEED_DOC)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.json
    assert body["missing"] == {} and body["answers"]["1d"] == SEED_ANSWERS["1d"]
    by_id = {q["id"]: q for q in body["questions"]}
    assert by_id["1a"]["found"] and by_id["1a"]["line"] == 20 and by_id["1a"]["preview"]["ok"]
    assert "<math" in by_id["1a"]["preview"]["mathml"]
    assert "preview" not in by_id["1f-why"] and by_id["3-adjoint"]["answer"]["\\bar{v}_{-2}"] == -7
    assert isinstance(body["document_id"], int)


def test_nothing_is_graded_or_submitted_by_reading_a_document(client: Any, world: dict, session: Session,
                                                                queue: FakeQueue) -> None:
    resp = client.post(URL, headers=auth(world, "alice"), json={"document": SEED_DOC.decode()})
    assert resp.status_code == 200
    assert session.query(Submission).count() == 0 and queue.grading == []
    stored = session.get(HandedInDocument, resp.json["document_id"])
    assert stored.content == SEED_DOC.decode() and stored.submission_id is None


def test_submitting_the_answers_stores_the_document_with_the_submission(client: Any, world: dict,
                                                                          session: Session) -> None:
    found = client.post(URL, headers=auth(world, "alice"), json={"document": SEED_DOC.decode()}).json
    resp = client.post("/api/v1/assignments/assignment-4/submissions", headers=auth(world, "alice"),
                       json={"answers": found["answers"], "document_id": found["document_id"]})
    assert resp.status_code == 202, resp.get_data(as_text=True)
    session.expire_all()
    assert session.get(HandedInDocument, found["document_id"]).submission_id == resp.json["id"]


def test_another_students_document_cannot_be_attached(client: Any, world: dict, session: Session) -> None:
    found = client.post(URL, headers=auth(world, "alice"), json={"document": SEED_DOC.decode()}).json
    resp = client.post("/api/v1/assignments/assignment-4/submissions", headers=auth(world, "bob"),
                       json={"answers": found["answers"], "document_id": found["document_id"]})
    assert resp.status_code == 404
    assert session.query(Submission).count() == 0  # nothing half-written


@pytest.mark.parametrize("data, status, message", [
    (b"", 422, "the document is empty"),
    (b"\x00\x01\x02", 422, "binary file"),
    (b"no labels here at all", 422, "no numbered questions"),
])
def test_documents_that_are_not_answers_are_a_clear_4xx(client: Any, world: dict, session: Session,
                                                       data: bytes, status: int, message: str) -> None:
    resp = client.post(URL, headers={**auth(world, "alice"), "Content-Type": "text/plain"}, data=data)
    assert resp.status_code == status and message in resp.json["error"]
    assert session.query(HandedInDocument).count() == 0


def test_an_unsupported_content_type_is_a_415(client: Any, world: dict) -> None:
    resp = client.post(URL, headers={**auth(world, "alice"), "Content-Type": "image/png"}, data=b"\x89PNG")
    assert resp.status_code == 415


def test_a_document_for_an_assignment_outside_the_course_is_a_404(client: Any, world: dict) -> None:
    resp = client.post(URL, headers=auth(world, "eve"), json={"document": SEED_DOC.decode()})
    assert resp.status_code == 404


def test_anonymous_is_401(client: Any) -> None:
    assert client.post(URL, json={"document": "1. x"}).status_code == 401
