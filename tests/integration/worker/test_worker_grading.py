"""Submit through the API, a real Celery worker grades, read the result back."""

from __future__ import annotations

import time
from typing import Any

import pytest

from grader.db.models import Submission
from grader.services.queue import QUEUE, TASK_GRADE

from worker_helpers import RIGHT, SLOW_MARKER, Class, Worker, result_rows, submit, wait_graded

pytestmark = pytest.mark.integration


def test_a_submission_is_graded_by_the_worker_and_read_back(
        shared_worker: Worker, live_app: Any, klass: Class) -> None:
    client = live_app.test_client()
    sid = submit(client, klass.auth("alice"), {"q1": RIGHT["q1"], "q2": "w"})
    body = wait_graded(client, klass.auth("alice"), sid)
    assert body["questions"]["q1"]["verdict"] == "correct"
    assert body["questions"]["q2"]["verdict"] == "incorrect"
    assert (body["total"], body["max_total"]) == (2, 3)


def test_the_same_task_delivered_again_is_harmless(
        shared_worker: Worker, live_app: Any, klass: Class, committed_factory: Any) -> None:
    client = live_app.test_client()
    sid = submit(client, klass.auth("alice"), RIGHT)
    producer = live_app.extensions["grader"].queue
    producer.send_grading(sid)  # two duplicates racing the original
    producer.send_grading(sid)
    wait_graded(client, klass.auth("alice"), sid)
    late = f"late-duplicate-{sid}-{time.monotonic_ns()}"  # and one after it was graded, awaited by id
    producer.client().send_task(TASK_GRADE, args=[sid], queue=QUEUE, task_id=late)
    shared_worker.wait_for_log(f"[{late}] succeeded")
    rows = result_rows(committed_factory, sid)
    assert sorted(r.question_id for r in rows) == ["q1", "q2"] and all(r.is_current for r in rows)
    with committed_factory() as s:
        assert s.get(Submission, sid).grading_attempts == 1


def test_answers_that_run_out_of_time_need_review_and_the_rest_is_graded(
        shared_worker: Worker, live_app: Any, klass: Class) -> None:
    client = live_app.test_client()
    # q1 sleeps past the soft limit (1 s); "stuck" also blocks SIGALRM, so only the hard kill (2 s)
    # ends it. Either way the submission is graded.
    started = time.monotonic()
    sid = submit(client, klass.auth("bob"), {"q1": f"stuck {SLOW_MARKER}", "q2": RIGHT["q2"]})
    body = wait_graded(client, klass.auth("bob"), sid)
    assert body["questions"]["q1"]["verdict"] == "needs_review"
    assert "did not finish within 2 s" in body["questions"]["q1"]["feedback"]
    assert body["questions"]["q2"]["verdict"] == "correct"
    sid = submit(client, klass.auth("bob"), {"q1": f"2*p_i {SLOW_MARKER}", "q2": RIGHT["q2"]})
    body = wait_graded(client, klass.auth("bob"), sid)
    assert body["questions"]["q1"]["verdict"] == "needs_review"
    assert "longer than 1 s" in body["questions"]["q1"]["feedback"]
    assert time.monotonic() - started < 30


def test_a_regrade_fans_out_and_reports_progress(
        shared_worker: Worker, live_app: Any, klass: Class, committed_factory: Any) -> None:
    client = live_app.test_client()
    ids = [submit(client, klass.auth(who), RIGHT) for who in ("alice", "bob")]
    for who, sid in zip(("alice", "bob"), ids):
        wait_graded(client, klass.auth(who), sid)
    resp = client.post("/api/v1/assignments/hw1/regrade", headers=klass.auth("teacher"))
    assert resp.status_code == 202, resp.get_json()
    job_url = resp.headers["Location"]
    deadline, job = time.monotonic() + 60, {}
    while time.monotonic() < deadline:
        job = client.get(job_url, headers=klass.auth("teacher")).get_json()
        if job["status"] == "done":
            break
        time.sleep(0.2)
    assert (job["status"], job["done"], job["total"]) == ("done", 2, 2)
    for sid in ids:
        rows = result_rows(committed_factory, sid)
        assert len(rows) == 4 and sum(r.is_current for r in rows) == 2
        assert {r.verdict for r in rows if r.is_current} == {"correct"}
