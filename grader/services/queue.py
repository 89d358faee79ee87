"""Sending grading work to the Celery workers, by task name (this package never imports ``worker``).

The database is the source of truth: a submission is committed as ``queued`` before anything is
sent, so a send that fails (broker down, Redis restarted) only delays grading until the sweeper
(``worker.tasks.sweep_stuck``) re-enqueues it. ``send_*`` therefore log and swallow broker errors.

The Celery configuration shared by this producer and the worker (``worker/celery_app.py``) lives
here too, so both sides agree on queue names, serialisation and transport options. A
``CeleryQueue`` is built by ``grader.bootstrap`` from the process's ``Settings`` and handed to the
app factory and the worker; nothing here reads the environment.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Protocol

from grader.config import Settings

if TYPE_CHECKING:  # pragma: no cover
    from celery import Celery

log = logging.getLogger(__name__)

QUEUE = "grader"  # new submissions: the fast queue
QUEUE_SLOW = "grader.slow"  # submissions with an answer over the fast budget (GRADER_FAST_BUDGET_S)
QUEUE_BULK = "grader.bulk"  # regrades and other bulk work
ALL_QUEUES = (QUEUE, QUEUE_SLOW, QUEUE_BULK)  # what a worker that does everything consumes, in order
TASK_GRADE = "worker.tasks.grade_submission"
TASK_GRADE_SLOW = "worker.tasks.grade_submission_slow"
TASK_REGRADE = "worker.tasks.regrade_assignment"
TASK_REGRADE_ONE = "worker.tasks.regrade_submission"
TASK_SWEEP = "worker.tasks.sweep_stuck"
TASK_SWEEP_REGRADES = "worker.tasks.sweep_regrades"
TASK_DELIVER = "worker.lms_tasks.deliver_webhook"
TASK_POST_SCORE = "worker.lms_tasks.post_score"
TASK_SYNC_ROSTERS = "worker.lms_tasks.sync_rosters"

# Where each task goes (the producer names the queue too; this covers retries and beat).
TASK_ROUTES = {TASK_GRADE: {"queue": QUEUE}, TASK_GRADE_SLOW: {"queue": QUEUE_SLOW},
               TASK_REGRADE: {"queue": QUEUE_BULK}, TASK_REGRADE_ONE: {"queue": QUEUE_BULK},
               TASK_SYNC_ROSTERS: {"queue": QUEUE_BULK}}  # LMS calls never hold up a submission

RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}


def is_redis(broker_url: str) -> bool:
    """True for ``redis://``, ``rediss://`` and ``redis+socket://`` brokers."""
    return broker_url.split(":", 1)[0].split("+", 1)[0] in ("redis", "rediss")


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings common to the producer (web app) and the worker."""
    conf: dict[str, Any] = {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": QUEUE,
        "task_routes": TASK_ROUTES,
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
        # A task unacknowledged this long is redelivered (after a worker was killed). It must be
        # longer than any grading task, or a slow task runs twice (harmless, but wasted work).
        conf["broker_transport_options"] = {
            "visibility_timeout": settings.visibility_timeout_s,
            "socket_connect_timeout": 4,
            "socket_timeout": 10,
            # a worker consuming several queues (-Q grader,grader.slow,grader.bulk) empties them in
            # that order: new submissions before slow ones, both before regrades
            "queue_order_strategy": "priority",
        }
    return conf


class GradingQueue(Protocol):
    """Where committed work is sent: ``CeleryQueue`` in production, ``FakeQueue`` in tests."""

    def send_grading(self, submission_id: int) -> None: ...

    def send_grading_slow(self, submission_id: int) -> None: ...

    def send_regrade(self, job_id: int) -> None: ...

    def send_regrade_one(self, job_id: int, submission_id: int) -> None: ...

    def send_lms_delivery(self, delivery_id: int) -> None: ...

    def send_score_post(self, score_post_id: int) -> None: ...


class CeleryQueue:
    """Sends tasks by name through a Celery client configured from ``settings`` (created on first
    use: nothing is built, and no broker is contacted, until something is sent)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._client: "Celery | None" = None

    def client(self) -> "Celery":
        """The Celery client of this queue."""
        with self._lock:
            if self._client is None:
                from celery import Celery

                app = Celery("grader-producer", set_as_current=False)
                app.conf.update(celery_config(self.settings))
                self._client = app
            return self._client

    def close(self) -> None:
        """Close the client's broker connections (a later send opens new ones)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None

    def _send(self, name: str, args: list[Any]) -> None:
        queue = TASK_ROUTES.get(name, {"queue": QUEUE})["queue"]
        try:
            self.client().send_task(name, args=args, queue=queue, retry=True, retry_policy=RETRY_POLICY)
        except Exception:  # broker down: the sweeper re-enqueues from the database
            log.warning("could not send %s%r; the sweeper will retry", name, args, exc_info=True)

    def send_grading(self, submission_id: int) -> None:
        """Ask a worker to grade a committed submission. Never raises for a broker failure."""
        self._send(TASK_GRADE, [int(submission_id)])

    def send_grading_slow(self, submission_id: int) -> None:
        """Finish grading a submission on the slow queue (an answer went over the fast budget)."""
        self._send(TASK_GRADE_SLOW, [int(submission_id)])

    def send_regrade(self, job_id: int) -> None:
        """Ask a worker to start a committed regrade job (it fans out one task per submission)."""
        self._send(TASK_REGRADE, [int(job_id)])

    def send_regrade_one(self, job_id: int, submission_id: int) -> None:
        """Regrade one submission as part of a job (sent by the worker's fan-out)."""
        self._send(TASK_REGRADE_ONE, [int(job_id), int(submission_id)])

    def send_lms_delivery(self, delivery_id: int) -> None:
        """Attempt one webhook delivery (``grader.services.lms.outbox`` decides if it is due)."""
        self._send(TASK_DELIVER, [int(delivery_id)])

    def send_score_post(self, score_post_id: int) -> None:
        """Attempt one AGS score post."""
        self._send(TASK_POST_SCORE, [int(score_post_id)])
