"""The worker supervisor of ``grader serve`` on stand-in child processes (no Celery)."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time

from grader.cli.supervisor import WorkerSupervisor, group_members


def _wait(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _child(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def test_a_dying_worker_is_restarted_with_growing_back_off_and_each_restart_is_logged() -> None:
    log = io.StringIO()
    sup = WorkerSupervisor(lambda: _child("raise SystemExit(3)"), stop_timeout=1, min_backoff_s=0.05,
                           max_backoff_s=0.2, log=log)
    sup.start()
    _wait(lambda: sup.restarts >= 4)
    sup.stop()
    text = log.getvalue()
    assert "exited with status 3; restarting it in 0.05 s" in text
    assert "restarting it in 0.1 s" in text and "restarting it in 0.2 s" in text
    assert "restarting it in 0.4 s" not in text  # capped
    assert "worker restarted (pid" in text


def test_stop_ends_a_worker_deaf_to_sigterm_and_its_children() -> None:
    deaf = ("import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
            "time.sleep(60)")
    sup = WorkerSupervisor(lambda: _child(deaf), stop_timeout=0.5, log=io.StringIO())
    sup.start()
    pid = sup.pid
    assert pid is not None
    _wait(lambda: len(group_members(pid)) == 2)
    started = time.monotonic()
    sup.stop()
    assert time.monotonic() - started < 5
    _wait(lambda: not group_members(pid), timeout=5)
    assert sup.restarts == 0  # a stop is not a death to recover from


def test_a_killed_worker_takes_its_process_group_with_it_before_the_restart() -> None:
    spawn = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
             "time.sleep(60)")
    sup = WorkerSupervisor(lambda: _child(spawn), stop_timeout=1, min_backoff_s=0.05, log=io.StringIO())
    sup.start()
    first = sup.pid
    assert first is not None
    _wait(lambda: len(group_members(first)) == 2)
    subprocess.run(["kill", f"-{signal.SIGKILL.value}", str(first)], check=True)
    _wait(lambda: sup.restarts == 1)
    _wait(lambda: not group_members(first))  # the orphaned child went with it
    sup.stop()


def test_a_child_started_with_die_with_parent_ends_when_its_parent_dies() -> None:
    code = ("import subprocess; from grader.cli.supervisor import die_with_parent;"
            "p = subprocess.Popen(['sleep', '60'], preexec_fn=die_with_parent, start_new_session=True);"
            "print(p.pid, flush=True)")  # the parent exits at once, without waiting for it
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    pid = int(out.stdout.strip())
    _wait(lambda: not group_members(pid))  # killed by the kernel's parent-death signal
