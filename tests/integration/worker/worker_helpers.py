"""Workers, constants and API helpers shared by the worker integration tests (and their conftest)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.db.models import GradingResult, Submission
from grader.services.queue import ALL_QUEUES

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("GRADER_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{10 + os.getpid() % 5}")
# Celery's broker for these tests: Redis, or RabbitMQ with GRADER_TEST_BROKER_URL=amqp://.../<vhost>
BROKER_URL = os.environ.get("GRADER_TEST_BROKER_URL") or REDIS_URL
SLOW_MARKER = "__slow_answer__"
# A fast sweeper; recovery tests also shorten the lease (SHORT_LEASE) so they finish in seconds.
# The default lease stays long enough that a busy machine never makes a normal grading look stuck.
SHORT_LEASE = {"GRADING_LEASE_S": "4"}
WORKER_ENV = {
    "GRADING_LEASE_S": "60",
    "GRADER_SWEEP_INTERVAL_S": "1",
    "ANSWER_SOFT_TIME_S": "1",
    "ANSWER_HARD_TIME_S": "2",
    "GRADER_TEST_SLOW_ANSWER": SLOW_MARKER,
    "SECRET_KEY": "test-secret",
    "GRADER_SUBMISSION_RATE": "1000 per minute",  # the tests submit fast; the limit has tests of its own
}


ASSIGNMENT_YAML = """\
id: hw1
title: Logistic derivatives
questions:
  - id: q1
    type: expression
    points: 2
    prompt: "Compute dl/dp for l = (y_i - p_i)^2."
    key: "2*p_i - 2*y_i"
  - id: q2
    type: expression
    points: 1
    prompt: "Compute da/dw for a = w x."
    key: "x_i"
"""
RIGHT = {"q1": "2*p_i - 2*y_i", "q2": "x_i"}


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker and every process it started (no warm shutdown, no acks)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        """Wait until the worker's log has ``text`` (e.g. a task id's "succeeded" line)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the worker's log after {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


def _wait_ready(worker: Worker, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = worker.log.read_text(errors="replace") if worker.log.exists() else ""
        if " ready." in text:
            return
        if worker.proc.poll() is not None:
            raise RuntimeError(f"worker exited with {worker.proc.returncode}:\n{text[-3000:]}")
        time.sleep(0.2)
    raise TimeoutError(f"worker not ready after {timeout} s:\n{text[-3000:]}")


def start_worker(pg_url: str, redis_url: str, log: Path, *, beat: bool = False,
                 extra_env: dict[str, str] | None = None, queues: str = ",".join(ALL_QUEUES),
                 concurrency: int = 2) -> Worker:
    """Start a Celery worker process on the test database and Redis, consuming ``queues``;
    returns when it is ready."""
    env = dict(os.environ, DATABASE_URL=pg_url, CELERY_BROKER_URL=redis_url, **WORKER_ENV)
    env.update(extra_env or {})
    env["PYTHONPATH"] = os.pathsep.join((str(ROOT), str(Path(__file__).resolve().parent)))
    cmd = [sys.executable, "-m", "celery", "-A", "hooked_celery_app", "worker", "--pool", "prefork",
           "-c", str(concurrency), "-Q", queues, "-l", "info", "-n", f"test-{os.getpid()}-{log.stem}@%h",
           "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if beat:
        cmd += ["-B", "-s", str(log.with_suffix(".beat"))]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    worker = Worker(proc, log)
    try:
        _wait_ready(worker)
    except Exception:
        worker.stop()
        raise
    return worker


@dataclass
class Class:
    """A committed course with hw1 (the parent conftest's YAML), a teacher and students."""

    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def submit(client: Any, headers: dict[str, str], answers: dict[str, Any], assignment: str = "hw1") -> int:
    """POST a submission; returns its id (asserting 202 and a Location)."""
    resp = client.post(f"/api/v1/assignments/{assignment}/submissions", json={"answers": answers},
                       headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
    assert resp.status_code == 202, resp.get_json()
    assert resp.headers["Location"].endswith(f"/submissions/{resp.get_json()['id']}")
    return int(resp.get_json()["id"])


def wait_graded(client: Any, headers: dict[str, str], submission_id: int, timeout: float = 60) -> dict[str, Any]:
    """Poll ``GET /api/v1/submissions/<id>`` until graded; returns its JSON."""
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        resp = client.get(f"/api/v1/submissions/{submission_id}", headers=headers)
        assert resp.status_code == 200, resp.get_json()
        body = resp.get_json()
        if body["status"] == "graded":
            return body
        time.sleep(0.2)
    raise AssertionError(f"submission {submission_id} not graded after {timeout} s: {body}")


def wait_status(factory: Any, submission_id: int, status: str, timeout: float = 30) -> Submission:
    """Poll the database until the submission has ``status``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with factory() as s:
            sub = s.get(Submission, submission_id)
            if sub is not None and sub.status == status:
                return sub
        time.sleep(0.1)
    raise AssertionError(f"submission {submission_id} never reached {status!r}")


def result_rows(factory: Any, submission_id: int) -> list[GradingResult]:
    with factory() as s:
        return list(s.query(GradingResult).filter_by(submission_id=submission_id).order_by(GradingResult.id))
