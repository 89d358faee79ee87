"""PostgreSQL stopped for 10 s in the middle of a burst of submissions.

The API answers 503 with Retry-After while it is down (never a 500), writes nothing for those
requests, and a client that sends them again with the same Idempotency-Key once it is back gets
them accepted; everything accepted before, during (none) and after is graded exactly once.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest
from fault_helpers import fault_settings, graded_count, make_class
from servers import PrivatePostgres, PrivateRedis, wait_until
from worker_helpers import RIGHT, SHORT_LEASE, Worker

from tests.support.fault_report import account

pytestmark = [pytest.mark.integration, pytest.mark.slow]
OUTAGE_S = 10.0
PACE_S = 0.1  # between two requests of the burst


class Burst:
    """Submissions sent one after another from a thread until stopped; every answer recorded."""

    def __init__(self, client: Any, headers: list[dict[str, str]]) -> None:
        self.client, self.headers = client, headers
        self.answers: list[tuple[str, dict[str, str], int, str | None, int | None]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def send(self, key: str, headers: dict[str, str]) -> tuple[int, str | None, int | None]:
        resp = self.client.post("/api/v1/assignments/hw1/submissions", json={"answers": RIGHT},
                                headers={**headers, "Idempotency-Key": key})
        body = resp.get_json(silent=True) or {}
        return resp.status_code, resp.headers.get("Retry-After"), body.get("id")

    def _run(self) -> None:
        n = 0
        while not self.stop.is_set():
            headers = self.headers[n % len(self.headers)]
            key = uuid.uuid4().hex
            self.answers.append((key, headers, *self.send(key, headers)))
            n += 1
            self.stop.wait(PACE_S)

    def count(self, status: int) -> int:
        return sum(1 for a in self.answers if a[2] == status)


def test_postgres_down_for_10_s_mid_burst_is_503s_and_loses_nothing(
        tmp_path: Path, workers: Callable[..., Worker], live_app: Callable[..., Any]) -> None:
    from grader.db import make_session_factory
    from grader.db.models import GradingResult, Submission
    from grader.services.provisioning import migrate

    pg = PrivatePostgres().init()
    broker = PrivateRedis(tmp_path, aof=False).start()
    factory = make_session_factory(pg.url)
    try:
        migrate(pg.url)
        klass = make_class(factory)
        client = live_app(fault_settings(pg.url, broker.url), factory).test_client()
        workers(pg.url, broker.url, "through-outage", beat=True, extra_env=SHORT_LEASE)
        burst = Burst(client, [klass.auth(f"s{i}") for i in range(3)])
        burst.thread.start()
        try:
            wait_until(lambda: burst.count(202) >= 5, timeout=30, what="submissions accepted before the outage")
            pg.stop()
            down = time.monotonic()
            wait_until(lambda: burst.count(503) >= 3, timeout=OUTAGE_S, what="503s while PostgreSQL is down")
            burst.stop.wait(max(0.0, OUTAGE_S - (time.monotonic() - down)))  # the outage lasts 10 s
            pg.start()
            after = burst.count(202)
            wait_until(lambda: burst.count(202) >= after + 5, timeout=30, what="submissions accepted after")
        finally:
            burst.stop.set()
            burst.thread.join(30)

        statuses = {a[2] for a in burst.answers}
        assert statuses <= {202, 503}, f"unexpected answers: {sorted(statuses)}"
        assert all(a[3] is not None and int(a[3]) > 0 for a in burst.answers if a[2] == 503)
        refused = [a for a in burst.answers if a[2] == 503]
        with factory() as s:  # nothing of a refused request was written
            stored = {sid for (sid,) in s.query(Submission.id)}
        accepted = {int(a[4]) for a in burst.answers if a[2] == 202}
        assert stored == accepted
        for key, headers, *_ in refused:  # the client sends them again, with the same key
            status, _retry, sid = burst.send(key, headers)
            assert status == 202
            accepted.add(int(sid))  # type: ignore[arg-type]
        assert len(accepted) == burst.count(202) + len(refused)

        ids = sorted(accepted)
        wait_until(lambda: graded_count(factory, ids) == len(ids), timeout=120, what="every submission graded")
        row = account(factory, ids, f"postgresql stopped {OUTAGE_S:g} s mid-burst ({len(refused)} x 503)")
        assert (row.lost, row.twice) == (0, 0)
        with factory() as s:  # graded once: one row per question, all current
            assert s.query(GradingResult).count() == 2 * len(ids)
    finally:
        # disposed on failure too: left to the garbage collector, its connections were reported as
        # unclosed (ResourceWarning, an error) by whichever later test was running then
        factory.kw["bind"].dispose()
        broker.stop()
        pg.destroy()
