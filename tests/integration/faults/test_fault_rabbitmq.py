"""A whole worker SIGKILLed mid-grade with RabbitMQ as the broker (a vhost of our own).

RabbitMQ requeues the dead connection's unacknowledged messages at once; the rescuing worker's
task finds the dead claim, retries when its lease ends, and grades. Every submission is graded
exactly once as current.
"""

from __future__ import annotations

import os
import secrets
from typing import Any, Callable

import pytest
from fault_helpers import fault_settings, graded_count, make_class
from servers import RabbitVhost, wait_until
from worker_helpers import RIGHT, SHORT_LEASE, Worker, submit

from grader.db.models import Submission
from tests.support.fault_report import account

pytestmark = [pytest.mark.integration, pytest.mark.slow]
N = 4


@pytest.fixture
def vhost() -> Any:
    why = RabbitVhost.available()
    if why:
        pytest.skip(why)
    made = RabbitVhost(f"grader_fault_{os.getpid()}_{secrets.token_hex(3)}").create()
    yield made
    made.delete()


def _grading(factory: Any, ids: list[int]) -> int:
    with factory() as s:
        return s.query(Submission).filter(Submission.id.in_(ids), Submission.status == "grading").count()


def test_a_worker_killed_mid_grade_on_rabbitmq_loses_nothing(
        vhost: RabbitVhost, pg_url: str, committed_factory: Any, workers: Callable[..., Worker],
        live_app: Callable[..., Any]) -> None:
    client = live_app(fault_settings(pg_url, vhost.url), committed_factory).test_client()
    klass = make_class(committed_factory)
    slow = workers(pg_url, vhost.url, "killed", extra_env={"GRADER_TEST_SLOW_GRADING_S": "120", **SHORT_LEASE})
    ids = [submit(client, klass.auth(f"s{i % 3}"), RIGHT) for i in range(N)]
    wait_until(lambda: _grading(committed_factory, ids) == 2, timeout=30, what="two claims (one per pool child)")
    slow.kill()  # the main process and its pool children, mid-grade
    workers(pg_url, vhost.url, "rescuer", beat=True, extra_env=SHORT_LEASE)
    wait_until(lambda: graded_count(committed_factory, ids) == N, timeout=90, what="every submission graded")
    row = account(committed_factory, ids, "worker SIGKILLed mid-grade (RabbitMQ)")
    assert (row.accepted, row.graded, row.lost, row.twice) == (N, N, 0, 0)
    with committed_factory() as s:
        attempts = sorted(s.get(Submission, sid).grading_attempts for sid in ids)
    assert attempts[-2:] == [2, 2]  # the two killed claims were taken over once each
