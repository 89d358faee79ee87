"""Running ``grader serve`` (the embedded default) as a real process in a test, and waiting on it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable

from worker_helpers import ROOT

from grader.cli.supervisor import group_members

ANSWERS = {"1a": "2p_i - 2y_i", "1d": "\\boxed{x_i}", "2a": "-y_i"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, poll: float = 0.1) -> Any:
    """Poll ``condition`` until it is truthy (returned) or ``timeout`` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s waiting for {what}"
        time.sleep(poll)


class Serve:
    """``python -m grader serve`` on SQLite files under ``tmp``; its output collected line by line."""

    def __init__(self, tmp: Path, **extra_env: str) -> None:
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/grader.sqlite", SECRET_KEY="test",
                   CELERY_BROKER_URL=f"sqla+sqlite:///{tmp}/broker.sqlite", PORT=str(self.port),
                   GRADER_SWEEP_INTERVAL_S="2", GRADER_VERDICT_CACHE="off", **extra_env)
        self.proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--concurrency", "1"], cwd=ROOT,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.groups: set[int] = set()

    def _read(self) -> None:
        for line in iter(self.proc.stdout.readline, ""):  # type: ignore[union-attr]
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def worker_pids(self) -> list[int]:
        """Every worker pid printed so far (each also its process group), oldest first."""
        pids = [int(m.group(1)) for m in re.finditer(r"^worker\s+pid (\d+)", self.output, re.M)]
        self.groups.update(pids)
        return pids

    def ready(self, timeout: float = 120) -> "Serve":
        """Wait for 'serving' and for the worker's main process, pool child and beat to exist."""
        wait_for(lambda: self.proc.poll() is not None or "serving" in self.output, timeout=timeout,
                 what="grader serve to listen")
        assert self.proc.poll() is None, self.output
        wait_for(lambda: len(group_members(self.worker_pids()[-1])) >= 3, timeout=timeout,
                 what="the worker, its pool child and beat")
        return self

    def token(self) -> str:
        lines = self.output.splitlines()
        student = lines.index(next(line for line in lines if line.startswith("demo student")))
        return lines[student + 1].split("API token:")[1].strip()

    def call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1{path}", data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token()}", "Content-Type": "application/json",
                     "Idempotency-Key": uuid.uuid4().hex})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)

    def submit_and_wait_graded(self, timeout: float = 90) -> dict[str, Any]:
        sid = self.call("/assignments/assignment-4/submissions", {"answers": ANSWERS})["id"]

        def graded() -> dict[str, Any] | None:
            body = self.call(f"/submissions/{sid}")
            return body if body.get("status") == "graded" else None

        return wait_for(graded, timeout=timeout, what=f"submission {sid} to be graded", poll=0.3)

    def everything_gone(self) -> bool:
        """grader serve exited and no process of any worker group it started is left."""
        return self.proc.poll() is not None and not any(group_members(g) for g in self.groups)

    def cleanup(self) -> None:
        """Kill whatever is left (a failed test must not leave processes behind)."""
        self.worker_pids()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._reader.join(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
