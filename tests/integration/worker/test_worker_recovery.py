"""Nothing is lost when a worker is SIGKILLed mid-grading or Redis forgets its queue."""

from __future__ import annotations

import os
import signal
import subprocess
from typing import Any, Callable

import pytest
import redis

from grader.db.models import Submission
from tests.support.fault_report import account


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
    row = account(committed_factory, [sid], "worker SIGKILLed mid-grade (Redis)")
    assert (row.lost, row.twice) == (0, 0)


def test_tasks_lost_by_redis_are_sent_again_by_the_sweeper(
        worker_factory: Callable[..., Worker], live_app: Any, klass: Class, redis_url: str) -> None:
    if not redis_url.startswith("redis"):
        pytest.skip("a Redis broker's own failure (the RabbitMQ one is in tests/integration/faults)")
    client = live_app.test_client()
    sid = submit(client, klass.auth("bob"), RIGHT)  # no worker yet: the task waits in Redis
    r = redis.Redis.from_url(redis_url)
    r.flushdb()  # Redis restarted without persistence
    r.close()
    worker_factory("after-restart", beat=True, extra_env=SHORT_LEASE)
    body = wait_graded(client, klass.auth("bob"), sid, timeout=60)
    assert body["status"] == "graded" and body["total"] == 3


def test_a_killed_pool_child_s_task_comes_back_and_is_graded_when_the_lease_ends(
        worker_factory: Callable[..., Worker], live_app: Any, klass: Class, committed_factory: Any) -> None:
    # No beat here, so no sweeper: task_reject_on_worker_lost redelivers the task, which waits for
    # the dead child's 4 s lease and then grades.
    worker = worker_factory("children", extra_env={"GRADER_TEST_SLOW_GRADING_S": "120", **SHORT_LEASE})
    client = live_app.test_client()
    sid = submit(client, klass.auth("alice"), RIGHT)
    wait_status(committed_factory, sid, "grading")
    children = subprocess.run(["pgrep", "-P", str(worker.proc.pid)], capture_output=True, text=True).stdout.split()
    assert children
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    body = wait_graded(client, klass.auth("alice"), sid, timeout=60)
    assert {q["verdict"] for q in body["questions"].values()} == {"correct"}
    assert worker.proc.poll() is None  # the worker itself lived on with new children
    with committed_factory() as s:
        assert s.get(Submission, sid).grading_attempts == 2
    row = account(committed_factory, [sid], "pool child SIGKILLed mid-grade (Redis)")
    assert (row.lost, row.twice) == (0, 0)
