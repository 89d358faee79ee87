"""The same Idempotency-Key sent by concurrent requests still makes one submission."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from grader.db import SessionFactory
from grader.db.models import Submission

pytestmark = pytest.mark.integration


def test_concurrent_requests_with_one_key_make_one_submission(
    committed_factory: SessionFactory, queue: Any, committed_student: Any
) -> None:
    app, token = committed_student.app, committed_student.token
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "race"}
    barrier = threading.Barrier(6)
    replies: list[Any] = []

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        replies.append(client.post("/api/v1/assignments/hw1/submissions",
                                   json={"answers": {"q1": "2*p_i - 2*y_i"}}, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in replies) == [200] * 5 + [202]
    assert len({r.json["id"] for r in replies}) == 1 and len(queue.grading) == 1
    with committed_factory() as db:
        assert db.query(Submission).count() == 1
