"""Submit through the API, grade with the grading service in-process (no Celery), read back."""

from __future__ import annotations

from typing import Any

import pytest

from grader.db import SessionFactory

pytestmark = pytest.mark.integration


def test_the_api_shows_what_the_grading_service_decided(
    committed_factory: SessionFactory, settings: Any, queue: Any, committed_student: Any
) -> None:
    from grader.services.grading import grade_submission_by_id

    app, token = committed_student.app, committed_student.token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "rt"}
    resp = client.post("/api/v1/assignments/hw1/submissions",
                       json={"answers": {"q1": "2*(p_i - y_i)", "q2": "w"}}, headers=headers)
    assert resp.status_code == 202 and queue.grading == [resp.json["id"]]
    assert grade_submission_by_id(committed_factory, resp.json["id"], settings=settings)
    body = client.get(resp.headers["Location"], headers=headers).json
    assert body["status"] == "graded"
    assert body["questions"]["q1"]["verdict"] == "correct" and body["questions"]["q2"]["verdict"] == "incorrect"
    assert (body["total"], body["max_total"]) == (2, 3)
