"""The Celery application the workers and the beat scheduler run (``celery -A worker.celery_app``).

Nothing is built at import: ``app`` (what ``celery -A worker.celery_app`` looks up) is built on
first access by ``grader.bootstrap.build_celery()``, which reads the settings from the environment
and installs the process's wiring for the tasks. A test builds its own with
``bootstrap.build_celery(Wiring(settings, grading_hooks=...))``. The settings shared with the web
app's producer come from ``grader.services.queue.celery_config``. Reliability settings, and why:

- ``task_acks_late`` + ``task_reject_on_worker_lost``: a task whose worker child dies is
  redelivered instead of ending as a WorkerLostError FAILURE;
- ``worker_prefetch_multiplier=1``: a worker holds one task per process, so a class's burst is
  spread over every worker;
- a Redis ``visibility_timeout`` longer than any task: redelivery after a whole worker is killed;
- the beat schedule (``grader.bootstrap.beat_schedule``) runs ``sweep_stuck`` every
  ``Settings.sweep_interval_s`` seconds (the database, not the broker, decides what still has to
  be graded), the LMS outbox sweep every minute and the LMS roster sync every
  ``Settings.roster_sync_hours`` (``ROSTER_SYNC_HOURS``; 0 leaves it out).
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

_built: dict[str, Celery] = {}
_lock = threading.Lock()


def __getattr__(name: str) -> Any:
    """``app`` (and ``celery``, Celery's other default name), built through bootstrap on first use."""
    if name not in ("app", "celery"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _lock:
        if "app" not in _built:
            from grader import bootstrap

            _built["app"] = bootstrap.build_celery()
        return _built["app"]


@worker_process_init.connect
def _fresh_state_in_child(**_kwargs: object) -> None:
    """A forked pool child must not reuse the parent's database connections."""
    from grader import bootstrap

    bootstrap.current().after_fork()
