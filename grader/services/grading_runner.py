"""Grading answers one at a time in a forked child, under a soft and a hard time limit each.

The soft limit is a ``SIGALRM`` in the child (``SIGPROF``, counting the child's CPU time, for
the fast budget): pure-Python work stops with ``SoftTimeLimit``. The
hard limit is the parent's: when a child has not reported an answer ``hard_s`` seconds after the
previous one (stuck in C code, e.g. a GMP power, where no signal handler runs), the parent
SIGKILLs it and forks a fresh child for the remaining answers. Either way that answer is reported
as timed out and the others are still graded, so a submission never stays stuck. One child grades
the whole submission in the common case, so the cost is one fork per submission.

>>> out = run_isolated(lambda q: {"echo": q}, ["1a", "1b"], soft_s=2, hard_s=4)
>>> [out["1a"]["ok"], out["1b"]["ok"]]
[{'echo': '1a'}, {'echo': '1b'}]
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
import warnings
from typing import Any, Callable, Sequence

GradeOne = Callable[[str], dict[str, Any]]


class SoftTimeLimit(BaseException):
    """Raised in the child when an answer's soft limit passes (a BaseException, so that the
    engine's ``except Exception`` cannot swallow it)."""


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise SoftTimeLimit()


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]


def on_soft_limit() -> None:
    """In a child: both soft-limit timers (wall clock and CPU time) raise ``SoftTimeLimit``."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGPROF, _on_alarm)


def _child(fd: int, question_ids: Sequence[str], grade_one: GradeOne, soft_s: float, soft_cpu: bool) -> None:
    """Grade each question and write one JSON line per answer; never returns."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        on_soft_limit()
        for qid in question_ids:
            grade_and_report(grade_one, qid, soft_s, fd, soft_cpu=soft_cpu)
    finally:
        os._exit(0)


def grade_and_report(grade_one: GradeOne, qid: str, soft_s: float, fd: int, *,
                     soft_cpu: bool = False) -> dict[str, Any]:
    """In a child: grade one answer under the soft limit and write its JSON line to ``fd``.
    ``soft_cpu``: the soft limit counts the child's CPU time, not the wall clock (the fast
    budget: an answer waiting for a busy machine's CPU is not over it; one that waits without
    computing is left to the hard limit)."""
    timer = signal.ITIMER_PROF if soft_cpu else signal.ITIMER_REAL
    started = time.perf_counter()
    msg: dict[str, Any] = {"qid": qid}
    try:
        signal.setitimer(timer, soft_s)
        msg["ok"] = grade_one(qid)
    except SoftTimeLimit:
        msg["error"] = "soft"
    except Exception as exc:  # an engine bug must not lose the other answers
        msg["error"] = "exception"
        msg["message"] = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        signal.setitimer(timer, 0)
    msg["ms"] = int((time.perf_counter() - started) * 1000)
    _write_all(fd, json.dumps(msg, default=str).encode() + b"\n")
    return msg


def _fork() -> int:
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a threaded process; the child only computes and
        # writes to a pipe, and the parent's hard limit kills it if it ever hangs on a lock.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _run_child(pending: list[str], grade_one: GradeOne, out: dict[str, dict[str, Any]], *,
               soft_s: float, hard_s: float, on_progress: Callable[[], None] | None, soft_cpu: bool) -> None:
    """Fork one child for ``pending``; consume its reports until done, dead or over time."""
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child(write_fd, list(pending), grade_one, soft_s, soft_cpu)
    os.close(write_fd)
    buf = b""
    started = time.monotonic()
    try:
        while pending:
            remaining = started + hard_s - time.monotonic()
            if remaining <= 0:
                out[pending.pop(0)] = {"error": "hard", "ms": int(hard_s * 1000)}
                return
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:  # the child died without reporting this answer
                out[pending.pop(0)] = {"error": "crash", "ms": int((time.monotonic() - started) * 1000)}
                return
            buf += chunk
            while b"\n" in buf and pending:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                out[msg.pop("qid")] = msg
                pending.pop(0)
                started = time.monotonic()
                if on_progress is not None:
                    on_progress()
    finally:
        os.close(read_fd)
        _reap(pid)


def run_isolated(grade_one: GradeOne, question_ids: Sequence[str], *, soft_s: float, hard_s: float,
                 on_progress: Callable[[], None] | None = None, soft_cpu: bool = False) -> dict[str, dict[str, Any]]:
    """Grade every question in forked children; ``{qid: {"ok": result} | {"error": why}}``.

    ``error`` is ``soft`` or ``hard`` (out of time), ``crash`` (the child died) or ``exception``
    (with ``message``). Every question gets an entry, and ``ms`` says how long it took.
    """
    pending = list(question_ids)
    out: dict[str, dict[str, Any]] = {}
    while pending:
        _run_child(pending, grade_one, out, soft_s=soft_s, hard_s=hard_s, on_progress=on_progress,
                   soft_cpu=soft_cpu)
    return out
