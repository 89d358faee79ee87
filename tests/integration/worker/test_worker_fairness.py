"""One student can never slow down the class (real workers, docs/worker.md "Fairness"): while a
student has 10 submissions of answers that never finish queued, and a regrade of the whole class
runs, another student's ordinary submission is graded within 3 s."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from grader.db.models import Enrollment, Submission, User
from grader.services.auth import issue_token
from grader.services.queue import QUEUE, QUEUE_BULK, QUEUE_SLOW

from worker_helpers import RIGHT, SLOW_MARKER, Class, Worker, submit, wait_graded

pytestmark = pytest.mark.integration

CLASS_SIZE = 6
BUDGET_S = 3.0


def _students(factory: Any, n: int) -> dict[str, dict[str, str]]:
    """``n`` more students in the course of ``klass``; their auth headers by name."""
    out = {}
    with factory() as s:
        course_id = s.query(Enrollment).first().course_id
        for i in range(n):
            user = User(email=f"student{i}@example.com", display_name=f"student{i}")
            s.add(user)
            s.flush()
            s.add(Enrollment(user_id=user.id, course_id=course_id, role="student"))
            out[f"student{i}"] = {"Authorization": f"Bearer {issue_token(s, user)}"}
        s.commit()
    return out


def _graded_within(client: Any, headers: dict[str, str], answers: dict[str, str]) -> float:
    started = time.monotonic()
    sid = submit(client, headers, answers)
    body = wait_graded(client, headers, sid, timeout=30)
    assert body["questions"]["q1"]["verdict"] == "correct"
    return time.monotonic() - started


def test_a_hostile_student_and_a_class_regrade_do_not_delay_an_ordinary_submission(
        worker_factory: Callable[..., Worker], live_app: Any, klass: Class, committed_factory: Any) -> None:
    worker_factory("fast", queues=QUEUE, concurrency=2, beat=True)
    worker_factory("slow", queues=f"{QUEUE_SLOW},{QUEUE_BULK}", concurrency=1)
    client = live_app.test_client()
    class_headers = _students(committed_factory, CLASS_SIZE)
    # the class's graded work, to be regraded below: one answer each that never finishes, so the
    # regrade is still running (each one 1 s, then again with 4x the limits) whatever the machine
    sids = {name: submit(client, headers, {"q1": f"2*p_i {SLOW_MARKER} {name}", "q2": RIGHT["q2"]})
            for name, headers in class_headers.items()}
    for name, sid in sids.items():
        wait_graded(client, class_headers[name], sid, timeout=60)

    hostile = [submit(client, klass.auth("alice"), {"q1": f"2*p_i {SLOW_MARKER} {i}", "q2": RIGHT["q2"]})
               for i in range(10)]
    resp = client.post("/api/v1/assignments/hw1/regrade", headers=klass.auth("teacher"))
    assert resp.status_code == 202, resp.get_json()

    assert _graded_within(client, klass.auth("bob"), RIGHT) <= BUDGET_S
    with committed_factory() as s:  # the hostile queue and the regrade really were still there
        waiting = s.query(Submission).filter(Submission.id.in_(hostile), Submission.status != "graded").count()
    job = client.get(resp.headers["Location"], headers=klass.auth("teacher")).get_json()
    assert waiting >= 5 and job["done"] < job["total"]
    assert _graded_within(client, klass.auth("bob"), {**RIGHT, "q2": "x_i + 0"}) <= BUDGET_S
