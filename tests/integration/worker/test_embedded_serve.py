"""``grader serve`` with nothing but SQLite: it grades through its own Celery worker and stops it on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from worker_helpers import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(url: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                          "Idempotency-Key": uuid.uuid4().hex})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def test_the_embedded_default_grades_asynchronously_and_stops_its_worker(tmp_path: Path) -> None:
    from grader.assignments import grade_submission
    from grader.assignments.loader import load_assignment

    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/grader.sqlite", SECRET_KEY="test",
               CELERY_BROKER_URL=f"sqla+sqlite:///{tmp_path}/broker.sqlite", PORT=str(port),
               GRADER_SWEEP_INTERVAL_S="2")
    proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--concurrency", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("serving") for line in lines):
            assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        student = lines.index(next(line for line in lines if line.startswith("demo student")))
        token = lines[student + 1].split("API token:")[1].strip()
        answers = {"1a": "2p_i - 2y_i", "1d": "\\boxed{x_i}", "2a": "-y_i"}
        base = f"http://127.0.0.1:{port}/api/v1"
        sid = _call(f"{base}/assignments/assignment-4/submissions", token, {"answers": answers})["id"]
        body: dict[str, Any] = {}
        while body.get("status") != "graded":
            assert time.monotonic() < deadline, body
            time.sleep(0.3)
            body = _call(f"{base}/submissions/{sid}", token)
        expected = grade_submission(load_assignment(ROOT / "assignments" / "assignment-4.yaml"), answers).to_json()
        assert {q: v["verdict"] for q, v in body["questions"].items()} == {
            q: v["verdict"] for q, v in expected["questions"].items()}
        assert body["total"] == expected["total"]
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = proc.wait(60)
    reader.join(30)  # EOF only once the worker, which shares the pipe, has exited too
    assert not reader.is_alive(), "the worker is still running"
    proc.stdout.close()  # type: ignore[union-attr]
    assert code == 0, "".join(lines)
    assert "worker stopped" in "".join(lines)
    worker_pids = subprocess.run(["pgrep", "-f", f"embedded-{proc.pid}@"], capture_output=True, text=True).stdout
    assert worker_pids.strip() == ""
