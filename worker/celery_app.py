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
- the beat schedule runs ``sweep_stuck`` every ``Settings.sweep_interval_s`` seconds (the database,
  not the broker, decides what still has to be graded) and the LMS outbox sweep every minute.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from grader.config import Settings
from grader.services.queue import TASK_SWEEP, celery_config

# Grading, and the LMS integration's deliveries and score posts.
TASK_MODULES = ("worker.tasks", "worker.lms_tasks")


def make_celery(settings: Settings) -> Celery:
    """A configured Celery app; tasks are registered from ``TASK_MODULES``."""
    app = Celery("grader", include=list(TASK_MODULES))
    app.conf.update(celery_config(settings))
    app.conf.update(
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_track_started=False,
        # A backstop only: answers have their own soft/hard limits inside the task.
        task_time_limit=max(600, settings.grading_lease_s * 5),
        beat_schedule={
            "sweep-stuck-submissions": {"task": TASK_SWEEP, "schedule": settings.sweep_interval_s},
            # docs/lms.md: webhooks and score posts that are due (long back-offs, lost tasks).
            "sweep-lms-outbox": {"task": "worker.lms_tasks.sweep_lms", "schedule": 60.0},
        },
    )
    return app


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
