"""Nothing is lost when a worker is SIGKILLed mid-grading or Redis forgets its queue."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import redis

from grader.db.models import Submission


from worker_helpers import RIGHT, SHORT_LEASE, Class, Worker, submit, wait_graded, wait_status

pytestmark = pytest.mark.integration


def test_a_worker_killed_mid_grading_loses_nothing(
        worker_factory: Callable[..., Worker], live_app: Any, klass: Class, committed_factory: Any) -> None:
    slow = worker_factory("slow", extra_env={"GRADER_TEST_SLOW_GRADING_S": "120", **SHORT_LEASE})
    client = live_app.test_client()
    sid = submit(client, klass.auth("alice"), RIGHT)
    wait_status(committed_factory, sid, "grading")  # claimed, and now sleeping inside the task
    slow.kill()
    with committed_factory() as s:
        assert s.get(Submission, sid).status == "grading"
    # A new worker with the sweeper: once the 4 s lease runs out the submission is re-enqueued.
    worker_factory("rescuer", beat=True, extra_env=SHORT_LEASE)
    body = wait_graded(client, klass.auth("alice"), sid, timeout=60)
    assert {q["verdict"] for q in body["questions"].values()} == {"correct"}
    with committed_factory() as s:
        assert s.get(Submission, sid).grading_attempts == 2


def test_tasks_lost_by_redis_are_sent_again_by_the_sweeper(
        worker_factory: Callable[..., Worker], live_app: Any, klass: Class, redis_url: str) -> None:
    client = live_app.test_client()
    sid = submit(client, klass.auth("bob"), RIGHT)  # no worker yet: the task waits in Redis
    r = redis.Redis.from_url(redis_url)
    r.flushdb()  # Redis restarted without persistence
    r.close()
    worker_factory("after-restart", beat=True, extra_env=SHORT_LEASE)
    body = wait_graded(client, klass.auth("bob"), sid, timeout=60)
    assert body["status"] == "graded" and body["total"] == 3
