"""A long-lived forked grading child per process: engine speed with per-answer isolation.

``run_isolated`` forks a fresh child per submission, so everything that child compiles, imports or
caches (sympy's caches, the engine's parsed keys and verdicts) is lost when it exits. A
``GradingPool`` keeps one child alive between submissions instead: jobs (a picklable factory and
its arguments, the question ids, the soft limit) go to it over a pipe, and it reports one JSON line
per answer exactly as ``run_isolated``'s child does. The guarantees are the same:

- soft limit: ``SIGALRM`` in the child (``SIGPROF`` on CPU time with ``soft_cpu``: the fast
  budget; ``SoftTimeLimit``); the answer is reported as ``soft`` and
  the child then exits (its state may be half-updated), a fresh one grades the rest;
- hard limit: no report ``hard_s`` after the previous one, and the parent SIGKILLs the child;
- an exception costs only its answer, a crash (the child dies) only the answer it was on.

A child is retired after ``max_answers`` answers (bounded memory), and a new one is forked from
the parent, which ``grader.assignments.warm`` has warmed. A job that cannot be pickled (a test's
lambda) falls back to ``run_isolated``.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import struct
import threading
import time
from typing import Any, Callable, Sequence

from grader.services.grading_runner import _fork, _reap, _write_all, grade_and_report, on_soft_limit, run_isolated

Factory = Callable[..., Callable[[str], dict[str, Any]]]
MAX_ANSWERS = 5000  # a child grades at most this many answers, then a fresh one is forked
_IDLE_CHECK_S = 5.0  # an idle child checks this often that its parent is still alive


def _read_exact(fd: int, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _serve(job_fd: int, out_fd: int, parent: int) -> None:
    """The child: take jobs until the parent goes away; never returns."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        on_soft_limit()
        while True:
            ready, _, _ = select.select([job_fd], [], [], _IDLE_CHECK_S)
            if not ready:
                if os.getppid() != parent:
                    return
                continue
            header = _read_exact(job_fd, 4)
            if header is None:
                return
            body = _read_exact(job_fd, struct.unpack("!I", header)[0])
            if body is None:
                return
            factory, args, qids, soft_s, soft_cpu = pickle.loads(body)
            grade_one = factory(*args)
            for qid in qids:
                msg = grade_and_report(grade_one, qid, soft_s, out_fd, soft_cpu=soft_cpu)
                if msg.get("error") == "soft":
                    return  # interrupted mid-computation: let a fresh child go on
    finally:
        os._exit(0)


def _close_inherited(*, keep: tuple[int, int]) -> None:
    """Close every descriptor the fork inherited but its pipes and stdio. The child lives as long as
    its parent: a pipe or socket it kept open (a subprocess's stdin, a broker connection) would
    never see its other end close, e.g. a browser driver waiting for EOF hung the test run's end."""
    low, high = sorted(keep)
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, _max_fd())


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):  # pragma: no cover - every Linux has it
        return 65536


class _Child:
    def __init__(self) -> None:
        job_r, self.job_w = os.pipe()
        self.out_r, out_w = os.pipe()
        parent = os.getpid()
        pid = _fork()
        if pid == 0:  # pragma: no cover - the child
            _close_inherited(keep=(job_r, out_w))
            _serve(job_r, out_w, parent)
        os.close(job_r)
        os.close(out_w)
        self.pid, self.owner, self.answers, self.buf = pid, parent, 0, b""

    def close(self) -> None:
        for fd in (self.job_w, self.out_r):
            try:
                os.close(fd)
            except OSError:
                pass
        _reap(self.pid)


class GradingPool:
    """One long-lived grading child for this process (thread-safe: one job at a time)."""

    def __init__(self, max_answers: int = MAX_ANSWERS) -> None:
        self.max_answers = max_answers
        self._child: _Child | None = None
        self._lock = threading.Lock()
        self.forks = 0

    def _live_child(self) -> _Child:
        child = self._child
        if child is not None and child.owner != os.getpid():  # we are a fork of the pool's owner
            child = self._child = None
        if child is not None and child.answers >= self.max_answers:
            self._retire()
            child = None
        if child is None:
            child = self._child = _Child()
            self.forks += 1
        return child

    def _retire(self) -> None:
        if self._child is not None and self._child.owner == os.getpid():
            self._child.close()
        self._child = None

    def close(self) -> None:
        """Stop the child (a later job forks a new one)."""
        with self._lock:
            self._retire()

    def run(self, factory: Factory, args: tuple[Any, ...], question_ids: Sequence[str], *, soft_s: float,
            hard_s: float, on_progress: Callable[[], None] | None = None,
            soft_cpu: bool = False) -> dict[str, dict[str, Any]]:
        """``run_isolated(factory(*args), question_ids, ...)``, in the long-lived child."""
        try:
            payload = pickle.dumps((factory, args, list(question_ids), soft_s, soft_cpu))
        except (pickle.PicklingError, AttributeError, TypeError):
            return run_isolated(factory(*args), question_ids, soft_s=soft_s, hard_s=hard_s,
                                on_progress=on_progress, soft_cpu=soft_cpu)
        pending = list(question_ids)
        out: dict[str, dict[str, Any]] = {}
        with self._lock:
            while pending:
                if len(pending) != len(question_ids):
                    payload = pickle.dumps((factory, args, pending, soft_s, soft_cpu))
                self._run_job(payload, pending, out, soft_s=soft_s, hard_s=hard_s, on_progress=on_progress)
        return out

    def _run_job(self, payload: bytes, pending: list[str], out: dict[str, dict[str, Any]], *,
                 soft_s: float, hard_s: float, on_progress: Callable[[], None] | None) -> None:
        child = self._live_child()
        try:
            _write_all(child.job_w, struct.pack("!I", len(payload)) + payload)
        except OSError:  # it died while idle: a fresh one takes the job
            self._retire()
            child = self._live_child()
            _write_all(child.job_w, struct.pack("!I", len(payload)) + payload)
        started = time.monotonic()
        while pending:
            remaining = started + hard_s - time.monotonic()
            if remaining <= 0:
                out[pending.pop(0)] = {"error": "hard", "ms": int(hard_s * 1000)}
                self._retire()
                return
            ready, _, _ = select.select([child.out_r], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(child.out_r, 65536)
            if not chunk:
                out[pending.pop(0)] = {"error": "crash", "ms": int((time.monotonic() - started) * 1000)}
                self._retire()
                return
            child.buf += chunk
            while b"\n" in child.buf and pending:
                line, child.buf = child.buf.split(b"\n", 1)
                msg = json.loads(line)
                out[msg.pop("qid")] = msg
                pending.pop(0)
                child.answers += 1
                started = time.monotonic()
                if on_progress is not None:
                    on_progress()
                if msg.get("error") == "soft":  # the child exits after a soft stop
                    self._retire()
                    return


_pool = GradingPool()


def pool() -> GradingPool:
    """This process's grading pool."""
    return _pool
