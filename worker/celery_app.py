"""The Celery application the workers and the beat scheduler run (``celery -A worker.celery_app``).

Configured from the environment (``CELERY_BROKER_URL``, ``DATABASE_URL``, ...) through
``grader.config.Settings``; the settings shared with the web app's producer come from
``grader.services.queue.celery_config``. Reliability settings, and why:

- ``task_acks_late`` + ``task_reject_on_worker_lost``: a task whose worker child dies is
  redelivered instead of ending as a WorkerLostError FAILURE;
- ``worker_prefetch_multiplier=1``: a worker holds one task per process, so a class's burst is
  spread over every worker;
- a Redis ``visibility_timeout`` longer than any task: redelivery after a whole worker is killed;
- the beat schedule runs ``sweep_stuck`` every ``GRADER_SWEEP_INTERVAL_S`` seconds (the database,
  not the broker, decides what still has to be graded) and the LMS outbox sweep every minute.
"""

from __future__ import annotations

from celery import Celery
from celery.signals import worker_process_init

from grader.config import Settings
from grader.services.queue import SWEEP_INTERVAL_S, TASK_SWEEP, TASK_SWEEP_REGRADES, celery_config

# Grading, and the LMS integration's deliveries and score posts.
TASK_MODULES = ("worker.tasks", "worker.lms_tasks")


def make_celery(settings: Settings | None = None) -> Celery:
    """A configured Celery app; tasks are registered from ``worker.tasks``."""
    settings = settings or Settings.from_env()
    app = Celery("grader", include=list(TASK_MODULES))
    app.conf.update(celery_config(settings))
    app.conf.update(
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_track_started=False,
        # A backstop only: answers have their own soft/hard limits inside the task.
        task_time_limit=max(600, settings.grading_lease_s * 5),
        beat_schedule={
            "sweep-stuck-submissions": {"task": TASK_SWEEP, "schedule": SWEEP_INTERVAL_S},
            # regrade jobs with no progress for REGRADE_LEASE_S: re-sent, or ended as failed
            "sweep-regrade-jobs": {"task": TASK_SWEEP_REGRADES, "schedule": SWEEP_INTERVAL_S},
            # docs/lms.md: webhooks and score posts that are due (long back-offs, lost tasks).
            "sweep-lms-outbox": {"task": "worker.lms_tasks.sweep_lms", "schedule": 60.0},
        },
    )
    return app


app = make_celery()


@worker_process_init.connect
def _fresh_state_in_child(**_kwargs: object) -> None:
    """A forked pool child must not reuse the parent's database connections."""
    from worker import tasks

    tasks.reset_state()
