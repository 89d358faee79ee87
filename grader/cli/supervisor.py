"""Supervising the embedded Celery worker of ``grader serve`` (docs/worker.md, "Supervision").

- A dead worker is restarted with back-off (1 s, doubling to ``max_backoff_s``; back to 1 s once
  a worker has run for ``stable_s``), each restart logged on stderr. Before a restart the dead
  worker's whole process group (pool children, the embedded beat) is killed, so nothing of it
  keeps consuming or scheduling.
- The worker ends when ``grader serve`` ends for any reason: the child asks the kernel for
  SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``, Linux), and the worker's own entry
  point (``grader.cli.embedded_worker``) watches the parent's pid as a fallback.
- ``stop`` is a warm shutdown (SIGTERM) bounded by ``stop_timeout``, then SIGKILL to the group.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Callable, TextIO

PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up in the parent: a forked child of a threaded process must not
    dlopen (another thread may have held the loader's lock at the fork)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """In a child before ``exec`` (``preexec_fn``): the kernel sends ``sig`` when the parent
    dies. A no-op where prctl is missing (not Linux): the parent watch still ends the worker."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal the process group led by ``pid`` (a worker started in its own session)."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    """True while any process of the group ``pgid`` exists (zombies are not counted)."""
    return bool(group_members(pgid))


def group_members(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes of group ``pgid``, from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(entry))
    return out


class WorkerSupervisor:
    """Starts the worker, restarts it when it dies, stops it on request."""

    def __init__(self, start: Callable[[], "subprocess.Popen[bytes]"], *, stop_timeout: float,
                 min_backoff_s: float = 1.0, max_backoff_s: float = 30.0, stable_s: float = 60.0,
                 log: TextIO | None = None) -> None:
        self._start = start
        self._stop_timeout = stop_timeout
        self._min, self._max, self._stable = min_backoff_s, max_backoff_s, stable_s
        self._log = log or sys.stderr
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The current worker's pid (also its process group id)."""
        return None if self._proc is None else self._proc.pid

    def start(self) -> None:
        """Start the worker and the thread that restarts it."""
        with self._lock:
            self._proc = self._start()
        self._thread = threading.Thread(target=self._supervise, name="worker-supervisor", daemon=True)
        self._thread.start()

    def _say(self, message: str) -> None:
        print(f"grader serve: {message}", file=self._log, flush=True)

    def _supervise(self) -> None:
        backoff = self._min
        while True:
            proc = self._proc
            assert proc is not None
            started = time.monotonic()
            code = proc.wait()
            if self._stopping.is_set():
                return
            kill_group(proc.pid)  # its pool children and beat, orphaned by its death
            if time.monotonic() - started >= self._stable:
                backoff = self._min
            self._say(f"the Celery worker (pid {proc.pid}) exited with status {code}; "
                      f"restarting it in {backoff:g} s")
            if self._stopping.wait(backoff):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                try:
                    self._proc = self._start()
                except OSError as exc:  # e.g. out of processes: try again after the next back-off
                    self._say(f"could not restart the worker: {exc}")
                    backoff = min(backoff * 2, self._max)
                    continue
                self.restarts += 1
                self._say(f"worker restarted (pid {self._proc.pid}, restart {self.restarts})")
            backoff = min(backoff * 2, self._max)

    def stop(self) -> None:
        """No more restarts; warm shutdown of the worker, then SIGKILL to its whole group."""
        self._stopping.set()
        with self._lock:
            proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(self._stop_timeout)
            except subprocess.TimeoutExpired:
                pass
        kill_group(proc.pid)  # pool children and beat, if any are left
        proc.wait()
        if self._thread is not None:
            self._thread.join(5)
