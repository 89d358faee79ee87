"""Redis (the broker) restarted while submissions wait in its queue.

Without persistence the queued tasks are gone, and the sweeper re-sends them from the database;
with the append-only file on, every task is still there and nothing needs re-sending (this
worker runs without beat, so no sweeper could hide a loss).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import redis
from fault_helpers import fault_settings, graded_count, make_class
from servers import PrivateRedis, wait_until
from worker_helpers import RIGHT, SHORT_LEASE, Worker, submit

from tests.support.fault_report import account

pytestmark = [pytest.mark.integration, pytest.mark.slow]
N = 8


@pytest.mark.parametrize("aof", [False, True], ids=["no-aof", "aof"])
def test_redis_restarted_with_submissions_queued_loses_none(
        aof: bool, tmp_path: Path, pg_url: str, committed_factory: Any, workers: Callable[..., Worker],
        live_app: Callable[..., Any]) -> None:
    broker = PrivateRedis(tmp_path, aof=aof).start()
    try:
        client = live_app(fault_settings(pg_url, broker.url), committed_factory).test_client()
        klass = make_class(committed_factory)
        ids = [submit(client, klass.auth(f"s{i % 3}"), RIGHT) for i in range(N)]  # no worker yet
        r = redis.Redis.from_url(broker.url)
        assert r.llen("grader") == N
        broker.crash()
        broker.start()
        assert r.llen("grader") == (N if aof else 0)
        r.close()
        worker = workers(pg_url, broker.url, "after-restart", beat=not aof, extra_env=SHORT_LEASE)
        wait_until(lambda: graded_count(committed_factory, ids) == N, timeout=90, what="every submission graded")
        row = account(committed_factory, ids, f"redis restarted, queue {'kept (AOF)' if aof else 'lost (no AOF)'}")
        assert (row.accepted, row.graded, row.lost, row.twice) == (N, N, 0, 0)
        swept = "sweeper re-enqueued" in worker.log.read_text(errors="replace")
        assert swept == (not aof)
    finally:
        broker.stop()
