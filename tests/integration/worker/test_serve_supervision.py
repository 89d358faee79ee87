"""``grader serve`` supervises its worker: killed, it is restarted; serve gone, the worker goes too;
SIGINT, SIGTERM and SIGHUP stop everything within 10 s.

The failures these were written as: after ``kill -9`` of the worker, ``grader serve`` kept
answering 202 and nothing was graded; after SIGHUP (the terminal closed) or SIGKILL of
``grader serve``, the worker and its beat kept running as orphans.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Iterator

import pytest
from serve_helpers import Serve, wait_for

from grader.cli.supervisor import group_members

pytestmark = [pytest.mark.integration, pytest.mark.slow]
STOP_WITHIN_S = 10.0


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    running = Serve(tmp_path)
    try:
        yield running.ready()
    finally:
        running.cleanup()


def test_a_killed_worker_is_restarted_and_grades_what_comes_next(serve: Serve) -> None:
    (first,) = serve.worker_pids()
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: len(serve.worker_pids()) == 2, timeout=30, what="the worker to be restarted")
    assert "exited with status -9; restarting it in 1 s" in serve.output
    wait_for(lambda: not group_members(first), timeout=10, what="the dead worker's pool child and beat to go")
    body = serve.submit_and_wait_graded()
    assert body["total"] is not None and body["questions"]["1a"]["verdict"] == "correct"
    serve.proc.send_signal(signal.SIGINT)
    wait_for(serve.everything_gone, timeout=STOP_WITHIN_S, what="everything to stop")


def test_when_serve_is_killed_its_worker_and_beat_go_too(serve: Serve) -> None:
    (worker,) = serve.worker_pids()
    assert len(group_members(worker)) >= 3  # worker, pool child, beat
    serve.proc.kill()
    wait_for(lambda: not group_members(worker), timeout=STOP_WITHIN_S, what="the orphaned worker and beat to exit")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_to_serve_stops_everything_within_10_s(serve: Serve, signum: signal.Signals) -> None:
    serve.worker_pids()
    started = time.monotonic()
    serve.proc.send_signal(signum)
    wait_for(serve.everything_gone, timeout=STOP_WITHIN_S, what=f"everything to stop after {signum.name}")
    assert serve.proc.returncode == 0, serve.output
    assert time.monotonic() - started < STOP_WITHIN_S
