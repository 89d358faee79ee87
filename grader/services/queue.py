"""Sending grading work to the Celery workers, by task name (this package never imports ``worker``).

The database is the source of truth: a submission is committed as ``queued`` before anything is
sent, so a send that fails (broker down, Redis restarted) only delays grading until the sweeper
(``worker.tasks.sweep_stuck``) re-enqueues it. ``send_*`` therefore log and swallow broker errors.

The Celery configuration shared by this producer and the worker (``worker/celery_app.py``) lives
here too, so both sides agree on queue names, serialisation and transport options.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any

from grader.config import Settings

if TYPE_CHECKING:  # pragma: no cover
    from celery import Celery

log = logging.getLogger(__name__)

QUEUE = "grader"
TASK_GRADE = "worker.tasks.grade_submission"
TASK_REGRADE = "worker.tasks.regrade_assignment"
TASK_REGRADE_ONE = "worker.tasks.regrade_submission"
TASK_SWEEP = "worker.tasks.sweep_stuck"
TASK_SWEEP_REGRADES = "worker.tasks.sweep_regrades"

# A task unacknowledged this long on Redis is redelivered (after a worker was killed). It must be
# longer than any grading task, or a slow task runs twice (harmless, but wasted work).
VISIBILITY_TIMEOUT_S = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT_S", "900"))
SWEEP_INTERVAL_S = float(os.environ.get("GRADER_SWEEP_INTERVAL_S", "30"))

_lock = threading.Lock()
_client: "Celery | None" = None


def is_redis(broker_url: str) -> bool:
    """True for ``redis://``, ``rediss://`` and ``redis+socket://`` brokers."""
    return broker_url.split(":", 1)[0].split("+", 1)[0] in ("redis", "rediss")


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings common to the producer (web app) and the worker."""
    conf: dict[str, Any] = {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": QUEUE,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "timezone": "UTC",
        "enable_utc": True,
        "broker_connection_timeout": 4.0,
    }
    if is_redis(settings.broker_url):
        # Only for Redis: kombu's SQLAlchemy transport hands every transport option to
        # create_engine(), which rejects unknown keywords.
        conf["broker_transport_options"] = {
            "visibility_timeout": VISIBILITY_TIMEOUT_S,
            "socket_connect_timeout": 4,
            "socket_timeout": 10,
        }
    return conf


def client(settings: Settings | None = None) -> "Celery":
    """The process's Celery client, created on first use (nothing is built at import)."""
    global _client
    with _lock:
        if _client is None:
            from celery import Celery

            app = Celery("grader-producer", set_as_current=False)
            app.conf.update(celery_config(settings or Settings.from_env()))
            _client = app
        return _client


def reset_client() -> None:
    """Forget the cached client (tests that change ``CELERY_BROKER_URL`` call this)."""
    global _client
    with _lock:
        if _client is not None:
            _client.close()
        _client = None


def _send(name: str, args: list[Any]) -> None:
    try:
        client().send_task(
            name,
            args=args,
            queue=QUEUE,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1},
        )
    except Exception:  # broker down: the sweeper re-enqueues from the database
        log.warning("could not send %s%r; the sweeper will retry", name, args, exc_info=True)


def send_grading(submission_id: int) -> None:
    """Ask a worker to grade a committed submission. Never raises for a broker failure."""
    _send(TASK_GRADE, [int(submission_id)])


def send_regrade(job_id: int) -> None:
    """Ask a worker to start a committed regrade job (it fans out one task per submission)."""
    _send(TASK_REGRADE, [int(job_id)])


def send_regrade_one(job_id: int, submission_id: int) -> None:
    """Regrade one submission as part of a job (sent by the worker's fan-out)."""
    _send(TASK_REGRADE_ONE, [int(job_id), int(submission_id)])
