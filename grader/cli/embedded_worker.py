"""``python -m grader.cli.embedded_worker PARENT_PID [celery arguments]``: the Celery worker of
``grader serve``, ending itself when ``grader serve`` is gone.

The parent also sets ``PR_SET_PDEATHSIG`` (``grader.cli.supervisor.die_with_parent``); this
watch is the fallback (another OS, or a signal that was missed): when the parent pid is no
longer our parent, a warm shutdown (SIGTERM to ourselves), and after ``GRACE_S`` SIGKILL to our
whole process group (pool children and the embedded beat included).
"""

from __future__ import annotations

import os
import signal
import sys
import threading

POLL_S = 0.5
GRACE_S = 5.0


def _orphaned(parent: int) -> bool:
    return os.getppid() != parent


def watch_parent(parent: int, *, poll_s: float = POLL_S, grace_s: float = GRACE_S) -> threading.Thread:
    """Start a daemon thread that ends this process group once ``parent`` is gone."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(poll_s):
            if _orphaned(parent):
                print(f"embedded worker: grader serve (pid {parent}) is gone; shutting down",
                      file=sys.stderr, flush=True)
                os.kill(os.getpid(), signal.SIGTERM)
                stop.wait(grace_s)
                os.killpg(os.getpgrp(), signal.SIGKILL)
                return

    thread = threading.Thread(target=run, name="parent-watch", daemon=True)
    thread.start()
    return thread


def main(argv: list[str]) -> int:
    parent = int(argv[0])
    if _orphaned(parent):  # the parent died before we got here
        return 1
    watch_parent(parent)
    from celery.bin.celery import main as celery_main

    sys.argv = ["celery", *argv[1:]]
    return int(celery_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
